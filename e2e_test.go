package main

// End-to-end: the real parley binary in a pseudo-terminal, talking over
// HTTP to a real `parley mock-server`, its screen read back through a
// terminal emulator, as a user would see it.

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"

	"github.com/parley-tui/parley/stream/mock"
)

// buildParley compiles the binary once per test run. PARLEY_E2E_BIN runs
// the tests against a binary built elsewhere (say, from main, to see a
// test fail on the code before a fix).
var buildParley = sync.OnceValues(func() (string, error) {
	if bin := os.Getenv("PARLEY_E2E_BIN"); bin != "" {
		return bin, nil
	}
	dir, err := os.MkdirTemp("", "parley-e2e-")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "parley")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		return "", &buildError{string(out), err}
	}
	return bin, nil
})

type buildError struct {
	out string
	err error
}

func (e *buildError) Error() string { return e.err.Error() + "\n" + e.out }

func parleyBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test builds the binary")
	}
	bin, err := buildParley()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// startMockServer runs `parley mock-server` and returns its base URL.
func startMockServer(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"mock-server"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cancel(); cmd.Wait() })
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("mock-server printed no URL: %v", err)
	}
	return strings.TrimSpace(line)
}

// term is a running parley in a pseudo-terminal with an emulated screen.
type term struct {
	t    *testing.T
	cmd  *exec.Cmd
	pty  *os.File
	mu   sync.Mutex
	emu  *vt.Emulator
	done chan struct{}
	// raw is every byte the program wrote (up to maxRaw), for what the
	// emulator does not show (an OSC 52 clipboard write, the modes it
	// asked for, escape sequences it ignored).
	raw []byte
}

// maxRaw bounds what a term keeps of parley's raw output.
const maxRaw = 64 << 20

func startParley(t *testing.T, bin string, env []string, args ...string) *term {
	t.Helper()
	return startParleySized(t, bin, 120, 40, env, args...)
}

// startParleySized runs parley in a terminal of cols×rows.
func startParleySized(t *testing.T, bin string, cols, rows int, env []string, args ...string) *term {
	t.Helper()
	return startParleyCmdSized(t, exec.Command(bin, args...), cols, rows, env)
}

// startParleyCmd runs cmd (its SysProcAttr set as a test needs: another
// user, say) in a 120x40 pseudo-terminal, with env over a pinned environment.
func startParleyCmd(t *testing.T, cmd *exec.Cmd, env []string) *term {
	t.Helper()
	return startParleyCmdSized(t, cmd, 120, 40, env)
}

func startParleyCmdSized(t *testing.T, cmd *exec.Cmd, cols, rows int, env []string) *term {
	t.Helper()
	cmd.Env = append([]string{"TERM=xterm-256color", "HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}, env...)
	f, err := pty.StartWithSize(cmd, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)})
	if err != nil {
		t.Fatal(err)
	}
	tm := &term{t: t, cmd: cmd, pty: f, emu: vt.NewEmulator(cols, rows), done: make(chan struct{})}
	go func() { // screen output into the emulator
		defer close(tm.done)
		buf := make([]byte, 32<<10)
		for {
			n, err := f.Read(buf)
			if n > 0 {
				tm.mu.Lock()
				tm.emu.Write(buf[:n])
				if len(tm.raw)+n <= maxRaw {
					tm.raw = append(tm.raw, buf[:n]...)
				}
				tm.mu.Unlock()
			}
			if err != nil {
				return
			}
		}
	}()
	answers := make(chan struct{})
	var stopping atomic.Bool
	go func() { // the emulator's answers to terminal queries
		defer close(answers)
		buf := make([]byte, 1024)
		for !stopping.Load() {
			n, err := tm.emu.Read(buf)
			if n > 0 {
				f.Write(buf[:n])
			}
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		f.Close()
		<-tm.done // nothing writes to the emulator any more
		// The emulator's Close and Read share an unguarded flag, so Close
		// must wait for the reader to stop: wake it with an empty write,
		// then close (which also ends that write if the reader had gone).
		stopping.Store(true)
		go tm.emu.InputPipe().Write(nil)
		<-answers
		tm.emu.Close()
	})
	return tm
}

// output is everything the program wrote so far.
func (tm *term) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return string(tm.raw)
}

func (tm *term) screen() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.emu.String()
}

