package prompt

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/themes"
)

func testStyles() Styles {
	p, _ := themes.ByName("dark")
	return NewStyles(themes.NewStyles(p))
}

// user drives a Prompt the way the root model does: each key or paste
// goes through Update, then the box is laid out and drawn.
type user struct {
	t     *testing.T
	p     *Prompt
	keys  KeyMap
	width int
	errs  []error
}

func newUser(t *testing.T, width int, o Options) *user {
	t.Helper()
	o.Styles = testStyles()
	p := New(o)
	p.SetWidth(width)
	return &user{t: t, p: p, keys: DefaultKeyMap(), width: width}
}

func (u *user) send(msg tea.Msg) {
	u.t.Helper()
	if cmd := u.p.Update(msg, u.keys); cmd != nil {
		m, ok := cmd().(ErrorMsg)
		if !ok {
			u.t.Fatalf("Update returned a command that is not an ErrorMsg: %T", cmd())
		}
		u.errs = append(u.errs, m.Err)
	}
	u.p.Height()
	u.p.Render(u.width)
}

// typ types s one key per grapheme-ish rune, as a terminal sends it.
func (u *user) typ(s string) {
	u.t.Helper()
	for _, r := range s {
		u.send(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

// press sends keys by name ("ctrl+w", "alt+backspace", "shift+enter").
func (u *user) press(names ...string) {
	u.t.Helper()
	for _, name := range names {
		k := keyNamed(u.t, name)
		u.send(k)
	}
}

func (u *user) paste(s string) { u.t.Helper(); u.send(tea.PasteMsg{Content: s}) }

var namedKeys = map[string]rune{
	"enter": tea.KeyEnter, "backspace": tea.KeyBackspace, "delete": tea.KeyDelete,
	"left": tea.KeyLeft, "right": tea.KeyRight, "up": tea.KeyUp, "down": tea.KeyDown,
	"home": tea.KeyHome, "end": tea.KeyEnd, "tab": tea.KeyTab, "space": tea.KeySpace,
}

func keyNamed(t *testing.T, name string) tea.KeyPressMsg {
	t.Helper()
	parts := strings.Split(name, "+")
	var k tea.KeyPressMsg
	for _, m := range parts[:len(parts)-1] {
		switch m {
		case "ctrl":
			k.Mod |= tea.ModCtrl
		case "alt":
			k.Mod |= tea.ModAlt
		case "shift":
			k.Mod |= tea.ModShift
		}
	}
	last := parts[len(parts)-1]
	if r, ok := namedKeys[last]; ok {
		k.Code = r
	} else {
		k.Code = []rune(last)[0]
	}
	if k.String() != name {
		t.Fatalf("test key %q builds as %q", name, k.String())
	}
	return k
}

// screen is the box as plain text lines.
func (u *user) screen() []string {
	return strings.Split(ansi.Strip(u.p.Render(u.width)), "\n")
}

// inside is the box's text rows without the frame, trailing blanks cut.
func (u *user) inside() []string {
	lines := u.screen()
	var out []string
	for _, l := range lines[1 : len(lines)-1] {
		l = strings.TrimPrefix(l, "│ ")
		l = strings.TrimSuffix(l, "│")
		out = append(out, strings.TrimRight(l, " "))
	}
	return out
}

func (u *user) value() string { return u.p.Value() }

// checkBox asserts what must hold for any draft at any width: every line
// of the box is exactly the width (so the border is straight), Height
// says how many lines there are, and the cursor is inside the frame.
func (u *user) checkBox() {
	u.t.Helper()
	box := u.p.Render(u.width)
	lines := strings.Split(box, "\n")
	if len(lines) != u.p.Height() {
		u.t.Fatalf("Render has %d lines, Height says %d", len(lines), u.p.Height())
	}
	for i, l := range lines {
		if w := lipgloss.Width(l); w != u.width {
			u.t.Fatalf("line %d is %d cells wide, want %d: %q", i, w, u.width, ansi.Strip(l))
		}
	}
	if c := u.p.Cursor(); c != nil {
		if c.X < 2 || c.X > u.width-3 || c.Y < 1 || c.Y > len(lines)-2 {
			u.t.Fatalf("cursor at %d,%d is outside the %dx%d box's inside", c.X, c.Y, u.width, len(lines))
		}
	}
}

// benchText is n lines of prose, some wrapping at 80 columns.
func benchText(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%d the quick brown fox jumps over the lazy dog", i)
		if i%5 == 0 {
			b.WriteString(" and then keeps running well past the edge of an eighty-column box, so it wraps")
		}
	}
	return b.String()
}
