package prompt

import "strings"

// line is one logical line of the draft; s never holds a newline. Its
// screen rows are cached for one width, so a line is wrapped again only
// when it changes or the width does.
type line struct {
	s       string
	gen     uint32 // counts changes, for what was drawn from it
	hasChip bool
	wrapW   int   // the width rows were computed for; 0 when not computed
	rows    []int // byte offsets where its screen rows start; rows[0] == 0
}

func newLine(s string) *line { return &line{s: s, hasChip: strings.Contains(s, chipPrefix)} }

func (l *line) set(s string) {
	l.s = s
	l.hasChip = strings.Contains(s, chipPrefix)
	l.invalidate()
}

func (l *line) invalidate() {
	l.wrapW, l.rows = 0, nil
	l.gen++
}

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
