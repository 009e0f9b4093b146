package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
)

// What a click and the wheel do (mouse.go routes them), and what the help
// says of the mouse.

// onRelease ends a drag (copying what it selected) or a click.
func (m *Model) onRelease(x, y int) tea.Cmd {
	p := m.mouse.press
	m.mouse.press = held{}
	if p.at.area == areaTranscript && p.follow && !p.scrolled {
		m.transcript.follow = true
	}
	if p.moved || m.mouse.clicks > 1 {
		return m.copySelection()
	}
	if x != p.x || y != p.y {
		return nil
	}
	return m.click(p.at)
}

// click focuses what was clicked; on the reasoning line or a tool card it
// also opens or closes it, once no second click has come.
func (m *Model) click(h hit) tea.Cmd {
	switch h.area {
	case areaTranscript:
		e, line, ok := m.transcriptLine(h.row)
		if !ok {
			return nil
		}
		m.dropApproval()
		m.transcript.focus = m.transcript.index(e)
		cmd := m.setFocus(focusTranscript)
		if m.onReasoningLine(e, line) {
			return tea.Batch(cmd, m.later(func(m *Model) { m.toggleReasoning(e) }))
		}
		return cmd
	case areaSidebar:
		i, _, ok := m.cardAt(h)
		if !ok {
			return nil
		}
		m.dropApproval()
		m.sidebar.focus, m.sidebar.follow, m.sidebar.free = i, false, false
		cmd := m.setFocus(focusTools)
		call := m.sidebar.calls[i]
		return tea.Batch(cmd, m.later(func(m *Model) {
			if call.Status == chat.CallAwaiting {
				m.focusApproval()
				return
			}
			if c := m.sidebar.cards[call]; c != nil {
				c.expanded = !c.expanded
			}
		}))
	case areaInput:
		m.dropApproval()
		return m.setFocus(focusInput)
	case areaIndicator:
		if _, waiting := m.chat.Pending(); waiting > 0 {
			m.focusApproval()
			return nil
		}
		if len(m.chat.Calls()) > 0 && m.layout.width < sidebarMinTerm {
			return m.toggleSidebar()
		}
	}
	return nil
}

// later runs act once no other click comes within multiClick.
func (m *Model) later(act func(*Model)) tea.Cmd {
	m.mouse.pending = act
	seq := m.mouse.clickSeq
	return tea.Tick(multiClick, func(time.Time) tea.Msg { return clickTimeoutMsg{seq} })
}

func (m *Model) onClickTimeout(msg clickTimeoutMsg) tea.Cmd {
	if msg.seq != m.mouse.clickSeq || m.mouse.pending == nil {
		return nil
	}
	act := m.mouse.pending
	m.mouse.pending = nil
	act(m)
	return nil
}

// dropApproval takes the approval prompt off the stack when a click moves
// the focus elsewhere: the call keeps waiting, and the indicator says so.
func (m *Model) dropApproval() {
	if p, ok := find[*approvalPrompt](m.overlays); ok {
		m.overlays.remove(p)
	}
}

// onReasoningLine says whether line of e is its reasoning pane's header.
func (m *Model) onReasoningLine(e *entry, line int) bool {
	return e.msg.Role == model.RoleAssistant && line == 1 && e.bodyAt > 1 && (reasoningView{msg: e.msg}).visible()
}

// wheeler is an overlay with something the wheel scrolls.
type wheeler interface{ wheel(d int) }

func (h *helpOverlay) wheel(d int)    { h.offset += d * wheelRows }
func (p *approvalPrompt) wheel(d int) { p.offset += d * wheelRows }
func (p *modelPicker) wheel(d int)    { p.cursor = min(max(p.cursor+d, 0), max(len(p.visible())-1, 0)) }
func (p *sessionPicker) wheel(d int) {
	if !p.renaming && !p.deleting {
		p.cursor = min(max(p.cursor+d, 0), max(p.rows()-1, 0))
	}
}

// wheel scrolls the sidebar by d rows; it stays there until the focus
// moves.
func (s *sidebar) wheel(d int) {
	s.offset += d
	s.follow, s.free = false, true
}

// mouseHelp is the help overlay's block of mouse actions, laid out as a
// key group's.
func mouseHelp(k *keymap.KeyMap, st *themes.Styles) []string {
	return []string{st.Status.Key.Render("Mouse"),
		"drag\tselect text; copied on release",
		"double-click\tselect a word",
		"triple-click\tselect a line or a code block",
		"click\tfocus a message, card or input",
		"click ▸ Thought\topen or close the reasoning",
		"click a card\topen or close its arguments",
		"wheel\tscroll what is under it",
		keyName(k.Global.Cancel) + "\tclear the selection",
	}
}

// mouseNote says how to reach the terminal's own selection.
func mouseNote(k *keymap.KeyMap) string {
	return "Shift+drag selects with the terminal; " + keymap.AllKeys(k.Global.Mouse) + " gives it the mouse."
}
