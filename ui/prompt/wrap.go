package prompt

import "sort"

// rowsOf is where l's screen rows start at width w, cached on the line.
// Rows break after white space when they can and inside a word when it
// is wider than the row; a chip or a wide character never splits. White
// space that would overflow a row hangs past its end and is not drawn. When
// the last row is full, an empty row follows it, so the cursor at the end
// of the line has a cell to stand in.
func (p *Prompt) rowsOf(l *line, w int) []int {
	switch {
	case l.wrapW == w && !l.edited:
		return l.rows
	case l.wrapW == w:
		l.rows = p.rewrap(l, w)
	default:
		l.rows = p.wrap(l.s, w, make([]int, 1, 1+len(l.s)/max(w, 1)), nil)
	}
	l.wrapW, l.edited = w, false
	return l.rows
}

// wrap appends to rows (which ends with the start of a row) the starts of
// the rows after it. When converged is not nil it is asked about each new
// row start, and may hand back the rest of the rows, which ends the scan.
func (p *Prompt) wrap(s string, w int, rows []int, converged func(start int) ([]int, bool)) []int {
	start := rows[len(rows)-1]
	col := 0
	brk, brkCol := -1, 0 // the last place the row may break, and its column
	newRow := func(at int) bool {
		rows = append(rows, at)
		start, col, brk = at, 0, -1
		if converged == nil {
			return false
		}
		rest, ok := converged(at)
		rows = append(rows, rest...)
		return ok
	}
	for i := start; i < len(s); {
		g := p.glyphAt(s[i:])
		gw := min(g.w, w)
		if g.space && col+gw > w && i > start {
			// White space that does not fit hangs at the row's end, unseen,
			// so the word before it stays where it is.
			i += g.n
			if newRow(i) {
				return rows
			}
			continue
		}
		for col+gw > w && i > start {
			at, carried := i, 0
			if brk > start {
				at, carried = brk, col-brkCol
			}
			if newRow(at) {
				return rows
			}
			col = carried
		}
		col += gw
		i += g.n
		if g.space {
			brk, brkCol = i, col
		}
	}
	if col >= w && len(s) > 0 {
		rows = append(rows, len(s))
	}
	return rows
}

// rewrap recomputes l's rows after one edit: from two rows before it (the
// row breaks up to there were decided by text before the edit) until a
// row starts where an old row started, moved by the edit's length, past
// the edit: from there the text and so the rows are the old ones.
func (p *Prompt) rewrap(l *line, w int) []int {
	old, at, d := l.rows, l.editAt, l.editDelta
	k := max(0, rowIndex(old, at)-2)
	rows := make([]int, k+1, len(old)+max(d, 0)/max(w, 1)+4)
	copy(rows, old[:k+1])
	return p.wrap(l.s, w, rows, func(start int) ([]int, bool) {
		if start < at+max(d, 0) {
			return nil, false // still inside the edited text
		}
		j := sort.SearchInts(old, start-d)
		if j <= k || j >= len(old) || old[j] != start-d {
			return nil, false
		}
		rest := make([]int, len(old)-j-1)
		for i, v := range old[j+1:] {
			rest[i] = v + d
		}
		return rest, true
	})
}

// rowIndex is the row of rows holding byte offset off: the last row
// starting at or before it.
func rowIndex(rows []int, off int) int {
	return sort.SearchInts(rows, off+1) - 1
}

// rowEnd is where row r of l ends: the next row's start, or the line's end.
func rowEnd(l *line, rows []int, r int) int {
	if r+1 < len(rows) {
		return rows[r+1]
	}
	return len(l.s)
}

// rowPos names one screen row of the draft: row of line.
type rowPos struct{ line, row int }

func (a rowPos) before(b rowPos) bool {
	return a.line < b.line || a.line == b.line && a.row < b.row
}

func (p *Prompt) rowCount(i int) int { return len(p.rowsOf(p.lines.At(i), p.wrapWidth())) }

