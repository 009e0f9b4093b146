package store

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

// storedState is what a stored reply holds that streams: compared with
// what the Writer was given.
func storedState(m StoredMessage) []any {
	var args []string
	for _, c := range m.ToolCalls {
		args = append(args, c.Name+":"+c.Arguments)
	}
	return []any{m.Text, m.Refusal, m.Reasoning, args, len(m.Annotations)}
}

// TestStreamingReplyIsAppended streams a reply with every kind of growth
// (text, reasoning parts, a tool call's arguments, a second call, a
// citation, a text the server replaced) through a Writer that stores every
// update. After each update another Store on the same file, as another
// Parley would, sees exactly what the Writer was given, while the row
// itself keeps only what it began with: the rest is appended.
func TestStreamingReplyIsAppended(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	other, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	ctx := context.Background()
	w := NewSessionWriter(st, Session{Title: "append"}, WithInterval(0))
	defer w.Close()
	w.UserSent(&model.Message{Role: model.RoleUser, Text: "go"})
	r := &model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn(), Model: "m"}
	steps := []stream.Choice{
		{Kind: stream.KindReasoning, Delta: "First ", Reasoning: &stream.ReasoningRef{ItemID: "rs", Part: 0}},
		{Kind: stream.KindReasoning, Delta: "thought.", Reasoning: &stream.ReasoningRef{ItemID: "rs", Part: 0}},
		{Kind: stream.KindReasoning, Delta: "Second.", Reasoning: &stream.ReasoningRef{ItemID: "rs", Part: 1}},
		textChoice("Hello"),
		textChoice(", world"),
		{Kind: stream.KindToolStart, OutputIndex: 1, Tool: &stream.ToolRef{ItemID: "fc1", CallID: "c1", Name: "read", Kind: stream.ToolFunction}},
		{Kind: stream.KindToolArgs, OutputIndex: 1, Delta: `{"path":`, Tool: &stream.ToolRef{ItemID: "fc1", CallID: "c1", Kind: stream.ToolFunction}},
		{Kind: stream.KindToolArgs, OutputIndex: 1, Delta: `"main.go"}`, Tool: &stream.ToolRef{ItemID: "fc1", CallID: "c1", Kind: stream.ToolFunction}},
		{Kind: stream.KindToolStart, OutputIndex: 2, Tool: &stream.ToolRef{ItemID: "fc2", CallID: "c2", Name: "clock", Kind: stream.ToolFunction}},
		{Kind: stream.KindToolArgs, OutputIndex: 2, Delta: `{}`, Tool: &stream.ToolRef{ItemID: "fc2", CallID: "c2", Kind: stream.ToolFunction}},
		{Kind: stream.KindAnnotation, Annotation: &stream.Annotation{Type: "url_citation", URL: "https://go.dev", Title: "Go"}},
		textChoice("!"),
	}
	var id int64
	for i, c := range steps {
		r.Turn.Add(c)
		if i == 0 {
			w.AssistantStarted(r)
		} else {
			w.AssistantProgress(r)
		}
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
		_, msgs, err := other.LoadSession(ctx, w.SessionID())
		if err != nil || len(msgs) != 2 {
			t.Fatalf("step %d: %d messages, %v", i, len(msgs), err)
		}
		id = msgs[1].ID
		want := FromMessage(r)
		if got := storedState(msgs[1]); !equalJSON(t, got, storedState(want)) || msgs[1].Status != StatusStreaming {
			t.Fatalf("step %d: another Parley sees %q, the reply holds %q", i, got, storedState(want))
		}
	}
	var rowText string
	var deltas int
	st.r.QueryRow("SELECT text FROM messages WHERE id = ?", id).Scan(&rowText)
	st.r.QueryRow("SELECT count(*) FROM message_deltas WHERE message_id = ?", id).Scan(&deltas)
	if rowText != "" || deltas < 5 {
		t.Errorf("the row holds %q and %d deltas: the reply was not appended", rowText, deltas)
	}

	// A text the server replaced (not an extension) is stored whole.
	r.Turn.Text = "Goodbye."
	w.AssistantProgress(r)
	w.Flush()
	if m, _ := other.GetMessage(ctx, id); m.Text != "Goodbye." {
		t.Errorf("after a replaced text: %q", m.Text)
	}
	st.r.QueryRow("SELECT count(*) FROM message_deltas WHERE message_id = ? AND field = 'text'", id).Scan(&deltas)
	if deltas != 0 {
		t.Errorf("%d text deltas after a whole write", deltas)
	}
	r.Turn.Add(doneChoice())
	w.AssistantFinished(r)
	w.Flush()
	m, _ := other.GetMessage(ctx, id)
	st.r.QueryRow("SELECT count(*) FROM message_deltas").Scan(&deltas)
	if m.Text != FromMessage(r).Text || m.Status != StatusCompleted || deltas != 0 ||
		!slices.Equal(m.Reasoning, []string{"First thought.", "Second."}) || len(m.ToolCalls) != 2 ||
		m.ToolCalls[0].Arguments != `{"path":"main.go"}` {
		t.Errorf("finished: %+v, %d deltas left", m, deltas)
	}
}

