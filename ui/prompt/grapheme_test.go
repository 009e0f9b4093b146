package prompt

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/vt"
)

// hardText has what breaks naive width code: a ZWJ family, a flag, a skin
// tone, CJK, Hangul, fullwidth Latin, combining marks (one and stacked),
// a tab and an ESC. (Devanagari conjuncts are left to
// TestIndicConjunctsKeepTheBox: x/vt segments them as it receives them,
// unlike lipgloss, so it cannot judge them.)
const hardText = "family 👩‍👩‍👧 flag 🇫🇷 ok 👍🏽 中文字符 한국어 ＡＢ e\u0301 a\u0308\u0301\tend \x1b x"

// graphemes are hardText's clusters as lipgloss's segmenter sees them.
func graphemes(s string) []string {
	var out []string
	for s != "" {
		c, _ := ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
		out = append(out, c)
		s = s[len(c):]
	}
	return out
}

// TestGraphemesAtSeveralWidths types text full of wide and joined
// characters at many widths, for both ways a terminal measures, and
// checks at every cursor position that the box is straight (lipgloss and
// a terminal emulator agree that every line is exactly the width and the
// right border is in the last column) and that the cursor stands on the
// character it is before.
func TestGraphemesAtSeveralWidths(t *testing.T) {
	for _, method := range []ansi.Method{ansi.GraphemeWidth, ansi.WcWidth} {
		for _, width := range []int{7, 8, 9, 10, 11, 13, 17, 24, 40, 80} {
			u := newUser(t, width, Options{})
			u.p.SetWidthMethod(method)
			u.typ(hardText)
			u.checkBoxIn(method)
			u.press("alt+<")
			clusters := graphemes(hardText)
			for i, g := range clusters {
				u.checkBoxIn(method)
				u.checkCursorOn(method, g)
				u.press("right")
				if i == len(clusters)-1 && u.p.cur != (pos{0, len(hardText)}) {
					t.Fatalf("width %d: %d rights did not reach the end", width, len(clusters))
				}
			}
			for range clusters {
				u.press("backspace") // one cluster each
			}
			if !u.p.Empty() {
				t.Fatalf("width %d: %d backspaces left %q", width, len(clusters), u.value())
			}
		}
	}
}

// checkBoxIn is checkBox for a width method, plus (for grapheme widths,
// as Bubble Tea draws once the terminal reports mode 2027) a terminal
// emulator's view: the right border is in the last column of every line.
func (u *user) checkBoxIn(m ansi.Method) {
	u.t.Helper()
	box := u.p.Render(u.width)
	lines := strings.Split(box, "\n")
	for i, l := range lines {
		if w := m.StringWidth(l); w != u.width {
			u.t.Fatalf("width %d: line %d is %d cells: %q", u.width, i, w, ansi.Strip(l))
		}
	}
	if m != ansi.GraphemeWidth {
		return // x/vt places clusters by grapheme width in either mode
	}
	emu := vt.NewEmulator(u.width, len(lines))
	emu.Write([]byte(ansi.SetModeUnicodeCore))
	emu.Write([]byte(strings.ReplaceAll(box, "\n", "\r\n")))
	for y := range lines {
		if c := emu.CellAt(u.width-1, y); c == nil || !strings.ContainsAny(c.Content, "│╮╯") {
			u.t.Fatalf("width %d: the terminal shows no right border on line %d: %q", u.width, y, emu.String())
		}
	}
}

// checkCursorOn checks that the cell under the cursor shows cluster g, the
// one right after the cursor (a tab shows as spaces, ESC as ␛).
func (u *user) checkCursorOn(m ansi.Method, g string) {
	u.t.Helper()
	c := u.p.Cursor()
	if u.p.laid.x >= u.p.wrapWidth() {
		return // before white space hanging past the row's end: the cursor waits in the last cell
	}
	line := ansi.Strip(strings.Split(u.p.Render(u.width), "\n")[c.Y])
	shown := u.p.glyphAt(g).shown
	if g == "\t" {
		shown = " "
	}
	got := cells(m, line, c.X, m.StringWidth(shown))
	if got != shown && !(u.p.glyphAt(g).w > u.width-4) {
		u.t.Fatalf("width %d: cursor at column %d shows %q, want %q (line %q)", u.width, c.X, got, shown, line)
	}
}

func TestIndicConjunctsKeepTheBox(t *testing.T) {
	for width := 6; width < 30; width++ {
		u := newUser(t, width, Options{})
		u.typ("नमस्ते दुनिया क्षत्रिय")
		u.checkBox()
		for range graphemes("नमस्ते दुनिया क्षत्रिय") {
			u.press("left")
			u.checkBox()
		}
		if u.p.cur != (pos{}) {
			t.Fatalf("width %d: lefts did not reach the start", width)
		}
	}
}

func TestTabIsFourSpacesShownAndCounted(t *testing.T) {
	u := newUser(t, 20, Options{})
	u.typ("a\tb")
	if got := u.inside()[0]; got != "a    b" {
		t.Fatalf("box shows %q", got)
	}
	if c := u.p.Cursor(); c.X != 2+6 {
		t.Fatalf("cursor after a<tab>b at column %d, want 8", c.X)
	}
	if u.value() != "a\tb" {
		t.Fatalf("the tab is sent as a tab: %q", u.value())
	}
}

func TestCombiningMarkTypedAfterItsLetterJoinsIt(t *testing.T) {
	u := newUser(t, 20, Options{})
	u.typ("xe")
	u.press("left") // between x and e
	u.typ("\u0301") // joins x: "x́"
	u.press("right")
	u.typ("!")
	if got := u.value(); got != "x\u0301e!" {
		t.Fatalf("value %q", got)
	}
	u.press("left", "left", "backspace") // deletes "x́" whole
	if got := u.value(); got != "e!" {
		t.Fatalf("backspace after a joined mark: %q", got)
	}
}

// cells is what line shows in the n cells from column x, measured by m.
func cells(m ansi.Method, line string, x, n int) string {
	var b strings.Builder
	col := 0
	for line != "" {
		c, w := ansi.FirstGraphemeCluster(line, m)
		if col >= x && col < x+n {
			b.WriteString(c)
		}
		col += w
		line = line[len(c):]
	}
	return b.String()
}
