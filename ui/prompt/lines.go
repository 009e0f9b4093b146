package prompt

// line is one logical line of the draft; s never holds a newline. Its
// screen rows are cached for one width, so a line is wrapped again only
// when it changes or the width does, and after an edit only from a little
// before the edit to where the rows fall as they did (see rewrap): a key in
// a long line costs its rows near the cursor, not the whole line.
type line struct {
	s     string
	wrapW int   // the width rows were computed for; 0 when not computed
	rows  []int // byte offsets where its screen rows start; rows[0] == 0

	// One edit since rows were computed: at byte editAt (of the old and
	// the new text alike), growing the line by editDelta bytes (negative
	// for a deletion). Rows before it are still right.
	edited    bool
	editAt    int
	editDelta int
}

func newLine(s string) *line { return &line{s: s} }

// set replaces the line's text; its rows are computed anew.
func (l *line) set(s string) {
	l.s = s
	l.invalidate()
}

// edit replaces the line's text after one insertion or deletion at at
// that changed its length by delta.
func (l *line) edit(s string, at, delta int) {
	if l.wrapW == 0 || l.edited {
		l.set(s) // a second edit before a wrap: start over
		return
	}
	l.s = s
	l.edited, l.editAt, l.editDelta = true, at, delta
}

func (l *line) invalidate() { l.wrapW, l.rows, l.edited = 0, nil, false }

// lines is a gap buffer of lines: inserting or deleting lines at the
// cursor costs the same in a 20,000-line draft as in a short one, because
// the gap sits where the edits happen and only moves when they move.
type lines struct {
	buf    []*line
	gs, ge int // the gap is buf[gs:ge]
}

func newLines(ls []*line) lines { return lines{buf: ls, gs: len(ls), ge: len(ls)} }

// Len is the number of lines.
func (b *lines) Len() int { return len(b.buf) - (b.ge - b.gs) }

// At is line i.
func (b *lines) At(i int) *line {
	if i < b.gs {
		return b.buf[i]
	}
	return b.buf[i+b.ge-b.gs]
}

// moveGap puts the gap before line i.
func (b *lines) moveGap(i int) {
	switch {
	case i < b.gs:
		n := b.gs - i
		copy(b.buf[b.ge-n:b.ge], b.buf[i:b.gs])
		clear(b.buf[i:min(b.gs, b.ge-n)])
		b.gs, b.ge = i, b.ge-n
	case i > b.gs:
		n := i - b.gs
		copy(b.buf[b.gs:b.gs+n], b.buf[b.ge:b.ge+n])
		clear(b.buf[max(b.ge, b.gs+n) : b.ge+n])
		b.gs, b.ge = i, b.ge+n
	}
}

// Insert puts ls before line i.
func (b *lines) Insert(i int, ls []*line) {
	b.moveGap(i)
	if b.ge-b.gs < len(ls) {
		grown := make([]*line, 2*len(b.buf)+len(ls)+16)
		copy(grown, b.buf[:b.gs])
		tail := len(b.buf) - b.ge
		copy(grown[len(grown)-tail:], b.buf[b.ge:])
		b.buf, b.ge = grown, len(grown)-tail
	}
	copy(b.buf[b.gs:], ls)
	b.gs += len(ls)
}

// Delete removes lines [i, j).
func (b *lines) Delete(i, j int) {
	if j <= i {
		return
	}
	b.moveGap(i)
	clear(b.buf[b.ge : b.ge+j-i])
	b.ge += j - i
}
