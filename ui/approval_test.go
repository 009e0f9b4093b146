package ui

import (
	"context"
	"strings"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
)

// ranTool is a tool that records the arguments it ran with.
type ranTool struct {
	mu   sync.Mutex
	args []string
}

func (r *ranTool) registry(names ...string) *tools.Registry {
	var ts []tools.Tool
	for _, n := range names {
		ts = append(ts, tools.Tool{Spec: stream.ToolSpec{Name: n}, Run: func(_ context.Context, args string) tools.Result {
			r.mu.Lock()
			r.args = append(r.args, args)
			r.mu.Unlock()
			return tools.Result{Output: "done"}
		}})
	}
	return tools.NewRegistry(ts...)
}

func (r *ranTool) ran() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.args...)
}

// toolCall is a whole call as a stream sends it, with the arguments it
// streamed and the final ones.
func toolCall(id, name, streamed, final string) []stream.Choice {
	ref := stream.ToolRef{ItemID: id, CallID: "call_" + id, Name: name, Kind: stream.ToolFunction}
	done := ref
	done.Arguments = final
	return []stream.Choice{{Kind: stream.KindToolStart, Tool: &ref},
		{Kind: stream.KindToolArgs, Delta: streamed, Tool: &stream.ToolRef{ItemID: id}},
		{Kind: stream.KindToolDone, Tool: &done}}
}

// runResults runs what a decision started and feeds back the results.
func runResults(m *Model, cmd tea.Cmd) {
	for _, msg := range runBatch(cmd) {
		m.Update(msg)
	}
}

// Typed prose never decides a call: the repro types "hello" and "can"
// while the prompt shows; every letter lands in the input.
func TestTypingNeverDecides(t *testing.T) {
	rt := &ranTool{}
	m, c := newTestModel(t, 120, 30, Deps{Tools: rt.registry("calculator", "clock")})
	sendPrompt(t, m, "use the calculator")
	c.advance(2 * inputIdle)
	cs := append(toolCall("fc_1", "calculator", `{"expression":"2+2"}`, `{"expression":"2+2"}`),
		toolCall("fc_2", "clock", `{}`, `{}`)...)
	feed(m, c.t, append(cs, done(stream.StatusCompleted))...)
	if !promptOpen(m) {
		t.Fatal("the prompt did not take the focus of an idle, empty input")
	}
	c.advance(2 * approvalGuard) // long enough that choices would count
	typeText(m, "hello can")
	if got := m.input.Value(); got != "hello can" {
		t.Fatalf("input %q, want every letter typed", got)
	}
	if _, n := m.chat.Pending(); n != 2 || len(rt.ran()) != 0 || promptOpen(m) {
		t.Fatalf("typing decided: %d pending, ran %v, prompt open %v", n, rt.ran(), promptOpen(m))
	}
	if all, names := m.chat.AutoApproved(); all || len(names) != 0 {
		t.Fatalf("typing allowed %v for the session", names)
	}
	// With a draft, the focus key reviews the calls; the draft stays.
	press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	if !promptOpen(m) || m.input.Value() != "hello can" {
		t.Fatal("tab did not open the prompt over the draft")
	}
}

// The prompt shows the final arguments, whole, says they changed, and runs
// exactly them; at 80x24 and 60x20 everything needed to decide is on
// screen.
func TestApprovalShowsWhatRuns(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		rt := &ranTool{}
		m, c := newTestModel(t, size[0], size[1], Deps{Tools: rt.registry("echo")})
		sendPrompt(t, m, "say hello")
		c.advance(2 * inputIdle)
		final := `{"msg": "rm -rf ~ EXECUTED-FINAL"}`
		feed(m, c.t, append(toolCall("fc_1", "echo", `{"msg": "hello"}`, final), done(stream.StatusCompleted))...)
		s := screen(m)
		mustContain(t, s, "Run echo?", "final arguments differ", `"msg": "rm -rf ~ EXECUTED-FINAL"`, "y allow once", "n deny")
		mustNotContain(t, s, `"msg": "hello"`)
		c.advance(approvalGuard)
		runResults(m, press(m, tea.KeyPressMsg{Code: 'y', Text: "y"}))
		if got := rt.ran(); len(got) != 1 || got[0] != final {
			t.Fatalf("%dx%d: ran %q", size[0], size[1], got)
		}
	}
}

// Long arguments scroll inside the prompt; the choices stay in view.
func TestApprovalArgumentsScroll(t *testing.T) {
	m, c := newTestModel(t, 60, 20, Deps{Tools: (&ranTool{}).registry("write")})
	sendPrompt(t, m, "write a file")
	c.advance(2 * inputIdle)
	var b strings.Builder
	b.WriteString(`{"lines": [`)
	for i := range 40 {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString(`"line ` + itoa(i) + `"`)
	}
	b.WriteString(`]}`)
	feed(m, c.t, append(toolCall("fc_1", "write", b.String(), b.String()), done(stream.StatusCompleted))...)
	s := screen(m)
	mustContain(t, s, `"line 0"`, "↓ arguments: lines 1–", "y allow once")
	mustNotContain(t, s, `"line 39"`)
	for range 50 {
		press(m, tea.KeyPressMsg{Code: tea.KeyDown})
	}
	s = screen(m)
	mustContain(t, s, `"line 39"`, "y allow once")
}

// "Allow for the session" lasts until the session changes, and the status
// bar says which tools run without asking.
func TestSessionApprovalIsForgottenOnNewSession(t *testing.T) {
	rt := &ranTool{}
	m, c := newTestModel(t, 120, 30, Deps{Tools: rt.registry("clock"), Store: tempStore(t)})
	sendPrompt(t, m, "time?")
	c.advance(2 * inputIdle)
	feed(m, c.t, append(toolCall("fc_1", "clock", `{}`, `{}`), done(stream.StatusCompleted))...)
	c.advance(approvalGuard)
	runResults(m, press(m, tea.KeyPressMsg{Code: 'a', Text: "a"}))
	mustContain(t, screen(m), "auto-approved: clock")
	feed(m, c.t, text("It is noon."), done(stream.StatusCompleted))
	runResults(m, press(m, ctrl('n')))
	mustNotContain(t, screen(m), "auto-approved")
	if _, names := m.chat.AutoApproved(); len(names) != 0 {
		t.Fatalf("a new session kept %v", names)
	}
}

// A paste is typing: over the approval prompt it goes to the input, and
// no key of the prompt applies to a pane under it.
func TestPasteOverThePromptGoesToTheInput(t *testing.T) {
	rt := &ranTool{}
	m, c := newTestModel(t, 120, 30, Deps{Tools: rt.registry("calculator")})
	sendPrompt(t, m, "go")
	c.advance(2 * inputIdle)
	feed(m, c.t, append(toolCall("fc_1", "calculator", `{}`, `{}`), done(stream.StatusCompleted))...)
	if !promptOpen(m) {
		t.Fatal("no prompt")
	}
	press(m, keyEnter) // not a choice, and the input under the prompt takes no keys
	if m.chat.Queued() != 0 || !promptOpen(m) {
		t.Fatal("enter reached the input under the prompt")
	}
	m.Update(tea.PasteMsg{Content: "yes please"})
	if promptOpen(m) || m.input.Value() != "yes please" || len(rt.ran()) != 0 {
		t.Fatalf("paste: prompt open %v, input %q, ran %v", promptOpen(m), m.input.Value(), rt.ran())
	}
}
