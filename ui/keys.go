package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
)

// escWindow is how soon a second esc must follow the first to cancel:
// one stray esc never throws a reply away.
const escWindow = 1500 * time.Millisecond

// handleKey routes a key: quit, then the overlay, then global keys, then
// the focused pane. The order is the contract; keep it.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	g := m.keys.Global
	if key.Matches(k, g.Quit) {
		if m.busy() {
			return m.cancelAll() // ctrl+c while busy cancels; again quits
		}
		m.shutdown()
		return tea.Quit
	}
	if m.picker != nil {
		return m.pickerKey(k)
	}
	if m.sessions != nil {
		return m.sessionKey(k)
	}
	if m.showHelp {
		switch {
		case key.Matches(k, m.keys.Overlay.Close, g.Help):
			m.showHelp, m.helpOffset = false, 0
		case k.Code == tea.KeyDown || k.Text == "j":
			m.helpOffset++
		case k.Code == tea.KeyUp || k.Text == "k":
			m.helpOffset--
		case key.Matches(k, g.PageDown):
			m.helpOffset += max(1, m.layout.bodyHeight-2)
		case key.Matches(k, g.PageUp):
			m.helpOffset -= max(1, m.layout.bodyHeight-2)
		}
		return nil
	}
	switch {
	case key.Matches(k, g.Help):
		m.showHelp = true
		return nil
	case key.Matches(k, g.Cancel):
		return m.onEsc()
	case key.Matches(k, g.ToggleReasoning):
		m.toggleReasoning(m.replyForToggle())
		return nil
	case key.Matches(k, g.ModelPicker):
		return m.openPicker()
	case key.Matches(k, g.Sessions):
		return m.openSessions()
	case key.Matches(k, g.NewSession):
		if len(m.conv.Messages) == 0 {
			return nil // already a new session
		}
		return m.switchTo(nil)
	case key.Matches(k, g.PrevSession):
		return m.stepSession(-1)
	case key.Matches(k, g.NextSession):
		return m.stepSession(+1)
	case key.Matches(k, g.CycleEffort):
		m.cycleEffort()
		return nil
	case key.Matches(k, g.ToggleSidebar):
		m.showSidebar = !m.showSidebar
		m.relayout()
		return nil
	case key.Matches(k, g.FocusNext):
		return m.setFocus((m.focus + 1) % focusCount)
	case key.Matches(k, g.FocusPrev):
		return m.setFocus((m.focus + focusCount - 1) % focusCount)
	case key.Matches(k, g.CopyLast):
		return m.copyLastReply()
	case key.Matches(k, g.Retry):
		return m.retry()
	case key.Matches(k, g.PageUp):
		m.transcript.scroll(-max(1, m.layout.bodyHeight-2), m.layout.bodyHeight)
		return nil
	case key.Matches(k, g.PageDown):
		m.transcript.scroll(max(1, m.layout.bodyHeight-2), m.layout.bodyHeight)
		return nil
	case key.Matches(k, g.ScrollTop):
		m.transcript.scrollTo(true, m.layout.bodyHeight)
		return nil
	case key.Matches(k, g.ScrollBottom):
		m.transcript.scrollTo(false, m.layout.bodyHeight)
		return nil
	}
	switch m.focus {
	case focusTranscript:
		return m.transcriptKey(k)
	case focusTools:
		return m.toolsKey(k)
	}
	return m.inputKey(k)
}

// onEsc: while a reply streams, the first esc arms and the second cancels;
// otherwise esc returns the focus to the input.
func (m *Model) onEsc() tea.Cmd {
	now := m.deps.Now()
	if m.busy() {
		if now.Sub(m.lastEsc) <= escWindow {
			m.lastEsc = time.Time{}
			return m.cancelAll()
		}
		m.lastEsc = now
		m.flash("Press esc again to cancel the reply")
		return nil
	}
	if m.editing != nil {
		m.editing = nil
		m.input.take()
		m.relayout()
		m.flash("Edit cancelled")
		return nil
	}
	if m.focus != focusInput {
		return m.setFocus(focusInput)
	}
	return nil
}

func (m *Model) inputKey(k tea.KeyPressMsg) tea.Cmd {
	in := m.keys.Input
	switch {
	case key.Matches(k, in.Send):
		text := m.input.value()
		if m.deps.Client == nil || strings.TrimSpace(text) == "" {
			return nil
		}
		if m.busy() {
			// Typed ahead: sent when the reply (and its tool calls) end.
			m.queued = append(m.queued, text)
			m.input.take()
			m.relayout()
			m.flash("Queued; it goes when this reply ends (" + itoa(len(m.queued)) + " waiting)")
			return nil
		}
		m.input.take()
		m.relayout()
		if m.editing != nil {
			// The edited prompt replaces the original and what followed it.
			m.dropFrom(m.editing)
			m.editing = nil
		}
		return m.send(text)
	case key.Matches(k, in.Editor):
		return writeDraft(m.input.value())
	}
	cmd := m.input.update(k, in)
	m.relayout()
	return cmd
}

