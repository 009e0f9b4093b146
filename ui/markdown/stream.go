package markdown

import (
	"strings"
	"time"
)

// Stream is one message being streamed: it keeps the markdown so far, the
// rendered lines of its closed blocks, and a provisional render of the open
// block (provisional.go). Append only splits the text into blocks (split.go);
// rendering happens in Lines, once per frame:
//   - the open block, when its text changed, is rendered again: one glamour
//     call of the size of that block, and not even that while the last
//     one's cost says to wait (renderOpen);
//   - a block that closed is final at once when the open block's last
//     render was of exactly its text; otherwise it is rendered again, by
//     Lines itself, or, after SetAsync(true), by a Job the caller runs on
//     another goroutine, while Lines shows its last provisional rows.
//
// Not safe for concurrent use, except that a Job runs on its own. Deltas
// are expected to be sanitised already (ui/sanitize).
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

	codeBlocks []string
	codeStart  int // where the open fence's content starts
	needsFull  bool

	blocks []*block // closed blocks, in order
	done   int      // blocks[:done] are final: their rows are out[:committed]
	// out[:committed] are the final blocks' rows; Lines appends the rest
	// behind them in place, so the final part is never copied per frame.
	out       []string
	committed int
	trail     int // blank lines blocks[done-1] leaves after itself
	dirty     bool

	prov provRender // the open block's last provisional render

	async          bool
	spare          *Renderer // the renderer jobs use, a clone of r
	inFlight       bool      // a job of generation jobGen has not been applied
	gen, jobGen    int       // gen counts SetRenderer calls
	finished       bool
	full           *rendered // a whole-message render, for needsFull, after Finish
	now            func() time.Time
	provRenders    int // instrumentation: provisional renders
	closedRenders  int // instrumentation: closed blocks rendered by Lines or jobs
	reusedRenders  int // instrumentation: closed blocks that took their last provisional render
	provElapsed    time.Duration
	closedElapsed  time.Duration
	throttledCalls int
}

// block is a closed block: text[start:end].
type block struct {
	start, end int
	r          *rendered // the final render; nil until there is one
	shown      *rendered // shown until then: a provisional render, or the old width's rows
	endRow     int       // once final: out[:endRow] ends with its rows
	trailAfter int       // and the trail it leaves
	last       bool      // closed by Finish; a later Append reopens it
	// stale: the block closed with text its last provisional render did
	// not have. An async Stream renders it once more in the next Lines, as
	// the open block it was, so that it shows whole at once.
	stale bool
}

// provRender is the open block's last provisional render.
type provRender struct {
	valid bool
	start int    // the blockStart it renders
	input string // what was rendered
	r     rendered
	exact bool // a final render of input gives the same rows
	gen   int
	at    time.Time
	cost  time.Duration
}

// provDuty bounds the time spent re-rendering the open block: after a render
// that took d, the next one waits until provDuty·d has passed. Renders of a
// typical open block (0.1-1 ms) happen every frame; a huge open table or
// list renders less often, so it never takes more than ~1/provDuty of a core.
const provDuty = 8

// NewStream starts an empty message rendered with r.
func NewStream(r *Renderer) *Stream {
	return &Stream{r: r, blankAt: -1, now: time.Now}
}

// Committed is how many of the lines Lines returns are final: rendered
// blocks that no later delta can change. A caller printing to a terminal
// (one-shot mode) prints those as they come.
func (s *Stream) Committed() int { return s.committed }

// Text returns the markdown so far.
func (s *Stream) Text() string { return s.text.String() }

// Append adds a delta. It never renders: its cost is proportional to
// len(delta). Appending to a finished stream reopens it.
func (s *Stream) Append(delta string) {
	if delta == "" {
		return
	}
	if s.finished {
		s.reopen()
	}
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
// begun far enough to classify, so a finished block closes without waiting
// for the whole next line.
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
		s.closeAt(s.scanned)
	}
	s.blankAt = -1
}

// closeAt closes the open block at its pending boundary; the next block
// starts at next.
func (s *Stream) closeAt(next int) {
	s.close(s.blankAt, false)
	s.blockStart = next
	s.block = blockState{}
}

