package ui

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// What a selection copies is the text as the user sees it: each row from
// where its text starts (no gutter, margin, quote bar or card border) to
// where it ends (no padding), a row that wraps joined to the next with the
// spaces the wrap took, code verbatim. Each row's description
// (markdown.Row) says how: a reply's markdown rows come from ui/markdown,
// which knows them; a prompt's and an expanded reasoning pane's rows are
// wrapped again from their text, which says where its newlines were; the
// rest (a card, a citation, a note) are read as a word wrapper left them.

// selectedText is the selection as text.
func (m *Model) selectedText() string {
	sel := m.mouse.sel
	if sel == nil {
		return ""
	}
	var b strings.Builder
	if sel.card != nil {
		m.cardText(&b, sel)
	} else if from, to, ok := m.transcriptRange(); ok {
		t := m.transcript
		for idx := from.idx; idx <= to.idx; idx++ {
			e := t.entries[idx]
			if len(e.lines) == 0 {
				continue
			}
			l1, c1, l2, c2 := 0, 0, len(e.lines)-1, endOfRow
			if idx == from.idx {
				l1, c1 = from.line, from.col
			}
			if idx == to.idx {
				l2, c2 = to.line, to.col
			}
			if idx > from.idx {
				b.WriteByte('\n')
			}
			appendSelected(&b, stripAll(e.lines), m.entryRows(e), l1, c1, l2, c2)
		}
	}
	return strings.TrimLeft(strings.TrimRight(b.String(), " \n"), "\n")
}

// appendSelected writes rows r1 (from column c1) to r2 (to column c2,
// included) of plain rows described by rows.
func appendSelected(b *strings.Builder, plain []string, rows []markdown.Row, r1, c1, r2, c2 int) {
	for r := r1; r <= r2 && r < len(plain); r++ {
		lo, hi := rows[r].Indent, endOfRow
		if r == r1 {
			lo = max(lo, c1)
		}
		if r == r2 {
			hi = c2 + 1
		}
		if lo < hi {
			b.WriteString(strings.TrimRight(ansi.Cut(plain[r], lo, hi), " "))
		}
		switch {
		case r == r2:
		case rows[r].Wrap:
			b.WriteString(strings.Repeat(" ", rows[r].Gap))
		default:
			b.WriteByte('\n')
		}
	}
}

// entryRows describes every line of e.
func (m *Model) entryRows(e *entry) []markdown.Row {
	width := m.transcript.width
	rows := markdown.Wrapped(e.lines, width)
	switch e.msg.Role {
	case model.RoleUser:
		sourceRows(rows, e.bodyAt, e.bodyEnd, sanitize.Text(e.msg.Text), width, 0)
	case model.RoleAssistant:
		if e.reasoning == reasoningExpanded && e.bodyAt > 2 {
			// The header, then the text behind its rule ("│ ").
			text := unboldHeadings(sanitize.Text(strings.Join(e.msg.Turn.Reasoning, "\n\n")))
			sourceRows(rows, 2, e.bodyAt, text, width-2, 2)
		}
		m.markdownRows(rows, e)
	}
	return rows
}

// sourceRows describes rows[lo:hi], which show text wrapped at width
// behind indent columns, from the text itself, if they do.
func sourceRows(rows []markdown.Row, lo, hi int, text string, width, indent int) {
	exact := wrapRows(text, width)
	if lo < 1 || hi > len(rows) || len(exact) != hi-lo {
		return
	}
	rows[lo-1].Wrap = false
	for i, r := range exact {
		r.Indent += indent
		rows[lo+i] = r
	}
}

