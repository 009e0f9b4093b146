package main

// End-to-end tests of the command line's own promises: exit codes,
// signals, crashes, colour and the version, run on the real binary.

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// exit waits for the program to end (killing it after 15 s) and for its
// last output to reach the screen, and returns its exit code.
func (tm *term) exit() int {
	tm.t.Helper()
	timer := time.AfterFunc(15*time.Second, func() { tm.cmd.Process.Kill() })
	defer timer.Stop()
	err := tm.cmd.Wait()
	<-tm.done
	var ee *exec.ExitError
	if err != nil && !errors.As(err, &ee) {
		tm.t.Fatal(err)
	}
	return tm.cmd.ProcessState.ExitCode()
}

// colouredCells counts the cells on screen drawn with a colour.
func (tm *term) colouredCells() int {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	n := 0
	for y := range tm.emu.Height() {
		for x := range tm.emu.Width() {
			if c := tm.emu.CellAt(x, y); c != nil && (c.Style.Fg != nil || c.Style.Bg != nil) {
				n++
			}
		}
	}
	return n
}

// A panic restores the terminal, writes the trace to the log and one
// line to stderr, and exits 70; on main it exited 0 with the trace over
// the screen, like a quit.
func TestE2ECLIPanicRestoresTheTerminalAndExitsNonZero(t *testing.T) {
	bin := parleyBinary(t)
	for _, where := range []string{"update", "cmd", "view"} {
		t.Run(where, func(t *testing.T) {
			state := t.TempDir()
			tm := startParley(t, bin, []string{"PARLEY_TEST_PANIC=" + where, "XDG_STATE_HOME=" + state}, "--no-save")
			tm.waitFor("Ask anything")
			tm.send("x")
			if code := tm.exit(); code != 70 {
				t.Fatalf("exit %d, screen:\n%s", code, tm.screen())
			}
			s := tm.screen()
			flat := strings.ReplaceAll(s, "\n", "") // the log's path wraps
			if !strings.Contains(flat, "parley: Parley crashed, which is a bug: injected panic") ||
				!strings.Contains(flat, filepath.Join(state, "parley", "parley.log")) || strings.Contains(s, "goroutine ") {
				t.Fatalf("stderr must be one line pointing to the log:\n%s", s)
			}
			if strings.Contains(s, "Ask anything") {
				t.Fatalf("the chat's screen was left behind:\n%s", s)
			}
			tm.mu.Lock()
			hidden := tm.emu.CursorHidden()
			tm.mu.Unlock()
			if hidden {
				t.Error("the cursor is still hidden: the terminal was not restored")
			}
			log, _ := os.ReadFile(filepath.Join(state, "parley", "parley.log"))
			if !strings.Contains(string(log), "goroutine ") || !strings.Contains(string(log), "injected panic") {
				t.Fatalf("the log has no trace:\n%s", log)
			}
		})
	}
}

// SIGINT stops -p: what arrived is printed, stderr says so, exit 130.
func TestE2ECLIOneShotInterruptedExits130(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	cmd := exec.Command(bin, "-p", "hi", "-m", "fault:stall", "--no-save")
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH"), "OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + url}
	var out, errb syncBuffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	deadline := time.Now().Add(15 * time.Second)
	for out.Len() == 0 { // the stall comes after a few deltas
		if time.Now().After(deadline) {
			t.Fatalf("no output; stderr %q", errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)
	cmd.Process.Signal(os.Interrupt)
	err := cmd.Wait()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 130 {
		t.Fatalf("exit %v, stderr %q", err, errb.String())
	}
	if errb.String() != "parley: interrupted\n" || !strings.HasSuffix(out.String(), "\n") {
		t.Fatalf("stdout %q, stderr %q", out.String(), errb.String())
	}
}

// NO_COLOR with any non-empty value (no-color.org) turns colour off, in
// the chat and in -p on a terminal; without it both are coloured.
func TestE2ECLINoColor(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	for _, v := range []string{"", "yes", "0"} {
		t.Run("NO_COLOR="+v, func(t *testing.T) {
			tm := startParley(t, bin, []string{"NO_COLOR=" + v}, "--no-save")
			tm.waitFor("Ask anything")
			chat := tm.colouredCells()
			tm.send("\x03")
			tm.exit()

			tm = startParley(t, bin, []string{"NO_COLOR=" + v, "OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + url},
				"-p", "show me markdown", "-m", "parley-mock-markdown", "--no-save")
			if code := tm.exit(); code != 0 {
				t.Fatalf("-p: exit %d:\n%s", code, tm.screen())
			}
			oneShot := tm.colouredCells()
			if v == "" && (chat == 0 || oneShot == 0) {
				t.Fatalf("without NO_COLOR there should be colour: chat %d cells, -p %d", chat, oneShot)
			}
			if v != "" && (chat != 0 || oneShot != 0) {
				t.Fatalf("coloured cells: chat %d, -p %d", chat, oneShot)
			}
		})
	}
}

// parley --version names the build: the revision Go stamped, when it did.
func TestE2ECLIVersion(t *testing.T) {
	bin := parleyBinary(t)
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(out), "parley ") {
		t.Fatalf("--version printed %q", out)
	}
	info, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if m := regexp.MustCompile(`vcs\.revision=(\w+)`).FindSubmatch(info); m != nil {
		if !bytes.Contains(out, append([]byte("revision "), m[1]...)) {
			t.Fatalf("--version %q does not name revision %s", out, m[1])
		}
	} else if !bytes.Contains(out, []byte("revision unknown")) {
		t.Fatalf("--version %q claims a revision the build info does not have", out)
	}
}

// syncBuffer is a bytes.Buffer a process may write while the test reads.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Len()
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
