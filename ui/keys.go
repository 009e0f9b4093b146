package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/sanitize"
)

const (
	// escWindow is how soon a second esc must follow the first to cancel:
	// one stray esc never throws a reply away.
	escWindow = 1500 * time.Millisecond
	// lateQuitWindow: a quit key handled this soon after a reply ended on
	// its own was pressed while it streamed, to cancel it; it does not quit.
	lateQuitWindow = time.Second
)

// handleKey routes a key: quit, then the top overlay, then global keys,
// then the focused pane. The order is the contract; keep it.
func (m *Model) handleKey(k tea.KeyPressMsg) tea.Cmd {
	if key.Matches(k, m.keys.Global.Quit) {
		return m.quit()
	}
	top := m.overlays.top()
	if top != nil {
		act, cmd := top.key(k, m.env())
		if _, pass := act.(passOn); !pass {
			return tea.Batch(cmd, m.act(top, act))
		}
	}
	if key.Matches(k, m.keys.Global.Cancel) && m.clearSelection() {
		return nil // esc drops a mouse selection first
	}
	if cmd, ok := m.globalKey(k); ok || top != nil {
		return cmd // under an overlay, the panes take no keys
	}
	switch m.focus {
	case focusTranscript:
		return m.transcriptKey(k)
	case focusTools:
		return m.toolsKey(k)
	}
	return m.inputKey(k)
}

// quit is the quit key: it cancels what is in flight; with a draft it
// clears the draft (input history keeps it); otherwise it quits. A press
// that arrives just after a reply ended was aimed at that reply.
func (m *Model) quit() tea.Cmd {
	now, g := m.deps.Now(), m.keys.Global
	ended := m.chat.Ended()
	switch {
	case m.chat.Busy():
		return m.chat.Cancel()
	case !ended.IsZero() && now.Sub(ended) < lateQuitWindow && m.chat.State() != chat.StateCancelled && ended != m.keyTimes.lateQuit:
		m.keyTimes.lateQuit = ended // once: a second press quits
		m.flash(withHint("The reply had already ended", hint(g.Quit, "again quits")))
		return nil
	case m.hasDraft():
		m.chat.CancelEdit()
		m.flash(withHint("Draft cleared ("+keyName(m.keys.Input.HistoryPrev)+" brings it back)", hint(g.Quit, "again quits")))
		return m.clearDraft()
	}
	m.shutdown()
	return tea.Quit
}

// env is what overlays read.
func (m *Model) env() *overlayEnv {
	return &overlayEnv{keys: &m.keys, st: m.look.styles, now: m.deps.Now(), ctl: m.chat}
}

// act carries out what an overlay asked for.
func (m *Model) act(o overlay, a action) tea.Cmd {
	switch a := a.(type) {
	case closeOverlay:
		m.overlays.remove(o)
		return m.setFocus(m.focus)
	case toInput:
		m.overlays.remove(o)
		return tea.Batch(m.setFocus(focusInput), m.inputKey(a.k))
	case chooseModel:
		m.overlays.remove(o)
		return m.chat.SetModel(a.option.Provider, a.option.Model)
	case chooseRole:
		m.overlays.remove(o)
		m.chat.SetRole(a.role.Name, a.role.Prompt)
	case openSession:
		m.overlays.remove(o)
		if a.id == m.chat.Session().ID && a.focus == 0 {
			return nil
		}
		return m.chat.Open(a.id, a.focus, a.highlight)
	case newSession:
		m.overlays.remove(o)
		return m.newSession()
	case decide:
		return m.chat.Decide(a.call, a.decision)
	case attachChosen:
		m.closeFinder(o)
		return m.attachFile(a.path)
	case finderCancelled:
		m.closeFinder(o)
		if err := m.input.InsertText(a.text); err != nil {
			m.flash(sanitize.Text(err.Error()))
		}
	}
	return nil
}

// closeFinder takes the file finder off the stack and gives the input
// its focus back.
func (m *Model) closeFinder(o overlay) {
	m.overlays.remove(o)
	o.(*finderOverlay).close()
	m.setFocus(focusInput)
}

func (m *Model) globalKey(k tea.KeyPressMsg) (tea.Cmd, bool) {
	g, h := m.keys.Global, m.layout.body.h
	switch {
	case key.Matches(k, g.Help):
		m.overlays.push(&helpOverlay{})
	case key.Matches(k, g.Cancel):
		return m.onEsc(), true
	case key.Matches(k, g.ToggleReasoning):
		m.toggleReasoning(m.replyForToggle())
	case key.Matches(k, g.ModelPicker):
		return m.openModelPicker(), true
	case key.Matches(k, g.Sessions):
		return m.openSessionPicker(), true
	case key.Matches(k, g.NewSession):
		return m.newSession(), true
	case key.Matches(k, g.PrevSession):
		return m.chat.Step(true), true
	case key.Matches(k, g.NextSession):
		return m.chat.Step(false), true
	case key.Matches(k, g.CycleEffort):
		m.cycleEffort()
	case key.Matches(k, g.ToggleSidebar):
		return m.toggleSidebar(), true
	case key.Matches(k, g.FocusNext):
		return m.cycleFocus(+1), true
	case key.Matches(k, g.FocusPrev):
		return m.cycleFocus(-1), true
	case key.Matches(k, g.CopyLast):
		return m.copyLastReply(), true
	case key.Matches(k, g.Retry):
		return m.retry(), true
	case key.Matches(k, g.PageUp):
		m.transcript.scroll(-max(1, h-2), h)
	case key.Matches(k, g.PageDown):
		m.transcript.scroll(max(1, h-2), h)
	case key.Matches(k, g.ScrollTop):
		m.transcript.scrollTo(true, h)
	case key.Matches(k, g.ScrollBottom):
		m.transcript.scrollTo(false, h)
	case key.Matches(k, g.Mouse):
		return m.toggleMouse(), true
	default:
		return nil, false
	}
	return nil, true
}

