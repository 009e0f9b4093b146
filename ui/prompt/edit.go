package prompt

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// checkInsert says whether s (normalised) fits in room bytes and chipRoom
// chips: each rune from the chips' range in it becomes a chip of its own.
func (p *Prompt) checkInsert(s string, room, chipRoom int) error {
	reserved := strings.Count(s, chipPrefix)
	if len(s)+2*chipLen*reserved > room {
		return ErrFull
	}
	if reserved > chipRoom {
		return ErrTooManyChips
	}
	return nil
}

// room is what the draft can still take: bytes and chips.
func (p *Prompt) room() (int, int) {
	return p.limits.DraftBytes - p.size - p.chips.textBytes, p.limits.Chips - len(p.chips.byID)
}

// insertText puts text from outside at the cursor, all of it or (on
// error) none.
func (p *Prompt) insertText(s string) error {
	bytes, chips := p.room()
	if len(s) > 2*bytes {
		return ErrFull // too big even after CRLF becomes LF: not worth normalising
	}
	s = normalize(s)
	if err := p.checkInsert(s, bytes, chips); err != nil {
		return err
	}
	for {
		j := strings.Index(s, chipPrefix)
		if j < 0 {
			break
		}
		p.insertRaw(s[:j])
		r, n := utf8.DecodeRuneInString(s[j:])
		ch, _ := p.chips.add(literalChip(r), p.limits.Chips, p.method) // room checked above
		p.insertRaw(chipRune(ch.ID))
		s = s[j+n:]
	}
	p.insertRaw(s)
	return nil
}

// insertRaw puts s at the cursor and moves the cursor after it. s is
// normalised and every chip rune in it is in the chip table.
func (p *Prompt) insertRaw(s string) {
	if s == "" {
		return
	}
	l := p.lines.At(p.cur.line)
	from := p.safeStart(l, p.cur.off)
	head, tail := l.s[:p.cur.off], l.s[p.cur.off:]
	if !strings.Contains(s, "\n") {
		l.edit(head+s+tail, p.cur.off, len(s))
		p.cur.off += len(s)
	} else {
		parts := strings.Split(s, "\n")
		l.set(head + parts[0])
		added := make([]*line, len(parts)-1)
		for i, part := range parts[1:] {
			added[i] = newLine(part)
		}
		at := p.cur.line + 1
		last := added[len(added)-1]
		p.cur = pos{p.cur.line + len(added), len(last.s)}
		last.set(last.s + tail)
		p.lines.Insert(at, added)
		l, from = last, 0
	}
	p.size += len(s)
	p.cur.off = p.snap(l.s, from, p.cur.off, true)
	p.edited()
}

// deleteRange removes the text from a to b (a before b) and the chips in
// it, and puts the cursor at a.
func (p *Prompt) deleteRange(a, b pos) {
	if !a.before(b) {
		return
	}
	first, last := p.lines.At(a.line), p.lines.At(b.line)
	from := p.safeStart(first, a.off)
	if a.line == b.line {
		removed := first.s[a.off:b.off]
		p.dropChips(removed)
		p.size -= len(removed)
		s := first.s[:a.off] + first.s[b.off:]
		first.edit(s, a.off, -len(removed))
	} else {
		p.dropChips(first.s[a.off:])
		removed := len(first.s) - a.off + 1
		for i := a.line + 1; i < b.line; i++ {
			s := p.lines.At(i).s
			p.dropChips(s)
			removed += len(s) + 1
		}
		p.dropChips(last.s[:b.off])
		p.size -= removed + b.off
		first.set(first.s[:a.off] + last.s[b.off:])
		p.lines.Delete(a.line+1, b.line+1)
	}
	p.cur = pos{a.line, p.snap(first.s, from, a.off, false)}
	p.edited()
}

func (p *Prompt) dropChips(s string) {
	for {
		j := strings.Index(s, chipPrefix)
		if j < 0 {
			return
		}
		id, _ := chipIDAt(s[j:])
		p.chips.remove(id)
		s = s[j+chipLen:]
	}
}

