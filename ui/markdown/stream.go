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
	fenceAt    int // where the open fence's opening line starts
	// fenceExp is text[codeStart:fenceExpAt] with its tabs expanded, for
	// the open fence's rows (fence.go).
	fenceExp   string
	fenceExpAt int
	needsFull  bool

	blocks []*block // closed blocks, in order
	done   int      // blocks[:done] are final: their rows are out[:committed]
	// out[:committed] are the final blocks' rows; Lines appends the rest
	// behind them in place, so the final part is never copied per frame.
	out       []string
	rows      []Row // describe out, one each (rows.go)
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
	provScanned    int // instrumentation: bytes of open block read to make provisional input
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
	valid   bool
	start   int    // the blockStart it renders
	textLen int    // the length of the whole text when input was made
	input   string // what was rendered
	r       rendered
	exact   bool // a final render of input gives the same rows
	gen     int
	at      time.Time
	cost    time.Duration
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
			s.fence, s.open, s.codeStart, s.fenceAt = true, f, end, start
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
		s.out, s.rows = s.out[:s.committed], s.rows[:s.committed]
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
	s.out, s.rows = s.out[:0], s.rows[:0]
	s.full = nil
	s.prov.valid = false
	s.dirty = true
}

// CodeBlocks returns the contents of the fenced code blocks seen so far,
// without fences, in order. A fence still open is left out until Finish,
// which closes it at the end of the message as a full render does.
func (s *Stream) CodeBlocks() []string {
	if s.finished && s.fence {
		body := s.text.String()[s.codeStart:]
		// A message that ends with the closing fence, without a newline
		// after it, closes the block there: that line is no code.
		if i := strings.LastIndexByte(body, '\n') + 1; s.open.closes(body[i:]) {
			body = body[:i]
		}
		return append(s.codeBlocks[:len(s.codeBlocks):len(s.codeBlocks)], fenceContent(body, s.open.indent))
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
