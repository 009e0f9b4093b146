package store

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

// Bytes written per reply: a reply streamed through a Writer that stores
// every update (one per writeStep bytes of text, about what 250 ms of a fast
// model brings), measured as the growth of the database's WAL with
// checkpoints turned off, so every page the database wrote is counted once.

const writeStep = 512

// replyText is n bytes of prose-like text.
func replyText(n int) string {
	words := []string{"goroutine", "channel", "the", "select", "blocks", "until", "a", "value", "arrives", "and",
		"buffered", "send", "**bold**", "`code`", "of", "receiver"}
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString(words[(i*7+i/3)%len(words)])
		if i%13 == 12 {
			b.WriteString(".\n\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()[:n]
}

// walSize is the size of the database's WAL file.
func walSize(tb testing.TB, st *Store) int64 {
	tb.Helper()
	fi, err := os.Stat(st.Path() + "-wal")
	if err != nil {
		tb.Fatal(err)
	}
	return fi.Size()
}

// streamReply streams text through w as a model would, with reasoning
// first and a tool call at the end, one stored update per writeStep bytes.
func streamReply(tb testing.TB, w *Writer, text string) {
	tb.Helper()
	r := &model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn(), Model: "m", Sent: time.Now()}
	r.Turn.Add(stream.Choice{Kind: stream.KindReasoning, Delta: "Thinking about it.", Reasoning: &stream.ReasoningRef{ItemID: "rs"}})
	w.AssistantStarted(r)
	for i := 0; i < len(text); i += writeStep {
		r.Turn.Add(textChoice(text[i:min(i+writeStep, len(text))]))
		w.AssistantProgress(r)
		if err := w.Flush(); err != nil {
			tb.Fatal(err)
		}
	}
	r.Turn.Add(stream.Choice{Kind: stream.KindToolDone, Tool: &stream.ToolRef{ItemID: "fc", CallID: "call_1", Name: "clock",
		Kind: stream.ToolFunction, Arguments: `{}`}})
	r.Turn.Add(doneChoice())
	r.Finished = time.Now()
	w.AssistantFinished(r)
	if err := w.Flush(); err != nil {
		tb.Fatal(err)
	}
}

// replyWALBytes returns the bytes the database wrote to store one reply of
// size bytes.
func replyWALBytes(tb testing.TB, st *Store, w *Writer, size int) int64 {
	tb.Helper()
	text := replyText(size)
	before := walSize(tb, st)
	streamReply(tb, w, text)
	return walSize(tb, st) - before
}

// bytesStore is a store whose WAL is never checkpointed, and a Writer
// that stores every update, into one session.
func bytesStore(tb testing.TB) (*Store, *Writer) {
	tb.Helper()
	st, err := Open(tb.TempDir() + "/bytes.db")
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	if _, err := st.w.Exec("PRAGMA wal_autocheckpoint = 0"); err != nil {
		tb.Fatal(err)
	}
	w := NewSessionWriter(st, Session{Title: "bytes"}, WithInterval(0))
	tb.Cleanup(func() { w.Close() })
	w.UserSent(&model.Message{Role: model.RoleUser, Text: "write at length", Sent: time.Now()})
	return st, w
}

// TestWriterBytesGrowLinearly stores a reply and one eight times longer,
// and checks the database wrote about eight times the bytes, not 64: the
// Writer appends what arrived instead of rewriting the reply at each
// update. It also checks the stored reply and its search entry are whole.
func TestWriterBytesGrowLinearly(t *testing.T) {
	st, w := bytesStore(t)
	small := replyWALBytes(t, st, w, 16<<10)
	large := replyWALBytes(t, st, w, 128<<10)
	ratio := float64(large) / float64(small)
	t.Logf("WAL bytes: 16 KB reply %d, 128 KB reply %d, ratio %.1f (linear 8, quadratic 64)", small, large, ratio)
	if ratio > 12 {
		t.Errorf("storing a reply 8 times longer wrote %.1f times the bytes: writes grow faster than the reply", ratio)
	}
	ctx := context.Background()
	_, msgs, err := st.LoadSession(ctx, w.SessionID())
	if err != nil {
		t.Fatal(err)
	}
	if len(msgs) != 3 || msgs[2].Text != replyText(128<<10) || msgs[2].Status != StatusCompleted ||
		len(msgs[2].Reasoning) != 1 || len(msgs[2].ToolCalls) != 1 {
		t.Fatalf("the stored replies are not whole: %d messages", len(msgs))
	}
	var deltas int
	st.r.QueryRow("SELECT count(*) FROM message_deltas").Scan(&deltas)
	if deltas != 0 {
		t.Errorf("%d deltas left after the replies finished", deltas)
	}
	// The index holds the whole text: its last word is found.
	last := strings.Fields(replyText(128 << 10))
	hits, err := st.Search(ctx, `"`+strings.Trim(last[len(last)-2], "*`.")+`"`, 5)
	if err != nil || len(hits) == 0 {
		t.Errorf("the end of the reply is not indexed: %v %v", hits, err)
	}
}

// BenchmarkWriterBytes reports the bytes the database writes to store one
// reply, for replies of several sizes: per reply and per KB of reply. Per
// KB stays flat as replies grow (linear); rewriting the reply at each
// update made it grow with the reply (quadratic).
func BenchmarkWriterBytes(b *testing.B) {
	for _, kb := range []int{16, 64, 256, 1024} {
		b.Run(fmt.Sprintf("%dKB", kb), func(b *testing.B) {
			st, w := bytesStore(b)
			var total int64
			n := 0
			for b.Loop() {
				total += replyWALBytes(b, st, w, kb<<10)
				n++
			}
			b.ReportMetric(float64(total)/float64(n), "B-written/reply")
			b.ReportMetric(float64(total)/float64(n)/float64(kb), "B-written/KB")
		})
	}
}