// TestEndingAStreamFoldsItsDeltas: a reply interrupted (its Writer closed,
// its Store closed, or its process found dead by the next Parley) keeps
// everything that was appended, becomes searchable with it, and leaves no
// deltas behind.
func TestEndingAStreamFoldsItsDeltas(t *testing.T) {
	ctx := context.Background()
	start := func(t *testing.T, st *Store) (*Writer, *model.Message) {
		w := NewSessionWriter(st, Session{Title: "fold"}, WithInterval(0))
		w.UserSent(&model.Message{Role: model.RoleUser, Text: "q"})
		r := &model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn(), Model: "m"}
		for i, s := range []string{"one ", "two ", "three ", "zebrafish"} {
			r.Turn.Add(textChoice(s))
			if i == 0 {
				w.AssistantStarted(r)
			} else {
				w.AssistantProgress(r)
			}
			w.Flush()
		}
		return w, r
	}
	check := func(t *testing.T, st *Store, sessionID string) {
		t.Helper()
		_, msgs, err := st.LoadSession(ctx, sessionID)
		if err != nil || len(msgs) != 2 {
			t.Fatalf("%d messages, %v", len(msgs), err)
		}
		var deltas int
		st.r.QueryRow("SELECT count(*) FROM message_deltas").Scan(&deltas)
		if m := msgs[1]; m.Status != StatusInterrupted || m.Text != "one two three zebrafish" || deltas != 0 {
			t.Errorf("%s %q, %d deltas", m.Status, m.Text, deltas)
		}
		if hits, _ := st.Search(ctx, "zebrafish", 5); len(hits) != 1 {
			t.Errorf("the interrupted reply is not searchable in full: %v", hits)
		}
	}
	t.Run("writer closed", func(t *testing.T) {
		st := newStore(t)
		w, _ := start(t, st)
		w.Close()
		check(t, st, w.SessionID())
	})
	t.Run("store closed", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "p.db")
		st, _ := Open(path)
		w, _ := start(t, st)
		st.Close() // the writer never finishes: Parley is going away
		st, _ = Open(path)
		defer st.Close()
		check(t, st, w.SessionID())
	})
	t.Run("owner died", func(t *testing.T) {
		st := newStore(t)
		w, _ := start(t, st)
		st.w.Exec("UPDATE messages SET owner_pid = ?, owner_start = '1' WHERE status = 'streaming'", deadPid(t))
		if n, err := st.ReclaimInterrupted(ctx); n != 1 || err != nil {
			t.Fatalf("reclaimed %d, %v", n, err)
		}
		check(t, st, w.SessionID())
	})
}

func TestDeltasSince(t *testing.T) {
	base := StoredMessage{Text: "ab", Reasoning: []string{"r"}, ToolCalls: []ToolCall{{CallID: "c", Name: "f", Arguments: "{"}}}
	grown := base
	grown.Text, grown.Reasoning = "abc", []string{"rs", ""}
	grown.ToolCalls = []ToolCall{{CallID: "c", Name: "f", Arguments: "{}"}}
	ds, calls, ok := deltasSince(&base, &grown)
	want := []delta{{"text", 0, "c"}, {"reasoning", 0, "s"}, {"reasoning", 1, ""}, {"arguments", 0, "}"}}
	if !ok || calls || !slices.Equal(ds, want) {
		t.Errorf("grown: %v %v %v", ds, calls, ok)
	}
	renamed := grown
	renamed.ToolCalls = []ToolCall{{CallID: "c", Name: "g", Arguments: "{}"}}
	if _, calls, ok := deltasSince(&base, &renamed); !ok || !calls {
		t.Errorf("a changed call must rewrite the calls: %v %v", calls, ok)
	}
	for name, next := range map[string]StoredMessage{
		"text shrank":       {Text: "a", Reasoning: []string{"r"}, ToolCalls: base.ToolCalls},
		"text changed":      {Text: "xb", Reasoning: []string{"r"}, ToolCalls: base.ToolCalls},
		"reasoning dropped": {Text: "ab", ToolCalls: base.ToolCalls},
		"reasoning changed": {Text: "ab", Reasoning: []string{"x"}, ToolCalls: base.ToolCalls},
	} {
		if _, _, ok := deltasSince(&base, &next); ok {
			t.Errorf("%s: taken as an extension", name)
		}
	}
}

