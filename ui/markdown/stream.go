package markdown

import "strings"

// Stream is one message being streamed: it keeps the markdown so far, the
// rendered lines of its committed blocks, and the open tail as plain lines.
// A block commits, and goes through glamour once, as soon as the line after
// its closing blank line shows it cannot continue it; the commit happens
// inside Append, so a caller that wants no glamour call on the UI goroutine
// runs the Stream on a worker. Not safe for concurrent use. Deltas are
// expected to be sanitised already (ui/sanitize); the tail shows them as
// they are.
type Stream struct {
	r    *Renderer
	text strings.Builder // append-only, so substrings of it stay valid

	scanned int  // text[:scanned] has been split into lines and classified
	fence   bool // text[scanned:] starts inside a fenced code block
	open    fence
	block   blockState
	// The open block is text[blockStart:]; blankAt is where its pending
	// boundary (a blank line outside a fence) starts, -1 if none.
	blockStart, blankAt int

	blocks []span // committed blocks, in order
	// out[:committed] are the committed blocks' lines. Lines appends the tail
	// behind them in place, so the committed part is never copied per call.
	out       []string
	committed int
	trail     int        // blank lines the last committed block leaves after itself
	tail      []tailLine // classified lines of the open block
	tailLines []string   // tail's display lines, kept in step with tail
	dirty     bool       // out is stale: text changed since the last Lines

	codeBlocks []string
	codeStart  int // where the open fence's content starts

	needsFull bool     // the text has constructs that only a full render gets right
	final     []string // set by Finish
	finished  bool
}

type span struct{ start, end int }

// tailLine is one complete source line of the open block.
type tailLine struct {
	span
	code bool // inside a fence: shown as code, not wrapped as prose
}

// NewStream starts an empty message rendered with r.
func NewStream(r *Renderer) *Stream {
	return &Stream{r: r, blankAt: -1}
}

// Committed is how many of the lines Lines returns are final: rendered
// blocks that no later delta can change. A caller printing to a terminal
// (one-shot mode) prints those as they come.
func (s *Stream) Committed() int { return s.committed }

// Text returns the markdown so far.
func (s *Stream) Text() string { return s.text.String() }

// Append adds a delta. Its cost is proportional to len(delta), plus one
// glamour render for each block the delta confirms as finished. Appending to
// a finished stream reopens it.
func (s *Stream) Append(delta string) {
	if delta == "" {
		return
	}
	s.finished, s.final = false, nil
	from := s.text.Len()
	s.text.WriteString(delta)
	s.dirty = true
	text := s.text.String()
	// Only text[scanned:from] can hold no newline, so search from 'from'.
	for {
		nl := strings.IndexByte(text[from:], '\n')
		if nl < 0 {
			break
		}
		end := from + nl + 1
		s.scanLine(text, s.scanned, end)
		s.scanned, from = end, end
	}
	s.decidePartial(text)
}

// decidePartial settles a pending boundary as soon as the line after it has
// begun far enough to classify, so a finished block commits (and shows
// styled) without waiting for the whole next line.
func (s *Stream) decidePartial(text string) {
	partial := text[s.scanned:]
	if s.blankAt < 0 || isBlank(partial) {
		return
	}
	confirm, known := s.block.decide(partial, false)
	if !known {
		return
	}
	if confirm {
		s.commitAt(text, s.scanned)
	}
	s.blankAt = -1
}

// commitAt commits the open block up to its pending boundary; the next block
// starts at next.
func (s *Stream) commitAt(text string, next int) {
	s.commit(text[s.blockStart:s.blankAt])
	s.blockStart = next
	s.block = blockState{}
}

// scanLine classifies the complete line text[start:end] (with its newline)
// and commits the open block when the line confirms a pending boundary.
func (s *Stream) scanLine(text string, start, end int) {
	line := text[start : end-1]
	if s.fence {
		if s.open.closes(line) {
			s.fence = false
			s.codeBlocks = append(s.codeBlocks, fenceContent(text[s.codeStart:start], s.open.indent))
			s.addTail(start, end, false)
		} else {
			s.addTail(start, end, true)
		}
		return
	}
	if isBlank(line) {
		if s.block.hasContent && s.blankAt < 0 {
			s.blankAt = start
		}
		s.addTail(start, end, false)
		return
	}
	if s.blankAt >= 0 {
		if confirm, _ := s.block.decide(line, true); confirm {
			s.commitAt(text, start)
		}
	}
	s.blankAt = -1
	if isReferenceDefinition(line) || isHTMLBlockStart(line) {
		s.needsFull = true
	}
	if s.block.htmlEnd == "" {
		if f, ok := openFence(line); ok {
			s.fence, s.open, s.codeStart = true, f, end
		}
	}
	s.block.observe(line)
	s.addTail(start, end, false)
}

