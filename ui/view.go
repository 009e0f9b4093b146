package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/sanitize"
)

// View composes the frame. It only reads caches and slices the visible
// rows: no glamour, no I/O.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	if m.mouse.on {
		v.MouseMode = tea.MouseModeCellMotion // reports drags, not bare motion
	}
	v.WindowTitle = "Parley"
	// The terminal draws the input's cursor (and blinks it: nothing
	// redraws for that); the input has it only while it has the focus,
	// and is whole on screen.
	if l := m.layout; l.input.h == m.input.Height() {
		if c := m.input.Cursor(); c != nil {
			c.X += l.input.x
			c.Y += l.input.y
			v.Cursor = c
		}
	}
	return v
}

// Render is the frame as a string, for View and for tests.
func (m *Model) Render() string {
	l := m.layout
	if l.width <= 0 || l.height <= 0 {
		return ""
	}
	env := m.renderEnv()
	rows := make([]string, 0, l.height)
	if l.body.h > 0 {
		// The top overlay is drawn last, over the body; one that does not
		// fill it (the approval prompt) leaves the transcript above it.
		var over []string
		if top := m.overlays.top(); top != nil {
			over = top.render(l.body.w, l.body.h, m.env())
		}
		if len(over) < l.body.h {
			rows = append(rows, m.bodyRows(l.body.h-len(over), env)...)
		}
		rows = append(rows, over...)
	}
	if l.indicator.h > 0 {
		rows = append(rows, m.indicatorLine())
	}
	if l.input.h > 2 {
		rows = append(rows, strings.Split(m.input.Render(l.width), "\n")...)
	}
	rows = append(rows, m.statusLine(), m.footerLine())
	if len(rows) > l.height {
		rows = rows[len(rows)-l.height:]
	}
	return strings.Join(m.frame.rows.fit(rows, l.width), "\n")
}

// bodyRows draws the body under any overlay: the transcript with the
// sidebar column, or the sidebar drawer, height rows tall.
func (m *Model) bodyRows(height int, env *renderEnv) []string {
	l, st := m.layout, m.look.styles
	if l.drawer {
		return m.paintSidebar(m.sidebar.render(l.sidebar.w, height, m.focus == focusTools, st, env.now))
	}
	var body []string
	if len(m.transcript.entries) == 0 {
		body = m.welcome(l.transcript.w-gutter, height)
		for i := range body {
			body[i] = "  " + body[i]
		}
	} else {
		body = m.paintTranscript(m.transcript.view(height, m.focus == focusTranscript && m.overlays.top() == nil, env), height)
	}
	if l.sidebar.w > 0 {
		side := m.paintSidebar(m.sidebar.render(l.sidebar.w, height, m.focus == focusTools && m.overlays.top() == nil, st, env.now))
		for i := range body {
			s := ""
			if i < len(side) {
				s = side[i]
			}
			body[i] = padRight(body[i], l.transcript.w) + s
		}
	}
	return body
}

// renderEnv is what rendering messages needs this frame.
func (m *Model) renderEnv() *renderEnv {
	tk := m.keys.Transcript
	return &renderEnv{st: m.look.styles, now: m.deps.Now(), failed: m.chat.RetryTarget(),
		retryHint: hint(m.keys.Global.Retry, "retries"), unfoldHint: hint(tk.Expand, "unfolds"), foldHint: hint(tk.Expand, "folds")}
}

// indicatorLine says a call waits for approval (and which key reviews it),
// or shows the folded sidebar.
func (m *Model) indicatorLine() string {
	st := m.look.styles
	_, open := find[*approvalPrompt](m.overlays)
	if call, waiting := m.chat.Pending(); waiting > 0 && !open {
		s := "⚠ " + sanitize.Text(call.Name()) + " waits for your approval"
		if waiting > 1 {
			s = "⚠ " + itoa(waiting) + " tool calls wait for your approval"
		}
		return st.Tools.StatusStreaming.Render(withHint(s, hint(m.keys.Global.FocusNext, "reviews")))
	}
	return m.sidebar.indicator(m.layout.width, st)
}

