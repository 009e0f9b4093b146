package ui

import (
	"strings"
	"time"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/themes"
)

// sidebar lists the session's tool calls, newest last. It follows the
// newest card unless the user has scrolled or moved the focus.
type sidebar struct {
	cards  []*toolCard
	byKey  map[string]*toolCard
	focus  int  // focused card when the sidebar has focus
	offset int  // first visible row
	follow bool // keep the newest card in view
}

func newSidebar() *sidebar { return &sidebar{byKey: map[string]*toolCard{}, follow: true} }

// cardKey matches choices of one call: Responses choices carry the item
// id; Chat choices only the call's index within its turn.
func cardKey(turn int, c stream.Choice) string {
	itemID := ""
	if c.Tool != nil {
		itemID = c.Tool.ItemID
	}
	return callKey(turn, itemID, c.OutputIndex)
}

// callKey names a call by its item id, or by its turn and index when the
// wire gives no id (Chat Completions).
func callKey(turn int, itemID string, outputIndex int) string {
	if itemID != "" {
		return itemID
	}
	return "turn" + itoa(turn) + "#" + itoa(outputIndex)
}

// apply folds a tool choice into the cards. It reports whether anything
// changed on screen.
func (s *sidebar) apply(turn int, c stream.Choice, now time.Time) bool {
	key := cardKey(turn, c)
	card := s.byKey[key]
	switch c.Kind {
	case stream.KindToolStart:
		if card != nil { // a later start names a call that began nameless
			if card.ref.Name == "" {
				card.ref.Name = c.Tool.Name
			}
			return true
		}
		card = newToolCard(*c.Tool, now)
		s.byKey[key] = card
		s.cards = append(s.cards, card)
		if s.follow {
			s.focus = len(s.cards) - 1
		}
	case stream.KindToolArgs:
		if card == nil {
			return false
		}
		card.appendArgs(c.Delta)
	case stream.KindToolDone:
		if card == nil {
			card = newToolCard(*c.Tool, now)
			s.byKey[key] = card
			s.cards = append(s.cards, card)
		}
		card.finish(*c.Tool, now)
	case stream.KindHostedStatus:
		if card == nil {
			return false
		}
		card.progress = c.Tool.Status
	default:
		return false
	}
	return true
}

// active reports whether a call is still streaming or running.
func (s *sidebar) active() bool {
	for _, c := range s.cards {
		if c.status == cardStreaming || c.status == cardRunning {
			return true
		}
	}
	return false
}

// render draws the sidebar into width×height.
func (s *sidebar) render(width, height int, focused bool, st *themes.Styles, now time.Time) []string {
	inner := width - st.Tools.Sidebar.GetHorizontalFrameSize()
	var rows []string
	title := st.Tools.Name.Render("Tool calls")
	if len(s.cards) > 0 {
		title += st.Tools.Meta.Render(" · " + itoa(len(s.cards)))
	}
	rows = append(rows, fit(title, inner))
	if len(s.cards) == 0 {
		rows = append(rows, "", st.Tools.Meta.Render(fit("Calls the model makes appear here as their arguments stream in.", inner)))
	}
	focusTop, focusBottom := 0, 0
	for i, c := range s.cards {
		if i == s.focus {
			focusTop = len(rows)
		}
		rows = append(rows, c.render(inner, focused && i == s.focus, st, now)...)
		if i == s.focus {
			focusBottom = len(rows)
		}
	}
	view := height - st.Tools.Sidebar.GetVerticalFrameSize()
	if view < 1 {
		return nil
	}
	maxOff := max(0, len(rows)-view)
	switch {
	case s.follow:
		s.offset = maxOff
	case focusBottom-s.offset > view:
		s.offset = focusBottom - view
	case focusTop < s.offset:
		s.offset = focusTop
	}
	s.offset = min(max(s.offset, 0), maxOff)
	rows = rows[s.offset:min(len(rows), s.offset+view)]
	for len(rows) < view {
		rows = append(rows, "")
	}
	return strings.Split(st.Tools.Sidebar.Width(width).Height(height).Render(strings.Join(rows, "\n")), "\n")
}

// indicator is the one-line form for narrow terminals.
func (s *sidebar) indicator(width int, st *themes.Styles) string {
	if len(s.cards) == 0 {
		return ""
	}
	var parts []string
	for _, c := range s.cards[max(0, len(s.cards)-3):] {
		name := c.title()
		status := c.statusText()
		if c.ref.Kind != stream.ToolHosted {
			status += " " + formatBytes(c.bytes())
		}
		parts = append(parts, st.Tools.Name.Render(name)+" "+c.statusStyle(st).Render(status))
	}
	noun := " tool calls: "
	if len(s.cards) == 1 {
		noun = " tool call: "
	}
	head := st.Tools.Meta.Render("⚙ " + itoa(len(s.cards)) + noun)
	return fit(head+strings.Join(parts, st.Tools.Meta.Render(", ")), width)
}

// moveFocus steps the focused card and stops following.
func (s *sidebar) moveFocus(d int) {
	if len(s.cards) == 0 {
		return
	}
	s.focus = min(max(s.focus+d, 0), len(s.cards)-1)
	s.follow = s.focus == len(s.cards)-1 && d > 0
}

func (s *sidebar) toggleExpanded() {
	if s.focus < len(s.cards) {
		s.cards[s.focus].expanded = !s.cards[s.focus].expanded
	}
}