// markdownRows describes a reply's markdown rows with ui/markdown's own
// descriptions, each row that is the row it describes: the reply's stream
// as it is now, else a render at the transcript's width (the rows a
// resize rendered in the background).
func (m *Model) markdownRows(rows []markdown.Row, e *entry) {
	if e.bodyEnd <= e.bodyAt || e.bodyEnd > len(rows) {
		return
	}
	body := e.lines[e.bodyAt:e.bodyEnd]
	width := m.transcript.width
	apply := func(lines []string, desc []markdown.Row) int {
		n := 0
		for i := range body {
			if i < len(lines) && i < len(desc) && fit(lines[i], width) == body[i] {
				rows[e.bodyAt+i] = desc[i]
				n++
			}
		}
		return n
	}
	done := 0
	if e.md != nil {
		done = apply(e.md.Lines(), e.md.Rows())
	}
	if done == 0 && m.transcript.renderer != nil && e.msg.Turn != nil {
		done = apply(m.transcript.renderer.RenderRows(sanitize.Text(e.msg.Turn.Text)))
	}
	if done > 0 && e.bodyAt > 0 {
		rows[e.bodyAt-1].Wrap = false
	}
}

// wrapRows describes the rows wrapText makes of s: a row goes on where
// the wrap cut a line of s, not where s has a newline.
func wrapRows(s string, width int) []markdown.Row {
	var rows []markdown.Row
	for n, piece := range strings.Split(s, "\n") {
		piece = strings.ReplaceAll(piece, "\t", "    ")
		lines := wrapText(piece, width)
		at := 0
		for k, l := range lines {
			row := markdown.Row{Kind: markdown.RowText, Block: n}
			if strings.TrimSpace(l) == "" {
				row = markdown.Row{Kind: markdown.RowBlank, Block: -1}
			}
			if k+1 < len(lines) {
				row.Wrap, row.Gap = true, 1
				if end := at + len(l); strings.HasPrefix(piece[at:], l) {
					next := end
					for next < len(piece) && piece[next] == ' ' && !strings.HasPrefix(piece[next:], lines[k+1]) {
						next++
					}
					row.Gap, at = next-end, next
				}
			}
			rows = append(rows, row)
		}
	}
	return rows
}

// stripAll is lines without their escape sequences.
func stripAll(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = ansi.Strip(l)
	}
	return out
}

// A tool card is drawn in a frame inside the sidebar's; a card selection
// counts columns from the card's left edge.

// sidebarLeft is the sidebar's frame left of its cards.
func (m *Model) sidebarLeft() int {
	st := m.look.styles.Tools.Sidebar
	return st.GetBorderLeftSize() + st.GetPaddingLeft()
}

// cardWidth is the width the sidebar draws its cards at.
func (m *Model) cardWidth() int {
	return m.layout.sidebar.w - m.look.styles.Tools.Sidebar.GetHorizontalFrameSize()
}

// cardRows draws card i as the sidebar does and returns its rows as plain
// text, and the columns of frame left of its text.
func (m *Model) cardRows(i int) ([]string, int) {
	call := m.sidebar.calls[i]
	c := m.sidebar.cards[call]
	box := m.look.styles.Tools.Card
	if c == nil {
		return nil, 0
	}
	return stripAll(c.render(call, m.cardWidth(), false, m.look.styles, m.deps.Now())), box.GetBorderLeftSize() + box.GetPaddingLeft()
}

// contentRows cuts a card's rows to what is inside its frame, left
// columns wide on either side.
func contentRows(rows []string, left int) []string {
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = strings.TrimRight(ansi.Cut(r, left, max(ansi.StringWidth(r)-left, left)), " ")
	}
	return out
}

// cardIndex is the sidebar's index of call, -1 if it is gone.
func (m *Model) cardIndex(call *chat.Call) int {
	for i, c := range m.sidebar.calls {
		if c == call {
			return i
		}
	}
	return -1
}

// cardText writes the selected part of a card.
func (m *Model) cardText(b *strings.Builder, sel *selection) {
	i := m.cardIndex(sel.card)
	if i < 0 || sel.width != m.cardWidth() {
		return
	}
	rows, left := m.cardRows(i)
	a, z := sel.a, sel.b
	if z.row < a.row || z.row == a.row && z.col < a.col {
		a, z = z, a
	}
	content := contentRows(rows, left)
	appendSelected(b, content, markdown.Wrapped(content, m.cardWidth()-2*left), a.row, a.col-left, z.row, z.col-left)
}
