package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2/ansi"

	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// settleDelay is how long the width must hold still before the transcript
// renders again: dragging a window edge sends a storm of sizes, and only
// the last one is worth a glamour pass. Meanwhile rows are clipped.
const settleDelay = 80 * time.Millisecond

// rerenderSlice bounds one background step, so the newest replies (the
// ones in view) arrive first and a long transcript fills in behind them.
const rerenderSlice = 30 * time.Millisecond

type settleMsg struct{ seq int }

// renderJob is the markdown renderer's state: stale asks for a new one
// (a new width or theme), made once resizing settles; resizeSeq tells the
// last resize from earlier ones and gen current background renders from
// superseded ones; width is the transcript width of the renderer in use.
type renderJob struct {
	stale     bool
	resizeSeq int
	gen       int
	width     int
}

// rerenderedMsg carries finished replies rendered at the new width.
type rerenderedMsg struct {
	gen    int
	bodies map[*entry][]string
	next   tea.Cmd // the rest of the transcript, if any
}

// scheduleRenderer answers a width or theme change. A terminal resize waits
// for the size to settle; the first renderer, a theme change or the sidebar
// appearing are single events and apply at once.
func (m *Model) scheduleRenderer(resize bool) tea.Cmd {
	m.render.stale = false
	if m.layout.transcript.w <= gutter+1 {
		return nil // no room to render into: keep the renderer there is
	}
	if m.transcript.renderer == nil || !resize {
		return m.applyRenderer()
	}
	m.render.resizeSeq++
	seq := m.render.resizeSeq
	return tea.Tick(settleDelay, func(time.Time) tea.Msg { return settleMsg{seq} })
}

func (m *Model) onSettle(msg settleMsg) tea.Cmd {
	if msg.seq != m.render.resizeSeq {
		return nil // a later resize is pending
	}
	return m.applyRenderer()
}

// applyRenderer makes the renderer for the current width and theme, moves
// the streaming reply to it, and renders finished replies in the background
// with a renderer of their own (glamour renderers are not goroutine-safe).
func (m *Model) applyRenderer() tea.Cmd {
	// One column short of the edge, so text never touches the sidebar.
	tw := m.layout.transcript.w
	width := tw - gutter - 1
	if width < 1 {
		return nil
	}
	r, err := markdown.NewRenderer(m.look.styles.Markdown, width)
	if err != nil {
		// Parley's own failure, not the user's: the log has it, the
		// screen keeps the renderer it had.
		if m.deps.Logger != nil {
			m.deps.Logger.Error("markdown renderer", "width", width, "err", err)
		}
		return nil
	}
	m.render.width = tw
	stale := m.transcript.setRenderer(r, m.look.id)
	m.render.gen++
	if len(stale) == 0 {
		return nil
	}
	return m.renderInBackground(stale)
}

// renderInBackground renders finished replies at the current width off
// the UI goroutine, newest first.
func (m *Model) renderInBackground(entries []*entry) tea.Cmd {
	var jobs []rerenderJob
	for _, e := range entries {
		if e.lazyText != "" {
			continue // renders when it comes into view
		}
		jobs = append(jobs, rerenderJob{e: e, text: sanitize.Text(e.msg.Turn.Text)})
	}
	if len(jobs) == 0 || m.transcript.renderer == nil {
		return nil
	}
	return rerender(m.render.gen, m.look.styles.Markdown, m.transcript.renderer.Width(), nil, jobs)
}

// rerenderJob is a finished reply's text, copied on the UI goroutine.
type rerenderJob struct {
	e    *entry
	text string
}

func rerender(gen int, style ansi.StyleConfig, width int, r *markdown.Renderer, jobs []rerenderJob) tea.Cmd {
	return func() tea.Msg {
		if r == nil {
			var err error
			if r, err = markdown.NewRenderer(style, width); err != nil {
				return rerenderedMsg{gen: gen}
			}
		}
		out := rerenderedMsg{gen: gen, bodies: map[*entry][]string{}}
		start := time.Now()
		for i, j := range jobs {
			// A full render equals what the stream produced (ui/markdown tests).
			out.bodies[j.e] = r.Render(j.text)
			if time.Since(start) > rerenderSlice && i+1 < len(jobs) {
				out.next = rerender(gen, style, width, r, jobs[i+1:])
				break
			}
		}
		return out
	}
}

func (m *Model) onRerendered(msg rerenderedMsg) tea.Cmd {
	if msg.gen != m.render.gen {
		return nil // superseded by a later resize or theme change
	}
	for e, lines := range msg.bodies {
		e.body = lines
		e.valid = false
	}
	return msg.next
}
