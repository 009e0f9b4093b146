package cli

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/charmbracelet/x/vt"
	"github.com/creack/pty"
)

// runWithTerminalStderr runs parley with stderr on a pseudo-terminal (of
// type termName) and stdout in a buffer; it returns stdout, the bytes
// written to the terminal, and the terminal's screen when the command
// ended.
func runWithTerminalStderr(t *testing.T, termName string, args ...string) (code int, stdout, raw, screen string) {
	t.Helper()
	t.Setenv("TERM", termName)
	master, tty, err := pty.Open()
	if err != nil {
		t.Skip("no pseudo-terminal:", err)
	}
	defer master.Close()
	pty.Setsize(tty, &pty.Winsize{Cols: 100, Rows: 10})
	var rawb bytes.Buffer
	var wg sync.WaitGroup
	wg.Go(func() { io.Copy(&rawb, master) })
	var out bytes.Buffer
	code = Execute(args, strings.NewReader(""), &out, tty)
	tty.Close()
	wg.Wait()
	emu := vt.NewEmulator(100, 10)
	defer emu.Close()
	emu.Write(rawb.Bytes())
	return code, out.String(), rawb.String(), emu.String()
}

// On a terminal, stderr shows what -p waits for, and nothing of it is
// left when the answer is printed.
func TestOneShotProgressOnATerminalIsShownThenErased(t *testing.T) {
	oneShotMock(t)
	code, stdout, raw, screen := runWithTerminalStderr(t, "xterm-256color",
		"-p", "use the calculator", "--config", calcConfig(t, true), "--no-save")
	if code != exitOK || !strings.Contains(stdout, "> 80") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, raw)
	}
	for _, want := range []string{"waiting for gpt-5-mini", "preparing a call to calculator", "running calculator",
		"ran calculator · waiting for gpt-5-mini"} {
		if !strings.Contains(raw, want) {
			t.Errorf("the progress never said %q: %q", want, raw)
		}
	}
	if strings.TrimSpace(screen) != "" {
		t.Errorf("the progress line was left on the terminal:\n%s", screen)
	}

	code, _, raw, screen = runWithTerminalStderr(t, "xterm-256color", "-p", "think about it", "-m", "parley-mock-reasoning", "--no-save")
	if code != exitOK || !strings.Contains(raw, "thinking") || strings.TrimSpace(screen) != "" {
		t.Errorf("reasoning: exit %d, raw %q, screen %q", code, raw, screen)
	}
}

// With stdout a pipe and stderr the terminal, the progress line is gone
// once the answer flows, and not drawn again while it does: the pipe's
// reader may be printing on that terminal (parley -p … | grep …), and a
// spinner drawn over it left fragments in its output.
func TestOneShotProgressStopsWhenTheAnswerFlowsIntoAPipe(t *testing.T) {
	oneShotMock(t)
	code, stdout, raw, screen := runWithTerminalStderr(t, "xterm-256color", "-p", "show me some markdown", "--no-save")
	if code != exitOK || !strings.Contains(stdout, "That's the tour") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, raw)
	}
	if !strings.Contains(raw, "waiting for") {
		t.Errorf("no progress while it waited: %q", raw)
	}
	if strings.Contains(raw, "writing the answer") {
		t.Errorf("the progress line was drawn while the answer flowed: %q", raw)
	}
	if strings.TrimSpace(screen) != "" {
		t.Errorf("the progress line was left on the terminal:\n%s", screen)
	}
}

// A retry shows its reason, which attempt of how many, and a countdown.
func TestOneShotProgressShowsRetries(t *testing.T) {
	oneShotMock(t)
	code, stdout, raw, _ := runWithTerminalStderr(t, "xterm-256color", "-p", "hi", "-m", "fault:429x1", "--no-save")
	if code != exitOK || stdout == "" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, stdout, raw)
	}
	if !strings.Contains(raw, "HTTP 429: retry 1 of 3 in 1 s") {
		t.Fatalf("no retry countdown in %q", raw)
	}
}

// When stderr is not a terminal, or is one that cannot erase a line
// (TERM=dumb), it holds only real messages.
func TestOneShotNoProgressWhenStderrCannotShowIt(t *testing.T) {
	oneShotMock(t)
	args := []string{"-p", "use the calculator", "--config", calcConfig(t, true), "--no-save"}
	var out, errb bytes.Buffer
	if code := Execute(args, strings.NewReader(""), &out, &errb); code != exitOK || errb.Len() != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if code, _, raw, _ := runWithTerminalStderr(t, "dumb", args...); code != exitOK || raw != "" {
		t.Fatalf("TERM=dumb: exit %d, stderr %q", code, raw)
	}
}
