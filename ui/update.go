package ui

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/prompt"
	"github.com/parley-tui/parley/ui/sanitize"
)

// Update routes a message, then does once what every change may need:
// tell the user what the controller reported, bring the transcript and the
// sidebar up to date, lay the screen out, and make a markdown renderer for
// a new width or theme.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	cmd := m.route(msg)
	_, resize := msg.(tea.WindowSizeMsg)
	return m, tea.Batch(cmd, m.settle(resize))
}

// route handles one message, in a fixed order: the controller's own
// messages, terminal facts, overlays' answers, then input (keys go quit →
// top overlay → global → focused pane, in keys.go).
func (m *Model) route(msg tea.Msg) tea.Cmd {
	if cmd, ok := m.chat.Handle(msg); ok {
		return cmd
	}
	if cmd, ok := m.onInputMsg(msg); ok {
		return cmd
	}
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.layout.width, m.layout.height = msg.Width, msg.Height
		if !m.panes.started && m.deps.Open != nil {
			// A reopened session waits for the first size, and so a renderer.
			m.panes.started, m.panes.opening = true, true
			m.relayout()
			m.render.stale = false
			m.render.want = m.layout.transcript.w
			return tea.Batch(m.buildRenderers(), m.chat.Start(m.deps.Open))
		}
		return nil
	case settleMsg:
		return m.onSettle(msg)
	case renderersMsg:
		return m.onRenderers(msg)
	case rerenderedMsg:
		return m.onRerendered(msg)
	case mdJobMsg:
		m.onJob(msg)
		return nil
	case redrawMsg:
		m.render.redraw = false
		return nil
	case tea.BackgroundColorMsg:
		if !m.look.fixed {
			m.setTheme(themes.Default(msg.IsDark()))
		}
		return nil
	case tea.KeyboardEnhancementsMsg:
		m.keys.SetKeyboardEnhanced(msg.SupportsKeyDisambiguation())
		return nil

	case modelsListedMsg:
		if p, ok := find[*modelPicker](m.overlays); ok {
			p.listed(msg)
		}
		return nil
	case sessionsListedMsg:
		if p, ok := find[*sessionPicker](m.overlays); ok {
			p.listed(msg)
		}
		return nil
	case searchResultsMsg:
		if p, ok := find[*sessionPicker](m.overlays); ok {
			p.found(msg)
		}
		return nil
	case sessionChangedMsg:
		return m.onSessionChanged(msg)
	case mcpEventMsg:
		return m.onMCPEvent(msg)
	case clipSentMsg:
		return m.clip.sent()
	case clipboardCheckedMsg:
		m.clipWarn = sanitize.Text(msg.warn)
		return nil

	case tea.KeyPressMsg:
		return m.handleKey(msg)
	case tea.PasteMsg:
		return m.paste(msg)
	case tea.MouseMsg:
		return m.onMouse(msg)
	case edgeTickMsg:
		return m.onEdgeTick(msg)
	case clickTimeoutMsg:
		return m.onClickTimeout(msg)
	}
	return nil
}

// settle runs after every message: the controller's events, the layout,
// a renderer for a new width or theme, and the views' sync. The layout
// comes before the transcript's sync, so text that arrived in the batch
// that brought the sidebar is rendered at the width it will show at.
func (m *Model) settle(resize bool) tea.Cmd {
	var cmds []tea.Cmd
	for _, ev := range m.chat.Events() {
		cmds = append(cmds, m.onEvent(ev))
	}
	m.sidebar.sync(m.chat.Calls())
	m.syncApproval()
	m.relayout()
	if m.render.stale {
		cmds = append(cmds, m.scheduleRenderer(resize))
	}
	m.transcript.sync(m.chat.Messages(), m.chat.Version(), m.chat.Streaming(), m.chat.Replaced)
	// The views render first (renderLazies brings the transcript up to date):
	// a block that closed is then final when its last render of the open
	// block was exact, and only the others go to jobs; the open block's
	// put-off render (Wait) is known only after that render was tried.
	cmds = append(cmds, m.renderLazies(), m.mdJobs())
	return tea.Batch(cmds...)
}

