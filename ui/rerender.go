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
	m.rendererStale = false
	if m.layout.transcriptWidth <= gutter {
		return nil
	}
	if m.transcript.renderer == nil || !resize {
		return m.applyRenderer()
	}
	m.resizeSeq++
	seq := m.resizeSeq
	return tea.Tick(settleDelay, func(time.Time) tea.Msg { return settleMsg{seq} })
}

func (m *Model) onSettle(msg settleMsg) tea.Cmd {
	if msg.seq != m.resizeSeq {
		return nil // a later resize is pending
	}
	return m.applyRenderer()
}

// applyRenderer makes the renderer for the current width and theme, moves
// the streaming reply to it, and renders finished replies in the background
// with a renderer of their own (glamour renderers are not goroutine-safe).
func (m *Model) applyRenderer() tea.Cmd {
	// One column short of the edge, so text never touches the sidebar.
	width := m.layout.transcriptWidth - gutter - 1
	r, err := markdown.NewRenderer(m.styles.Markdown, width)
	if err != nil {
		m.flash("Markdown renderer: " + err.Error())
		return nil
	}
	stale := m.transcript.setRenderer(r, m.themeID)
	m.renderGen++
	if len(stale) == 0 {
		return nil
	}
	var jobs []rerenderJob
	for _, e := range stale {
		if e.lazyText != "" {
			continue // renders at the new width when it comes into view
		}
		jobs = append(jobs, rerenderJob{e: e, text: sanitize.Text(e.msg.Turn.Text)})
	}
	if len(jobs) == 0 {
		return nil
	}
	return rerender(m.renderGen, m.styles.Markdown, width, nil, jobs)
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
	if msg.gen != m.renderGen {
		return nil // superseded by a later resize or theme change
	}
	for e, lines := range msg.bodies {
		e.body = lines
		e.valid = false
	}
	return msg.next
}
