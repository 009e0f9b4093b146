package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// A reply's markdown, from its first delta to its frozen rows. While it
// streams its Stream is async: Lines, in View, renders only the open
// block; blocks that close go out as Jobs that run in commands and come
// back in mdJobMsg. When the reply ends, the Stream finishes; once its
// jobs are back (Done), its rows freeze into body and the Stream stays
// only for its code blocks.

// mdJobMsg brings a rendering Job back to the Stream that gave it out.
type mdJobMsg struct {
	e   *entry
	s   *markdown.Stream
	job *markdown.Job
}

// redrawMsg asks for a frame: the open block's render was put off
// (Stream.Wait) and text that arrived before a pause waits to be drawn.
type redrawMsg struct{}

// newStream starts an entry's markdown with r, async.
func newStream(r *markdown.Renderer) *markdown.Stream {
	s := markdown.NewStream(r)
	s.SetAsync(true)
	return s
}

// feed gives the reply in flight the text that arrived since the last
// frame, and its reasoning. replaced is the controller's count of final
// texts that replaced what streamed: when it moved, the reply is drawn
// again from its Turn, so nothing shows twice.
func (e *entry) feed(r, rr *markdown.Renderer, replaced int) {
	if r == nil {
		return // no width yet: the text waits in the message
	}
	if e.md == nil || replaced != e.replaced {
		e.md, e.fed, e.replaced = newStream(r), 0, replaced
		e.think = nil
	}
	if text := e.msg.Turn.Text; len(text) > e.fed {
		e.md.Append(sanitize.Text(text[e.fed:]))
		e.fed = len(text)
	}
	e.feedReasoning(rr)
	e.valid = false
}

// feedReasoning brings the reasoning pane up to date with the Turn's
// summary parts (Reasoning sanitises what it appends).
func (e *entry) feedReasoning(rr *markdown.Renderer) {
	parts := e.msg.Turn.Reasoning
	if rr == nil || len(parts) == 0 {
		return
	}
	if e.think == nil {
		e.think = markdown.NewReasoning(rr)
	}
	e.think.Update(parts)
}

// finish ends a reply that was streaming: the rest of its text goes in,
// its Stream finishes, and its rows freeze once every block is rendered
// (at once, or when the last job comes back).
func (e *entry) finish(r, rr *markdown.Renderer, replaced int) {
	e.feed(r, rr, replaced)
	e.live = false
	if e.md == nil {
		e.lazyText = sanitize.Text(e.msg.Turn.Text)
		return
	}
	e.md.Finish()
	if e.think != nil {
		e.think.Finish()
	}
	e.settling = true
	e.freezeIfDone()
}

// freezeIfDone keeps a finished reply's final rows, once its Stream has
// them all.
func (e *entry) freezeIfDone() {
	if !e.settling || !e.md.Done() {
		return
	}
	e.body = append([]string(nil), e.md.Lines()...)
	e.settling, e.valid = false, false
}

// rendering reports an entry whose Stream may hand out Jobs.
func (e *entry) rendering() bool { return e.md != nil && (e.live || e.settling) }

// renderLazy renders a finished reply that comes into view. Its Stream is
// kept for its code blocks.
func (e *entry) renderLazy(r *markdown.Renderer) {
	e.md = markdown.NewStream(r)
	e.md.Append(e.lazyText)
	e.body = e.md.Finish()
	e.lazyText = ""
	e.valid = false
}

// runJob renders a Stream's closed blocks off the UI goroutine.
func runJob(e *entry, s *markdown.Stream, j *markdown.Job) tea.Cmd {
	return func() tea.Msg {
		j.Run()
		return mdJobMsg{e: e, s: s, job: j}
	}
}

// mdJobs asks every rendering entry for its next Job, and schedules one
// redraw for an open block whose render was put off.
func (m *Model) mdJobs() tea.Cmd {
	var cmds []tea.Cmd
	var wait time.Duration
	for _, e := range m.transcript.entries {
		if !e.rendering() {
			continue
		}
		for j := e.md.Job(); j != nil; j = e.md.Job() {
			if !m.render.inline {
				cmds = append(cmds, runJob(e, e.md, j))
				break
			}
			j.Run()
			m.onJob(mdJobMsg{e: e, s: e.md, job: j})
		}
		if w := e.md.Wait(); w > 0 && (wait == 0 || w < wait) {
			wait = w
		}
	}
	if wait > 0 && !m.render.redraw {
		m.render.redraw = true
		cmds = append(cmds, tea.Tick(wait, func(time.Time) tea.Msg { return redrawMsg{} }))
	}
	return tea.Batch(cmds...)
}

// onJob takes a job back: every job goes back to the Stream that gave it
// out, even one that no entry shows any more.
func (m *Model) onJob(msg mdJobMsg) {
	msg.s.Apply(msg.job)
	if e := msg.e; e.md == msg.s {
		e.valid = false
		e.freezeIfDone()
	}
}
