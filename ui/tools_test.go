package ui

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
	"github.com/parley-tui/parley/ui/chat"
)

// driver runs a model the way a program does: commands on goroutines,
// their messages fed back to Update one at a time on the test goroutine.
type driver struct {
	t    *testing.T
	m    *Model
	msgs chan tea.Msg
}

func newDriver(t *testing.T, m *Model) *driver {
	return &driver{t: t, m: m, msgs: make(chan tea.Msg, 64)}
}

func (d *driver) run(cmd tea.Cmd) {
	if cmd != nil {
		go func() { d.msgs <- cmd() }()
	}
}

func (d *driver) press(k tea.KeyPressMsg) { d.run(press(d.m, k)) }

// until feeds messages until cond holds.
func (d *driver) until(what string, cond func() bool) {
	d.t.Helper()
	timeout := time.After(10 * time.Second)
	for !cond() {
		select {
		case msg := <-d.msgs:
			if b, ok := msg.(tea.BatchMsg); ok {
				for _, c := range b {
					d.run(c)
				}
				continue
			}
			_, cmd := d.m.Update(msg)
			d.run(cmd)
		case <-timeout:
			d.t.Fatalf("never reached: %s\n%s", what, screen(d.m))
		}
	}
}

func mockClient(t *testing.T) *stream.Client {
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
	return stream.NewClient(stream.Config{BaseURL: url})
}

func awaiting(m *Model) bool {
	_, n := m.chat.Pending()
	return n > 0
}

// waitingFor is the name of the call that waits for approval, if any.
func waitingFor(m *Model) string {
	if c, _ := m.chat.Pending(); c != nil {
		return c.Ref.Name
	}
	return ""
}

// promptOpen reports whether the approval prompt has the focus.
func promptOpen(m *Model) bool {
	_, ok := m.overlays.top().(*approvalPrompt)
	return ok
}

// decideWith focuses the approval prompt if it is not, waits out its
// guard, and presses a choice key.
func decideWith(d *driver, c *clock, k rune) {
	d.t.Helper()
	if !promptOpen(d.m) {
		d.press(tea.KeyPressMsg{Code: tea.KeyTab})
		if !promptOpen(d.m) {
			d.t.Fatalf("tab did not focus the approval prompt:\n%s", screen(d.m))
		}
	}
	c.advance(approvalGuard)
	d.press(tea.KeyPressMsg{Code: k, Text: string(k)})
}

func idle(m *Model) func() bool { return func() bool { return !m.chat.Busy() } }

func toolMessages(c *model.Conversation) []*model.Message {
	var out []*model.Message
	for _, m := range c.Messages {
		if m.Role == model.RoleTool {
			out = append(out, m)
		}
	}
	return out
}

