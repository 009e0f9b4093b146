package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
)

func TestSessionCRUD(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "Draft")
	if len(s.ID) != 12 || !isIDPrefix(s.ID) || s.Created.IsZero() || !s.Updated.Equal(s.Created) {
		t.Fatalf("created %+v", s)
	}
	if err := st.RenameSession(ctx, s.ID, "Goroutines"); err != nil {
		t.Fatal(err)
	}
	if err := st.PinSession(ctx, s.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := st.SetSessionModel(ctx, s.ID, "gpt-5", "high"); err != nil {
		t.Fatal(err)
	}
	got, err := st.GetSession(ctx, s.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Title != "Goroutines" || !got.Pinned || got.Model != "gpt-5" || got.Effort != "high" || got.Dir != "/src" ||
		!got.Created.Equal(s.Created) || !got.Updated.Equal(s.Updated) {
		t.Errorf("after rename, pin, model: %+v", got)
	}
	for name, err := range map[string]error{
		"rename": st.RenameSession(ctx, "nope", "x"),
		"pin":    st.PinSession(ctx, "nope", true),
		"delete": st.DeleteSession(ctx, "nope"),
	} {
		if !errors.Is(err, ErrNotFound) {
			t.Errorf("%s of an unknown session: %v", name, err)
		}
	}

	appendUser(t, st, s.ID, "hello")
	appendReply(t, st, s.ID, "hi there")
	if err := st.DeleteSession(ctx, s.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := st.LoadSession(ctx, s.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("loading a deleted session: %v", err)
	}
	var n int
	st.r.QueryRowContext(ctx, "SELECT count(*) FROM messages").Scan(&n)
	if n != 0 {
		t.Errorf("%d messages left after deleting their session", n)
	}
}

func TestListSessionsOrderCountsAndPreview(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	old := newSession(t, st, "old")
	pinned := newSession(t, st, "pinned")
	recent := newSession(t, st, "recent")
	empty := newSession(t, st, "empty")
	st.PinSession(ctx, pinned.ID, true)
	appendUser(t, st, old.ID, "first")
	time.Sleep(2 * time.Millisecond)
	appendUser(t, st, recent.ID, "question")
	long := strings.Repeat("word ", 100) + "\n\n  tail"
	appendReply(t, st, recent.ID, long)

	for _, limit := range []int{0, 10} {
		list, err := st.ListSessions(ctx, ListOptions{Limit: limit})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, s := range list {
			ids = append(ids, s.Title)
		}
		// pinned first; then by last activity: recent, old, and empty (created last,
		// but before the messages were written).
		if want := "pinned recent old empty"; strings.Join(ids, " ") != want {
			t.Errorf("limit %d: order %v, want %s", limit, ids, want)
		}
		byTitle := map[string]SessionSummary{}
		for _, s := range list {
			byTitle[s.Title] = s
		}
		r := byTitle["recent"]
		if r.Messages != 2 || len([]rune(r.Preview)) != PreviewLen || strings.Contains(r.Preview, "  ") {
			t.Errorf("recent: %d messages, preview %q", r.Messages, r.Preview)
		}
		if byTitle["old"].Preview != "first" || byTitle["empty"].Messages != 0 || byTitle["empty"].Preview != "" {
			t.Errorf("old %+v, empty %+v", byTitle["old"], byTitle["empty"])
		}
	}
	if list, _ := st.ListSessions(ctx, ListOptions{Limit: 2}); len(list) != 2 {
		t.Errorf("limit 2 gave %d", len(list))
	}
	last, err := st.LastSession(ctx)
	if err != nil || last.ID != recent.ID {
		t.Errorf("LastSession = %v %v, want recent", last.Title, err)
	}
	_ = empty
}

func TestLastSessionEmpty(t *testing.T) {
	if _, err := newStore(t).LastSession(context.Background()); !errors.Is(err, ErrNotFound) {
		t.Errorf("LastSession on an empty store: %v", err)
	}
}

func TestResolve(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	mk := func(id, title string) Session {
		s, err := st.CreateSession(ctx, Session{ID: id, Title: title})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	mk("aaa111000000", "Rust lifetimes")
	mk("aaa222000000", "Go generics")
	mk("bbb333000000", "Go generics")
	mk("ccc444000000", "beef stew")
	mk("dead00000000", "notes")

	for _, c := range []struct {
		ref, want string
		matches   int // > 1: ambiguous
	}{
		{"aaa111000000", "aaa111000000", 0},
		{"aaa1", "aaa111000000", 0},
		{"aaa", "", 2},
		{"rust lifetimes", "aaa111000000", 0}, // title, any case
		{"go generics", "", 2},
		{"lifetimes", "aaa111000000", 0}, // a title containing it, when nothing else matches
		{"generics", "", 2},
		{"ccc", "ccc444000000", 0},
		{"beef", "ccc444000000", 0}, // hex-looking: no id starts with it, so titles
		{"dead", "dead00000000", 0}, // an id prefix
		{"zzz", "", 0},
		{"", "", 0},
	} {
		got, err := st.Resolve(ctx, c.ref)
		var amb *AmbiguousError
		switch {
		case c.matches > 1:
			if !errors.As(err, &amb) || len(amb.Matches) != c.matches {
				t.Errorf("Resolve(%q) = %v, %v; want %d matches", c.ref, got.ID, err, c.matches)
				continue
			}
			for _, m := range amb.Matches {
				if !strings.Contains(err.Error(), m.ID) {
					t.Errorf("Resolve(%q): error %q does not list %s", c.ref, err, m.ID)
				}
			}
		case c.want == "":
			if !errors.Is(err, ErrNotFound) {
				t.Errorf("Resolve(%q) = %v, %v; want not found", c.ref, got.ID, err)
			}
		default:
			if err != nil || got.ID != c.want {
				t.Errorf("Resolve(%q) = %v, %v; want %s", c.ref, got.ID, err, c.want)
			}
		}
	}

	// ResolveID never matches titles.
	if _, err := st.ResolveID(ctx, "notes"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ResolveID(title): %v", err)
	}
	if s, err := st.ResolveID(ctx, "aaa2"); err != nil || s.ID != "aaa222000000" {
		t.Errorf("ResolveID(prefix) = %v %v", s.ID, err)
	}
	var amb *AmbiguousError
	if _, err := st.ResolveID(ctx, "a"); !errors.As(err, &amb) {
		t.Errorf("ResolveID(ambiguous): %v", err)
	}
}

func TestPreviewAndTitle(t *testing.T) {
	if got := Preview("  a\n\tb   c  "); got != "a b c" {
		t.Errorf("Preview = %q", got)
	}
	if got := Preview(strings.Repeat("é", 300)); len([]rune(got)) != PreviewLen {
		t.Errorf("Preview length %d", len([]rune(got)))
	}
	if got := TitleFrom("  How do I\nsecond line"); got != "How do I" {
		t.Errorf("TitleFrom = %q", got)
	}
	if got := TitleFrom(strings.Repeat("x", 100)); len([]rune(got)) != 80 || !strings.HasSuffix(got, "…") {
		t.Errorf("long TitleFrom = %q", got)
	}
}

// TestSessionRecordsItsChoices: a session keeps the provider, model,
// effort, role and instructions it runs with, from its creation (by a
// Writer, with choices made before the first message) and as they change.
func TestSessionRecordsItsChoices(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	reviewer := Choices{Provider: "openai", Model: "gpt-5", Effort: "high", Role: "reviewer", Instructions: "Review the code."}
	w := NewSessionWriter(st, Session{Provider: "openai", Model: "gpt-5-mini"})
	w.SetChoices(reviewer) // chosen before the first message: the session is created with it
	w.UserSent(&model.Message{Role: model.RoleUser, Text: "look at this"})
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	got, err := st.LastSession(ctx)
	if err != nil || got.Choices() != reviewer {
		t.Fatalf("created with %+v (%v), want %+v", got.Choices(), err, reviewer)
	}
	poet := Choices{Provider: "ollama", Model: "llama3", Role: "poet", Instructions: "Answer in verse."}
	w.SetChoices(poet)
	w.Close()
	if got, _ := st.GetSession(ctx, w.SessionID()); got.Choices() != poet {
		t.Errorf("after a change: %+v", got.Choices())
	}
	if got, _, _ := st.LoadSession(ctx, w.SessionID()); got.Choices() != poet {
		t.Errorf("LoadSession: %+v", got.Choices())
	}
	var s Session
	s.SetChoices(poet)
	if s.Choices() != poet {
		t.Errorf("SetChoices/Choices: %+v", s)
	}
	if err := st.SetSessionChoices(ctx, "nope", poet); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown session: %v", err)
	}
}
