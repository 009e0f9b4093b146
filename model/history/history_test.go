package history

import (
	"strings"
	"testing"
)

func textEntry(s string) Entry { return Entry{Parts: []Part{{Text: s}}} }

func pasteEntry(text, label, paste string) Entry {
	return Entry{Parts: []Part{{Text: text}, {Chip: &Chip{Kind: "paste", Label: label, Text: paste, Tokens: len(paste) / 4}}}}
}

func texts(l *List) []string {
	var out []string
	for _, e := range l.Entries() {
		out = append(out, e.Text())
	}
	return out
}

func TestEntryTextExpandsChips(t *testing.T) {
	e := pasteEntry("explain ", "paste #1: 2 lines, 8 B", "one\ntwo\n")
	if got := e.Text(); got != "explain one\ntwo\n" {
		t.Fatalf("Text = %q", got)
	}
	if e.Blank() || !textEntry(" \n\t").Blank() || (Entry{Parts: []Part{{Chip: &Chip{Kind: "attachment", Label: "a.png"}}}}).Blank() {
		t.Fatal("Blank is wrong: a chip alone is not blank, white space alone is")
	}
}

func TestListKeepsNewestWithinCount(t *testing.T) {
	l := NewList(Limits{Entries: 3})
	for _, s := range []string{"a", "b", "c", "d", "e"} {
		l.Add(textEntry(s))
	}
	if got := strings.Join(texts(l), ","); got != "c,d,e" {
		t.Fatalf("entries = %s, want c,d,e", got)
	}
}

func TestListKeepsNewestWithinBytes(t *testing.T) {
	l := NewList(Limits{Bytes: 10})
	l.Add(textEntry("aaaa"))
	l.Add(textEntry("bbbb"))
	l.Add(textEntry("cccc"))
	if got := strings.Join(texts(l), ","); got != "bbbb,cccc" {
		t.Fatalf("entries = %s, want bbbb,cccc (12 bytes is over 10)", got)
	}
}

func TestListRefusesBlankHugeAndRepeated(t *testing.T) {
	l := NewList(Limits{EntryBytes: 8})
	if l.Add(textEntry("  ")) || l.Add(textEntry("123456789")) {
		t.Fatal("a blank entry or one over EntryBytes was kept")
	}
	if !l.Add(textEntry("same")) || l.Add(textEntry("same")) {
		t.Fatal("the same prompt twice in a row should be kept once")
	}
	if !l.Add(textEntry("other")) || !l.Add(textEntry("same")) {
		t.Fatal("a prompt equal to an older (not the newest) entry is kept again")
	}
	if l.Len() != 3 {
		t.Fatalf("Len = %d, want 3", l.Len())
	}
}

func TestListAddOlderGoesFirst(t *testing.T) {
	l := NewList(Limits{Entries: 3})
	l.Add(textEntry("typed before load"))
	l.AddOlder([]Entry{textEntry("disk 1"), textEntry("disk 2"), textEntry("disk 3")})
	if got := strings.Join(texts(l), ","); got != "disk 2,disk 3,typed before load" {
		t.Fatalf("entries = %s", got)
	}
}

func TestEqualComparesChips(t *testing.T) {
	a := pasteEntry("x", "l", "p")
	b := pasteEntry("x", "l", "p")
	c := pasteEntry("x", "l", "q")
	if !a.Equal(b) || a.Equal(c) || a.Equal(textEntry("xp")) {
		t.Fatal("Equal is wrong")
	}
}