// safeStart is a cluster boundary before off in l to walk clusters from:
// a row start when the line's rows are known (they are for the line on
// screen), so moving and editing cost a row, not a line.
func (p *Prompt) safeStart(l *line, off int) int {
	last := off - 1
	if l.edited {
		last = min(last, l.editAt-1) // rows after an edit are stale until the next wrap
	}
	if l.rows == nil || last < 0 {
		return 0
	}
	return l.rows[rowIndex(l.rows, last)]
}

// snap moves off to a cluster boundary (forward to the end of the cluster
// it is in, or back to its start) after an edit joined clusters, as a
// combining mark typed after a letter does. from is a boundary before off.
func (p *Prompt) snap(s string, from, off int, forward bool) int {
	if off == 0 || off == len(s) || s[off-1] < utf8.RuneSelf && s[off] < utf8.RuneSelf {
		return off
	}
	for i := from; i < off; {
		n := p.glyphAt(s[i:]).n
		if i+n > off {
			if forward {
				return i + n
			}
			return i
		}
		i += n
	}
	return off
}

func (p *Prompt) left() bool {
	switch {
	case p.cur.off > 0:
		l := p.lines.At(p.cur.line)
		p.cur.off -= p.glyphBefore(l.s, p.safeStart(l, p.cur.off), p.cur.off)
	case p.cur.line > 0:
		p.cur.line--
		p.cur.off = len(p.lines.At(p.cur.line).s)
	default:
		return false
	}
	p.goalX = -1
	return true
}

func (p *Prompt) right() bool {
	l := p.lines.At(p.cur.line)
	switch {
	case p.cur.off < len(l.s):
		p.cur.off += p.glyphAt(l.s[p.cur.off:]).n
	case p.cur.line+1 < p.lines.Len():
		p.cur = pos{p.cur.line + 1, 0}
	default:
		return false
	}
	p.goalX = -1
	return true
}

// atSpace reports whether the cluster after the cursor is white space or
// a line end; atSpaceBefore, before it.
func (p *Prompt) atSpace() bool {
	l := p.lines.At(p.cur.line)
	return p.cur.off == len(l.s) || p.glyphAt(l.s[p.cur.off:]).space
}

func (p *Prompt) atSpaceBefore() bool {
	l := p.lines.At(p.cur.line)
	if p.cur.off == 0 {
		return true
	}
	n := p.glyphBefore(l.s, p.safeStart(l, p.cur.off), p.cur.off)
	return p.glyphAt(l.s[p.cur.off-n:]).space
}

// wordRight moves past white space (line ends included), then past a
// word: to its end. A chip is a word.
func (p *Prompt) wordRight() {
	for p.atSpace() && p.right() {
	}
	for !p.atSpace() && p.right() {
	}
}

// wordLeft moves back past white space, then to the start of a word.
func (p *Prompt) wordLeft() {
	for p.atSpaceBefore() && p.left() {
	}
	for !p.atSpaceBefore() && p.left() {
	}
}

func (p *Prompt) up() bool   { return p.vertical(-1) }
func (p *Prompt) down() bool { return p.vertical(+1) }

// vertical moves to the screen row above or below, at the column the
// first of a run of vertical moves started from.
func (p *Prompt) vertical(dir int) bool {
	cur, x := p.cursorRow()
	if p.goalX < 0 {
		p.goalX = x
	}
	to, moved := p.advance(cur, 1)
	if dir < 0 {
		to, moved = p.retreat(cur, 1)
	}
	if moved == 0 {
		return false
	}
	p.cur = pos{to.line, p.offsetAt(to, p.goalX)}
	return true
}

// changeWord applies f to the next word and moves past it.
func (p *Prompt) changeWord(f func(string) string) {
	for p.atSpace() && p.right() {
	}
	start := p.cur
	for !p.atSpace() && p.right() {
	}
	if start.line != p.cur.line {
		return
	}
	l := p.lines.At(start.line)
	word := l.s[start.off:p.cur.off]
	if changed := f(word); changed != word {
		// In place: a chip's rune has no case, so the chips stay as they are.
		s := l.s[:start.off] + changed + l.s[p.cur.off:]
		p.size += len(changed) - len(word)
		l.set(s)
		p.cur.off = p.snap(s, 0, start.off+len(changed), true)
		p.edited()
	}
}

func capitalize(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToTitle(r)) + strings.ToLower(s[n:])
}
