package prompt

import (
	"testing"

	"charm.land/bubbles/v2/key"
)

// An attachment made from a pasted path expands back into the path; one
// without a Source does not expand, and the footer's keys say so.
func TestAttachmentFromAPasteExpandsToItsSource(t *testing.T) {
	u := newUser(t, 60, Options{})
	u.typ("read ")
	id, _ := u.p.AddChip(Chip{Kind: KindAttachment, Label: "notes.txt · text", Source: "/home/me/notes.txt"})
	u.send(nil)
	if got := helpOf(u.p.ShortHelp(u.keys)); got != "alt+e paste as text, backspace remove chip" {
		t.Fatalf("help after the chip: %q", got)
	}
	u.press("left")
	if got := helpOf(u.p.ShortHelp(u.keys)); got != "alt+e paste as text, delete remove chip" {
		t.Fatalf("help before the chip: %q", got)
	}
	u.press("alt+e")
	if u.value() != "read /home/me/notes.txt" || len(u.p.Chips()) != 0 {
		t.Fatalf("expanded: %q, %d chips", u.value(), len(u.p.Chips()))
	}
	if u.p.ExpandChip(id) {
		t.Fatal("a gone chip expanded")
	}
	u.p.Reset()
	u.p.AddChip(Chip{Kind: KindAttachment, Label: "pic.png"})
	u.send(nil)
	if got := helpOf(u.p.ShortHelp(u.keys)); got != "backspace remove chip" {
		t.Fatalf("help on a plain attachment: %q", got)
	}
	u.press("alt+e")
	if len(u.p.Chips()) != 1 {
		t.Fatal("an attachment without a source expanded")
	}
	if h := u.keys.ExpandChip.Help().Desc; h != "chip to text" {
		t.Fatalf("ShortHelp changed the key map's own help: %q", h)
	}
}

func helpOf(bs []key.Binding) string {
	s := ""
	for i, b := range bs {
		if i > 0 {
			s += ", "
		}
		s += b.Help().Key + " " + b.Help().Desc
	}
	return s
}

// A recalled attachment gets its file back by id; a removed one does not.
func TestSetChipPayload(t *testing.T) {
	u := newUser(t, 60, Options{})
	id, _ := u.p.AddChip(Chip{Kind: KindAttachment, Label: "a", Ref: "/a"})
	if !u.p.SetChipPayload(id, 42) || u.p.Chips()[0].Payload != 42 {
		t.Fatalf("payload not set: %+v", u.p.Chips())
	}
	u.press("backspace")
	if u.p.SetChipPayload(id, 1) {
		t.Fatal("a removed chip took a payload")
	}
}

// An @ starts a file reference at the start of a line, after a space or
// after a chip; inside a word it is an e-mail address's.
func TestAtWordStart(t *testing.T) {
	u := newUser(t, 60, Options{})
	for _, c := range []struct {
		typed string
		want  bool
	}{{"", true}, {"see ", true}, {"me", false}, {"a\n", true}, {"tab\t", true}, {"x.", false}} {
		u.p.Reset()
		u.typ(c.typed)
		if got := u.p.AtWordStart(); got != c.want {
			t.Errorf("after %q: %v", c.typed, got)
		}
	}
	u.p.Reset()
	u.p.AddChip(Chip{Kind: KindAttachment, Label: "a"})
	if !u.p.AtWordStart() {
		t.Error("after a chip: false")
	}
	if u.p.SpaceAfter() {
		t.Error("SpaceAfter at the end")
	}
	u.typ(" x")
	u.press("left", "left")
	if !u.p.SpaceAfter() {
		t.Error("SpaceAfter before a space: false")
	}
	u.press("right", "right")
	u.press("left")
	if u.p.SpaceAfter() {
		t.Error("SpaceAfter before x")
	}
}

// MoveToStart and MoveToEnd put text before and after the draft.
func TestMoveToStartAndEnd(t *testing.T) {
	u := newUser(t, 60, Options{})
	u.typ("middle\nlines")
	u.p.MoveToStart()
	u.typ("<")
	u.p.MoveToEnd()
	u.typ(">")
	if u.value() != "<middle\nlines>" {
		t.Fatalf("draft %q", u.value())
	}
}
