package store

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

func textChoice(s string) stream.Choice { return stream.Choice{Kind: stream.KindText, Delta: s} }

func doneChoice() stream.Choice {
	return stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}}
}

func TestWriterWritesAConversation(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	w := NewSessionWriter(st, Session{Model: "gpt-5", Dir: "/src"})
	id := w.SessionID()
	if len(id) != 12 {
		t.Fatalf("session id %q", id)
	}
	if _, err := st.GetSession(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("the session exists before any message: %v", err)
	}
	conv := &model.Conversation{}
	u := conv.AddUser("Explain channels\nin Go", time.Now())
	w.UserSent(u)
	r := conv.AddAssistant("gpt-5", "", time.Now())
	r.Turn.Add(textChoice("Channels "))
	w.AssistantStarted(r)
	r.Turn.Add(textChoice("connect goroutines."))
	w.AssistantProgress(r)
	r.Turn.Add(stream.Choice{Kind: stream.KindItem, Item: []byte(`{"type":"message"}`)})
	r.Turn.Add(doneChoice())
	r.Finished = time.Now()
	w.AssistantFinished(r)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	sess, msgs, err := st.LoadSession(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if sess.Title != "Explain channels" || sess.Dir != "/src" || sess.Model != "gpt-5" {
		t.Errorf("session %+v", sess)
	}
	if len(msgs) != 2 || msgs[0].Text != "Explain channels\nin Go" || msgs[1].Text != "Channels connect goroutines." ||
		msgs[1].Status != StatusCompleted || len(msgs[1].Items) != 1 || msgs[1].Finished.IsZero() {
		t.Errorf("messages %+v", msgs)
	}
	// After Close, calls do nothing.
	w.UserSent(conv.AddUser("late", time.Now()))
	if err := w.Flush(); err != nil {
		t.Error(err)
	}
	if _, msgs, _ := st.LoadSession(ctx, id); len(msgs) != 2 {
		t.Errorf("a message written after Close")
	}
}

// TestWriterCoalesces streams a reply with thousands of progress calls and
// checks the writer stored it at most once per interval, the newest text
// each time, while it streamed.
func TestWriterCoalesces(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "coalesce")
	const interval = 40 * time.Millisecond
	w := NewWriter(st, s.ID, WithInterval(interval))
	defer w.Close()
	r := &model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn(), Model: "m"}
	r.Turn.Add(textChoice("w0 "))
	w.AssistantStarted(r)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	_, msgs, _ := st.LoadSession(ctx, s.ID)
	if len(msgs) != 1 || msgs[0].Status != StatusStreaming || msgs[0].Text != "w0 " {
		t.Fatalf("after the first delta: %+v", msgs)
	}
	id := msgs[0].ID

	start := time.Now()
	var full strings.Builder
	full.WriteString("w0 ")
	seen := map[string]bool{}
	for i := 1; time.Since(start) < 10*interval; i++ {
		d := "w" + string(rune('a'+i%26)) + " "
		full.WriteString(d)
		r.Turn.Add(textChoice(d))
		w.AssistantProgress(r)
		if i%50 == 0 {
			m, _ := st.GetMessage(ctx, id)
			if !strings.HasPrefix(full.String(), m.Text) {
				t.Fatalf("stored text is not a prefix of the reply")
			}
			seen[m.Text] = true
		}
		time.Sleep(50 * time.Microsecond)
	}
	elapsed := time.Since(start)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	writes := w.progressWrites.Load()
	if max := int64(elapsed/interval) + 2; writes > max || writes < 3 {
		t.Errorf("%d streaming writes in %v at one per %v (want 3..%d)", writes, elapsed, interval, max)
	}
	if len(seen) < 3 {
		t.Errorf("the stored reply advanced only %d times while it streamed", len(seen))
	}
	if m, _ := st.GetMessage(ctx, id); m.Text != full.String() || m.Status != StatusStreaming {
		t.Errorf("after Flush: status %s, %d of %d bytes", m.Status, len(m.Text), full.Len())
	}
	r.Turn.Add(doneChoice())
	w.AssistantFinished(r)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if m, _ := st.GetMessage(ctx, id); m.Text != full.String() || m.Status != StatusCompleted {
		t.Errorf("finished: %s", m.Status)
	}
}