// onEsc: while a reply streams, the first esc arms and the second cancels;
// otherwise esc leaves an edit, or returns the focus to the input.
func (m *Model) onEsc() tea.Cmd {
	now := m.deps.Now()
	if m.chat.Busy() {
		if now.Sub(m.keyTimes.esc) <= escWindow {
			m.keyTimes.esc = time.Time{}
			return m.chat.Cancel()
		}
		m.keyTimes.esc = now
		m.flash("Press " + keyName(m.keys.Global.Cancel) + " again to cancel")
		return nil
	}
	if m.chat.Editing() != nil {
		m.chat.CancelEdit()
		m.input.Reset()
		m.flash("Edit cancelled")
		return nil
	}
	return m.setFocus(focusInput)
}

// newSession starts an empty session, unless the one on screen is empty.
func (m *Model) newSession() tea.Cmd {
	if len(m.chat.Messages()) == 0 {
		return nil
	}
	return m.chat.NewSession()
}

// retry sends the failed prompt again; if the input holds it (it came
// back there), the input lets it go.
func (m *Model) retry() tea.Cmd {
	if p := m.chat.Failed(); p != nil && !m.chat.Busy() && strings.TrimRight(m.input.Value(), " ") == p.Text {
		m.input.Reset()
	}
	return m.chat.Retry()
}

// toPane gives a key no pane binding took to the input, with the focus,
// when it types text: a printable key in the transcript or the sidebar is
// the start of a prompt, unless it is one of the pane's own actions.
func (m *Model) toInput(k tea.KeyPressMsg) tea.Cmd {
	if !printable(k) {
		return nil
	}
	return tea.Batch(m.setFocus(focusInput), m.inputKey(k))
}

func (m *Model) transcriptKey(k tea.KeyPressMsg) tea.Cmd {
	tk, h := m.keys.Transcript, m.layout.body.h
	if !key.Matches(k, tk.CopyCode) {
		m.copyCursor = 0
	}
	switch {
	case key.Matches(k, tk.Up):
		m.transcript.moveFocus(-1, h)
	case key.Matches(k, tk.Down):
		m.transcript.moveFocus(1, h)
	case key.Matches(k, tk.Top):
		if len(m.transcript.entries) > 0 {
			m.transcript.setFocus(0, h)
		}
	case key.Matches(k, tk.Bottom):
		if n := len(m.transcript.entries); n > 0 {
			m.transcript.setFocus(n-1, h)
		}
	case key.Matches(k, tk.CopyMessage):
		return m.copyFocused()
	case key.Matches(k, tk.CopyCode):
		return m.copyCode()
	case key.Matches(k, tk.ToggleReasoning):
		m.toggleReasoning(m.transcript.focused())
	case key.Matches(k, tk.Expand):
		if e := m.transcript.focused(); e != nil && e.msg.Role == model.RoleUser && folds(e.msg.Text) {
			e.unfolded, e.valid = !e.unfolded, false
		}
	case key.Matches(k, tk.Edit):
		return m.editFocused()
	case key.Matches(k, tk.Regenerate):
		if e := m.transcript.focused(); e != nil {
			if cmd := m.chat.Regenerate(e.msg); cmd != nil {
				return tea.Batch(cmd, m.setFocus(focusInput))
			}
		}
	case key.Matches(k, tk.Fork):
		if e := m.transcript.focused(); e != nil {
			return m.chat.Fork(e.msg)
		}
	default:
		return m.toInput(k)
	}
	return nil
}

func (m *Model) toolsKey(k tea.KeyPressMsg) tea.Cmd {
	tk := m.keys.Tools
	switch {
	case key.Matches(k, tk.Up):
		m.sidebar.moveFocus(-1)
	case key.Matches(k, tk.Down):
		m.sidebar.moveFocus(1)
	case key.Matches(k, tk.Expand):
		if c := m.sidebar.focused(); c != nil && c.Status == chat.CallAwaiting {
			m.focusApproval()
			return nil
		}
		m.sidebar.toggleExpanded()
	default:
		return m.toInput(k)
	}
	return nil
}

// editFocused puts the focused prompt in the input; sending it replaces
// the original and everything after it.
func (m *Model) editFocused() tea.Cmd {
	e := m.transcript.focused()
	if e == nil || !m.chat.BeginEdit(e.msg) {
		if e == nil {
			m.flash("Focus one of your prompts to edit it")
		}
		return nil
	}
	m.recall(e.msg.Text, e.msg.Attachments) // sent again with it, unless removed
	m.flash(withHint(withHint("Editing an earlier prompt", hint(m.keys.Input.Send, "resends it and drops what came after")),
		keyName(m.keys.Global.Cancel)+" cancels"))
	return m.setFocus(focusInput)
}
