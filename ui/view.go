package ui

import (
	"strings"

	"charm.land/bubbles/v2/help"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
)

// View composes the frame. It only reads caches and slices the visible
// rows: no glamour, no I/O.
func (m *Model) View() tea.View {
	v := tea.NewView(m.Render())
	v.AltScreen = true
	v.MouseMode = tea.MouseModeCellMotion
	v.WindowTitle = "Parley"
	if m.focus == focusInput && !m.showHelp && m.picker == nil && m.sessions == nil && m.layout.inputHeight > 2 {
		if c := m.input.ta.Cursor(); c != nil {
			// The textarea reports its cursor inside itself; the box's
			// border and padding put it two columns right and one row down.
			c.X += 2
			c.Y += m.layout.bodyHeight + boolInt(m.layout.indicator) + 1
			v.Cursor = c
		}
	}
	return v
}

// Render is the frame as a string, for View and for tests.
func (m *Model) Render() string {
	if m.width <= 0 || m.height <= 0 {
		return ""
	}
	l := m.layout
	now := m.deps.Now()
	rows := make([]string, 0, m.height)
	if m.sessions != nil {
		rows = append(rows, m.sessionsOverlay(l.width, l.bodyHeight)...)
	} else if m.picker != nil {
		rows = append(rows, m.pickerOverlay(l.width, l.bodyHeight)...)
	} else if m.showHelp {
		rows = append(rows, m.helpOverlay(l.width, l.bodyHeight)...)
	} else if l.bodyHeight > 0 {
		var body []string
		if len(m.transcript.entries) == 0 {
			body = m.welcome(l.transcriptWidth-gutter, l.bodyHeight)
			for i := range body {
				body[i] = "  " + body[i]
			}
		} else {
			body = m.transcript.view(l.bodyHeight, m.focus == focusTranscript, m.styles, now)
		}
		if l.sidebarWidth > 0 {
			side := m.sidebar.render(l.sidebarWidth, l.bodyHeight, m.focus == focusTools, m.styles, now)
			for i := range body {
				s := ""
				if i < len(side) {
					s = side[i]
				}
				body[i] = padRight(body[i], l.transcriptWidth) + s
			}
		}
		rows = append(rows, body...)
	}
	if l.indicator {
		rows = append(rows, m.sidebar.indicator(l.width, m.styles))
	}
	if l.inputHeight > 2 {
		box := m.styles.Input.Box
		if m.focus == focusInput {
			box = m.styles.Input.BoxFocused
		}
		rows = append(rows, strings.Split(box.Width(l.width).Render(m.input.view()), "\n")...)
	}
	rows = append(rows, m.statusLine(), m.noticeLine())
	if len(rows) > m.height {
		rows = rows[len(rows)-m.height:]
	}
	for i, r := range rows {
		rows[i] = fit(r, l.width)
	}
	return strings.Join(rows, "\n")
}

func (m *Model) statusLine() string {
	model := m.model
	var last = m.conv.LastReply()
	if m.turn != nil {
		last = m.turn.msg
	} else if l := m.conv.Last(); l != nil && l.Role == "assistant" {
		last = l
	}
	return renderStatus(statusInfo{
		state: m.state, model: model, effort: m.effort, role: m.role, queued: len(m.queued), last: last,
		totals: m.totals, catalog: m.deps.Catalog, now: m.deps.Now(),
	}, m.width, m.styles)
}

// noticeLine shows a transient message, else the demo notice, with the
// short help on the right.
func (m *Model) noticeLine() string {
	st := m.styles
	left := ""
	switch {
	case m.notice != "" && m.deps.Now().Before(m.noticeUntil):
		left = st.Status.Value.Render(m.notice)
	case m.deps.Demo:
		left = st.Status.Demo.Render("demo backend: set OPENAI_API_KEY to talk to a real model")
	}
	h := help.New()
	h.Styles = st.Help
	h.SetWidth(max(0, m.width-lipgloss.Width(left)-2))
	right := h.ShortHelpView(m.keys.ShortHelp())
	gap := m.width - lipgloss.Width(left) - lipgloss.Width(right)
	if gap < 2 {
		return fit(left, m.width)
	}
	return left + strings.Repeat(" ", gap) + right
}

// helpOverlay lists every binding by area, from the same KeyMap the keys
// are matched with, so help and behaviour cannot drift apart. Groups flow
// into two columns when the terminal is wide enough.
func (m *Model) helpOverlay(width, height int) []string {
	st := m.styles
	var blocks []string
	for _, g := range m.keys.Groups() {
		var b strings.Builder
		b.WriteString(st.Status.Key.Render(g.Title))
		for _, bd := range g.Bindings {
			hk := bd.Help()
			b.WriteString("\n  " + padRight(st.Status.Value.Render(hk.Key), 14) + st.Status.Dim.Render(hk.Desc))
		}
		blocks = append(blocks, b.String())
	}
	var body string
	if width >= 100 {
		// Split where the left column holds about half the lines.
		total := 0
		for _, b := range blocks {
			total += strings.Count(b, "\n") + 2
		}
		half, acc := 0, 0
		for half < len(blocks)-1 && acc < total/2 {
			acc += strings.Count(blocks[half], "\n") + 2
			half++
		}
		left := strings.Join(blocks[:half], "\n\n")
		right := strings.Join(blocks[half:], "\n\n")
		body = lipgloss.JoinHorizontal(lipgloss.Top, lipgloss.NewStyle().Width(54).Render(left), right)
	} else {
		body = strings.Join(blocks, "\n\n")
	}
	body = st.OverlayTitle.Render("Keys") + "\n\n" + body + "\n\n" +
		st.Status.Dim.Render("Shift+drag selects text with the mouse in most terminals. ↑/↓ scroll, esc closes.")
	lines := strings.Split(st.Overlay.Width(min(width, 110)).Render(body), "\n")
	// Taller than the screen: show a window of it, moved by ↑/↓ and pgup/pgdown.
	m.helpOffset = min(max(m.helpOffset, 0), max(len(lines)-height, 0))
	return overlayRows(strings.Join(lines[m.helpOffset:], "\n"), height)
}

// overlayRows fits an overlay's box to the body's height.
func overlayRows(box string, height int) []string {
	lines := strings.Split(box, "\n")
	if len(lines) > height {
		lines = lines[:max(height, 0)]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return lines
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