// commit renders a finished block once and appends it to the committed lines.
func (s *Stream) commit(md string) {
	start := s.blockStart
	s.blocks = append(s.blocks, span{start, start + len(md)})
	s.out, s.trail = s.appendBlock(s.out[:s.committed], s.trail, md)
	s.committed = len(s.out)
	s.tail, s.tailLines = s.tail[:0], s.tailLines[:0]
}

// appendBlock renders md and joins its lines to dst as a full render would
// (see rendered): trail is what the block dst ends with leaves after itself.
// It returns the trail md leaves.
func (s *Stream) appendBlock(dst []string, trail int, md string) ([]string, int) {
	b := s.r.renderBlock(md)
	if len(b.lines) == 0 {
		if len(dst) == 0 {
			return dst, trail
		}
		return dst, trail + b.lead
	}
	return append(appendBlanks(dst, trail+b.lead), b.lines...), b.trail
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

// addTail records a complete source line of the open block and its display
// lines. Blank lines outside fences collapse to one and never lead.
func (s *Stream) addTail(start, end int, code bool) {
	s.tail = append(s.tail, tailLine{span{start, end}, code})
	s.tailLines = s.appendTailLine(s.tailLines, s.tail[len(s.tail)-1])
}

func (s *Stream) appendTailLine(dst []string, l tailLine) []string {
	src := s.text.String()[l.start:l.end]
	if !l.code && isBlank(src) && (len(dst) == 0 || dst[len(dst)-1] == "") {
		return dst
	}
	return s.r.appendPlain(dst, src, l.code)
}

// Lines returns the committed blocks' rendered lines followed by the open
// tail as plain text, or after Finish the final lines. Its cost is the tail's
// line count plus wrapping the last, unfinished line. The slice is reused:
// read it, do not keep it past the next Append, Finish or SetRenderer.
func (s *Stream) Lines() []string {
	switch {
	case s.finished:
		return s.final
	case !s.dirty:
		return s.out
	}
	s.dirty = false
	tail := s.tailLines
	partial := s.text.String()[s.scanned:]
	if isBlank(partial) {
		// A pending blank line shows only once text follows it.
		for len(tail) > 0 && tail[len(tail)-1] == "" {
			tail = tail[:len(tail)-1]
		}
	}
	out := s.out[:s.committed]
	if len(tail) > 0 || !isBlank(partial) {
		out = appendBlanks(out, s.trail+s.r.paraGap)
	}
	out = append(out, tail...)
	if !isBlank(partial) {
		out = s.r.appendPlain(out, partial, s.fence)
	}
	s.out = out
	return out
}

// Finish marks the message as complete: it renders the open block with
// glamour and returns the final lines, which Lines returns from then on.
// If the text has reference definitions, footnotes or HTML blocks, it
// renders the whole message instead: those depend on the whole document.
func (s *Stream) Finish() []string {
	if s.finished {
		return s.final
	}
	text := s.text.String()
	if s.needsFull {
		// Reference definitions and HTML blocks depend on the whole
		// document; one full render is the only way to match it.
		s.final = s.r.Render(text)
	} else {
		s.final, _ = s.appendBlock(s.out[:s.committed], s.trail, text[s.blockStart:])
		s.out = s.final
	}
	s.finished, s.dirty = true, true
	return s.final
}

// SetRenderer switches to r (a new width or theme): committed blocks are
// rendered again with r, once each; the tail is re-wrapped.
func (s *Stream) SetRenderer(r *Renderer) {
	s.r = r
	text := s.text.String()
	s.out, s.trail = s.out[:0], 0
	for _, b := range s.blocks {
		s.out, s.trail = s.appendBlock(s.out, s.trail, text[b.start:b.end])
	}
	s.committed = len(s.out)
	s.tailLines = s.tailLines[:0]
	for _, l := range s.tail {
		s.tailLines = s.appendTailLine(s.tailLines, l)
	}
	s.dirty = true
	if s.finished {
		s.finished = false
		s.Finish()
	}
}

// CodeBlocks returns the contents of the fenced code blocks seen so far,
// without fences, in order. A fence still open is left out until Finish,
// which closes it at the end of the message as a full render does.
func (s *Stream) CodeBlocks() []string {
	if s.finished && s.fence {
		text := s.text.String()
		return append(s.codeBlocks[:len(s.codeBlocks):len(s.codeBlocks)],
			fenceContent(text[s.codeStart:], s.open.indent))
	}
	return s.codeBlocks
}

// fenceContent returns a fence's content lines with up to indent columns of
// the opener's indentation removed from each, without the final newline.
func fenceContent(body string, indent int) string {
	body = strings.TrimSuffix(body, "\n")
	if indent == 0 {
		return body
	}
	lines := strings.Split(body, "\n")
	for i, l := range lines {
		n := 0
		for n < len(l) && n < indent && l[n] == ' ' {
			n++
		}
		lines[i] = l[n:]
	}
	return strings.Join(lines, "\n")
}
