package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/sanitize"
)

// tickMsg repaints clocks ("Thinking… 4 s") while a turn is in flight.
type tickMsg struct{ id int }

const tickInterval = 250 * time.Millisecond

func tick(id int) tea.Cmd {
	return tea.Tick(tickInterval, func(time.Time) tea.Msg { return tickMsg{id} })
}

// Update routes messages in a fixed order: terminal facts, the stream,
// then input (keys go quit → overlay → global → focused pane). Whatever
// changed the transcript's width or theme, the new renderer is made after.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	_, cmd := m.route(msg)
	if len(m.pending) > 0 {
		cmd = tea.Batch(append(m.pending, cmd)...)
		m.pending = nil
	}
	if m.rendererStale {
		_, resize := msg.(tea.WindowSizeMsg)
		cmd = tea.Batch(cmd, m.scheduleRenderer(resize))
	}
	return m, cmd
}

func (m *Model) route(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case clientReadyMsg:
		m.onClientReady(msg)
		return m, nil
	case toolResultMsg:
		return m, m.onToolResult(msg)
	case modelsListedMsg:
		m.onModelsListed(msg)
		return m, nil
	case settleMsg:
		return m, m.onSettle(msg)
	case rerenderedMsg:
		return m, m.onRerendered(msg)
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.relayout()
		if m.pendingOpen != nil && m.rendererStale {
			// The first size makes the renderer a reopened session needs.
			m.scheduleRenderer(false)
			open := m.pendingOpen
			m.pendingOpen = nil
			return m, m.switchTo(open)
		}
		return m, nil
	case sessionsListedMsg:
		m.onSessionsListed(msg)
		return m, nil
	case searchResultsMsg:
		m.onSearchResults(msg)
		return m, nil
	case sessionChangedMsg:
		return m, m.onSessionChanged(msg)
	case sessionLoadedMsg:
		if msg.err != nil {
			m.flash("Could not open the session: " + sanitize.Text(msg.err.Error()))
			return m, nil
		}
		return m, m.switchTo(&msg.open)
	case writerClosedMsg:
		if msg.err != nil {
			m.flash("Saving the session failed: " + sanitize.Text(msg.err.Error()))
		}
		return m, nil
	case tea.BackgroundColorMsg:
		if !m.themeFixed {
			m.setTheme(themes.Default(msg.IsDark()))
		}
		return m, nil
	case tea.KeyboardEnhancementsMsg:
		m.keys.SetKeyboardEnhanced(msg.SupportsKeyDisambiguation())
		return m, nil

	case turnStartedMsg:
		return m, m.onTurnStarted(msg)
	case turnFailedMsg:
		m.onTurnFailed(msg)
		return m, nil
	case choicesMsg:
		return m, m.onChoices(msg)
	case tickMsg:
		if m.turn != nil && msg.id == m.turn.id {
			return m, tick(msg.id)
		}
		return m, nil
	case draftFileMsg:
		if msg.err != nil {
			m.flash("Editor: " + msg.err.Error())
			return m, nil
		}
		return m, openEditor(msg.path, m.deps.Getenv)
	case editorDoneMsg:
		if msg.err != nil {
			m.flash("Editor: " + msg.err.Error())
		} else {
			// A long draft comes back as a paste label, like a paste: the
			// textarea's cost per key grows with its content.
			m.input.setValue("")
			m.input.paste(msg.text)
			m.relayout()
		}
		return m, nil

	case tea.KeyPressMsg:
		return m, m.handleKey(msg)
	case tea.PasteMsg:
		if m.focus != focusInput {
			m.setFocus(focusInput)
		}
		cmd := m.input.update(msg, m.keys.Input)
		m.relayout()
		return m, cmd
	case tea.MouseWheelMsg:
		switch msg.Button {
		case tea.MouseWheelUp:
			m.transcript.scroll(-3, m.layout.bodyHeight)
		case tea.MouseWheelDown:
			m.transcript.scroll(3, m.layout.bodyHeight)
		}
		return m, nil
	}
	// Anything else (cursor blink) belongs to the input.
	return m, m.input.update(msg, m.keys.Input)
}