// TestWriterNeverBlocksTheCaller holds the database's write lock from
// another connection while the UI goroutine calls the Writer: no call may
// wait for it.
func TestWriterNeverBlocksTheCaller(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "slow disk")
	other, err := Open(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	tx, err := other.w.BeginTx(ctx, nil) // BEGIN IMMEDIATE: holds the write lock
	if err != nil {
		t.Fatal(err)
	}
	w := NewWriter(st, s.ID, WithInterval(time.Millisecond))
	conv := &model.Conversation{}
	start := time.Now()
	w.UserSent(conv.AddUser("hello", time.Now()))
	r := conv.AddAssistant("m", "", time.Now())
	for i := range 200 {
		r.Turn.Add(textChoice("x"))
		if i == 0 {
			w.AssistantStarted(r)
		} else {
			w.AssistantProgress(r)
		}
	}
	r.Turn.Add(doneChoice())
	w.AssistantFinished(r)
	if d := time.Since(start); d > 100*time.Millisecond {
		t.Errorf("the calls took %v with the database locked", d)
	}
	time.Sleep(200 * time.Millisecond)
	tx.Rollback()
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, msgs, _ := st.LoadSession(ctx, s.ID)
	if len(msgs) != 2 || msgs[1].Text != strings.Repeat("x", 200) || msgs[1].Status != StatusCompleted {
		t.Errorf("after the lock was released: %+v", msgs)
	}
}

// TestWriterRace has the UI goroutine change the message while the Writer
// stores it; run with -race.
func TestWriterRace(t *testing.T) {
	st := newStore(t)
	s := newSession(t, st, "race")
	w := NewWriter(st, s.ID, WithInterval(0))
	conv := &model.Conversation{}
	for turn := range 5 {
		u := conv.AddUser("q", time.Now())
		w.UserSent(u)
		r := conv.AddAssistant("m", "low", time.Now())
		for i := range 300 {
			r.Turn.Add(textChoice("t"))
			r.Turn.Add(stream.Choice{Kind: stream.KindReasoning, Delta: "r", Reasoning: &stream.ReasoningRef{Part: i % 3}})
			r.Turn.Add(stream.Choice{Kind: stream.KindToolStart, OutputIndex: i % 4, Tool: &stream.ToolRef{ItemID: "fc", Name: "f"}})
			r.Turn.Add(stream.Choice{Kind: stream.KindToolArgs, OutputIndex: i % 4, Delta: "a", Tool: &stream.ToolRef{ItemID: "fc"}})
			r.Turn.Add(stream.Choice{Kind: stream.KindItem, OutputIndex: i % 5, Item: []byte(`{"n":1}`)})
			r.FirstToken = time.Now()
			w.AssistantProgress(r)
		}
		r.Turn.Add(doneChoice())
		w.AssistantFinished(r)
		if turn == 2 {
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, msgs, _ := st.LoadSession(context.Background(), s.ID)
	if len(msgs) != 10 {
		t.Fatalf("%d messages", len(msgs))
	}
	for i, m := range msgs {
		if i%2 == 0 {
			continue
		}
		if m.Status != StatusCompleted || len(m.Text) != 300 || len(m.Reasoning) != 3 {
			t.Errorf("reply: %s, %d bytes, %d reasoning parts", m.Status, len(m.Text), len(m.Reasoning))
		}
	}
}

func TestWriterFailedPromptRetryAndTrack(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "retry")
	w := NewWriter(st, s.ID)
	conv := &model.Conversation{}
	u := conv.AddUser("first try", time.Now())
	w.UserSent(u)
	u.Failed, u.Err = true, &stream.Error{Code: "http_error", Message: "bad gateway", HTTPStatus: 502}
	w.UserFailed(u)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	_, msgs, _ := st.LoadSession(ctx, s.ID)
	if len(msgs) != 1 || msgs[0].Status != StatusFailed || msgs[0].Error.HTTPStatus != 502 {
		t.Fatalf("failed prompt: %+v", msgs)
	}
	// Retrying removes the failed prompt and sends it again.
	w.Removed(u)
	w.UserSent(conv.AddUser("first try", time.Now()))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, msgs, _ = st.LoadSession(ctx, s.ID)
	if len(msgs) != 1 || msgs[0].Status != StatusCompleted {
		t.Fatalf("after the retry: %+v", msgs)
	}

	// A reopened conversation: Track maps its messages to their rows.
	sess, stored, _ := st.LoadSession(ctx, s.ID)
	back := Conversation(sess, stored)
	w2 := NewWriter(st, s.ID)
	w2.Track(back.Messages[0], stored[0].ID)
	w2.Removed(back.Messages[0])
	if err := w2.Close(); err != nil {
		t.Fatal(err)
	}
	if _, msgs, _ := st.LoadSession(ctx, s.ID); len(msgs) != 0 {
		t.Errorf("tracked message not removed: %+v", msgs)
	}
}

func TestWriterCloseInterruptsUnfinished(t *testing.T) {
	st := newStore(t)
	s := newSession(t, st, "quit")
	w := NewWriter(st, s.ID, WithInterval(time.Hour))
	r := &model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn()}
	r.Turn.Add(textChoice("half"))
	w.AssistantStarted(r)
	r.Turn.Add(textChoice(" an answer"))
	w.AssistantProgress(r) // held back by the interval; Close writes it
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, msgs, _ := st.LoadSession(context.Background(), s.ID)
	if len(msgs) != 1 || msgs[0].Status != StatusInterrupted || msgs[0].Text != "half an answer" {
		t.Errorf("%+v", msgs)
	}
}

