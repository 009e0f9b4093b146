package chat

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
)

// request runs a turn's command far enough to see the request it sends.
func request(t *testing.T, s *silent, c *Controller) stream.Request {
	t.Helper()
	go runAll(t, c, c.startTurnCmd())
	deadline := time.Now().Add(3 * time.Second)
	for {
		s.mu.Lock()
		n := len(s.reqs)
		s.mu.Unlock()
		if n > 0 {
			s.mu.Lock()
			defer s.mu.Unlock()
			return s.reqs[n-1]
		}
		if time.Now().After(deadline) {
			t.Fatal("no request was sent")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A model the catalog knows takes no reasoning effort is sent none, while
// the session keeps the effort chosen for the models that take one.
func TestEffortOnlyForReasoningModels(t *testing.T) {
	for _, tc := range []struct{ model, want string }{{"gpt-4.1", ""}, {"deepseek-chat", ""}, {"gpt-5", "high"}, {"my-own-model", "high"}} {
		s := &silent{}
		c := newController(t, Config{Client: s, Model: tc.model, Effort: "high"})
		submit(t, c, "hi")
		if req := request(t, s, c); req.ReasoningEffort != tc.want {
			t.Errorf("%s: request effort %q, want %q", tc.model, req.ReasoningEffort, tc.want)
		}
		if c.Effort() != "high" {
			t.Errorf("%s: the session's effort became %q", tc.model, c.Effort())
		}
	}
}

// A call left without a result (a session written by a Parley that was
// killed while it waited for approval, loaded as it is) gets "interrupted
// before it ran" before the next request, on screen, in the request and
// in the store.
func TestRepairBeforeEachRequest(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	// What the killed Parley left: a reply whose call has no result.
	w := store.NewSessionWriter(st, store.Session{Title: "killed"})
	prompt := &model.Message{Role: model.RoleUser, Text: "what time is it", Sent: at}
	w.UserSent(prompt)
	reply := &model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn(), Sent: at}
	for _, ch := range []stream.Choice{call("fc_1", "call_1", "clock"), argsDone("fc_1", "call_1", "clock", "{}"), done(stream.StatusCompleted)} {
		reply.Turn.Add(ch)
	}
	w.AssistantFinished(reply)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	sess, msgs, err := st.LoadSession(context.Background(), w.SessionID())
	if err != nil {
		t.Fatal(err)
	}

	s := &silent{}
	c := newController(t, Config{Client: s, Store: st})
	c.Show(&OpenSession{Session: sess, Messages: msgs})
	v := c.Version()
	submit(t, c, "never mind")
	if c.Version() == v {
		t.Fatal("the repair did not reach the screen")
	}
	var repaired *model.Message
	for _, m := range c.Messages() {
		if m.Role == model.RoleTool && m.CallID == "call_1" {
			repaired = m
		}
	}
	if repaired == nil || repaired.Text != model.InterruptedOutput || !repaired.ToolFailed {
		t.Fatalf("no interrupted result among %q", texts(c))
	}
	req := request(t, s, c)
	found := false
	for _, it := range req.Input {
		found = found || it.Role == "tool" && it.CallID == "call_1" && it.Text == model.InterruptedOutput
	}
	if !found {
		t.Fatalf("the request carries no result for call_1: %+v", req.Input)
	}
	c.Cancel()
	c.closeWriter()()
	_, msgs, err = st.LoadSession(context.Background(), sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	saved := false
	for _, sm := range msgs {
		for _, tc := range sm.ToolCalls {
			saved = saved || tc.CallID == "call_1" && tc.Output == model.InterruptedOutput
		}
	}
	if !saved {
		t.Fatalf("the repair was not saved: %+v", msgs)
	}
}

// startTurnCmd is the command that sends the request of the reply in
// flight, for tests that look at the request.
func (c *Controller) startTurnCmd() tea.Cmd { return c.turn.start }

// The chat records the choices it runs with as they change, and a session
// opened again goes on with them, on the provider it ran with.
func TestChoicesAreSavedAndRestored(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other := &silent{}
	c := newController(t, Config{Store: st, Provider: "work", ClientFor: func(p string) (Streamer, error) {
		if p != "home" {
			t.Errorf("a client for %q", p)
		}
		return other, nil
	}})
	submit(t, c, "hello")
	feed(c, text("hi"), done(stream.StatusCompleted))
	c.SetEffort("low")
	c.SetRole("reviewer", "You review code.")
	id := c.Session().ID
	c.closeWriter()()
	sess, msgs, err := st.LoadSession(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	want := store.Choices{Provider: "work", Model: "gpt-5", Effort: "low", Role: "reviewer", Instructions: "You review code."}
	if got := sess.Choices(); got != want {
		t.Fatalf("recorded %+v, want %+v", got, want)
	}

	// Another run, on another provider, with other choices, opens it.
	sess.SetChoices(store.Choices{Provider: "home", Model: "llama3", Effort: "high", Role: "poet", Instructions: "Rhyme."})
	c2 := newController(t, Config{Store: st, Provider: "work", Model: "gpt-5", ClientFor: c.cfg.ClientFor})
	cmd := c2.Show(&OpenSession{Session: sess, Messages: msgs})
	for _, msg := range collectMsgs(cmd) {
		c2.Handle(msg)
	}
	if c2.Provider() != "home" || c2.Model() != "llama3" || c2.Effort() != "high" || c2.Role() != "poet" ||
		c2.Conversation().Instructions != "Rhyme." || c2.Client() != other {
		t.Fatalf("opened with %s %s %s %s %q", c2.Provider(), c2.Model(), c2.Effort(), c2.Role(), c2.Conversation().Instructions)
	}
}

// A database Parley cannot write was said once, at start: closing the
// session's writer on it says nothing more.
func TestReadOnlyWriterCloseSaysNothing(t *testing.T) {
	c := newController(t, Config{})
	c.Handle(writerClosedMsg{err: fmt.Errorf("closing: %w", store.ErrReadOnly)})
	if evs := c.Events(); len(evs) != 0 {
		t.Fatalf("events %+v", evs)
	}
	c.Handle(writerClosedMsg{err: errors.New("disk full")})
	if evs := c.Events(); len(evs) != 1 || !strings.Contains(evs[0].Text, "disk full") {
		t.Fatalf("events %+v", evs)
	}
}

// collectMsgs runs a command and the commands of the batches it returns,
// except those that wait (ticks, requests).
func collectMsgs(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		if b, ok := msg.(tea.BatchMsg); ok {
			var out []tea.Msg
			for _, c := range b {
				out = append(out, collectMsgs(c)...)
			}
			return out
		}
		return []tea.Msg{msg}
	case <-time.After(100 * time.Millisecond):
		return nil
	}
}