// scanLine classifies the complete line text[start:end] (with its newline)
// and closes the open block when the line confirms a pending boundary.
func (s *Stream) scanLine(text string, start, end int) {
	line := text[start : end-1]
	if s.fence {
		if s.open.closes(line) {
			s.fence = false
			s.codeBlocks = append(s.codeBlocks, fenceContent(text[s.codeStart:start], s.open.indent))
		}
		return
	}
	if isBlank(line) {
		if s.block.hasContent && s.blankAt < 0 {
			s.blankAt = start
		}
		return
	}
	if s.blankAt >= 0 {
		if confirm, _ := s.block.decide(line, true); confirm {
			s.closeAt(start)
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
}

// close ends the open block at end. The open block's last provisional
// render becomes its final render if it rendered exactly this text, and is
// shown until the final one is there otherwise.
func (s *Stream) close(end int, last bool) {
	b := &block{start: s.blockStart, end: end, last: last}
	if p := &s.prov; p.valid && p.start == b.start && p.gen == s.gen {
		rb := p.r
		switch {
		case p.exact && p.input == s.text.String()[b.start:b.end]:
			b.r = &rb
			s.reusedRenders++
		case p.input == s.text.String()[b.start:b.end]:
			b.shown = &rb
		default:
			b.shown, b.stale = &rb, true
		}
	} else {
		b.stale = true
	}
	s.prov = provRender{}
	s.blocks = append(s.blocks, b)
	s.dirty = true
}

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
		s.out, s.trail = joinBlock(s.out[:s.committed], s.trail, *b.r)
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
	out, trail := s.out[:s.committed], s.trail
	for _, b := range s.blocks[s.done:] {
		if rb := b.r; rb != nil {
			out, trail = joinBlock(out, trail, *rb)
		} else if b.shown != nil {
			out, trail = joinBlock(out, trail, *b.shown)
		}
	}
	if p := &s.prov; p.valid && p.start == s.blockStart && !s.finished {
		out, _ = joinBlock(out, trail, p.r)
	}
	s.out = out
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
	text := s.text.String()
	if provisional(text[s.blockStart:], s.scanned-s.blockStart, s.fence, s.open) == p.input {
		return 0
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
	input := provisional(text[start:], s.scanned-start, s.fence, s.open)
	p := &s.prov
	fresh := p.valid && p.start == start && p.gen == s.gen
	if fresh && p.input == input {
		return false
	}
	now := s.now()
	if fresh && now.Sub(p.at) < provDuty*p.cost {
		s.throttledCalls++
		return false
	}
	began := time.Now()
	rb, exact := s.renderProvisional(input)
	*p = provRender{valid: true, start: start, input: input, r: rb, exact: exact, gen: s.gen, at: now, cost: time.Since(began)}
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

// joinBlock appends a block's rows to dst as a full render would join them
// (see rendered): trail is what the block dst ends with leaves after itself.
// It returns the trail b leaves.
func joinBlock(dst []string, trail int, b rendered) ([]string, int) {
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

// Finish marks the message as complete: its open block closes, and the
// final lines are returned (and returned by Lines from then on). If the text
// has reference definitions, footnotes or HTML blocks, the final lines are
// a render of the whole message: those depend on the whole document. An
// async Stream returns what Lines returns until its jobs are applied; Done
// says when they have been.
func (s *Stream) Finish() []string {
	if s.finished {
		return s.Lines()
	}
	text := s.text.String()
	if rest := text[s.blockStart:]; !isBlank(rest) {
		if !s.fence {
			rest = trimBlankLines(rest)
		}
		s.close(s.blockStart+len(rest), true)
	}
	s.finished = true
	return s.Lines()
}

// reopen undoes Finish for a delta that arrives after it.
func (s *Stream) reopen() {
	s.finished, s.full = false, nil
	n := len(s.blocks)
	if n == 0 || !s.blocks[n-1].last {
		return
	}
	s.blocks = s.blocks[:n-1]
	if s.done > n-1 {
		s.done, s.committed, s.trail = n-1, 0, 0
		if n > 1 {
			s.committed, s.trail = s.blocks[n-2].endRow, s.blocks[n-2].trailAfter
		}
		s.out = s.out[:s.committed]
	}
	s.dirty = true
}

// Done reports whether the Stream is finished and its final lines are
// rendered (an async Stream's jobs applied).
func (s *Stream) Done() bool {
	return s.finished && s.done == len(s.blocks) && (!s.needsFull || s.full != nil)
}

// SetRenderer switches to r (a new width or theme). A Stream renders every
// block again with r, once each: Lines does, or, if the Stream is async,
// jobs do, while Lines shows the rows rendered for the old width.
func (s *Stream) SetRenderer(r *Renderer) {
	s.r, s.spare = r, nil
	s.gen++
	for _, b := range s.blocks {
		b.shown = nil
		if s.async {
			b.shown = b.r
		}
		b.r = nil
	}
	s.done, s.committed, s.trail = 0, 0, 0
	s.out = s.out[:0]
	s.full = nil
	s.prov.valid = false
	s.dirty = true
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
