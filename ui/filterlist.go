package ui

import (
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/sanitize"
)

// filterList is what both pickers share: a query typed into a filter line
// and a cursor over the rows it leaves.
type filterList struct {
	query  string
	cursor int
}

// key handles the keys of a filtered list of n rows. It reports whether
// the key was the list's, and whether the query changed.
func (f *filterList) key(k tea.KeyPressMsg, pk keymap.PickerKeys, n int) (handled, changed bool) {
	switch {
	case key.Matches(k, pk.Up):
		f.cursor = max(f.cursor-1, 0)
	case key.Matches(k, pk.Down):
		f.cursor = min(f.cursor+1, max(n-1, 0))
	case key.Matches(k, pk.Top):
		f.cursor = 0
	case key.Matches(k, pk.Bottom):
		f.cursor = max(n-1, 0)
	case key.Matches(k, pk.Clear):
		if f.query == "" {
			return true, false
		}
		f.query, f.cursor = "", 0
		return true, true
	case k.Code == tea.KeyBackspace && k.Mod == 0:
		if f.query == "" {
			return true, false
		}
		_, size := utf8.DecodeLastRuneInString(f.query)
		f.query, f.cursor = f.query[:len(f.query)-size], 0
		return true, true
	case k.Text != "" && k.Mod&^tea.ModShift == 0:
		f.query, f.cursor = f.query+k.Text, 0
		return true, true
	default:
		return false, false
	}
	return true, false
}

// clamp keeps the cursor on a row after the rows changed.
func (f *filterList) clamp(n int) { f.cursor = min(f.cursor, max(n-1, 0)) }

// window is the first row to show so the cursor stays in a view of rows.
func (f *filterList) window(n, rows int) int {
	return max(0, min(f.cursor-rows/2, n-rows))
}

// line draws the filter line: a label, the query and a cursor bar.
func (f *filterList) line(label string, st *themes.Styles) string {
	return st.Status.Key.Render(label+": ") + st.Status.Value.Render(sanitize.Text(f.query)) + "▏"
}

// cursorMark starts a list row: an arrow on the cursor's row.
func cursorMark(on bool) string {
	if on {
		return "▸ "
	}
	return "  "
}