// TestWriterAppendsRedactedText: a secret that arrives across two updates
// is redacted in the stored text, which is rewritten whole when redaction
// changes what was already stored.
func TestWriterAppendsRedactedText(t *testing.T) {
	const key = "sk-split-0123456789abcdef"
	st := newStore(t)
	st.Redact(key)
	w := NewSessionWriter(st, Session{Title: "r"}, WithInterval(0))
	defer w.Close()
	w.UserSent(&model.Message{Role: model.RoleUser, Text: "q"})
	r := &model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn()}
	r.Turn.Add(textChoice("your key is " + key[:8]))
	w.AssistantStarted(r)
	for _, d := range []string{key[8:], " and it works"} {
		r.Turn.Add(textChoice(d))
		w.AssistantProgress(r)
		w.Flush()
	}
	_, msgs, _ := st.LoadSession(context.Background(), w.SessionID())
	if got := msgs[1].Text; got != "your key is [redacted] and it works" {
		t.Errorf("stored %q", got)
	}
}

// TestAppendProgressLeavesTheRowAlone: appending text writes only deltas;
// the row is written when one of its fields changed, or when asked (to
// show the reply alive). A reply another Parley reclaimed meanwhile gets
// no deltas: they would never be folded.
func TestAppendProgressLeavesTheRowAlone(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "row")
	prev := StoredMessage{Text: "a"}
	id, _ := st.BeginAssistantMessage(ctx, s.ID, prev)
	updated := func() (n int64) {
		st.r.QueryRow("SELECT updated_at FROM messages WHERE id = ?", id).Scan(&n)
		return n
	}
	for _, c := range []struct {
		name     string
		change   func(*StoredMessage)
		touch    bool
		wantsRow bool
	}{
		{"text only", func(m *StoredMessage) { m.Text += "b" }, false, false},
		{"text, touched", func(m *StoredMessage) { m.Text += "c" }, true, true},
		{"response id", func(m *StoredMessage) { m.ResponseID = "resp_1" }, false, true},
		{"a tool call", func(m *StoredMessage) { m.ToolCalls = []ToolCall{{CallID: "c", Name: "f"}} }, false, true},
		{"its arguments", func(m *StoredMessage) { m.ToolCalls = []ToolCall{{CallID: "c", Name: "f", Arguments: "{}"}} }, false, false},
	} {
		next := prev
		c.change(&next)
		before := updated()
		time.Sleep(time.Millisecond)
		wrote, err := st.appendProgress(ctx, id, prev, next, c.touch)
		if err != nil || wrote != c.wantsRow || (updated() != before) != c.wantsRow {
			t.Errorf("%s: wrote the row %v (updated_at moved: %v), want %v; %v", c.name, wrote, updated() != before, c.wantsRow, err)
		}
		prev = next
	}
	if m, _ := st.GetMessage(ctx, id); m.Text != "abc" || m.ResponseID != "resp_1" || m.ToolCalls[0].Arguments != "{}" {
		t.Errorf("stored %+v", m)
	}
	st.w.Exec("UPDATE messages SET status = 'interrupted' WHERE id = ?", id) // as a reclaim would, without folding
	st.w.Exec("DELETE FROM message_deltas")
	next := prev
	next.Text += "late"
	if _, err := st.appendProgress(ctx, id, prev, next, false); !errors.Is(err, ErrNotStreaming) {
		t.Errorf("appending to a reclaimed reply: %v", err)
	}
	var n int
	st.r.QueryRow("SELECT count(*) FROM message_deltas").Scan(&n)
	if n != 0 {
		t.Errorf("%d orphan deltas", n)
	}
}
