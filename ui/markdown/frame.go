package markdown

import "time"

// What a frame shows: Lines renders what changed since the last call (the
// open block, the blocks that closed) and composes the rows behind the
// final ones.

// Lines returns the rows to show now: the closed blocks' rows, then the open
// block rendered provisionally; after Finish, once everything is rendered,
// the final lines. It renders at most the open block, if its text changed
// (and, unless the Stream is async, the blocks that closed since the last
// call). The slice is reused: read it, do not keep it past the next call
// of a Stream method.
func (s *Stream) Lines() []string {
	s.renderClosed()
	s.advance()
	if s.finished && s.done == len(s.blocks) && (!s.needsFull || s.full != nil) {
		if s.needsFull {
			return s.full.lines
		}
		return s.out[:s.committed]
	}
	if s.renderOpen() {
		s.dirty = true
	}
	if s.dirty {
		s.compose()
	}
	return s.out
}

// CommittedLines renders the blocks that closed (unless the Stream is async)
// and returns the final rows only: Lines without a provisional render, for
// a caller that prints final rows as they come.
func (s *Stream) CommittedLines() []string {
	s.renderClosed()
	s.advance()
	return s.out[:s.committed:s.committed]
}

// renderClosed renders every closed block without a final render, and the
// whole message when it needs one. An async Stream renders only the blocks
// that closed with text their last provisional render did not have, as
// provisional renders: exact ones are final, the others (code lexed
// incrementally) wait for a Job.
func (s *Stream) renderClosed() {
	text := s.text.String()
	if s.async {
		for _, b := range s.blocks[s.done:] {
			if b.r == nil && b.stale {
				b.stale = false
				rb, exact := s.renderProvisional(text[b.start:b.end])
				if exact {
					b.r = &rb
				} else {
					b.shown = &rb
				}
				s.dirty = true
			}
		}
		return
	}
	for _, b := range s.blocks[s.done:] {
		if b.r == nil {
			start := time.Now()
			rb := s.r.renderBlock(text[b.start:b.end])
			s.closedElapsed += time.Since(start)
			s.closedRenders++
			b.r = &rb
		}
	}
	if s.finished && s.needsFull && s.full == nil {
		// Reference definitions and HTML blocks depend on the whole
		// document; one full render is the only way to match it.
		rb := s.r.renderBlock(text)
		s.full = &rb
	}
}

// advance moves the blocks that have their final render into the final
// rows, in order.
func (s *Stream) advance() {
	for s.done < len(s.blocks) && s.blocks[s.done].r != nil {
		b := s.blocks[s.done]
		s.out, s.rows, s.trail = joinBlock(s.out[:s.committed], s.rows[:s.committed], s.trail, *b.r)
		s.committed = len(s.out)
		b.endRow, b.trailAfter = s.committed, s.trail
		b.shown = nil
		s.done++
		s.dirty = true
	}
}

// compose appends the rows of the blocks still waiting for their final
// render and of the open block behind the final rows.
func (s *Stream) compose() {
	s.dirty = false
	out, rows, trail := s.out[:s.committed], s.rows[:s.committed], s.trail
	for _, b := range s.blocks[s.done:] {
		if rb := b.r; rb != nil {
			out, rows, trail = joinBlock(out, rows, trail, *rb)
		} else if b.shown != nil {
			out, rows, trail = joinBlock(out, rows, trail, *b.shown)
		}
	}
	if p := &s.prov; p.valid && p.start == s.blockStart && !s.finished {
		out, rows, _ = joinBlock(out, rows, trail, p.r)
	}
	s.out, s.rows = out, rows
}

// Wait returns how long until Lines may render the open block again, when
// the last call put that render off (provDuty): a caller that draws only
// on events schedules a redraw after it, so text that arrived just before a
// pause in the stream is not left undrawn. 0 when nothing waits.
func (s *Stream) Wait() time.Duration {
	p := &s.prov
	if s.finished || !p.valid || p.start != s.blockStart || p.gen != s.gen {
		return 0
	}
	if s.text.Len() == p.textLen {
		return 0 // nothing came since input was made
	}
	return max(p.at.Add(provDuty*p.cost).Sub(s.now()), time.Millisecond)
}

// renderOpen renders the open block provisionally if its text changed since
// the last render, and reports whether it did.
func (s *Stream) renderOpen() bool {
	if s.finished {
		return false
	}
	text := s.text.String()
	start := s.blockStart
	p := &s.prov
	fresh := p.valid && p.start == start && p.gen == s.gen
	// Both checks come before provisional, which reads the whole open
	// block: a server can send one line that never ends, and reading it
	// every frame, throttled or not, made a reply quadratic (2 MiB of one
	// line took 24 s of CPU, two thirds of it in closeInline).
	if fresh && len(text) == p.textLen {
		return false
	}
	now := s.now()
	if fresh && now.Sub(p.at) < provDuty*p.cost {
		s.throttledCalls++
		return false
	}
	began := time.Now()
	input := provisional(text[start:], s.scanned-start, s.fence, s.open)
	s.provScanned += len(text) - start
	if fresh && p.input == input {
		p.textLen = len(text)
		return false
	}
	rb, exact, ok := s.openFence()
	if !ok {
		s.r.growing = hasText(text[s.scanned:])
		rb, exact = s.renderProvisional(input)
		s.r.growing = false
	}
	*p = provRender{valid: true, start: start, textLen: len(text), input: input, r: rb, exact: exact, gen: s.gen, at: now, cost: time.Since(began)}
	return true
}

// renderProvisional renders the text of an open block (or of one that just
// closed), letting code be lexed incrementally, and reports whether the
// render is exact: what a final render of input gives.
func (s *Stream) renderProvisional(input string) (rendered, bool) {
	if isBlank(input) {
		return rendered{}, true
	}
	began := time.Now()
	s.r.provisional, s.r.hl.inexact = true, false
	rb := s.r.renderBlock(input)
	exact := !s.r.hl.inexact
	s.r.provisional = false
	s.provRenders++
	s.provElapsed += time.Since(began)
	return rb, exact
}

// joinBlock appends a block's rows to dst, and their descriptions to rows,
// as a full render would join them (see rendered): trail is what the block
// dst ends with leaves after itself. It returns the trail b leaves.
func joinBlock(dst []string, rows []Row, trail int, b rendered) ([]string, []Row, int) {
	if len(b.lines) == 0 {
		if len(dst) == 0 {
			return dst, rows, trail
		}
		return dst, rows, trail + b.lead
	}
	n := len(dst)
	dst = appendBlanks(dst, trail+b.lead)
	rows = appendRowsOf(rows, len(dst)-n, b)
	return append(dst, b.lines...), rows, b.trail
}

// appendBlanks appends n blank lines (none if n < 1), or none to an empty
// dst.
func appendBlanks(dst []string, n int) []string {
	if len(dst) == 0 {
		return dst
	}
	for range n {
		dst = append(dst, "")
	}
	return dst
}
