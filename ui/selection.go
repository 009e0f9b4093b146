package ui

import (
	"strings"
	"unicode"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/markdown"
)

// selection is text the mouse selected: in the transcript, or in one tool
// card. Its ends are anchored to the text, not to the screen: a message,
// a part of it (what is above its own text, its text, what is below) and
// a row of that part, so a reply streaming below it, the view scrolling or
// a reasoning pane folding above leave it on the same words. Another
// width reflows every row, and drops it.
type selection struct {
	card  *chat.Call // the card it is in; nil: the transcript
	a, b  spot       // where it began and where it ends now (b may come first)
	width int
}

// spot is one end of a selection: a column of a row. In a card, msg is
// nil and row and col count from the card's top left corner.
type spot struct {
	msg  *model.Message
	part uint8
	row  int
	col  int
}

// An entry's parts (message.go's bodyAt and bodyEnd).
const (
	partHead uint8 = iota
	partBody
	partTail
)

// endOfRow is a column past the end of any row.
const endOfRow = 1 << 20

// place is a spot resolved to the transcript as it is: an entry's index,
// a line of it and a column.
type place struct{ idx, line, col int }

func (p place) before(q place) bool {
	if p.idx != q.idx {
		return p.idx < q.idx
	}
	if p.line != q.line {
		return p.line < q.line
	}
	return p.col < q.col
}

// spotOf anchors line and col of e.
func spotOf(e *entry, line, col int) spot {
	switch {
	case line < e.bodyAt:
		return spot{e.msg, partHead, line, col}
	case line < e.bodyEnd:
		return spot{e.msg, partBody, line - e.bodyAt, col}
	}
	return spot{e.msg, partTail, line - e.bodyEnd, col}
}

// place finds a spot in the transcript; false when its message is gone.
func (t *transcript) place(s spot) (place, bool) {
	e := t.byMsg[s.msg]
	if e == nil || len(e.lines) == 0 {
		return place{}, false
	}
	line := s.row
	switch s.part {
	case partBody:
		line = min(e.bodyAt+s.row, max(e.bodyEnd-1, e.bodyAt))
	case partTail:
		line += e.bodyEnd
	default:
		line = min(line, max(e.bodyAt-1, 0))
	}
	return place{t.index(e), min(line, len(e.lines)-1), s.col}, true
}

// transcriptRange is the selection in the transcript, in order, with the
// end column included.
func (m *Model) transcriptRange() (from, to place, ok bool) {
	sel := m.mouse.sel
	if sel == nil || sel.card != nil || sel.width != m.transcript.width {
		return place{}, place{}, false
	}
	from, ok1 := m.transcript.place(sel.a)
	to, ok2 := m.transcript.place(sel.b)
	if !ok1 || !ok2 {
		return place{}, place{}, false
	}
	if to.before(from) {
		from, to = to, from
	}
	return from, to, true
}

// pressSpot anchors where the button went down in the transcript.
func (m *Model) pressSpot() (spot, bool) {
	h := m.mouse.press.at
	e, line, ok := m.transcriptLine(h.row)
	if !ok {
		return spot{}, false
	}
	return spotOf(e, line, max(h.col, 0)), true
}

// extendSelection moves the selection's end to the pointer: within the
// transcript's rows (past its top or bottom, the row at the edge), past
// the end of the text, its last row.
func (m *Model) extendSelection() {
	p := &m.mouse.press
	rows := m.transcriptRows()
	if rows == 0 {
		return
	}
	row := min(max(p.py-m.layout.transcript.y, 0), rows-1)
	col := max(p.px-m.layout.transcript.x-gutter, 0)
	e, line, ok := m.transcriptLine(row)
	if !ok {
		t := m.transcript
		if len(t.entries) == 0 {
			return
		}
		e = t.entries[len(t.entries)-1]
		line, col = len(e.lines)-1, endOfRow
		if line < 0 {
			return
		}
	}
	head := spotOf(e, line, col)
	if sel := m.mouse.sel; sel != nil && sel.card == nil {
		sel.b = head
		return
	}
	if p.anchored {
		m.mouse.sel = &selection{a: p.anchor, b: head, width: m.transcript.width}
	}
}

// cardHit is the card under a sidebar hit, drawn: its index, the row
// hit, its rows as plain text and the frame left of its text.
func (m *Model) cardHit(h hit) (i, row int, rows []string, left int, ok bool) {
	if i, row, ok = m.cardAt(h); !ok {
		return 0, 0, nil, 0, false
	}
	rows, left = m.cardRows(i)
	return i, row, rows, left, row < len(rows)
}

