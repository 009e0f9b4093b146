package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
	"charm.land/glamour/v2/ansi"
	"charm.land/lipgloss/v2"

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

// renderJob is the markdown renderers' state. stale asks for new ones (a
// new width or theme); they are built in a command, never in Update, once
// resizing settles. resizeSeq tells the last resize from earlier ones,
// build the newest build from superseded ones, and gen current background
// renders from superseded ones. width is the transcript width of the
// renderers in use, want the one being built or waited for. redraw: a
// redraw for a put-off open block is pending (entry_md.go).
type renderJob struct {
	stale     bool
	resizeSeq int
	build     int
	gen       int
	width     int
	want      int
	redraw    bool
	// inline renders in Update what commands render otherwise: unit
	// tests that feed choices by hand and read the screen at once use it.
	// The program never sets it; the golden tests run the commands.
	inline bool
}

// renderersMsg brings renderers built off the UI goroutine: r for replies,
// rr for reasoning panes.
type renderersMsg struct {
	build   int
	width   int // the transcript width they are for
	themeID int
	r, rr   *markdown.Renderer
	err     error
}

// rerenderedMsg carries finished replies rendered at the new width.
type rerenderedMsg struct {
	gen    int
	bodies map[*entry][]string
	next   tea.Cmd // the rest of the transcript, if any
}

// scheduleRenderer answers a width or theme change. A terminal resize waits
// for the size to settle; the first renderer, a theme change or the sidebar
// appearing are single events and are built at once.
func (m *Model) scheduleRenderer(resize bool) tea.Cmd {
	m.render.stale = false
	if m.layout.transcript.w <= gutter+1 {
		return nil // no room to render into: keep the renderer there is
	}
	m.render.want = m.layout.transcript.w
	if m.transcript.renderer == nil || !resize {
		return m.buildRenderers()
	}
	m.render.resizeSeq++
	seq := m.render.resizeSeq
	return tea.Tick(settleDelay, func(time.Time) tea.Msg { return settleMsg{seq} })
}

func (m *Model) onSettle(msg settleMsg) tea.Cmd {
	if msg.seq != m.render.resizeSeq {
		return nil // a later resize is pending
	}
	return m.buildRenderers()
}

// buildRenderers makes the renderers for the current width and theme in a
// command: each costs probe renders, which no frame should wait for.
func (m *Model) buildRenderers() tea.Cmd {
	// One column short of the edge, so text never touches the sidebar.
	tw := m.layout.transcript.w
	width := tw - gutter - 1
	if width < 1 {
		return nil
	}
	m.render.build++
	build, themeID := m.render.build, m.look.id
	style := m.look.styles.Markdown
	pane := m.look.styles.Reasoning.Text
	if m.render.inline {
		return m.onRenderers(newRenderers(build, tw, themeID, style, pane, width))
	}
	return func() tea.Msg {
		return newRenderers(build, tw, themeID, style, pane, width)
	}
}

// newRenderers builds the reply and reasoning renderers for a width; the
// reasoning pane is two columns narrower (its rule).
func newRenderers(build, tw, themeID int, style ansi.StyleConfig, pane lipgloss.Style, width int) renderersMsg {
	msg := renderersMsg{build: build, width: tw, themeID: themeID}
	if msg.r, msg.err = markdown.NewRenderer(style, width); msg.err != nil {
		return msg
	}
	msg.rr, msg.err = markdown.NewRenderer(markdown.ReasoningStyle(style, pane), max(1, width-2))
	return msg
}

// onRenderers puts renderers built for the current width and theme in
// use: the streaming reply moves to them at once, finished replies render
// again in the background.
func (m *Model) onRenderers(msg renderersMsg) tea.Cmd {
	if msg.build != m.render.build || msg.themeID != m.look.id {
		return nil // a later resize or theme change asked for others
	}
	if msg.err != nil {
		// Parley's own failure, not the user's: the log has it, the
		// screen keeps the renderer it had.
		if m.deps.Logger != nil {
			m.deps.Logger.Error("markdown renderer", "width", msg.width, "err", msg.err)
		}
		return nil
	}
	m.render.width = msg.width
	stale := m.transcript.setRenderer(msg.r, msg.rr, msg.themeID)
	m.render.gen++
	return m.renderInBackground(stale)
}

// renderInBackground renders finished replies at the current width off
// the UI goroutine, newest first, with a clone of the transcript's
// renderer (a renderer is not safe for two goroutines).
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
	return rerender(m.render.gen, m.transcript.renderer.Clone(), jobs)
}

// rerenderJob is a finished reply's text, copied on the UI goroutine.
type rerenderJob struct {
	e    *entry
	text string
}

func rerender(gen int, r *markdown.Renderer, jobs []rerenderJob) tea.Cmd {
	return func() tea.Msg {
		out := rerenderedMsg{gen: gen, bodies: map[*entry][]string{}}
		start := time.Now()
		for i, j := range jobs {
			// A full render equals what the stream produced (ui/markdown tests).
			out.bodies[j.e] = r.Render(j.text)
			if time.Since(start) > rerenderSlice && i+1 < len(jobs) {
				out.next = rerender(gen, r, jobs[i+1:])
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
		if e.rendering() || e.live {
			continue // its own Stream renders it
		}
		e.body, e.lazyText, e.queued = lines, "", false
		e.valid = false
	}
	return msg.next
}

// renderLazies renders the lazy replies that came into view, in the
// background with a clone of the renderer; their real heights change
// only rows below the view's anchor, and the next settle renders those
// that then come into view.
func (m *Model) renderLazies() tea.Cmd {
	t := m.transcript
	entries := t.lazyInView(m.layout.body.h, m.renderEnv())
	if len(entries) == 0 {
		return nil
	}
	if m.render.inline {
		for range 4 { // a few rounds settle, as heights become real
			for _, e := range entries {
				e.renderLazy(t.renderer)
			}
			if entries = t.lazyInView(m.layout.body.h, m.renderEnv()); len(entries) == 0 {
				break
			}
		}
		return nil
	}
	jobs := make([]rerenderJob, 0, len(entries))
	for _, e := range entries {
		e.queued = true
		jobs = append(jobs, rerenderJob{e: e, text: e.lazyText})
	}
	return rerender(m.render.gen, t.renderer.Clone(), jobs)
}
