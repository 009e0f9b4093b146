package store

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

func TestMessageLifecycle(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "life")
	u := appendUser(t, st, s.ID, "why is the sky blue")
	sent := time.Now()
	a, err := st.BeginAssistantMessage(ctx, s.ID, StoredMessage{Model: "gpt-5", Effort: "low", Sent: sent, Text: "Ray"})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := st.GetMessage(ctx, a)
	if m.Status != StatusStreaming || m.Seq != 1 || m.Text != "Ray" || m.Role != model.RoleAssistant {
		t.Fatalf("begun: %+v", m)
	}
	if got, _ := st.GetSession(ctx, s.ID); got.Model != "gpt-5" || got.Effort != "low" {
		t.Errorf("session model after a reply began: %q %q", got.Model, got.Effort)
	}
	first := sent.Add(300 * time.Millisecond)
	err = st.UpdateAssistantMessage(ctx, a, StoredMessage{Text: "Rayleigh scat", Reasoning: []string{"physics"},
		ToolCalls:  []ToolCall{{Type: "function_call", CallID: "call_1", Name: "lookup", Arguments: `{"q":`}},
		FirstToken: first, ResponseID: "resp_1"})
	if err != nil {
		t.Fatal(err)
	}
	m, _ = st.GetMessage(ctx, a)
	if m.Status != StatusStreaming || m.Text != "Rayleigh scat" || m.Reasoning[0] != "physics" ||
		m.ToolCalls[0].Arguments != `{"q":` || !m.FirstToken.Equal(first) || m.ResponseID != "resp_1" {
		t.Fatalf("updated: %+v", m)
	}
	if sess, _ := st.ListSessions(ctx, ListOptions{}); sess[0].Preview != "Rayleigh scat" {
		t.Errorf("preview while streaming: %q", sess[0].Preview)
	}
	final := StoredMessage{
		Status: StatusCompleted, Text: "Rayleigh scattering.", Reasoning: []string{"physics", "more"},
		ToolCalls: []ToolCall{{Type: "function_call", ItemID: "fc_1", CallID: "call_1", Name: "lookup",
			Arguments: `{"q":"sky"}`, Output: "blue", Status: "completed", Duration: 1500 * time.Millisecond, OutputIndex: 1}},
		HostedCalls: []stream.HostedCall{{Type: "web_search_call", ID: "ws_1", Status: "completed"}},
		Annotations: []stream.Annotation{{Type: "url_citation", URL: "https://example.com", Title: "Example"}},
		Items:       []json.RawMessage{[]byte(`{"type":"reasoning",  "id":"rs_1"}`), []byte(`{"type":"message","content":"<b>"}`)},
		Usage:       &stream.Usage{Input: 10, Cached: 2, Output: 20, Reasoning: 5, Total: 30},
		Model:       "gpt-5", Effort: "low", API: stream.APIResponses, ResponseID: "resp_1", ResponseModel: "gpt-5-2025",
		TurnStatus: stream.StatusCompleted, Sent: sent, FirstToken: first, ReasoningStart: first,
		ReasoningEnd: first.Add(time.Second), Finished: first.Add(2 * time.Second),
	}
	if err := st.FinishAssistantMessage(ctx, a, final); err != nil {
		t.Fatal(err)
	}
	_, msgs, err := st.LoadSession(ctx, s.ID)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("load: %v %v", msgs, err)
	}
	if msgs[0].ID != u || msgs[0].Status != StatusCompleted || msgs[0].Text != "why is the sky blue" {
		t.Errorf("user message: %+v", msgs[0])
	}
	got := msgs[1]
	final.ID, final.SessionID, final.Seq, final.Role, final.Updated = a, s.ID, 1, model.RoleAssistant, got.Updated
	if !equalJSON(t, got, final) {
		t.Errorf("finished message:\n got %s\nwant %s", mustJSON(t, got), mustJSON(t, final))
	}
	// Raw items come back byte for byte.
	if string(got.Items[0]) != `{"type":"reasoning",  "id":"rs_1"}` || string(got.Items[1]) != `{"type":"message","content":"<b>"}` {
		t.Errorf("items: %s", got.Items)
	}

	// A finished reply is not streaming any more.
	for name, err := range map[string]error{
		"update":    st.UpdateAssistantMessage(ctx, a, StoredMessage{Text: "late"}),
		"finish":    st.FinishAssistantMessage(ctx, a, StoredMessage{Status: StatusCompleted}),
		"interrupt": st.InterruptMessage(ctx, a),
	} {
		if !errors.Is(err, ErrNotStreaming) {
			t.Errorf("%s after finishing: %v", name, err)
		}
	}
	if err := st.FinishAssistantMessage(ctx, a, StoredMessage{Status: StatusStreaming}); err == nil {
		t.Error("finishing with status streaming succeeded")
	}
	if err := st.UpdateAssistantMessage(ctx, 9999, StoredMessage{}); !errors.Is(err, ErrNotFound) {
		t.Errorf("update of an unknown message: %v", err)
	}
	if _, err := st.AppendUserMessage(ctx, "nope", StoredMessage{Text: "x"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("append to an unknown session: %v", err)
	}
}

