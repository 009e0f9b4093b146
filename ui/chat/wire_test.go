package chat

import (
	"context"
	"path/filepath"
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
