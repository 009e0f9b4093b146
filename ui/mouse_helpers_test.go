package ui

import (
	"regexp"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// The mouse as a user drives it: at screen cells found by the text they
// show.

func mousePress(m *Model, x, y int) tea.Cmd {
	_, cmd := m.Update(tea.MouseClickMsg{X: x, Y: y, Button: tea.MouseLeft})
	return cmd
}

func mouseMove(m *Model, x, y int) tea.Cmd {
	_, cmd := m.Update(tea.MouseMotionMsg{X: x, Y: y, Button: tea.MouseLeft})
	return cmd
}

func mouseRelease(m *Model, x, y int) tea.Cmd {
	_, cmd := m.Update(tea.MouseReleaseMsg{X: x, Y: y, Button: tea.MouseLeft})
	return cmd
}

func wheel(m *Model, x, y int, down bool) {
	b := tea.MouseWheelUp
	if down {
		b = tea.MouseWheelDown
	}
	m.Update(tea.MouseWheelMsg{X: x, Y: y, Button: b})
}

// dragCopy drags from one cell to another and returns what the release
// copied to the clipboard ("" if nothing).
func dragCopy(t *testing.T, m *Model, x1, y1, x2, y2 int) string {
	t.Helper()
	m.Render() // the frame the user sees
	mousePress(m, x1, y1)
	mouseMove(m, (x1+x2)/2, (y1+y2)/2)
	mouseMove(m, x2, y2)
	m.Render() // highlighted as it grows
	return copied(t, m, mouseRelease(m, x2, y2))
}

// clicks clicks n times at a cell, as fast as a double or triple click,
// and returns what the last release copied.
func clicks(t *testing.T, m *Model, x, y, n int) string {
	t.Helper()
	m.Render()
	var got string
	for range n {
		mousePress(m, x, y)
		// Every release's write is run, as Bubble Tea would: a write not
		// yet made holds the next one back.
		got = copied(t, m, mouseRelease(m, x, y))
	}
	return got
}

// copied is the text a command writes to the clipboard.
func copied(t *testing.T, m *Model, cmd tea.Cmd) string {
	t.Helper()
	w := clipboardWrites(m, cmd)
	if len(w) > 1 {
		t.Fatalf("%d clipboard writes: %q", len(w), w)
	}
	if len(w) == 0 {
		return ""
	}
	return w[0]
}

// find returns the cell where text first shows on screen (the n-th time,
// counting from 0), or fails.
func findOnScreen(t *testing.T, m *Model, text string, nth ...int) (x, y int) {
	t.Helper()
	want := 0
	if len(nth) > 0 {
		want = nth[0]
	}
	for row, l := range strings.Split(ansi.Strip(m.Render()), "\n") {
		from := 0
		for {
			i := strings.Index(l[from:], text)
			if i < 0 {
				break
			}
			if want == 0 {
				return ansi.StringWidth(l[:from+i]), row
			}
			want--
			from += i + len(text)
		}
	}
	t.Fatalf("%q is not on screen:\n%s", text, screen(m))
	return 0, 0
}

// lastCell is the cell of text's last character on screen.
func lastCell(t *testing.T, m *Model, text string, nth ...int) (x, y int) {
	t.Helper()
	x, y = findOnScreen(t, m, text, nth...)
	return x + ansi.StringWidth(text) - 1, y
}

var osc8 = regexp.MustCompile("\x1b]8;[^;\x07]*;([^\x07]*)\x07")

// onlySGRAndLinks is onlySGR for a frame that may also hold hyperlinks,
// to the URLs given only.
func onlySGRAndLinks(t *testing.T, frame string, urls ...string) {
	t.Helper()
	frame = osc8.ReplaceAllStringFunc(frame, func(seq string) string {
		u := osc8.FindStringSubmatch(seq)[1]
		ok := u == ""
		for _, w := range urls {
			ok = ok || u == w
		}
		if !ok {
			t.Fatalf("hyperlink to %q", u)
		}
		return ""
	})
	onlySGR(t, frame)
}

// highlighted reports whether the cells of text at (x, y) are drawn in the
// selection's colours.
func highlighted(m *Model, x, y int, text string) bool {
	rows := strings.Split(m.Render(), "\n")
	if y >= len(rows) {
		return false
	}
	want := m.look.styles.Transcript.SelectionHighlight.Render(text)
	cell := ansi.Cut(rows[y], x, x+ansi.StringWidth(text))
	return strings.Contains(rows[y], want) || strings.Contains(cell, strings.TrimSuffix(want, "\x1b[m"))
}
