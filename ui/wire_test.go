package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/chat"
)

// A server whose final text differs from what its deltas streamed (a
// .done naming another item id, an edited recording) has the final text
// shown, once: nothing that streamed is left doubled.
func TestReplacedTextIsDrawnOnce(t *testing.T) {
	m, c := newTestModel(t, 80, 20, Deps{})
	sendPrompt(t, m, "hi")
	feed(m, c.t, text("Helo, wrold"))
	mustContain(t, screen(m), "Helo, wrold")
	feed(m, c.t, stream.Choice{Kind: stream.KindReplace, Of: stream.KindText, Delta: "Hello, world!"}, text(" Bye."))
	s := screen(m)
	if strings.Contains(s, "wrold") || strings.Count(s, "Hello,") != 1 || !strings.Contains(s, "Hello, world! Bye.") {
		t.Fatalf("replaced text drawn wrong:\n%s", s)
	}
	feed(m, c.t, done(stream.StatusCompleted))
	// The same when the replace comes with the end of the reply.
	sendPrompt(t, m, "again")
	feed(m, c.t, text("Second try.Second try."))
	feed(m, c.t, stream.Choice{Kind: stream.KindReplace, Of: stream.KindText, Delta: "Second try."}, done(stream.StatusCompleted))
	s = screen(m)
	if strings.Count(s, "Second try.") != 1 {
		t.Fatalf("a replace in the last batch drawn wrong:\n%s", s)
	}
}

// Each retry shows in the status bar with its reason and a countdown to
// the next attempt, of how many; the reply starting clears it.
func TestRetryCountsDownInTheStatusBar(t *testing.T) {
	retries := make(chan stream.Retry, 4)
	m, c := newTestModel(t, 120, 20, Deps{Retries: retries})
	listen := m.chat.Listen()
	sendPrompt(t, m, "hi")
	retries <- stream.Retry{Attempt: 1, Max: 3, Wait: 2500 * time.Millisecond, Reason: "HTTP 429"}
	m.Update(listen())
	mustContain(t, screen(m), "● waiting · HTTP 429 · retry 1 of 3 in 3 s")
	c.advance(time.Second)
	m.Update(chat.Tick())
	mustContain(t, screen(m), "retry 1 of 3 in 2 s")
	c.advance(2 * time.Second)
	m.Update(chat.Tick())
	mustContain(t, screen(m), "retry 1 of 3…")
	retries <- stream.Retry{Attempt: 2, Max: 3, Wait: 4 * time.Second, Reason: "connection refused"}
	m.Update(m.chat.Listen()())
	mustContain(t, screen(m), "● waiting · connection refused · retry 2 of 3 in 4 s")
	feed(m, c.t, text("Hi"))
	mustNotContain(t, screen(m), "retry")
}

// A stream that goes quiet says so after a few seconds.
func TestSilenceShowsInTheStatusBar(t *testing.T) {
	m, c := newTestModel(t, 120, 20, Deps{})
	sendPrompt(t, m, "hi")
	feed(m, c.t, text("Hi"))
	c.advance(2 * time.Second)
	m.Update(chat.Tick())
	mustNotContain(t, screen(m), "no data")
	c.advance(5 * time.Second)
	m.Update(chat.Tick())
	mustContain(t, screen(m), "● streaming · no data for 7 s")
	feed(m, c.t, text(" there"))
	mustNotContain(t, screen(m), "no data")
}

// tok/s has one definition, live and final: the answer's tokens over the
// time since the answer began. A reasoning turn shows the same rate
// while it streams as when it is done.
func TestTokensPerSecondLiveEqualsFinal(t *testing.T) {
	m, c := newTestModel(t, 160, 30, Deps{})
	sendPrompt(t, m, "why is the sky blue")
	c.advance(500 * time.Millisecond)
	feed(m, c.t, reasoning("**Thinking** about scattering"))
	c.advance(2 * time.Second)
	feed(m, c.t, reasoning(" and wavelengths."))
	mustNotContain(t, screen(m), "tok/s")                              // still reasoning: no answer yet
	answer := strings.Repeat("Rayleigh scattering favours blue. ", 30) // 1,020 characters: ~255 tokens
	feed(m, c.t, text(answer[:510]))
	c.advance(2 * time.Second)
	feed(m, c.t, text(answer[510:]))
	mustContain(t, screen(m), "~128 tok/s")
	// The server counts 255 answer tokens and 900 of hidden reasoning.
	feed(m, c.t, usage(20, 0, 1155, 900), done(stream.StatusCompleted))
	mustContain(t, screen(m), "128 tok/s")
	mustNotContain(t, screen(m), "~128")
}

// A session that is not saved says so once at start, in full, even when
// the run opens a session (--continue), and the status bar keeps saying
// it after the sentence is gone.
func TestNotSavedLasts(t *testing.T) {
	m, c := newTestModel(t, 120, 20, Deps{NotSaved: "This session is not saved: Parley cannot write p.db (read-only). Pass --no-save to skip saving.",
		Open: &OpenSession{Session: store.Session{ID: "s1", Title: "old talk"}}})
	s := screen(m)
	mustContain(t, s, "This session is not saved", "· unsaved")
	mustNotContain(t, s, "Opened")
	c.advance(10 * time.Second)
	m.Update(chat.Tick())
	s = screen(m)
	mustNotContain(t, s, "This session is not saved")
	mustContain(t, s, "· unsaved")
}

// The renderers are built in a command: a reply that starts before they
// arrive, and ends before a background render started then comes back,
// still shows its text (the stale render of its empty start is dropped).
func TestRendererArrivingMidReply(t *testing.T) {
	c := &clock{t: t0}
	m := New(Deps{Client: &fakeStreamer{}, Model: "gpt-5", Theme: "dark", Now: c.now, Getenv: func(string) string { return "" }})
	_, cmd := m.Update(tea.WindowSizeMsg{Width: 60, Height: 16})
	var ready tea.Msg
	for _, msg := range runBatch(cmd) {
		if _, ok := msg.(renderersMsg); ok {
			ready = msg
		}
	}
	sendPrompt(t, m, "rules")
	_, background := m.Update(ready)
	feed(m, c.t, text("- Each frame ends with a blank line\n- Keep every word\n"), done(stream.StatusCompleted))
	for _, msg := range runBatch(background) {
		m.Update(msg)
	}
	mustContain(t, screen(m), "• Each frame ends with a blank line", "• Keep every word")
}

// A reply cut at Parley's reply limit keeps what arrived and says so, with
// the setting that raises the limit.
func TestReplyLimitIsSaidClearly(t *testing.T) {
	m, c := newTestModel(t, 140, 20, Deps{})
	sendPrompt(t, m, "go on forever")
	feed(m, c.t, text("All work and no play. "),
		stream.Choice{Kind: stream.KindError, Err: &stream.Error{Code: stream.CodeReplyTooLarge,
			Message: "The reply passed 8 MiB, Parley's limit for one reply; it was cut there and what arrived is kept."}},
		stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusIncomplete, IncompleteReason: stream.ReasonReplyLimit}})
	mustContain(t, screen(m), "All work and no play.", "✂ The reply passed 8 MiB", "--max-reply-size or max_reply_size")
}