func TestToolLoopWithApproval(t *testing.T) {
	at := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	m, c := newTestModel(t, 140, 40, Deps{Client: mockClient(t), Model: "parley-mock-1",
		Tools: tools.NewRegistry(tools.Demo(func() time.Time { return at })...)})
	d := newDriver(t, m)
	typeText(m, "calculate something")
	d.press(keyEnter)
	c.advance(2 * inputIdle) // the user leaves the input alone while the reply streams
	d.until("the first call asks for approval", func() bool { return awaiting(m) })
	s := screen(m)
	mustContain(t, s, "Run calculator? function · 26 B · 2 calls wait", `"expression": "(2+3)*4^2"`,
		"y allow once · a allow calculator for this session · n deny · esc back to the input", "approval:")
	if !promptOpen(m) {
		t.Fatal("the approval prompt did not take the focus of an idle, empty input")
	}
	// A choice pressed as the prompt appears is typing, not a decision.
	d.press(tea.KeyPressMsg{Code: 'y', Text: "y"})
	if waitingFor(m) != "calculator" || promptOpen(m) || m.input.Value() != "y" {
		t.Fatalf("y within the guard: waiting for %q, prompt open %v, input %q", waitingFor(m), promptOpen(m), m.input.Value())
	}
	press(m, tea.KeyPressMsg{Code: tea.KeyBackspace})
	decideWith(d, c, 'y') // calculator, once
	d.until("the clock asks", func() bool { return waitingFor(m) == "clock" })
	decideWith(d, c, 'a') // clock, for the session
	d.until("the answer after the tools", func() bool {
		return !m.chat.Busy() && m.chat.Conversation().Last().Role == model.RoleAssistant && m.chat.Conversation().Last().Turn.Text != ""
	})
	res := toolMessages(m.chat.Conversation())
	if len(res) != 2 || res[0].Text != "80" || res[0].ToolFailed || !strings.Contains(res[1].Text, "Europe") && !strings.Contains(res[1].Text, "CET") {
		t.Fatalf("tool results = %+v %+v", res[0], res[1])
	}
	final := m.chat.Conversation().Last().Turn.Text
	if !strings.Contains(final, "80") {
		t.Fatalf("the answer does not use the result: %q", final)
	}
	s = screen(m)
	mustContain(t, s, "⚙ calculator ✓", "→ 80", "● done", "→ result", "auto-approved: clock")
	if m.focus != focusInput || m.overlays.top() != nil {
		t.Fatal("focus did not return to the input")
	}

	// Next prompt: the clock is allowed for the session, the calculator is not.
	typeText(m, "calculate again")
	d.press(keyEnter)
	d.until("approval again", func() bool { return awaiting(m) })
	if _, n := m.chat.Pending(); waitingFor(m) != "calculator" || n != 1 {
		t.Fatalf("session approval: waiting for %q (%d), want the calculator alone", waitingFor(m), n)
	}
	decideWith(d, c, 'n')
	d.until("idle", idle(m))
	res = toolMessages(m.chat.Conversation())
	if len(res) != 4 || res[2].Text != "The user denied this tool call." || !res[2].ToolFailed {
		t.Fatalf("denied result = %+v", res[2])
	}
	if !strings.Contains(m.chat.Conversation().Last().Turn.Text, "denied") {
		t.Fatalf("the model was not told of the denial: %q", m.chat.Conversation().Last().Turn.Text)
	}
}

func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tool.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func commandTool(name, path string, timeout time.Duration) tools.Tool {
	return tools.Command(tools.CommandSpec{Spec: stream.ToolSpec{Name: name}, Argv: []string{path}, Timeout: timeout})
}

func TestToolLoopFailingAndTimedOutCommands(t *testing.T) {
	reg := tools.NewRegistry(
		commandTool("calculator", script(t, "echo 'bad input' >&2; exit 3"), 0),
		commandTool("clock", script(t, "sleep 5"), 200*time.Millisecond),
	)
	m, _ := newTestModel(t, 140, 40, Deps{Client: mockClient(t), Model: "parley-mock-1", Tools: reg, Yolo: true})
	d := newDriver(t, m)
	typeText(m, "calculate")
	d.press(keyEnter)
	d.until("the answer", func() bool {
		return !m.chat.Busy() && len(toolMessages(m.chat.Conversation())) == 2 && m.chat.Conversation().Last().Role == model.RoleAssistant
	})
	res := toolMessages(m.chat.Conversation())
	if !res[0].ToolFailed || !strings.Contains(res[0].Text, "status 3") || !strings.Contains(res[0].Text, "bad input") {
		t.Errorf("failing command: %+v", res[0])
	}
	if !res[1].ToolFailed || !strings.Contains(res[1].Text, "timed out after 200ms") {
		t.Errorf("timeout: %+v", res[1])
	}
	mustContain(t, screen(m), "⚙ calculator ✗", "⚙ clock ✗", "● failed")
}