// selectWord selects the word under a double click.
func (m *Model) selectWord(h hit) {
	if h.area == areaSidebar {
		i, row, rows, left, ok := m.cardHit(h)
		col := h.col - m.sidebarLeft()
		if !ok || col < left {
			return
		}
		if lo, hi := wordAt(rows[row], col); lo < hi {
			m.mouse.sel = &selection{card: m.sidebar.calls[i], a: spot{row: row, col: lo}, b: spot{row: row, col: hi - 1}, width: m.cardWidth()}
		}
		return
	}
	e, line, ok := m.transcriptLine(h.row)
	if !ok {
		return
	}
	if lo, hi := wordAt(ansi.Strip(e.lines[line]), h.col); lo < hi {
		m.mouse.sel = &selection{a: spotOf(e, line, lo), b: spotOf(e, line, hi-1), width: m.transcript.width}
	}
}

// selectLine selects what a triple click is on: the line of text (every
// row it wraps over) or the whole code block.
func (m *Model) selectLine(h hit) {
	if h.area == areaSidebar {
		i, row, rows, left, ok := m.cardHit(h)
		if !ok {
			return
		}
		lo, hi := lineAround(markdown.Wrapped(contentRows(rows, left), m.cardWidth()-2*left), row)
		m.mouse.sel = &selection{card: m.sidebar.calls[i], a: spot{row: lo}, b: spot{row: hi, col: endOfRow}, width: m.cardWidth()}
		return
	}
	e, line, ok := m.transcriptLine(h.row)
	if !ok {
		return
	}
	lo, hi := lineAround(m.entryRows(e), line)
	m.mouse.sel = &selection{a: spotOf(e, lo, 0), b: spotOf(e, hi, endOfRow), width: m.transcript.width}
}

// lineAround is the rows of the line of text row k is on, or of its code
// block.
func lineAround(rows []markdown.Row, k int) (lo, hi int) {
	lo, hi = k, k
	if rows[k].Kind == markdown.RowCode {
		same := func(i int) bool { return rows[i].Kind == markdown.RowCode && rows[i].Block == rows[k].Block }
		for lo > 0 && same(lo-1) {
			lo--
		}
		for hi+1 < len(rows) && same(hi+1) {
			hi++
		}
		return lo, hi
	}
	for lo > 0 && rows[lo-1].Wrap {
		lo--
	}
	for hi+1 < len(rows) && rows[hi].Wrap {
		hi++
	}
	return lo, hi
}

// wordAt is the word of a plain row under column col: its columns
// [lo, hi). A word runs to spaces, brackets and quotes, and leaves off
// the punctuation that ends a sentence, so a path or a URL is one word.
func wordAt(p string, col int) (lo, hi int) {
	type cell struct {
		r      rune
		at, to int
	}
	var cells []cell
	c := 0
	for _, r := range p {
		w := 1
		if r >= utf8.RuneSelf {
			w = ansi.StringWidth(string(r))
		}
		cells = append(cells, cell{r, c, c + w})
		c += w
	}
	k := -1
	for i, x := range cells {
		if col >= x.at && col < x.to {
			k = i
		}
	}
	word := func(r rune) bool { return !unicode.IsSpace(r) && !strings.ContainsRune("()[]{}<>\"'`,;│", r) }
	if k < 0 || !word(cells[k].r) {
		return 0, 0
	}
	i, j := k, k
	for i > 0 && word(cells[i-1].r) {
		i--
	}
	for j+1 < len(cells) && word(cells[j+1].r) {
		j++
	}
	for j > k && strings.ContainsRune(".:!?", cells[j].r) {
		j--
	}
	return cells[i].at, cells[j].to
}

// copySelection copies what is selected, as text, with a flash saying how
// much.
func (m *Model) copySelection() tea.Cmd {
	text := m.selectedText()
	if text == "" {
		return nil
	}
	what := itoa(utf8.RuneCountInString(text)) + " characters"
	if n := strings.Count(text, "\n") + 1; n > 1 {
		what = itoa(n) + " lines"
	}
	return m.copyText(text, what)
}

// clearSelection forgets the selection; it reports whether one showed
// (one whose text is gone, another session or width, did not).
func (m *Model) clearSelection() bool {
	sel := m.mouse.sel
	m.mouse.sel = nil
	if sel == nil {
		return false
	}
	if sel.card != nil {
		return m.cardIndex(sel.card) >= 0 && sel.width == m.cardWidth()
	}
	m.mouse.sel = sel
	_, _, shown := m.transcriptRange()
	m.mouse.sel = nil
	return shown
}
