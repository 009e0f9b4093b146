package ui

import (
	"strings"
	"time"

	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/sanitize"
)

// sidebar draws the session's tool calls (the controller's records), newest
// last. It follows the newest card unless the user has moved the focus.
type sidebar struct {
	calls  []*chat.Call
	cards  map[*chat.Call]*card
	focus  int  // focused card when the sidebar has focus
	offset int  // first visible row
	follow bool // keep the newest card in view
	// free: the wheel moved the view; it stays where it was put until the
	// focus moves. tops are the cards' first rows, as last drawn, and
	// where the last one ends, for the mouse (mouse.go).
	free bool
	tops []int
	head int // rows of title that stay put at the top
}

func newSidebar() *sidebar { return &sidebar{cards: map[*chat.Call]*card{}, follow: true} }

// sync takes the controller's calls and feeds their cards what arrived.
func (s *sidebar) sync(calls []*chat.Call) {
	if len(calls) < len(s.calls) || len(calls) > 0 && len(s.calls) > 0 && calls[0] != s.calls[0] {
		// Another session: start over.
		*s = *newSidebar()
	}
	s.calls = calls
	for _, call := range calls {
		c := s.cards[call]
		if c == nil {
			c = &card{}
			s.cards[call] = c
		}
		c.update(call)
	}
	if s.follow && len(calls) > 0 {
		s.focus = len(calls) - 1
	}
}

// focused is the focused call, if any.
func (s *sidebar) focused() *chat.Call {
	if s.focus < 0 || s.focus >= len(s.calls) {
		return nil
	}
	return s.calls[s.focus]
}

// render draws the sidebar into width×height.
func (s *sidebar) render(width, height int, focused bool, st *themes.Styles, now time.Time) []string {
	inner := width - st.Tools.Sidebar.GetHorizontalFrameSize()
	var rows []string
	title := st.Tools.Name.Render("Tool calls")
	if len(s.calls) > 0 {
		title += st.Tools.Meta.Render(" · " + itoa(len(s.calls)))
	}
	rows = append(rows, fit(title, inner))
	if len(s.calls) == 0 {
		for _, l := range wrapText("Calls the model makes appear here as their arguments stream in.", inner) {
			rows = append(rows, st.Tools.Meta.Render(l))
		}
	}
	// The title (and the hint of an empty sidebar) stays put; the cards
	// scroll under it. Row r ≥ head of the view shows rows[offset+r].
	s.head = len(rows)
	focusTop, focusBottom := 0, 0
	s.tops = s.tops[:0]
	for i, call := range s.calls {
		s.tops = append(s.tops, len(rows))
		if i == s.focus {
			focusTop = len(rows)
		}
		rows = append(rows, s.cards[call].render(call, inner, focused && i == s.focus, st, now)...)
		if i == s.focus {
			focusBottom = len(rows)
		}
	}
	s.tops = append(s.tops, len(rows)) // where the last card ends
	view := height - st.Tools.Sidebar.GetVerticalFrameSize()
	if view < 1 {
		return nil
	}
	maxOff := max(0, len(rows)-view)
	switch {
	case s.follow && len(s.calls) > 0:
		// The newest card, whole; if it is taller than the view, its
		// top (name and status) rather than its end.
		s.offset = min(maxOff, s.tops[len(s.calls)-1]-s.head)
	case s.free:
	case focusBottom-s.offset > view:
		s.offset = min(focusBottom-view, focusTop-s.head)
	case focusTop-s.head < s.offset:
		s.offset = focusTop - s.head
	}
	s.offset = min(max(s.offset, 0), maxOff)
	head := min(s.head, view)
	rows = append(rows[:head:head], rows[min(len(rows), head+s.offset):min(len(rows), s.offset+view)]...)
	for len(rows) < view {
		rows = append(rows, "")
	}
	return strings.Split(st.Tools.Sidebar.Width(width).Height(height).Render(strings.Join(rows, "\n")), "\n")
}

// indicator is the one-line form for terminals without room for the
// sidebar.
func (s *sidebar) indicator(width int, st *themes.Styles) string {
	if len(s.calls) == 0 {
		return ""
	}
	var parts []string
	for _, c := range s.calls[max(0, len(s.calls)-3):] {
		status := statusText(c)
		if !c.Hosted() {
			status += " " + formatBytes(argBytes(c))
		}
		parts = append(parts, st.Tools.Name.Render(sanitize.Text(c.Name()))+" "+statusStyle(c, st).Render(status))
	}
	noun := " tool calls: "
	if len(s.calls) == 1 {
		noun = " tool call: "
	}
	head := st.Tools.Meta.Render("⚙ " + itoa(len(s.calls)) + noun)
	return fit(head+strings.Join(parts, st.Tools.Meta.Render(", ")), width)
}

// moveFocus steps the focused card and stops following.
func (s *sidebar) moveFocus(d int) {
	if len(s.calls) == 0 {
		return
	}
	s.focus = min(max(s.focus+d, 0), len(s.calls)-1)
	s.follow = s.focus == len(s.calls)-1 && d > 0
	s.free = false
}

func (s *sidebar) toggleExpanded() {
	if c := s.focused(); c != nil {
		s.cards[c].expanded = !s.cards[c].expanded
	}
}
