package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
)

// rowAfter is the screen row after the last one holding s.
func rowAfter(t *testing.T, s, want string) string {
	t.Helper()
	rows := strings.Split(s, "\n")
	for i := len(rows) - 2; i >= 0; i-- {
		if strings.Contains(rows[i], want) {
			return rows[i+1]
		}
	}
	t.Fatalf("no row holds %q:\n%s", want, s)
	return ""
}

const thinkMD = "**Choosing** a `response.completed` check\n\nThe stream ends without `response.failed`."

// The reasoning reads as markdown (no raw backticks or stars), live and
// expanded once the reply is done, and a blank row parts it from the
// answer's first heading.
func TestReasoningIsMarkdownAndPartedFromTheAnswer(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "why?")
	feed(m, c.t, reasoning(thinkMD))
	c.advance(time.Second)
	s := screen(m)
	mustContain(t, s, "Choosing a", "response.completed", "The stream ends without")
	mustNotContain(t, s, "`", "**")

	feed(m, c.t, text("## Short answer\n\nIt was cut off."), usage(10, 0, 40, 20), done(stream.StatusCompleted))
	press(m, ctrl('t'))
	s = screen(m)
	mustContain(t, s, "▾ Thought for", "The stream ends without", "Short answer")
	mustNotContain(t, s, "`", "**")
	if row := rowAfter(t, s, "The stream ends without"); strings.TrimSpace(row) != "" {
		t.Errorf("the answer's heading touches the reasoning: the row after it is %q:\n%s", row, s)
	}
}

// The same for a reply of a reopened session, expanded.
func TestReopenedReasoningIsMarkdownAndParted(t *testing.T) {
	st := tempStore(t)
	ctx := context.Background()
	sess, err := st.CreateSession(ctx, store.Session{Title: "think", Model: "parley-mock-1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.AppendUserMessage(ctx, sess.ID, store.StoredMessage{Text: "why?"}); err != nil {
		t.Fatal(err)
	}
	id, err := st.BeginAssistantMessage(ctx, sess.ID, store.StoredMessage{})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishAssistantMessage(ctx, id, store.StoredMessage{Text: "## Short answer\n\nIt was cut off.",
		Reasoning: []string{thinkMD}, Status: store.StatusCompleted, TurnStatus: stream.StatusCompleted}); err != nil {
		t.Fatal(err)
	}
	_, msgs, err := st.LoadSession(ctx, sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	m, _ := newTestModel(t, 100, 30, Deps{Store: st, Open: &OpenSession{Session: sess, Messages: msgs}})
	d := newDriver(t, m)
	d.until("the reply drawn", func() bool { return strings.Contains(screen(m), "Short answer") })
	press(m, ctrl('t'))
	s := screen(m)
	mustContain(t, s, "▾ Thought for", "Choosing a", "The stream ends without")
	mustNotContain(t, s, "`", "**")
	if row := rowAfter(t, s, "The stream ends without"); strings.TrimSpace(row) != "" {
		t.Errorf("the answer's heading touches the reasoning: the row after it is %q:\n%s", row, s)
	}
}
