package ui

import (
	"context"
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

func tempStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// seedSession stores a session of prompt/reply pairs directly.
func seedSession(t *testing.T, st *store.Store, title string, pairs ...string) store.Session {
	t.Helper()
	ctx := context.Background()
	s, err := st.CreateSession(ctx, store.Session{Title: title, Model: "parley-mock-1"})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		if _, err := st.AppendUserMessage(ctx, s.ID, store.StoredMessage{Text: pairs[i]}); err != nil {
			t.Fatal(err)
		}
		id, err := st.BeginAssistantMessage(ctx, s.ID, store.StoredMessage{Text: ""})
		if err != nil {
			t.Fatal(err)
		}
		if err := st.FinishAssistantMessage(ctx, id, store.StoredMessage{Text: pairs[i+1], Status: store.StatusCompleted,
			TurnStatus: stream.StatusCompleted}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func typeKeys(d *driver, s string) {
	for _, r := range s {
		d.press(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func TestConversationIsSavedAndReopenedFromThePicker(t *testing.T) {
	st := tempStore(t)
	m, _ := newTestModel(t, 120, 36, Deps{Client: mockClient(t), Model: "parley-mock-1", Store: st})
	d := newDriver(t, m)
	typeText(m, "show me a markdown table")
	d.press(keyEnter)
	d.until("the reply", func() bool {
		return !m.chat.Busy() && m.chat.Conversation().Last().Role == model.RoleAssistant && m.chat.Conversation().Last().Turn.Text != ""
	})
	first := m.chat.Session().ID
	// A new session flushes and closes the first one's Writer.
	d.press(ctrl('n'))
	d.until("a new session", func() bool { return len(m.chat.Conversation().Messages) == 0 })
	d.until("the first session is saved", func() bool {
		list, _ := st.ListSessions(context.Background(), store.ListOptions{})
		return len(list) == 1 && list[0].Messages == 2
	})
	list, _ := st.ListSessions(context.Background(), store.ListOptions{})
	if list[0].ID != first || list[0].Title != "show me a markdown table" {
		t.Fatalf("saved session = %+v", list[0])
	}
	d.press(ctrl('s'))
	d.until("the list", func() bool { return openPicker(m) != nil && !openPicker(m).loading })
	mustContain(t, screen(m), "Sessions", "show me a markdown table", "2 messages")
	d.press(keyEnter)
	d.until("reopened", func() bool { return m.chat.Session().ID == first && len(m.chat.Conversation().Messages) == 2 })
	mustContain(t, screen(m), "show me a markdown table", "Opened “show me a markdown table”")
	// The reopened reply renders when in view, as markdown.
	s := screen(m)
	if !strings.Contains(s, "│") {
		t.Fatalf("the reopened reply is not rendered:\n%s", s)
	}
}

func TestSessionPickerFilterSearchRenamePinDelete(t *testing.T) {
	st := tempStore(t)
	seedSession(t, st, "Go generics question", "how do generics work", "Type parameters, in short.")
	seedSession(t, st, "Sourdough starter", "my starter smells of acetone", "Feed it more often; the smell is hungry yeast.")
	target := seedSession(t, st, "Kubernetes ingress", "ingress returns 404", "Check the path type and the ingress class.")
	m, _ := newTestModel(t, 120, 40, Deps{Store: st})
	d := newDriver(t, m)
	d.press(ctrl('s'))
	d.until("the list", func() bool { return openPicker(m) != nil && !openPicker(m).loading })
	typeKeys(d, "srdgh")
	d.until("filtered", func() bool { return len(openPicker(m).matches) == 1 })
	mustContain(t, screen(m), "Sourdough starter")
	mustNotContain(t, screen(m), "Go generics question")

	// Full-text search finds a word inside a reply and opens at it.
	d.press(tea.KeyPressMsg{Code: tea.KeyTab})
	for range 5 {
		d.press(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	typeKeys(d, "ingress class")
	d.until("hits", func() bool { return openPicker(m) != nil && len(openPicker(m).hits) > 0 })
	mustContain(t, screen(m), "Search all messages", "Kubernetes ingress")
	d.press(keyEnter)
	d.until("opened at the hit", func() bool { return m.chat.Session().ID == target.ID })
	s := screen(m)
	if hit := m.transcript.pending; hit == nil && (m.transcript.mark == nil || !strings.Contains(m.transcript.mark.Turn.Text, "ingress class")) {
		t.Fatalf("the hit is not set apart:\n%s", s)
	}
	mustContain(t, s, "Check the path type and the ingress class.")
	if !strings.Contains(m.Render(), m.look.styles.Transcript.SelectionHighlight.Render("ingress")) {
		t.Errorf("the hit's words are not highlighted")
	}
	if m.focus != focusInput {
		t.Errorf("after opening a hit the focus is %v, want the input", m.focus)
	}

	// Rename, pin and delete (with a confirmation).
	d.press(ctrl('s'))
	d.until("the list", func() bool { return openPicker(m) != nil && !openPicker(m).loading })
	typeKeys(d, "generics")
	d.until("one", func() bool { return len(openPicker(m).matches) == 1 })
	d.press(ctrl('r'))
	for range len("Go generics question") {
		d.press(tea.KeyPressMsg{Code: tea.KeyBackspace})
	}
	typeKeys(d, "Generics, explained")
	d.press(keyEnter)
	d.until("renamed", func() bool {
		s, _ := st.Resolve(context.Background(), "Generics, explained")
		return s.ID != ""
	})
	d.press(ctrl('p'))
	d.until("pinned", func() bool {
		list, _ := st.ListSessions(context.Background(), store.ListOptions{})
		return list[0].Title == "Generics, explained" && list[0].Pinned
	})
	d.until("the picker shows the change", func() bool {
		return len(openPicker(m).matches) == 1 && openPicker(m).matches[0].Pinned && openPicker(m).matches[0].Title == "Generics, explained"
	})
	mustContain(t, screen(m), "📌 Generics, explained")
	d.press(ctrl('d'))
	mustContain(t, screen(m), "Delete “Generics, explained” and its messages? y deletes, any other key keeps it")
	d.press(tea.KeyPressMsg{Code: 'n', Text: "n"})
	if list, _ := st.ListSessions(context.Background(), store.ListOptions{}); len(list) != 3 {
		t.Fatal("n deleted the session")
	}
	d.press(ctrl('d'))
	d.press(tea.KeyPressMsg{Code: 'y', Text: "y"})
	d.until("deleted", func() bool {
		list, _ := st.ListSessions(context.Background(), store.ListOptions{})
		return len(list) == 2
	})
}

func TestNextAndPreviousSession(t *testing.T) {
	st := tempStore(t)
	a := seedSession(t, st, "first", "a", "A")
	time.Sleep(5 * time.Millisecond)
	b := seedSession(t, st, "second", "b", "B")
	m, _ := newTestModel(t, 100, 30, Deps{Store: st})
	d := newDriver(t, m)
	older := tea.KeyPressMsg{Code: tea.KeyUp, Mod: tea.ModAlt}
	newer := tea.KeyPressMsg{Code: tea.KeyDown, Mod: tea.ModAlt}
	// From a new session nothing is newer; older is the newest stored one.
	d.press(newer)
	d.until("told", func() bool { return strings.Contains(screen(m), "there is none newer") })
	d.press(older)
	d.until("the newest session", func() bool { return m.chat.Session().ID == b.ID })
	mustContain(t, screen(m), "second")
	d.press(older)
	d.until("the older one", func() bool { return m.chat.Session().ID == a.ID })
	d.press(older)
	d.until("told", func() bool { return strings.Contains(screen(m), "This is the oldest session") })
	d.press(newer)
	d.until("back", func() bool { return m.chat.Session().ID == b.ID })
	d.press(newer)
	d.until("a blank new session", func() bool {
		id := m.chat.Session().ID
		return id != a.ID && id != b.ID && id != "" && len(m.chat.Messages()) == 0
	})
}

func TestForkFromAMessage(t *testing.T) {
	st := tempStore(t)
	orig := seedSession(t, st, "Plans", "one", "reply one", "two", "reply two")
	_, msgs, _ := st.LoadSession(context.Background(), orig.ID)
	m, _ := newTestModel(t, 100, 30, Deps{Store: st, Open: &OpenSession{Session: orig, Messages: msgs}})
	d := newDriver(t, m)
	press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	press(m, tea.KeyPressMsg{Code: 'k', Text: "k"})
	press(m, tea.KeyPressMsg{Code: 'k', Text: "k"}) // the first reply
	if f := m.transcript.focused(); f == nil || f.msg.Turn.Text != "reply one" {
		t.Fatalf("focus = %+v", f)
	}
	d.press(tea.KeyPressMsg{Code: 'f', Text: "f"})
	d.until("forked", func() bool { return m.chat.Session().ID != orig.ID && len(m.chat.Conversation().Messages) == 2 })
	d.press(ctrl('n'))
	d.until("saved", func() bool {
		list, _ := st.ListSessions(context.Background(), store.ListOptions{})
		return len(list) == 2 && list[0].Messages == 2
	})
	list, _ := st.ListSessions(context.Background(), store.ListOptions{})
	if list[0].Title != "Fork of Plans" {
		t.Fatalf("fork = %+v", list[0])
	}
	if _, msgs, _ := st.LoadSession(context.Background(), orig.ID); len(msgs) != 4 {
		t.Fatalf("the original changed: %d messages", len(msgs))
	}
}

func TestLargeSessionRendersOnlyWhatIsVisible(t *testing.T) {
	st := tempStore(t)
	s := seedSession(t, st, "long", questions(1000)...)
	_, msgs, _ := st.LoadSession(context.Background(), s.ID)
	if len(msgs) != 2000 {
		t.Fatalf("seeded %d", len(msgs))
	}
	m, _ := newTestModel(t, 100, 30, Deps{Store: st, Open: &OpenSession{Session: s, Messages: msgs}})
	mustContain(t, screen(m), "Answer 999", "question 999")
	rendered := 0
	for _, e := range m.transcript.entries {
		if e.md != nil && e.lazyText == "" {
			rendered++
		}
	}
	if rendered > 10 {
		t.Fatalf("%d replies rendered to show one screen", rendered)
	}
	// Scrolling up renders what comes into view.
	press(m, ctrl(tea.KeyHome))
	mustContain(t, screen(m), "question 0", "Answer 0")
}

// openPicker is the open session picker, or nil.
func openPicker(m *Model) *sessionPicker {
	p, _ := find[*sessionPicker](m.overlays)
	return p
}

// Deleting the session on screen puts a new one there, with the focus on
// the input: a prompt typed next is sent, whatever had the focus before.
func TestFocusResetsWhenTheOpenSessionIsDeleted(t *testing.T) {
	st := tempStore(t)
	s := seedSession(t, st, "doomed", "q", "a")
	_, msgs, _ := st.LoadSession(context.Background(), s.ID)
	m, _ := newTestModel(t, 100, 30, Deps{Store: st, Open: &OpenSession{Session: s, Messages: msgs}})
	d := newDriver(t, m)
	press(m, tea.KeyPressMsg{Code: tea.KeyTab}) // the transcript
	d.press(ctrl('s'))
	d.until("the list", func() bool { return openPicker(m) != nil && !openPicker(m).loading })
	d.press(ctrl('d'))
	d.press(tea.KeyPressMsg{Code: 'y', Text: "y"})
	d.until("a new session", func() bool { return m.chat.Session().ID != s.ID && len(m.chat.Messages()) == 0 })
	d.press(keyEsc)
	typeText(m, "reply please")
	d.press(keyEnter)
	d.until("sent", func() bool { return m.chat.Busy() })
	if got := m.chat.Messages()[0].Text; got != "reply please" {
		t.Fatalf("sent %q", got)
	}
}

// The picker's previews are plain text: no raw markdown marks; a search
// snippet with a tab or a line break stays on its one line.
func TestPickerPreviewsArePlainOneLiners(t *testing.T) {
	st := tempStore(t)
	seedSession(t, st, "tabs", "question", "## Heading\n\n**bold** and `code`\n\n- a list item")
	seedSession(t, st, "tabbed", "where", "col1\tcol2\tneedle\tcol4 and more words after the tab")
	m, _ := newTestModel(t, 100, 30, Deps{Store: st})
	d := newDriver(t, m)
	d.press(ctrl('s'))
	d.until("the list", func() bool { return openPicker(m) != nil && !openPicker(m).loading })
	s := screen(m)
	mustContain(t, s, "Heading bold and code")
	mustNotContain(t, s, "##", "**", "`code`")
	d.press(tea.KeyPressMsg{Code: tea.KeyTab})
	typeKeys(d, "needle")
	d.until("the hit", func() bool { return strings.Contains(screen(m), "col4") })
	for _, l := range strings.Split(screen(m), "\n") {
		if strings.Contains(l, "col1") && !strings.Contains(l, "col4") {
			t.Fatalf("the snippet spilled:\n%s", screen(m))
		}
	}
	if strings.Contains(m.Render(), "\t") {
		t.Fatal("a tab reached the frame")
	}
}

// Replies of a reopened session render off the UI goroutine as they come
// into view: no frame renders one; their text arrives from a command.
func TestLazyRepliesRenderInTheBackground(t *testing.T) {
	st := tempStore(t)
	s := seedSession(t, st, "long", questions(50)...)
	_, msgs, _ := st.LoadSession(context.Background(), s.ID)
	c := &clock{t: t0}
	m := New(Deps{Client: &fakeStreamer{}, Model: "gpt-5", Theme: "dark", Now: c.now, Getenv: func(string) string { return "" },
		Store: st, Open: &OpenSession{Session: s, Messages: msgs}})
	d := newDriver(t, m)
	d.run(m.Init())
	_, cmd := m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	d.run(cmd)
	d.until("the newest reply drawn", func() bool { return strings.Contains(screen(m), "Answer 49") })
	// Scrolling to the top: the frame shows estimated rows, then the
	// render arrives.
	_, cmd = m.Update(ctrl(tea.KeyHome))
	m.Render()
	if e := m.transcript.entries[1]; e.lazyText == "" || e.md != nil || !e.queued {
		t.Fatal("the first reply was rendered on the UI goroutine, or not queued")
	}
	d.run(cmd)
	d.until("the first reply drawn", func() bool { return strings.Contains(screen(m), "Answer 0") })
	m.shutdown()
}

// questions are n prompt/reply pairs, the replies markdown.
func questions(n int) []string {
	var pairs []string
	for i := 0; i < n; i++ {
		pairs = append(pairs, fmt.Sprintf("question %d", i), fmt.Sprintf("## Answer %d\n\nSome **markdown** with `code`.", i))
	}
	return pairs
}