func TestWriterReportsErrors(t *testing.T) {
	st := newStore(t)
	w := NewWriter(st, "no-such-session")
	w.UserSent(&model.Message{Role: model.RoleUser, Text: "x"})
	if err := w.Flush(); !errors.Is(err, ErrNotFound) {
		t.Errorf("Flush: %v", err)
	}
	if err := w.Close(); !errors.Is(err, ErrNotFound) {
		t.Errorf("Close: %v", err)
	}
}

// TestWriterFinishedWithoutDeltas stores a reply that ended before any
// delta (an empty completion) in one go.
func TestWriterFinishedWithoutDeltas(t *testing.T) {
	st := newStore(t)
	s := newSession(t, st, "empty")
	w := NewWriter(st, s.ID)
	r := &model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn()}
	r.Turn.Add(doneChoice())
	w.AssistantFinished(r)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	_, msgs, _ := st.LoadSession(context.Background(), s.ID)
	if len(msgs) != 1 || msgs[0].Status != StatusCompleted || msgs[0].Role != model.RoleAssistant {
		t.Errorf("%+v", msgs)
	}
}

// TestTwoWritersOneDatabase has two Stores (as two processes would) write
// sessions at once.
func TestTwoWritersOneDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "two.db")
	done := make(chan error, 2)
	for k := range 2 {
		go func() {
			st, err := Open(path)
			if err != nil {
				done <- err
				return
			}
			defer st.Close()
			w := NewSessionWriter(st, Session{}, WithInterval(time.Millisecond))
			conv := &model.Conversation{}
			for range 20 {
				w.UserSent(conv.AddUser("from "+string(rune('a'+k)), time.Now()))
				r := conv.AddAssistant("m", "", time.Now())
				for range 20 {
					r.Turn.Add(textChoice("z"))
					w.AssistantProgress(r)
					time.Sleep(100 * time.Microsecond)
				}
				r.Turn.Add(doneChoice())
				w.AssistantFinished(r)
			}
			done <- w.Close()
		}()
	}
	for range 2 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	list, _ := st.ListSessions(ctx, ListOptions{})
	if len(list) != 2 {
		t.Fatalf("%d sessions", len(list))
	}
	for _, s := range list {
		_, msgs, _ := st.LoadSession(ctx, s.ID)
		if len(msgs) != 40 {
			t.Errorf("session %s: %d messages", s.Title, len(msgs))
		}
		for _, m := range msgs {
			if m.Status != StatusCompleted || m.Role == model.RoleAssistant && m.Text != strings.Repeat("z", 20) {
				t.Errorf("message %d: %s %q", m.ID, m.Status, m.Text)
			}
		}
	}
}

func TestWriterStoresToolResultsWithTheirCalls(t *testing.T) {
	st := newStore(t)
	w := NewSessionWriter(st, Session{})
	now := time.Now()
	var c model.Conversation
	p := c.AddUser("what is 2+2?", now)
	w.UserSent(p)
	a := c.AddAssistant("m", "", now)
	a.Turn.Add(stream.Choice{Kind: stream.KindToolStart, Tool: &stream.ToolRef{ItemID: "fc_1", CallID: "call_1", Name: "calculator", Kind: stream.ToolFunction}})
	a.Turn.Add(stream.Choice{Kind: stream.KindToolDone, Tool: &stream.ToolRef{ItemID: "fc_1", CallID: "call_1", Name: "calculator", Kind: stream.ToolFunction, Arguments: `{"expression":"2+2"}`}})
	a.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}})
	w.AssistantStarted(a)
	w.AssistantFinished(a)
	r := c.AddToolResult("call_1", "calculator", "4", false, false, 3*time.Millisecond)
	w.ToolResults(a, []*model.Message{r})
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	sess, msgs, err := st.LoadSession(context.Background(), w.SessionID())
	if err != nil {
		t.Fatal(err)
	}
	got := Conversation(sess, msgs)
	if len(got.Messages) != 3 {
		t.Fatalf("messages = %d", len(got.Messages))
	}
	tool := got.Messages[2]
	if tool.Role != model.RoleTool || tool.CallID != "call_1" || tool.Text != "4" || tool.ToolName != "calculator" || tool.Duration != 3*time.Millisecond {
		t.Fatalf("tool result = %+v", tool)
	}
	req := got.Request("m", "", nil)
	if len(req.Input) != 3 || req.Input[2].Role != "tool" || req.Input[2].Text != "4" {
		t.Fatalf("reopened request = %+v", req.Input)
	}
}
