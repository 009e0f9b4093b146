package ui

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/store"
)

// benchSessions is a database of 10,000 sessions and about 200,000
// messages, one session of 2,000 among them, built once per run (about a
// minute).
var benchSessions = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "parley-ui-bench-")
	if err != nil {
		return "", err
	}
	path := filepath.Join(dir, "parley.db")
	st, err := store.Open(path)
	if err != nil {
		return "", err
	}
	defer st.Close()
	ctx := context.Background()
	words := []string{"kubernetes", "sourdough", "generics", "terminal", "markdown", "latency", "goroutine", "migration"}
	for i := 0; i < 10_000; i++ {
		s, err := st.CreateSession(ctx, store.Session{Title: fmt.Sprintf("%s question %d", words[i%len(words)], i), Model: "gpt-5"})
		if err != nil {
			return "", err
		}
		// 19 messages each: with the long session, about 200,000 in all.
		for j := 0; j < 19; j++ {
			text := fmt.Sprintf("about %s and %s, case %d.%d", words[(i+j+3)%len(words)], words[(i*7+j)%len(words)], i, j)
			if _, err := st.AppendUserMessage(ctx, s.ID, store.StoredMessage{Text: text}); err != nil {
				return "", err
			}
		}
	}
	long, err := st.CreateSession(ctx, store.Session{Title: "the long one", Model: "gpt-5"})
	if err != nil {
		return "", err
	}
	for i := 0; i < 1000; i++ {
		if _, err := st.AppendUserMessage(ctx, long.ID, store.StoredMessage{Text: fmt.Sprintf("question %d", i)}); err != nil {
			return "", err
		}
		id, err := st.BeginAssistantMessage(ctx, long.ID, store.StoredMessage{})
		if err != nil {
			return "", err
		}
		text := fmt.Sprintf("## Answer %d\n\nA paragraph with **bold** and `code`, long enough to wrap once or twice at this width.\n\n- one\n- two\n", i)
		if err := st.FinishAssistantMessage(ctx, id, store.StoredMessage{Text: text, Status: store.StatusCompleted}); err != nil {
			return "", err
		}
	}
	return path, nil
})

// BenchmarkSessionsUI measures what a user waits for with 10,000 sessions
// and 200,000 messages in the database, through the real model: start to first frame, opening
// the picker, one filter keystroke, one full-text search, and opening a
// 2,000-message session. Each reports ms per operation.
func BenchmarkSessionsUI(b *testing.B) {
	path, err := benchSessions()
	if err != nil {
		b.Fatal(err)
	}
	st, err := store.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	ms := func(b *testing.B) {
		b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
	}

	b.Run("start-to-first-frame", func(b *testing.B) {
		for b.Loop() {
			s, err := store.Open(path)
			if err != nil {
				b.Fatal(err)
			}
			m := New(Deps{Client: &fakeStreamer{}, Model: "gpt-5", Theme: "dark", Store: s})
			m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
			_ = m.View()
			s.Close()
		}
		ms(b)
	})

	m := New(Deps{Client: &fakeStreamer{}, Model: "gpt-5", Theme: "dark", Store: st})
	m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})

	var p *sessionPicker
	b.Run("open-picker", func(b *testing.B) {
		for b.Loop() {
			m.overlays = nil
			cmd := m.openSessionPicker()
			m.Update(cmd())
			_ = m.View()
		}
		ms(b)
		p, _ = find[*sessionPicker](m.overlays)
		if len(p.list) < 10_000 {
			b.Fatalf("listed %d", len(p.list))
		}
	})

	b.Run("filter-keystroke", func(b *testing.B) {
		for b.Loop() {
			p.query = "kubrnt"
			m.Update(tea.KeyPressMsg{Code: 'q', Text: "q"})
			_ = m.View()
		}
		ms(b)
	})

	b.Run("full-text-search", func(b *testing.B) {
		p.search = true
		for b.Loop() {
			p.query = "sourdough case"
			cmd := p.runSearch()
			m.Update(cmd())
			_ = m.View()
		}
		ms(b)
		if len(p.hits) == 0 {
			b.Fatal("no hits")
		}
	})

	long, err := st.Resolve(ctx, "the long one")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("open-2000-messages", func(b *testing.B) {
		for b.Loop() {
			m.overlays = nil
			msg := m.chat.Open(long.ID, 0, "")()
			m.Update(msg)
			_ = m.View()
		}
		ms(b)
		if len(m.chat.Conversation().Messages) != 2000 {
			b.Fatalf("opened %d messages", len(m.chat.Conversation().Messages))
		}
	})
}