func TestToolRunCancelledByEsc(t *testing.T) {
	reg := tools.NewRegistry(commandTool("calculator", script(t, "sleep 10"), 0), commandTool("clock", script(t, "sleep 10"), 0))
	m, c := newTestModel(t, 140, 40, Deps{Client: mockClient(t), Model: "parley-mock-1", Tools: reg, Yolo: true})
	d := newDriver(t, m)
	typeText(m, "calculate")
	d.press(keyEnter)
	d.until("running", func() bool {
		calls := m.chat.Calls()
		return len(calls) == 2 && calls[1].Status == chat.CallRunning
	})
	mustContain(t, screen(m), "● running")
	start := time.Now()
	d.press(keyEsc)
	c.advance(100 * time.Millisecond)
	d.press(keyEsc)
	d.until("cancelled", idle(m))
	if time.Since(start) > 5*time.Second {
		t.Fatal("cancel did not end the running commands")
	}
	res := toolMessages(m.chat.Conversation())
	if len(res) != 2 || res[0].Text != "The call was cancelled." {
		t.Fatalf("results = %+v", res)
	}
	if m.chat.Conversation().Last().Role != model.RoleTool || m.chat.State() != chat.StateCancelled {
		t.Fatalf("a request followed the cancel: last %s, state %s", m.chat.Conversation().Last().Role, m.chat.State())
	}
}

// loopingServer answers every request with one function call, like a model
// that never stops calling tools.
func loopingServer(t *testing.T) *stream.Client {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Header().Set("Content-Type", "text/event-stream")
		id := "fc_" + itoa(n)
		io.WriteString(w, `data: {"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"`+id+`","call_id":"call_`+itoa(n)+`","name":"calculator","arguments":""}}`+"\n\n"+
			`data: {"type":"response.function_call_arguments.done","item_id":"`+id+`","output_index":0,"arguments":"{\"expression\":\"1+1\"}"}`+"\n\n"+
			`data: {"type":"response.completed","response":{"id":"r","model":"m","status":"completed"}}`+"\n\n")
	}))
	t.Cleanup(srv.Close)
	return stream.NewClient(stream.Config{BaseURL: srv.URL})
}

func TestToolStepLimit(t *testing.T) {
	m, _ := newTestModel(t, 140, 40, Deps{Client: loopingServer(t), Model: "m", Yolo: true, MaxSteps: 3,
		Tools: tools.NewRegistry(tools.Demo(time.Now)...)})
	d := newDriver(t, m)
	typeText(m, "loop")
	d.press(keyEnter)
	d.until("the step limit", func() bool { return !m.chat.Busy() && len(toolMessages(m.chat.Conversation())) == 3 })
	mustContain(t, screen(m), "Stopped after 3 tool steps")
	if m.chat.Conversation().Last().Role != model.RoleTool {
		t.Fatal("a request was sent past the step limit")
	}
}

func TestDenyingTheLastCallEndsThePhase(t *testing.T) {
	reg := tools.NewRegistry(tools.Demo(time.Now)[0]) // the calculator alone
	m, c := newTestModel(t, 140, 40, Deps{Client: mockClient(t), Model: "parley-mock-1", Tools: reg})
	d := newDriver(t, m)
	typeText(m, "calculate")
	d.press(keyEnter)
	d.until("approval", func() bool { return awaiting(m) })
	decideWith(d, c, 'n')
	d.until("the answer", func() bool { return !m.chat.Busy() && m.chat.Conversation().Last().Role == model.RoleAssistant })
	if res := toolMessages(m.chat.Conversation()); len(res) != 1 || !res[0].ToolFailed {
		t.Fatalf("results = %+v", res)
	}
}

func TestDeniedCardSaysDenied(t *testing.T) {
	reg := tools.NewRegistry(tools.Demo(time.Now)[0])
	m, c := newTestModel(t, 140, 40, Deps{Client: mockClient(t), Model: "parley-mock-1", Tools: reg})
	d := newDriver(t, m)
	typeText(m, "calculate")
	d.press(keyEnter)
	d.until("approval", func() bool { return awaiting(m) })
	decideWith(d, c, 'n')
	d.until("idle", idle(m))
	s := screen(m)
	mustContain(t, s, "● denied", "⚙ calculator ⊘ denied")
	// Once in the card (no result body repeating it), once in the transcript.
	if strings.Count(s, "● denied") != 1 || strings.Count(s, "⊘ denied") != 1 || strings.Contains(s, "→ result") {
		t.Errorf("the denial is not shown once in each place:\n%s", s)
	}
}