func (m *Model) statusLine() string {
	last := m.chat.Conversation().LastReply()
	if r := m.chat.Streaming(); r != nil {
		last = r
	} else if l := m.chat.Conversation().Last(); l != nil && l.Role == "assistant" {
		last = l
	}
	all, names := m.chat.AutoApproved()
	in := statusInfo{
		state: m.chat.State(), model: m.chat.Model(), effort: m.chat.Effort(), role: m.chat.Role(),
		queued: m.chat.Queued(), last: last, totals: m.chat.Totals(), catalog: m.chat.Catalog(), now: m.deps.Now(),
		yolo: all, approved: names, silence: m.chat.Silence(),
		running: m.chat.Running(), servers: m.mcpStatus(), notSaved: m.deps.NotSaved != "",
		mouseOff: !m.mouse.on, mouseKey: keyName(m.keys.Global.Mouse),
		draft: m.input.TokenEstimate(),
	}
	in.retry, in.retryAt, in.retrying = m.chat.Retrying()
	return renderStatus(in, m.layout.width, m.look.styles, &m.frame.styled)
}

// footerLine shows a transient message, else the demo notice, with the
// focus owner's name and keys on the right. A message comes first (it
// lasts a few seconds); the demo notice yields half the line to the keys.
func (m *Model) footerLine() string {
	st, w := m.look.styles, m.layout.width
	left, leftMin := "", 0
	switch {
	case m.status.notice != "" && m.deps.Now().Before(m.status.until):
		left = st.Status.Value.Render(m.status.notice)
		leftMin = lipgloss.Width(left)
	case m.deps.Demo && m.focus == focusInput && m.overlays.top() == nil:
		left = st.Status.Demo.Render("demo backend: set OPENAI_API_KEY to talk to a real model")
		leftMin = min(lipgloss.Width(left), w/2)
	}
	name, bindings := m.focusHelp()
	label := st.Status.Key.Render(name + ":")
	room := w - leftMin - 2 - lipgloss.Width(label) - 1
	// A pane whose letters are actions lists every one of them.
	all := m.overlays.top() == nil && m.focus != focusInput
	keys := m.frame.shortHelp(bindings, max(0, room), all, st)
	if ansi.Strip(keys) == "…" || keys == "" {
		return fit(left, w) // no room for the keys while a message shows
	}
	right := label + " " + keys
	left = fit(left, max(0, w-lipgloss.Width(right)-2))
	gap := w - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 1 {
		return fit(left, w)
	}
	return left + strings.Repeat(" ", gap) + right
}

// transcriptHelp is the transcript's keys for the focused message. The
// keys that act on some messages only are listed when they act on this
// one: the fold key first on a folded prompt (what it invites), the
// reasoning key on a reply with reasoning. So at 120 columns every key
// keeps its description.
func (m *Model) transcriptHelp() []key.Binding {
	t := m.keys.Transcript
	e := m.transcript.focused()
	var out []key.Binding
	if e != nil && e.msg.Role == model.RoleUser && folds(e.msg.Text) {
		out = append(out, t.Expand)
	}
	out = append(out, t.CopyMessage, t.CopyCode, t.Edit, t.Regenerate, t.Fork)
	if e != nil && e.msg.Role == model.RoleAssistant && (reasoningView{msg: e.msg}).visible() {
		out = append(out, t.ToggleReasoning)
	}
	return append(out, t.Up, t.Down, t.Top, t.Bottom)
}

// focusHelp is the focus owner's name and keys.
func (m *Model) focusHelp() (string, []key.Binding) {
	k := &m.keys
	if top := m.overlays.top(); top != nil {
		return top.title(), top.shortHelp(k)
	}
	switch m.focus {
	case focusTranscript:
		return "transcript", m.transcriptHelp()
	case focusTools:
		t := k.Tools
		return "tools", []key.Binding{t.Up, t.Down, t.Expand, k.Global.ToggleSidebar}
	}
	// The chip keys come first while the cursor is on a chip.
	help := append(m.input.ShortHelp(k.Input), k.ShortHelp()...)
	if m.chat.State() == chat.StateError && m.chat.RetryTarget() != nil {
		help = append([]key.Binding{k.Global.Retry}, help...)
	}
	return "input", help
}