func TestInterruptFailAndDeleteMessages(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "x")
	appendUser(t, st, s.ID, "one")
	a := appendReply(t, st, s.ID, "reply one")
	u := appendUser(t, st, s.ID, "two")
	if err := st.FailUserMessage(ctx, u, &stream.Error{Code: "rate_limit_exceeded", Message: "slow down", HTTPStatus: 429}); err != nil {
		t.Fatal(err)
	}
	m, _ := st.GetMessage(ctx, u)
	if m.Status != StatusFailed || m.Error == nil || m.Error.HTTPStatus != 429 {
		t.Errorf("failed prompt: %+v", m)
	}
	if err := st.FailUserMessage(ctx, a, nil); !errors.Is(err, ErrNotFound) {
		t.Errorf("failing a reply as a prompt: %v", err)
	}
	if err := st.DeleteMessage(ctx, u); err != nil {
		t.Fatal(err)
	}
	list, _ := st.ListSessions(ctx, ListOptions{})
	if list[0].Messages != 2 || list[0].Preview != "reply one" {
		t.Errorf("after deleting the last prompt: %d messages, preview %q", list[0].Messages, list[0].Preview)
	}
	if err := st.DeleteMessage(ctx, u); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v", err)
	}
	// The next message goes after the highest position, gaps and all.
	u3 := appendUser(t, st, s.ID, "three")
	if m, _ := st.GetMessage(ctx, u3); m.Seq != 2 {
		t.Errorf("seq after a delete: %d", m.Seq)
	}
	b, _ := st.BeginAssistantMessage(ctx, s.ID, StoredMessage{Text: "partial"})
	if err := st.InterruptMessage(ctx, b); err != nil {
		t.Fatal(err)
	}
	if m, _ := st.GetMessage(ctx, b); m.Status != StatusInterrupted || m.Text != "partial" {
		t.Errorf("interrupted: %+v", m)
	}
}

func TestCloseInterruptsOwnStreamingReplies(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	ctx := context.Background()
	a, _ := Open(path)
	b, _ := Open(path)
	s := newSession(t, a, "x")
	ma, _ := a.BeginAssistantMessage(ctx, s.ID, StoredMessage{Text: "from a"})
	mb, _ := b.BeginAssistantMessage(ctx, s.ID, StoredMessage{Text: "from b"})
	if err := a.Close(); err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if m, _ := b.GetMessage(ctx, ma); m.Status != StatusInterrupted {
		t.Errorf("a's reply after a closed: %s", m.Status)
	}
	if m, _ := b.GetMessage(ctx, mb); m.Status != StatusStreaming {
		t.Errorf("b's reply after a closed: %s", m.Status)
	}
}