// advance moves rp down by up to n rows and says how many it moved. It
// wraps only the lines it passes: n rows cost n lines at most.
func (p *Prompt) advance(rp rowPos, n int) (rowPos, int) {
	moved := 0
	for n > 0 {
		rows := p.rowCount(rp.line)
		if rp.row+n < rows {
			rp.row += n
			return rp, moved + n
		}
		if rp.line+1 >= p.lines.Len() {
			moved += rows - 1 - rp.row
			rp.row = rows - 1
			return rp, moved
		}
		n -= rows - rp.row
		moved += rows - rp.row
		rp = rowPos{rp.line + 1, 0}
	}
	return rp, moved
}

// retreat moves rp up by up to n rows and says how many it moved.
func (p *Prompt) retreat(rp rowPos, n int) (rowPos, int) {
	moved := 0
	for n > 0 {
		if rp.row >= n {
			rp.row -= n
			return rp, moved + n
		}
		if rp.line == 0 {
			moved += rp.row
			rp.row = 0
			return rp, moved
		}
		n -= rp.row + 1
		moved += rp.row + 1
		rp = rowPos{rp.line - 1, p.rowCount(rp.line-1) - 1}
	}
	return rp, moved
}

// distance counts rows from a down to b (a not after b), stopping at limit.
func (p *Prompt) distance(a, b rowPos, limit int) int {
	if a.line == b.line {
		return b.row - a.row
	}
	d := p.rowCount(a.line) - a.row
	for i := a.line + 1; i < b.line && d < limit; i++ {
		d += p.rowCount(i)
	}
	return d + b.row
}

// cursorRow is the screen row the cursor is on, and its column there.
func (p *Prompt) cursorRow() (rowPos, int) {
	l := p.lines.At(p.cur.line)
	rows := p.rowsOf(l, p.wrapWidth())
	r := rowIndex(rows, p.cur.off)
	return rowPos{p.cur.line, r}, p.textWidth(l.s, rows[r], p.cur.off)
}

// offsetAt is the cursor offset in row rp nearest to column x, never past
// the row's last cluster unless the row ends its line.
func (p *Prompt) offsetAt(rp rowPos, x int) int {
	l := p.lines.At(rp.line)
	rows := p.rowsOf(l, p.wrapWidth())
	end := rowEnd(l, rows, rp.row)
	last := rp.row == len(rows)-1
	col, i := 0, rows[rp.row]
	for i < end {
		g := p.glyphAt(l.s[i:])
		if col+g.w > x || !last && i+g.n >= end {
			break
		}
		col += g.w
		i += g.n
	}
	return i
}

// visibleRows is how many rows the box shows: the draft's, up to MaxRows.
func (p *Prompt) visibleRows() int {
	if p.laid.key == (layoutKey{p.version, p.width, p.cur, p.focused}) && p.laid.h > 0 {
		return p.laid.h
	}
	_, moved := p.advance(rowPos{}, p.maxRows-1)
	return moved + 1
}

// layoutKey is what the view's layout depends on: the text (its
// version), the cursor, the width and the focus.
type layoutKey struct {
	version, width int
	cur            pos
	focused        bool
}

// laid is the last layout: the box's rows and the cursor's cell in it.
type laid struct {
	key  layoutKey
	h    int
	x, y int
}

// scroll moves the view so the cursor is in it and, when the draft is
// taller than the box, no row of the box is empty, and says how many rows
// the box has. It visits about as many lines as the box has rows,
// whatever the draft's length, and only once per change: Height, Render
// and Cursor share it.
func (p *Prompt) scroll() int {
	key := layoutKey{p.version, p.width, p.cur, p.focused}
	if p.laid.key == key && p.laid.h > 0 {
		return p.laid.h
	}
	h := p.visibleRows()
	if p.top.line >= p.lines.Len() {
		p.top = rowPos{p.lines.Len() - 1, 0}
	}
	if n := p.rowCount(p.top.line); p.top.row >= n {
		p.top.row = n - 1
	}
	cur, x := p.cursorRow()
	if cur.before(p.top) {
		p.top = cur
	} else if p.distance(p.top, cur, h) >= h {
		p.top, _ = p.retreat(cur, h-1)
	}
	if _, below := p.advance(p.top, h-1); below < h-1 {
		p.top, _ = p.retreat(p.top, h-1-below)
	}
	p.laid = laid{key: key, h: h, x: x, y: p.distance(p.top, cur, h)}
	return h
}
