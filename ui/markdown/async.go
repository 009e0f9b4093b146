package markdown

import "strings"

// A Stream renders the blocks that close on the goroutine that calls
// Lines, unless it is async: then Lines renders only the open block, and
// the closed blocks are handed out as Jobs for another goroutine (a
// tea.Cmd), their rows swapped in by Apply. Until then Lines shows a
// closed block's last provisional rows, which differ from its final rows
// at most in its last line.

// jobBytes bounds the markdown one Job renders (~25 ms of glamour), so that
// after a resize the first blocks come back soon and the rest follow.
const jobBytes = 16 << 10

// Job renders blocks of a Stream on another goroutine. It owns its
// renderer and copies of the text; Run is its only method that may run off
// the Stream's goroutine.
type Job struct {
	r      *Renderer
	gen    int
	blocks []*block // carried back to Apply, not read by Run
	texts  []string
	full   string // a whole-message render (needsFull), if not ""
	out    []rendered
	whole  *rendered
}

// SetAsync switches the Stream to handing out Jobs for closed blocks (true)
// or rendering them in Lines (false, the default).
func (s *Stream) SetAsync(on bool) { s.async = on }

// Job returns the next rendering job, or nil when there is none or one is
// still running. The caller runs it (Run) off the UI goroutine, then hands
// it back to Apply on the Stream's goroutine, and asks for the next.
func (s *Stream) Job() *Job {
	if !s.async || (s.inFlight && s.jobGen == s.gen) {
		return nil
	}
	text := s.text.String()
	j := &Job{gen: s.gen}
	if s.finished && s.needsFull && s.full == nil {
		j.full = strings.Clone(text)
	} else {
		size := 0
		for _, b := range s.blocks[s.done:] {
			if b.r != nil {
				continue
			}
			if size > 0 && size+b.end-b.start > jobBytes {
				break
			}
			j.blocks = append(j.blocks, b)
			j.texts = append(j.texts, strings.Clone(text[b.start:b.end]))
			size += b.end - b.start
		}
		if len(j.blocks) == 0 {
			return nil
		}
	}
	if s.spare == nil {
		s.spare = s.r.Clone()
	}
	j.r = s.spare
	s.inFlight, s.jobGen = true, s.gen
	return j
}

// Run renders the job's blocks. It may run on any goroutine.
func (j *Job) Run() {
	if j.full != "" {
		rb := j.r.renderBlock(j.full)
		j.whole = &rb
		return
	}
	j.out = make([]rendered, len(j.texts))
	for i, t := range j.texts {
		j.out[i] = j.r.renderBlock(t)
	}
}

// Apply takes the rows a Job rendered. A job from before a SetRenderer is
// dropped; every job handed out must come back here, run or not.
func (s *Stream) Apply(j *Job) {
	if j.gen != s.gen {
		return
	}
	s.inFlight = false
	if j.whole != nil {
		s.full = j.whole
		s.closedRenders++
	}
	for i, b := range j.blocks {
		if i < len(j.out) && b.r == nil {
			s.closedRenders++
			rb := j.out[i]
			b.r = &rb
		}
	}
	// The rendered blocks join the final rows now, not at the next Lines:
	// Done is true as soon as the last job is applied, which is when a
	// caller looks (ui freezes a finished reply's rows then).
	s.advance()
	s.dirty = true
}
