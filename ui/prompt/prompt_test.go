package prompt

import (
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

func TestTypingAndEditingKeys(t *testing.T) {
	u := newUser(t, 40, Options{})
	u.typ("hello world")
	u.press("left", "left", "left", "left", "left")
	u.typ("big ")
	if got := u.value(); got != "hello big world" {
		t.Fatalf("after typing in the middle: %q", got)
	}
	u.press("ctrl+w") // delete word backward: "big "
	if got := u.value(); got != "hello world" {
		t.Fatalf("ctrl+w: %q", got)
	}
	u.press("alt+d") // delete word forward: "world"
	if got := u.value(); got != "hello " {
		t.Fatalf("alt+d: %q", got)
	}
	u.press("home")
	u.press("alt+u")
	if got := u.value(); got != "HELLO " {
		t.Fatalf("alt+u: %q", got)
	}
	u.press("home", "alt+c")
	if got := u.value(); got != "Hello " {
		t.Fatalf("alt+c: %q", got)
	}
	u.press("end", "backspace", "backspace")
	u.press("ctrl+a", "delete")
	if got := u.value(); got != "ell" {
		t.Fatalf("backspace, delete: %q", got)
	}
	u.press("right", "ctrl+k")
	if got := u.value(); got != "e" {
		t.Fatalf("ctrl+k: %q", got)
	}
	u.typ("xyz")
	u.press("left", "ctrl+u")
	if got := u.value(); got != "z" {
		t.Fatalf("ctrl+u: %q", got)
	}
	if got := u.inside(); !slices.Equal(got, []string{"z"}) {
		t.Fatalf("box shows %q", got)
	}
}

func TestNewlineKeysAndEnterIsTheRootsToSend(t *testing.T) {
	u := newUser(t, 40, Options{})
	u.typ("one")
	u.press("shift+enter")
	u.typ("two")
	u.press("alt+enter")
	u.typ("three")
	u.press("ctrl+j")
	u.press("enter") // Send: the root takes the draft; the input ignores it
	if got := u.value(); got != "one\ntwo\nthree\n" {
		t.Fatalf("value %q", got)
	}
	if got := u.inside(); !slices.Equal(got, []string{"one", "two", "three", ""}) {
		t.Fatalf("box shows %q", got)
	}
	if h := u.p.Height(); h != 6 {
		t.Fatalf("Height = %d, want 4 rows + 2 border", h)
	}
}

func TestUpAndDownMoveByScreenRows(t *testing.T) {
	u := newUser(t, 24, Options{}) // 20 columns inside
	u.typ("first line")
	u.press("ctrl+j")
	u.typ("a long second line that wraps")
	// Rows: "first line" / "a long second line " / "that wraps".
	u.press("up") // from the end of "that wraps", column 10, to column 10 of the row above
	u.typ("X")
	if got := u.value(); got != "first line\na long secXond line that wraps" {
		t.Fatalf("up moved to the wrong place: %q", got)
	}
	u.press("up", "up")
	u.typ("Y")
	if got := u.value(); !strings.HasPrefix(got, "first lineY\n") {
		t.Fatalf("up to a shorter row should stop at its end: %q", got)
	}
}

func TestScrollKeepsTheCursorInView(t *testing.T) {
	u := newUser(t, 30, Options{MaxRows: 4})
	var lines []string
	for i := range 20 {
		lines = append(lines, "line "+string(rune('a'+i)))
	}
	if err := u.p.SetValue(strings.Join(lines, "\n")); err != nil {
		t.Fatal(err)
	}
	u.checkBox()
	if got := u.inside(); !slices.Equal(got, []string{"line q", "line r", "line s", "line t"}) {
		t.Fatalf("at the end the box shows %q", got)
	}
	if c := u.p.Cursor(); c.Y != 4 || c.X != 2+6 {
		t.Fatalf("cursor at %d,%d, want the end of the last row (8,4)", c.X, c.Y)
	}
	u.press("alt+<")
	if got := u.inside(); !slices.Equal(got, []string{"line a", "line b", "line c", "line d"}) {
		t.Fatalf("at the start the box shows %q", got)
	}
	u.press("down", "down", "down", "down")
	if got := u.inside(); got[3] != "line e" || u.p.Cursor().Y != 4 {
		t.Fatalf("moving down past the box scrolls one row: %q, cursor row %d", got, u.p.Cursor().Y)
	}
	for range 19 {
		u.press("backspace") // delete "line e" and its newline... and more
	}
	u.checkBox()
}

func TestLargePasteIsOneChipSentWhole(t *testing.T) {
	u := newUser(t, 60, Options{})
	u.typ("summarise ")
	big := strings.Repeat(strings.Repeat("x", 19)+"\n", 5000) // 100,000 bytes
	u.paste(strings.ReplaceAll(big, "\n", "\r\n"))            // as a terminal pastes it
	u.typ(" please")
	if got := u.inside(); !slices.Equal(got, []string{"summarise [paste #1: 5,000 lines, 97.7 KB] please"}) {
		t.Fatalf("box shows %q", got)
	}
	text, chips := u.p.Take()
	if text != "summarise "+big+" please" {
		t.Fatalf("Take did not expand the paste: %d bytes", len(text))
	}
	if len(chips) != 1 || chips[0].Kind != KindPaste || chips[0].Tokens != 25000 {
		t.Fatalf("chips %+v", chips)
	}
	if !u.p.Empty() || len(u.p.Chips()) != 0 || u.p.chips.textBytes != 0 {
		t.Fatal("Take left something behind")
	}
}

func TestChipIsAtomic(t *testing.T) {
	u := newUser(t, 60, Options{})
	u.typ("a")
	u.paste(strings.Repeat("line\n", 20))
	u.typ("b")
	u.press("left", "left") // over "b", then over the whole chip
	u.typ("|")
	if got := u.inside()[0]; got != "a|[paste #1: 20 lines, 100 B]b" {
		t.Fatalf("one left should step over the chip: %q", got)
	}
	if ch, ok := u.p.ActiveChip(); !ok || ch.Kind != KindPaste {
		t.Fatal("the chip after the cursor is the active one")
	}
	u.press("delete") // deletes the whole chip
	if got := u.value(); got != "a|b" || len(u.p.Chips()) != 0 || u.p.chips.textBytes != 0 {
		t.Fatalf("delete should remove the chip and its text: %q, %d chips", got, len(u.p.Chips()))
	}
	u.paste(strings.Repeat("line\n", 20))
	u.press("backspace")
	if got := u.value(); got != "a|b" || len(u.p.Chips()) != 0 {
		t.Fatalf("backspace should remove the chip: %q", got)
	}
	u.typ(" ")
	u.paste(strings.Repeat("line\n", 20))
	u.typ(" tail")
	u.press("ctrl+w", "ctrl+w") // "tail", then " " and the chip as a word
	if got := u.value(); got != "a| b" || len(u.p.Chips()) != 0 {
		t.Fatalf("ctrl+w should take the chip as a word: %q", got)
	}
}

func TestExpandChipToEditIt(t *testing.T) {
	u := newUser(t, 40, Options{})
	paste := strings.Repeat("ab\n", 13)
	u.paste(paste)
	if got := u.p.ShortHelp(u.keys); len(got) != 2 || got[0].Help().Key != "alt+e" {
		t.Fatalf("with the cursor on a paste the hints are expand and delete: %v", got)
	}
	u.press("alt+e")
	if len(u.p.Chips()) != 0 || u.value() != paste {
		t.Fatalf("alt+e should put the text back: %q", u.value())
	}
	u.typ(">")
	if got := u.value(); got != ">"+paste {
		t.Fatalf("the cursor should be at the start of the expanded text: %q", got)
	}
	if u.p.ShortHelp(u.keys) != nil {
		t.Fatal("no chip, no hint")
	}
}

func TestSetChipTextRelabelsAPaste(t *testing.T) {
	u := newUser(t, 60, Options{})
	u.paste(strings.Repeat("x\n", 30))
	ch, _ := u.p.ActiveChip()
	if err := u.p.SetChipText(ch.ID, "edited\r\nin the editor"); err != nil {
		t.Fatal(err)
	}
	if got := u.inside()[0]; got != "[paste #1: 2 lines, 20 B]" {
		t.Fatalf("label %q", got)
	}
	if got, _ := u.p.Take(); got != "edited\nin the editor" {
		t.Fatalf("Take %q", got)
	}
}

func TestSmallPastesStayTextUntilTheDraftIsLarge(t *testing.T) {
	u := newUser(t, 60, Options{Limits: Limits{InlineBytes: 100}})
	u.paste("small one\nsmall two") // 2 lines: text
	if len(u.p.Chips()) != 0 {
		t.Fatal("a small paste into a small draft should be text")
	}
	u.paste(strings.Repeat("y", 50))
	u.paste(strings.Repeat("z", 50)) // the draft would pass 100 bytes: a chip
	chips := u.p.Chips()
	if len(chips) != 1 || chips[0].Text != strings.Repeat("z", 50) {
		t.Fatalf("chips %+v", chips)
	}
	u.paste(strings.Repeat("line\n", 13)) // 13 lines: a chip whatever the draft
	if len(u.p.Chips()) != 2 {
		t.Fatal("a paste of 13 lines should be a chip")
	}
}

func TestAttachmentChips(t *testing.T) {
	u := newUser(t, 60, Options{})
	type file struct{ name string }
	u.typ("look at ")
	id, err := u.p.AddChip(Chip{Kind: KindAttachment, Label: "notes.txt · text · 2.1 KB", Ref: "/tmp/notes.txt", Tokens: 540, Payload: file{"notes.txt"}})
	if err != nil {
		t.Fatal(err)
	}
	u.send(nil)
	u.typ(" and ")
	u.p.AddChip(Chip{Kind: KindAttachment, Label: "shot\x1b[31m.png\n", Payload: file{"shot.png"}})
	u.send(nil)
	if got := u.inside()[0]; got != "look at [notes.txt · text · 2.1 KB] and [shot␛[31m.png]" {
		t.Fatalf("box shows %q", got)
	}
	if got := u.p.TokenEstimate(); got != 540+(len("look at  and ")+3)/4 {
		t.Fatalf("TokenEstimate = %d", got)
	}
	u.press("backspace") // the second attachment, removed before sending
	text, chips := u.p.Take()
	if text != "look at  and " || len(chips) != 1 || chips[0].ID != id || chips[0].Payload != (file{"notes.txt"}) {
		t.Fatalf("Take = %q, %+v", text, chips)
	}
}

func TestLimitsRefuseAndKeepTheDraft(t *testing.T) {
	u := newUser(t, 40, Options{Limits: Limits{DraftBytes: 1000, Chips: 2}})
	u.typ("draft")
	u.paste(strings.Repeat("q", 2000))
	if len(u.errs) != 1 || !errors.Is(u.errs[0], ErrFull) || u.value() != "draft" {
		t.Fatalf("a paste past DraftBytes should be refused with ErrFull, the draft kept: %v %q", u.errs, u.value())
	}
	u.paste(strings.Repeat("l\n", 20))
	u.paste(strings.Repeat("m\n", 20))
	u.paste(strings.Repeat("n\n", 20))
	if len(u.errs) != 2 || !errors.Is(u.errs[1], ErrTooManyChips) || len(u.p.Chips()) != 2 {
		t.Fatalf("a third chip past Chips=2 should be refused: %v", u.errs)
	}
	if err := u.p.SetValue(strings.Repeat("s", 1001)); !errors.Is(err, ErrFull) || !strings.HasPrefix(u.value(), "draft") {
		t.Fatalf("SetValue past the limit: %v, draft %q", err, u.value())
	}
}

func TestRunesFromTheChipRangeStayText(t *testing.T) {
	u := newUser(t, 40, Options{})
	odd := "a\U0010F000b\U0010FFFFc"
	u.paste(odd)
	u.typ("!")
	if got, _ := u.p.Take(); got != odd+"!" {
		t.Fatalf("Take = %q, want the pasted runes back", got)
	}
}

func TestControlCharactersAreShownNotSent(t *testing.T) {
	u := newUser(t, 40, Options{})
	u.paste("a\x1b[2Jb\x07c\u202ed")
	box := u.p.Render(40)
	if strings.Contains(box, "\x1b[2J") || strings.Contains(box, "\x07") || strings.Contains(box, "\u202e") {
		t.Fatalf("raw control characters reached the box: %q", box)
	}
	if got := u.inside()[0]; got != "a␛[2Jb�c�d" {
		t.Fatalf("box shows %q", got)
	}
	if got := u.value(); got != "a\x1b[2Jb\x07c\u202ed" {
		t.Fatalf("the draft keeps what was pasted: %q", got)
	}
	u.checkBox()
}

func TestFocusAndBlur(t *testing.T) {
	u := newUser(t, 30, Options{Placeholder: "Ask anything…  (enter to send)"})
	if got := u.inside()[0]; got != "Ask anything…  (enter to …" {
		t.Fatalf("placeholder %q", got)
	}
	if c := u.p.Cursor(); c == nil || c.X != 2 || c.Y != 1 || !c.Blink {
		t.Fatalf("a focused input puts a blinking terminal cursor at its start: %+v", c)
	}
	focused := u.p.Render(30)
	u.p.Blur()
	if u.p.Cursor() != nil || u.p.Render(30) == focused {
		t.Fatal("a blurred input has no cursor and another frame colour")
	}
	u.p.Focus()
	if u.p.Render(30) != focused {
		t.Fatal("focus again: the same box")
	}
}

// TestEditingALongLineRewrapsOnlyNearTheEdit types and deletes in the
// middle of a long line at several widths and checks after every key
// that the rows found from the edit on are those of a full wrap.
func TestEditingALongLineRewrapsOnlyNearTheEdit(t *testing.T) {
	long := strings.Repeat("lorem ipsum dolor sit amet, 中文 e\u0301 ", 300)
	for _, width := range []int{9, 23, 80} {
		u := newUser(t, width, Options{})
		u.p.SetValue(long)
		u.p.Render(width)
		u.p.cur.off = len(long) / 2
		u.p.cur.off = u.p.snap(long, 0, u.p.cur.off, true)
		for _, k := range []string{"x", "y", " ", "backspace", "ctrl+w", "alt+d", "z", "\u0301", "ctrl+j", "backspace"} {
			if len([]rune(k)) == 1 {
				u.typ(k)
			} else {
				u.press(k)
			}
			for i := range u.p.lines.Len() {
				l := u.p.lines.At(i)
				rows := u.p.rowsOf(l, u.p.wrapWidth())
				if full := u.p.wrap(l.s, u.p.wrapWidth(), []int{0}, nil); !slices.Equal(rows, full) {
					t.Fatalf("width %d, after %q: line %d rows differ from a full wrap", width, k, i)
				}
			}
		}
	}
}

// TestRewrapMatchesAFullWrap: for many random lines, widths and single
// edits (the words chosen so rows often start in the same places), the
// rows found by rewrap are those of a full wrap of the new text.
func TestRewrapMatchesAFullWrap(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := []string{"a", "bb", "ccc", "dddd", " ", "  ", "中", "👩‍👩‍👧", "e\u0301", "\t"}
	text := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(words[rng.IntN(len(words))])
		}
		return b.String()
	}
	p := New(Options{Styles: testStyles()})
	for range 3000 {
		w := 1 + rng.IntN(12)
		l := newLine(text(rng.IntN(60)))
		p.rowsOf(l, w)
		at := rng.IntN(len(l.s) + 1)
		at = p.snap(l.s, 0, at, false)
		if rng.IntN(2) == 0 {
			ins := text(1 + rng.IntN(6))
			l.edit(l.s[:at]+ins+l.s[at:], at, len(ins))
		} else {
			end := p.snap(l.s, 0, min(len(l.s), at+rng.IntN(10)), true)
			l.edit(l.s[:at]+l.s[end:], at, at-end)
		}
		got := slices.Clone(p.rowsOf(l, w))
		if full := p.wrap(l.s, w, []int{0}, nil); !slices.Equal(got, full) {
			t.Fatalf("width %d, %q: rewrap %v, full %v", w, l.s, got, full)
		}
	}
}

func TestCaseKeysKeepChips(t *testing.T) {
	u := newUser(t, 60, Options{})
	u.typ("ab")
	u.paste(strings.Repeat("x\n", 20))
	u.typ("cd")
	u.press("home", "alt+u")
	if got := u.inside()[0]; got != "AB[paste #1: 20 lines, 40 B]CD" || len(u.p.Chips()) != 1 {
		t.Fatalf("alt+u over a word with a chip: %q, %d chips", got, len(u.p.Chips()))
	}
	if text, _ := u.p.Take(); text != "AB"+strings.Repeat("x\n", 20)+"CD" {
		t.Fatalf("the chip's text is sent as pasted, not uppercased: %q", text)
	}
}