func TestConversationRoundTrip(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "round trip")
	conv := &model.Conversation{Model: "gpt-5", Effort: "low"}
	now := time.Now()
	u := conv.AddUser("list files", now)
	r := conv.AddAssistant("gpt-5", "low", now)
	for _, c := range []stream.Choice{
		{Kind: stream.KindMeta, Meta: &stream.Meta{ResponseID: "resp_9", Model: "gpt-5-2025"}},
		{Kind: stream.KindReasoning, Delta: "need ls", Reasoning: &stream.ReasoningRef{ItemID: "rs_1"}},
		{Kind: stream.KindItem, OutputIndex: 0, Item: []byte(`{"type":"reasoning","id":"rs_1","encrypted_content":"xyz"}`)},
		{Kind: stream.KindToolDone, OutputIndex: 1, Tool: &stream.ToolRef{ItemID: "fc_1", CallID: "call_1", Name: "ls",
			Kind: stream.ToolFunction, Arguments: `{"dir":"."}`}},
		{Kind: stream.KindItem, OutputIndex: 1, Item: []byte(`{"type":"function_call","id":"fc_1","call_id":"call_1"}`)},
		{Kind: stream.KindText, Delta: "Here."},
		{Kind: stream.KindUsage, Usage: &stream.Usage{Input: 5, Output: 7, Total: 12}},
		{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}},
	} {
		r.Turn.Add(c)
	}
	r.Turn.API = stream.APIResponses
	r.FirstToken, r.Finished = now.Add(time.Second), now.Add(2*time.Second)
	c := conv.AddUser("and hidden ones?", now)
	c.Failed, c.Err = true, &stream.Error{Code: "http_error", Message: "bad gateway", HTTPStatus: 502}
	cut := conv.AddAssistant("gpt-5", "low", now)
	cut.Turn.Add(stream.Choice{Kind: stream.KindText, Delta: "Partial"})
	cut.Turn.Add(stream.Choice{Kind: stream.KindItem, Item: []byte(`{"type":"message"}`)})

	ids := []int64{}
	id, _ := st.AppendUserMessage(ctx, s.ID, FromMessage(u))
	ids = append(ids, id)
	id, _ = st.BeginAssistantMessage(ctx, s.ID, FromMessage(r))
	if err := st.FinishAssistantMessage(ctx, id, FromMessage(r)); err != nil {
		t.Fatal(err)
	}
	id, _ = st.AppendUserMessage(ctx, s.ID, FromMessage(c))
	ids = append(ids, id)
	id, _ = st.BeginAssistantMessage(ctx, s.ID, FromMessage(cut))
	st.Close() // the reply was streaming when Parley stopped

	st2, err := Open(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer st2.Close()
	sess, msgs, err := st2.LoadSession(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	back := Conversation(sess, msgs)
	if back.Model != "gpt-5-mini" && back.Model != "gpt-5" {
		t.Errorf("conversation model %q", back.Model)
	}
	if len(back.Messages) != 4 {
		t.Fatalf("%d messages", len(back.Messages))
	}
	rb := back.Messages[1]
	if rb.Turn.Text != "Here." || rb.Turn.Status != stream.StatusCompleted || rb.Turn.ResponseID != "resp_9" ||
		rb.Turn.Model != "gpt-5-2025" || rb.Turn.Usage.Total != 12 || len(rb.Turn.Items) != 2 ||
		rb.Turn.ToolCalls[0].Arguments != `{"dir":"."}` || rb.Turn.ToolCalls[0].ID != "fc_1" ||
		rb.Turn.Reasoning[0] != "need ls" || !rb.FirstToken.Equal(r.FirstToken) || rb.Effort != "low" {
		t.Errorf("reply: %+v turn %+v", rb, rb.Turn)
	}
	if f := back.Messages[2]; !f.Failed || f.Err.HTTPStatus != 502 || f.Text != "and hidden ones?" {
		t.Errorf("failed prompt: %+v", f)
	}
	ib := back.Messages[3]
	if ib.Turn.Status != stream.StatusTruncated || ib.Turn.Error == nil || ib.Turn.Error.Code != CodeInterrupted ||
		ib.Turn.Text != "Partial" {
		t.Errorf("interrupted reply: %+v", ib.Turn)
	}
	// The next request is the same as from the original conversation, but
	// for the cut-off reply, which goes back as its text.
	want := conv.Request("gpt-5", "low", nil)
	got := back.Request("gpt-5", "low", nil)
	if !equalJSON(t, got, want) {
		t.Errorf("request from the reloaded conversation:\n got %s\nwant %s", mustJSON(t, got), mustJSON(t, want))
	}
	if string(got.Input[1].Items[0]) != `{"type":"reasoning","id":"rs_1","encrypted_content":"xyz"}` {
		t.Errorf("reasoning item sent back: %s", got.Input[1].Items[0])
	}
}

func TestStatusOf(t *testing.T) {
	turn := func(s stream.Status, e *stream.Error) *stream.Turn {
		t := stream.NewTurn()
		t.Status, t.Error = s, e
		return t
	}
	for _, c := range []struct {
		m    model.Message
		want Status
	}{
		{model.Message{Role: model.RoleUser}, StatusCompleted},
		{model.Message{Role: model.RoleUser, Failed: true}, StatusFailed},
		{model.Message{Role: model.RoleAssistant, Turn: turn(stream.StatusCompleted, nil)}, StatusCompleted},
		{model.Message{Role: model.RoleAssistant, Turn: turn(stream.StatusIncomplete, nil)}, StatusIncomplete},
		{model.Message{Role: model.RoleAssistant, Turn: turn(stream.StatusFailed, &stream.Error{Code: "server_error"})}, StatusFailed},
		{model.Message{Role: model.RoleAssistant, Turn: turn(stream.StatusTruncated, &stream.Error{Code: stream.CodeDropped})}, StatusFailed},
		{model.Message{Role: model.RoleAssistant, Turn: turn(stream.StatusTruncated, &stream.Error{Code: stream.CodeCancelled})}, StatusCancelled},
		{model.Message{Role: model.RoleAssistant, Cancelled: true, Turn: turn(stream.StatusTruncated, nil)}, StatusCancelled},
	} {
		m := c.m
		if got := FromMessage(&m).Status; got != c.want {
			t.Errorf("%+v: %s, want %s", c.m, got, c.want)
		}
	}
}

func TestFromMessageCopies(t *testing.T) {
	r := &model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn()}
	r.Turn.Add(stream.Choice{Kind: stream.KindReasoning, Delta: "a", Reasoning: &stream.ReasoningRef{}})
	r.Turn.Add(stream.Choice{Kind: stream.KindItem, Item: []byte(`{"a":1}`)})
	sm := FromMessage(r)
	r.Turn.Reasoning[0] = "changed"
	r.Turn.Items[0][2] = 'b'
	if sm.Reasoning[0] != "a" || string(sm.Items[0]) != `{"a":1}` {
		t.Errorf("snapshot changed with the message: %v %s", sm.Reasoning, sm.Items[0])
	}
}