func (m *Model) transcriptKey(k tea.KeyPressMsg) tea.Cmd {
	tk := m.keys.Transcript
	h := m.layout.bodyHeight
	switch {
	case key.Matches(k, tk.Up):
		m.transcript.moveFocus(-1, h)
	case key.Matches(k, tk.Down):
		m.transcript.moveFocus(1, h)
	case key.Matches(k, tk.Top):
		m.transcript.focus = 0
		m.transcript.scrollTo(true, h)
	case key.Matches(k, tk.Bottom):
		m.transcript.focus = len(m.transcript.entries) - 1
		m.transcript.scrollTo(false, h)
	case key.Matches(k, tk.CopyMessage):
		return m.copyFocused()
	case key.Matches(k, tk.CopyCode):
		return m.copyCode()
	case key.Matches(k, tk.ToggleReasoning):
		m.toggleReasoning(m.transcript.focused())
	case key.Matches(k, tk.Edit):
		return m.editFocused()
	case key.Matches(k, tk.Regenerate):
		return m.regenerateFocused()
	case key.Matches(k, tk.Fork):
		return m.forkFocused()
	}
	m.copyCursorReset(k)
	return nil
}

func (m *Model) toolsKey(k tea.KeyPressMsg) tea.Cmd {
	tk, ak := m.keys.Tools, m.keys.Approval
	switch {
	case key.Matches(k, ak.Allow):
		cmd, _ := m.approvalKey(true, false)
		return cmd
	case key.Matches(k, ak.AllowSession):
		cmd, _ := m.approvalKey(true, true)
		return cmd
	case key.Matches(k, ak.Deny):
		cmd, _ := m.approvalKey(false, false)
		return cmd
	case key.Matches(k, tk.Up):
		m.sidebar.moveFocus(-1)
	case key.Matches(k, tk.Down):
		m.sidebar.moveFocus(1)
	case key.Matches(k, tk.Expand):
		m.sidebar.toggleExpanded()
	}
	return nil
}

// cancelAll stops whatever is in flight: the reply, or the tool calls.
func (m *Model) cancelAll() tea.Cmd {
	if m.turn != nil {
		m.cancelTurn()
		return nil
	}
	return m.cancelTools()
}

// setFocus moves the focus; the transcript starts at the newest message.
func (m *Model) setFocus(f focusArea) tea.Cmd {
	m.focus = f
	if f == focusInput {
		return m.input.focus()
	}
	m.input.blur()
	if f == focusTranscript && m.transcript.focus < 0 {
		m.transcript.moveFocus(len(m.transcript.entries), m.layout.bodyHeight)
	}
	if f == focusTools && len(m.sidebar.cards) == 0 {
		m.flash("No tool calls yet")
	}
	return nil
}

// replyForToggle is the reply the reasoning key acts on: the focused one
// when the transcript has focus, else the newest with reasoning.
func (m *Model) replyForToggle() *entry {
	if m.focus == focusTranscript {
		if e := m.transcript.focused(); e != nil && e.md != nil {
			return e
		}
	}
	for i := len(m.transcript.entries) - 1; i >= 0; i-- {
		e := m.transcript.entries[i]
		if e.md != nil && (reasoningView{msg: e.msg}).visible() {
			return e
		}
	}
	return nil
}

// toggleReasoning expands a collapsed pane or collapses an open one.
func (m *Model) toggleReasoning(e *entry) {
	if e == nil || e.md == nil {
		return
	}
	rv := reasoningView{msg: e.msg, mode: e.reasoning, streaming: e.streaming}
	open := e.reasoning == reasoningExpanded || (e.reasoning == reasoningAuto && rv.thinking())
	if open {
		e.reasoning = reasoningCollapsed
	} else {
		e.reasoning = reasoningExpanded
	}
	e.valid = false
}

// editFocused puts the focused prompt in the input; sending it replaces the
// original and everything after it.
func (m *Model) editFocused() tea.Cmd {
	e := m.transcript.focused()
	if e == nil || e.msg.Role != model.RoleUser {
		m.flash("Focus one of your prompts to edit it")
		return nil
	}
	if m.busy() {
		m.flash("Wait for the reply, or cancel it, before editing")
		return nil
	}
	m.editing = e.msg
	m.input.setValue(e.msg.Text)
	m.relayout()
	m.flash("Editing an earlier prompt: enter resends it and drops what came after; esc cancels")
	return m.setFocus(focusInput)
}

// regenerateFocused asks again for the focused reply: it and everything
// after it are dropped, and the conversation before it is sent again.
func (m *Model) regenerateFocused() tea.Cmd {
	e := m.transcript.focused()
	if e == nil || e.msg.Role != model.RoleAssistant {
		m.flash("Focus a reply to regenerate it")
		return nil
	}
	if m.busy() {
		m.flash("Wait for the reply, or cancel it, before regenerating")
		return nil
	}
	var prompt *model.Message
	if p := m.conv.Before(e.msg); p != nil && p.Role == model.RoleUser {
		prompt = p
		p.Failed, p.Err = false, nil
	}
	m.dropFrom(e.msg)
	m.steps = 0
	m.setFocus(focusInput)
	return m.startReply(prompt)
}

// dropFrom removes msg and everything after it, on screen and in the store.
func (m *Model) dropFrom(msg *model.Message) {
	if m.writer != nil {
		dropping := false
		for _, x := range m.conv.Messages {
			if dropping = dropping || x == msg; dropping && x.Role != model.RoleTool {
				m.writer.Removed(x)
			}
		}
	}
	m.conv.TruncateFrom(msg)
	m.transcript.truncateFrom(msg)
}