// waitFor polls the screen until it shows every string.
func (tm *term) waitFor(wants ...string) string {
	tm.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		s := tm.screen()
		ok := true
		for _, w := range wants {
			if !strings.Contains(s, w) {
				ok = false
				break
			}
		}
		if ok {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("screen never showed %q; it shows:\n%s", wants, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// resize changes the terminal's size, as a user dragging the window does.
func (tm *term) resize(cols, rows int) {
	tm.mu.Lock()
	tm.emu.Resize(cols, rows)
	tm.mu.Unlock()
	if err := pty.Setsize(tm.pty, &pty.Winsize{Cols: uint16(cols), Rows: uint16(rows)}); err != nil {
		tm.t.Fatal(err)
	}
}

// exited waits for the program to end.
func (tm *term) exited(within time.Duration) bool {
	select {
	case <-tm.done:
		return true
	case <-time.After(within):
		return false
	}
}

func (tm *term) send(s string) {
	if _, err := tm.pty.WriteString(s); err != nil {
		tm.t.Fatal(err)
	}
}

// paste sends s as a terminal pastes it: bracketed, which Parley asks for.
func (tm *term) paste(s string) { tm.send("\x1b[200~" + s + "\x1b[201~") }

func TestE2EChatAgainstMockServer(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--speed", "20")
	tm := startParley(t, bin, []string{"OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + url}, "--model", "parley-mock-1")
	tm.waitFor("Ask anything", "● ready")

	// Markdown: the table is drawn, not shown as pipes.
	tm.send("show me some markdown with a table")
	tm.send("\r")
	tm.waitFor("● done")
	tm.send("\x1b[1;5H") // ctrl+home: back to the top of the transcript
	s := tm.waitFor("You", "show me some markdown with a table", "┼")
	if strings.Contains(s, "|---") {
		t.Errorf("the table was not rendered:\n%s", s)
	}
	if strings.Contains(s, "```") {
		t.Errorf("a code fence is shown raw:\n%s", s)
	}
	if !strings.Contains(s, "in ") || !strings.Contains(s, "out ") {
		t.Errorf("no token counts in the status bar:\n%s", s)
	}

	tm.send("\x1b[1;5F") // ctrl+end: follow the bottom again

	// Reasoning: a collapsed line with the token count, expanded by ctrl+t.
	tm.send("think about why streams stop\r")
	s = tm.waitFor("▸ Thought for", "reasoning tokens", "● done")
	tm.send("\x14") // ctrl+t
	tm.waitFor("▾ Thought for", "│ ")
	tm.send("\x14")
	tm.waitFor("▸ Thought for")

	// Tools: a card per call with its arguments pretty-printed; Parley
	// offers no tool of those names, so each says so instead of asking.
	tm.send("use tools to get the weather\r")
	s = tm.waitFor("Tool calls · 2", "get_weather function", `"city":`, "● not offered")
	if !strings.Contains(s, "search_docs") {
		t.Errorf("second call missing:\n%s", s)
	}
	time.Sleep(time.Second) // a ctrl+c just after a reply ends is taken as meant for it
	tm.send("\x03")         // ctrl+c quits when idle
	select {
	case <-tm.done:
	case <-time.After(5 * time.Second):
		t.Fatal("ctrl+c did not quit")
	}
}

func TestE2EFaultShowsErrorAndKeepsPrompt(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	tm := startParley(t, bin, []string{"OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + url}, "--model", "fault:401")
	tm.waitFor("Ask anything")
	tm.send("please keep this prompt\r")
	s := tm.waitFor("● error", "ctrl+r retries")
	if !strings.Contains(s, "Incorrect API key") {
		t.Errorf("the server's message is not shown:\n%s", s)
	}
	// The prompt is back in the input box (between its borders).
	lines := strings.Split(s, "\n")
	found := false
	for _, l := range lines {
		if strings.HasPrefix(strings.TrimSpace(l), "│ please keep this prompt") {
			found = true
		}
	}
	if !found {
		t.Errorf("the prompt is not back in the input:\n%s", s)
	}
}

func TestE2EDemoBackendWithoutKey(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParley(t, bin, nil)
	tm.waitFor("demo backend: set OPENAI_API_KEY to talk to a real model", "parley-mock-1")
	tm.send("think about it\r")
	tm.waitFor("Thinking…")
}

func TestE2EReplayShowsARecording(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParley(t, bin, nil, "--replay", "testdata/streams/responses-web-search-1.sse")
	tm.waitFor("Replaying testdata/streams/responses-web-search-1.sse")
	tm.send("weather?\r")
	tm.waitFor("San Francisco weather today", "web search", "● done", "in 9,463", "(8,320 cached)")
}

func TestE2EEditorEditsTheDraft(t *testing.T) {
	bin := parleyBinary(t)
	dir := t.TempDir()
	editor := filepath.Join(dir, "editor.sh")
	// An editor that appends a line to whatever draft it is given.
	script := "#!/bin/sh\nprintf ' and more from the editor' >> \"$1\"\n"
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	tm := startParley(t, bin, []string{"EDITOR=" + editor, "VISUAL="})
	tm.waitFor("Ask anything")
	tm.send("draft text")
	tm.waitFor("draft text")
	tm.send("\x0f") // ctrl+o
	tm.waitFor("draft text and more from the editor")
}

func TestE2EPickerSwitchesModel(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--speed", "20")
	tm := startParley(t, bin, []string{"OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + url}, "--model", "parley-mock-1")
	tm.waitFor("● ready parley-mock-1")
	tm.send("\x0c") // ctrl+l
	tm.waitFor("Choose a model", "parley-mock-reasoning")
	tm.send("reas")
	tm.send("\r")
	tm.waitFor("● ready parley-mock-reasoning")
	// "hello" names no script, so only the model can make this a
	// reasoning reply: the request used the model chosen in the picker.
	tm.send("hello\r")
	tm.waitFor("Thought for", "● done parley-mock-reasoning")
}

func TestE2EDemoToolLoop(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParley(t, bin, nil)
	tm.waitFor("demo backend")
	tm.send("use the calculator tool please\r")
	tm.waitFor("calculator function", `"expression": "(2+3)*4^2"`, "needs approval", "Run calculator?", "y allow once")
	time.Sleep(guardWait)
	tm.send("y")
	tm.waitFor("Run clock?")
	time.Sleep(guardWait)
	tm.send("y")
	s := tm.waitFor("⚙ calculator ✓", "→ 80", "Thanks, I have the tool results", "● done")
	if !strings.Contains(s, "→ result") {
		t.Errorf("the card does not show the result:\n%s", s)
	}
}

func TestE2ESessionsSwitchAndSearch(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--speed", "20")
	home := t.TempDir()
	env := []string{"OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + url, "HOME=" + home}
	tm := startParley(t, bin, env, "--model", "parley-mock-1")
	tm.waitFor("● ready")
	tm.send("think about why streams stop\r")
	tm.waitFor("● done", "Thought for")
	tm.send("\x0e") // ctrl+n: a new session
	tm.waitFor("● ready")
	tm.send("show me some markdown\r")
	tm.waitFor("● done")
	tm.send("\x1b[1;3A") // alt+up: the older session, the first one
	tm.waitFor("Opened “think about why streams stop”")
	tm.send("\x13") // ctrl+s
	tm.waitFor("Sessions", "think about why streams stop", "show me some markdown")
	tm.send("\t") // full-text search
	tm.send("incremental")
	tm.waitFor("Search all messages", "show me some markdown · assistant")
	tm.send("\r")
	tm.waitFor("Opened “show me some markdown”")
	time.Sleep(time.Second) // past the window where ctrl+c is taken as meant for the reply
	tm.send("\x03")
	select {
	case <-tm.done:
	case <-time.After(5 * time.Second):
		t.Fatal("ctrl+c did not quit")
	}
	// A second run continues where the first left off.
	tm2 := startParley(t, bin, env, "--continue")
	tm2.waitFor("show me some markdown")
}

// quit ends parley with ctrl+c once the moment after a reply has passed
// (a ctrl+c just after a reply ends is taken as meant for that reply).
func (tm *term) quit() {
	tm.t.Helper()
	time.Sleep(1100 * time.Millisecond)
	tm.send("\x03")
	if !tm.exited(5 * time.Second) {
		tm.t.Fatalf("ctrl+c did not quit:\n%s", tm.screen())
	}
}

// recordingServer is an instant mock server in this process, so a test can
// read the requests Parley sent it.
func recordingServer(t *testing.T) (*mock.Server, []string) {
	t.Helper()
	srv, err := mock.New(mock.Options{Instant: true})
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, []string{"OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + url}
}

// lastBody is the last request's body, decoded.
func lastBody(t *testing.T, srv *mock.Server) map[string]any {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	var body map[string]any
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil {
		t.Fatal(err)
	}
	return body
}
