package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// stubModel panics where told to.
type stubModel struct{ panicIn string }

func (m stubModel) Init() tea.Cmd { return nil }

func (m stubModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if m.panicIn == "update" {
		panic("boom in update")
	}
	if m.panicIn == "batch" { // deep in a batch, run by Bubble Tea itself
		return m, tea.Batch(nil, tea.Batch(func() tea.Msg { panic("boom in a command") }))
	}
	return m, nil
}

func (m stubModel) View() tea.View {
	if m.panicIn == "view" {
		panic("boom in view")
	}
	return tea.NewView("ok")
}

// runCmd runs a command as Bubble Tea would: batches are opened and each
// of their commands run; it returns the messages that come back.
func runCmd(c tea.Cmd) []tea.Msg {
	if c == nil {
		return nil
	}
	switch msg := c().(type) {
	case tea.BatchMsg:
		var out []tea.Msg
		for _, c := range msg {
			out = append(out, runCmd(c)...)
		}
		return out
	default:
		return []tea.Msg{msg}
	}
}

func TestCrashGuardCatchesPanicsAndQuits(t *testing.T) {
	g := newCrashGuard(stubModel{panicIn: "update"}, "")
	_, cmd := g.Update(tea.KeyPressMsg{})
	if c, ok := g.caught(); !ok || c.value != "boom in update" || !strings.Contains(string(c.trace), "stubModel.Update") {
		t.Fatalf("caught %v %v", c, ok)
	}
	if msgs := runCmd(cmd); len(msgs) != 1 || msgs[0] != (tea.QuitMsg{}) {
		t.Fatalf("after a panic the guard must quit: %v", msgs)
	}
	// Once crashed, the model is not asked again.
	if v := g.View(); v.Content != "" {
		t.Fatalf("view after the crash: %q", v.Content)
	}

	g = newCrashGuard(stubModel{panicIn: "batch"}, "")
	_, cmd = g.Update(tea.KeyPressMsg{})
	msgs := runCmd(cmd)
	if len(msgs) != 1 || msgs[0] != (crashMsg{}) {
		t.Fatalf("a command's panic must come back as crashMsg: %v", msgs)
	}
	if c, ok := g.caught(); !ok || c.value != "boom in a command" {
		t.Fatalf("caught %v %v", c, ok)
	}

	g = newCrashGuard(stubModel{panicIn: "view"}, "")
	quit := make(chan struct{})
	g.rec.quit = func() { close(quit) }
	g.View()
	<-quit
	if c, ok := g.caught(); !ok || c.value != "boom in view" {
		t.Fatalf("caught %v %v", c, ok)
	}
}

// A crash writes its trace to the log and one line to stderr, and exits
// non-zero.
func TestReportCrashLogsTheTrace(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	var errb bytes.Buffer
	code := reportCrash(&errb, "boom \x1b]0;t\x07", []byte("goroutine 1 [running]:\nmain.main()\n"))
	log, _ := os.ReadFile(filepath.Join(state, "parley", "parley.log"))
	if code != exitCrash || strings.Count(errb.String(), "\n") != 1 || strings.Contains(errb.String(), "goroutine") ||
		!strings.Contains(errb.String(), "Parley crashed") || strings.Contains(errb.String(), "\x1b") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(string(log), "goroutine 1 [running]") {
		t.Fatalf("the log has no trace: %s", log)
	}
}
