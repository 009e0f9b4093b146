package prompt

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model/history"
)

func TestUpRecallsOnlyOnAnEmptyInput(t *testing.T) {
	u := newUser(t, 40, Options{})
	for _, s := range []string{"first", "second\nof two lines", "third"} {
		u.typ(s)
		u.p.Take()
	}
	u.press("up")
	if got := u.value(); got != "third" {
		t.Fatalf("up on an empty input: %q", got)
	}
	u.press("up")
	if got := u.value(); got != "second\nof two lines" {
		t.Fatalf("up again: %q", got)
	}
	u.press("up", "up", "up") // past the oldest: stays there
	if got := u.value(); got != "first" {
		t.Fatalf("up past the oldest: %q", got)
	}
	u.press("down")
	u.typ("!") // edited: a draft now, so up moves the cursor
	u.press("up", "home")
	u.typ(">")
	if got := u.value(); got != ">second\nof two lines!" {
		t.Fatalf("keys on an edited recall should edit: %q", got)
	}
	u.p.Reset()
	u.press("up", "down")
	if got := u.value(); got != "" {
		t.Fatalf("down past the newest empties the input: %q", got)
	}
}

func TestARecalledPasteComesBackAsItsChip(t *testing.T) {
	u := newUser(t, 60, Options{})
	long := strings.Repeat("0123456789\n", 2000)
	u.typ("explain ")
	u.paste(long)
	sent, _ := u.p.Take()
	u.press("up")
	if got := u.inside(); !slices.Equal(got, []string{"explain [paste #1: 2,000 lines, 21.5 KB]"}) {
		t.Fatalf("a recalled long prompt should show its chip: %q", got)
	}
	if again, chips := u.p.Take(); again != sent || len(chips) != 1 {
		t.Fatalf("sending it again sends the same text (%d bytes, want %d)", len(again), len(sent))
	}
	// Edit and resend from the transcript has only the text: Recall
	// finds the prompt it came from.
	if err := u.p.Recall(sent); err != nil {
		t.Fatal(err)
	}
	u.send(nil)
	if got := u.inside(); !slices.Equal(got, []string{"explain [paste #1: 2,000 lines, 21.5 KB]"}) {
		t.Fatalf("Recall of a sent prompt should bring its chip: %q", got)
	}
	u.p.Reset()
	u.p.Recall("never sent")
	if got := u.value(); got != "never sent" {
		t.Fatalf("Recall of other text is SetValue: %q", got)
	}
}

func TestHistoryPersistsAcrossRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	f := history.Open(path, history.Limits{})

	run1 := newUser(t, 60, Options{})
	run1.typ("from the first run ")
	run1.paste(strings.Repeat("log line\n", 100))
	run1.p.Take()
	msg := run1.p.SaveHistory(f)()
	if saved := msg.(HistorySavedMsg); saved.Err != nil {
		t.Fatal(saved.Err)
	}
	if run1.p.SaveHistory(f) != nil {
		t.Fatal("nothing new to save: no command")
	}

	run2 := newUser(t, 60, Options{})
	run2.typ("typed before the history loaded")
	run2.p.Take()
	loaded := LoadHistory(f)().(HistoryLoadedMsg)
	if loaded.Err != nil {
		t.Fatal(loaded.Err)
	}
	run2.p.AddOlderHistory(loaded.Entries)
	run2.press("up")
	if got := run2.value(); got != "typed before the history loaded" {
		t.Fatalf("newest first: %q", got)
	}
	run2.press("up")
	if got := run2.inside(); !slices.Equal(got, []string{"from the first run [paste #1: 100 lines, 900 B]"}) {
		t.Fatalf("the first run's prompt, with its chip: %q", got)
	}
}

func TestHistoryIsBounded(t *testing.T) {
	list := history.NewList(history.Limits{Entries: 3})
	u := newUser(t, 40, Options{History: list})
	for _, s := range []string{"1", "2", "3", "4", "5"} {
		u.typ(s)
		u.p.Take()
	}
	u.press("up", "up", "up", "up")
	if got := u.value(); got != "3" || list.Len() != 3 {
		t.Fatalf("the oldest kept is %q of %d", got, list.Len())
	}
	if len(u.p.unsaved) != 3 {
		t.Fatalf("unsaved entries are bounded by the history too: %d", len(u.p.unsaved))
	}
}
