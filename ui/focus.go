package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
)

// Focus has one owner at a time: the top overlay when one is open, else the
// focused pane. It moves only on the user's keys, with one exception the
// approval prompt makes (offerApproval), and it always shows: the input's
// border and cursor, the transcript's focus bar, the sidebar's card border,
// an overlay's box, and the footer's label.

// inputIdle is how long the draft must have been left alone (and empty)
// for a call that waits for approval to take the focus when it arrives.
const inputIdle = time.Second

// setFocus moves the pane focus; the transcript starts at the newest
// message.
func (m *Model) setFocus(f focusArea) tea.Cmd {
	m.focus = f // the input shows it at the next relayout
	if f == focusTranscript && m.transcript.focus < 0 && len(m.transcript.entries) > 0 {
		m.transcript.setFocus(len(m.transcript.entries)-1, m.layout.body.h)
	}
	return nil
}

// cycleFocus moves to the next or previous pane. A call waiting for
// approval comes first: the focus key goes to its prompt, and from there on
// to the pane after the one it came from.
func (m *Model) cycleFocus(d int) tea.Cmd {
	if p, ok := find[*approvalPrompt](m.overlays); ok {
		m.overlays.remove(p)
	} else if _, waiting := m.chat.Pending(); waiting > 0 && m.overlays.top() == nil {
		m.focusApproval()
		return nil
	}
	return m.setFocus(focusArea((int(m.focus) + d + int(focusCount)) % int(focusCount)))
}

// toggleSidebar shows or hides the sidebar column; on a terminal without
// room for one it opens the sidebar as a full-width drawer, with the focus.
func (m *Model) toggleSidebar() tea.Cmd {
	if m.layout.width >= sidebarMinTerm {
		m.panes.sidebarHidden = !m.panes.sidebarHidden
		if !m.panes.sidebarHidden || m.focus != focusTools {
			return nil
		}
		return m.setFocus(focusInput)
	}
	if m.focus == focusTools && m.overlays.top() == nil {
		return m.setFocus(focusInput)
	}
	// The drawer takes the focus, from the approval prompt too (the call
	// keeps waiting; the indicator says so).
	if p, ok := find[*approvalPrompt](m.overlays); ok {
		m.overlays.remove(p)
	}
	return m.setFocus(focusTools)
}

// focusApproval opens the approval prompt on the first call that waits.
func (m *Model) focusApproval() {
	if _, ok := find[*approvalPrompt](m.overlays); ok {
		return
	}
	call, _ := m.chat.Pending()
	if call == nil {
		return
	}
	p := &approvalPrompt{}
	p.show(call, m.deps.Now())
	m.overlays.push(p)
}

// offerApproval is the one time focus moves without a key: calls that wait
// for approval take it when they arrive, if the user is not writing (the
// draft is empty and was left alone) and nothing else is open. Otherwise
// the indicator line says they wait and which key reviews them.
func (m *Model) offerApproval() tea.Cmd {
	idle := m.deps.Now().Sub(m.keyTimes.edited) >= inputIdle
	if m.focus == focusInput && m.overlays.top() == nil && idle && !m.hasDraft() {
		m.focusApproval()
	}
	return nil
}

// syncApproval keeps the prompt on the call that waits, closes it when none
// does, and arms its guard again when it shows another call or comes back
// from under another overlay.
func (m *Model) syncApproval() {
	p, ok := find[*approvalPrompt](m.overlays)
	if !ok {
		return
	}
	call, _ := m.chat.Pending()
	if call == nil {
		m.overlays.remove(p)
		return
	}
	now := m.deps.Now()
	p.show(call, now)
	if m.overlays.top() != p {
		p.covered = true
	} else if p.covered {
		p.covered, p.armed = false, now
	}
}

// replyForToggle is the reply the reasoning key acts on: the focused one
// when the transcript has focus, else the newest with reasoning.
func (m *Model) replyForToggle() *entry {
	if m.focus == focusTranscript {
		if e := m.transcript.focused(); e != nil && e.msg.Role == model.RoleAssistant {
			return e
		}
	}
	for i := len(m.transcript.entries) - 1; i >= 0; i-- {
		e := m.transcript.entries[i]
		if e.msg.Role == model.RoleAssistant && (reasoningView{msg: e.msg}).visible() {
			return e
		}
	}
	return nil
}

// toggleReasoning expands a collapsed pane or collapses an open one.
func (m *Model) toggleReasoning(e *entry) {
	if e == nil || e.msg.Role != model.RoleAssistant {
		return
	}
	rv := reasoningView{msg: e.msg, mode: e.reasoning, streaming: e.live}
	if e.reasoning == reasoningExpanded || (e.reasoning == reasoningAuto && rv.thinking()) {
		e.reasoning = reasoningCollapsed
	} else {
		e.reasoning = reasoningExpanded
	}
	e.valid = false
}