// onEvent tells the user what the controller reported, with the keys
// that apply.
func (m *Model) onEvent(ev chat.Event) tea.Cmd {
	text := sanitize.Text(ev.Text)
	g := m.keys.Global
	switch ev.Kind {
	case chat.Notice, chat.Queued:
		m.flash(text)
	case chat.Failed:
		m.flash(withHint(text, hint(g.Retry, "retries")))
	case chat.Busy:
		m.flash(withHint(text, hint(g.Cancel, "cancels")))
	case chat.RestorePrompt:
		if !m.hasDraft() {
			m.recall(ev.Text, ev.Attachments)
		}
	case chat.RestoreQueued:
		m.restoreQueued(ev.Text, ev.Attachments)
	case chat.SessionChanged:
		// The session a run opens with (--continue) does not hide what
		// the start says, such as that the session is not saved.
		switch {
		case m.panes.opening && m.deps.NotSaved != "":
		case ev.Text != "":
			m.flash(text)
		default:
			// A notice about the session that was on screen ("Opened …")
			// says nothing of a new, blank one.
			m.status.clear()
		}
		m.panes.opening = false
		m.transcript.reset()
		m.copyCursor = 0
		if ev.Focus != nil {
			m.transcript.showNext(ev.Focus, strings.Split(ev.Highlight, "\n"))
		}
		if p, ok := find[*approvalPrompt](m.overlays); ok {
			m.overlays.remove(p) // its calls were the old session's
		}
		return m.setFocus(focusInput)
	case chat.Approval:
		return m.offerApproval()
	}
	return nil
}

// paste puts pasted text in a picker's filter, or else in the input, which
// takes the focus from the panes and the approval prompt (a paste is typing:
// it never decides a call).
func (m *Model) paste(msg tea.PasteMsg) tea.Cmd {
	switch top := m.overlays.top().(type) {
	case *modelPicker:
		top.query += firstLine(msg.Content)
		return nil
	case *sessionPicker:
		if top.renaming {
			top.newTitle += firstLine(msg.Content)
			return nil
		}
		top.query += firstLine(msg.Content)
		top.cursor = 0
		if top.search {
			return top.runSearch()
		}
		top.refilter()
		return nil
	case *finderOverlay:
		return top.paste(firstLine(msg.Content))
	case nil:
	default:
		m.overlays.remove(top)
	}
	m.focus = focusInput
	if pasteMayBePaths(msg.Content) {
		return m.checkPaste(msg.Content) // a file dropped on the terminal
	}
	return m.editInput(msg)
}

// firstLine is a paste's first line, for a one-line field.
func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.ReplaceAll(s, "\r", "\n"), "\n")
	return s
}

// onSessionChanged follows a rename, pin or delete in the session picker.
func (m *Model) onSessionChanged(msg sessionChangedMsg) tea.Cmd {
	if msg.err != nil {
		m.flash(sanitize.Text(msg.err.Error()))
	}
	m.chat.Renamed(msg.renamed, msg.title)
	cmds := []tea.Cmd{m.chat.Deleted(msg.deleted)}
	if p, ok := find[*sessionPicker](m.overlays); ok {
		cmds = append(cmds, p.listSessions())
	}
	return tea.Batch(cmds...)
}

// setTheme rebuilds the styles; cached renders go stale by the theme's id.
func (m *Model) setTheme(p themes.Palette) {
	m.look.set(p)
	m.input.SetStyles(prompt.NewStyles(m.look.styles))
	m.render.stale = true
}

// shutdown ends the reply and tools in flight, and the commands that
// listen for news.
func (m *Model) shutdown() {
	select {
	case <-m.stop:
	default:
		close(m.stop)
	}
	m.chat.Shutdown()
}
