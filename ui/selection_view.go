package ui

import (
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// The selection is drawn over the rows the views drew, in the theme's
// selection colours: the cells the pointer went over, up to the end of
// each row's text. Nothing is drawn without a selection.

// paintTranscript highlights the selection in the transcript's rows, as
// transcript.view drew them for a view height rows tall.
func (m *Model) paintTranscript(rows []string, height int) []string {
	from, to, ok := m.transcriptRange()
	if !ok {
		return rows
	}
	t := m.transcript
	style := m.look.styles.Transcript.SelectionHighlight
	idx, line := 0, t.offset(t.total(), height)
	for idx < len(t.entries) && line >= len(t.entries[idx].lines) {
		line -= len(t.entries[idx].lines)
		idx++
	}
	for i := 0; i < len(rows) && idx < len(t.entries); i++ {
		e := t.entries[idx]
		at := place{idx, line, 0}
		if !at.before(place{from.idx, from.line, 0}) && !(place{to.idx, to.line, 0}).before(at) {
			lo, hi := 0, endOfRow
			if idx == from.idx && line == from.line {
				lo = from.col
			}
			if idx == to.idx && line == to.line {
				hi = to.col + 1
			}
			if hi = min(hi, ansi.StringWidth(e.lines[line])); lo < hi {
				rows[i] = lipgloss.StyleRanges(rows[i], lipgloss.NewRange(gutter+lo, gutter+hi, style))
			}
		}
		for line++; idx < len(t.entries) && line >= len(t.entries[idx].lines); line = 0 {
			idx++
		}
	}
	return rows
}

// paintSidebar highlights a card selection in the sidebar's rows, as
// sidebar.render drew them.
func (m *Model) paintSidebar(rows []string) []string {
	sel := m.mouse.sel
	if sel == nil || sel.card == nil || sel.width != m.cardWidth() {
		return rows
	}
	i := m.cardIndex(sel.card)
	if i < 0 || i+1 >= len(m.sidebar.tops) {
		return rows
	}
	a, z := sel.a, sel.b
	if z.row < a.row || z.row == a.row && z.col < a.col {
		a, z = z, a
	}
	s, st := m.sidebar, m.look.styles.Tools.Sidebar
	card, left := m.cardRows(i)
	inner := contentRows(card, left)
	top := s.tops[i] - s.offset + st.GetBorderTopSize() + st.GetPaddingTop()
	style := m.look.styles.Transcript.SelectionHighlight
	for r := max(a.row, 0); r <= z.row && r < len(inner); r++ {
		k := top + r
		if k < st.GetBorderTopSize()+st.GetPaddingTop()+s.head || k >= len(rows) {
			continue
		}
		lo, hi := left, left+ansi.StringWidth(inner[r])
		if r == a.row {
			lo = max(lo, a.col)
		}
		if r == z.row {
			hi = min(hi, z.col+1)
		}
		if lo < hi {
			x := m.sidebarLeft()
			rows[k] = lipgloss.StyleRanges(rows[k], lipgloss.NewRange(x+lo, x+hi, style))
		}
	}
	return rows
}

// extendCardSelection moves a card selection's end to the pointer, within
// the card the drag began in.
func (m *Model) extendCardSelection() {
	p := &m.mouse.press
	i, row, ok := m.cardAt(p.at)
	if !ok {
		return
	}
	call := m.sidebar.calls[i]
	st := m.look.styles.Tools.Sidebar
	at := m.sidebar.offset + p.py - m.layout.sidebar.y - st.GetBorderTopSize() - st.GetPaddingTop() - m.sidebar.tops[i]
	col := p.px - m.layout.sidebar.x - m.sidebarLeft()
	n := m.sidebar.tops[i+1] - m.sidebar.tops[i]
	switch {
	case at < 0:
		at, col = 0, 0
	case at >= n:
		at, col = n-1, endOfRow
	}
	if sel := m.mouse.sel; sel != nil && sel.card == call {
		sel.b = spot{row: at, col: col}
		return
	}
	m.mouse.sel = &selection{card: call, a: spot{row: row, col: p.at.col - m.sidebarLeft()}, b: spot{row: at, col: col}, width: m.cardWidth()}
}
