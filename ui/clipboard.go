package ui

import (
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
)

// copyText writes the system clipboard with OSC 52. Inside tmux the plain
// sequence works when tmux's set-clipboard is on; the passthrough-wrapped
// copy works when allow-passthrough is on. Sending both covers either.
// Terminals never confirm the write, so the message says what was sent.
func (m *Model) copyText(s, what string) tea.Cmd {
	if s == "" {
		m.flash("Nothing to copy")
		return nil
	}
	cmds := []tea.Cmd{tea.SetClipboard(s)}
	if m.deps.Getenv("TMUX") != "" {
		cmds = append(cmds, tea.Raw(ansi.TmuxPassthrough(ansi.SetSystemClipboard(s))))
	}
	m.flash("Copied " + what + " (" + formatBytes(len(s)) + ") to the clipboard via OSC 52")
	return tea.Batch(cmds...)
}

func (m *Model) copyLastReply() tea.Cmd {
	r := m.conv.LastReply()
	if r == nil {
		m.flash("No reply to copy yet")
		return nil
	}
	return m.copyText(r.Turn.Text, "the last reply")
}

func (m *Model) copyFocused() tea.Cmd {
	e := m.transcript.focused()
	if e == nil {
		return nil
	}
	if e.md == nil {
		return m.copyText(e.msg.Text, "the prompt")
	}
	return m.copyText(e.msg.Turn.Text, "the reply")
}

// copyCode copies the focused reply's code blocks one after another.
func (m *Model) copyCode() tea.Cmd {
	e := m.transcript.focused()
	if e == nil || e.md == nil {
		m.flash("Focus a reply to copy its code")
		return nil
	}
	blocks := e.md.CodeBlocks()
	if len(blocks) == 0 {
		m.flash("This reply has no code block")
		return nil
	}
	i := m.copyCursor % len(blocks)
	m.copyCursor = i + 1
	return m.copyText(blocks[i], "code block "+itoa(i+1)+" of "+itoa(len(blocks)))
}

// copyCursorReset starts code-block copying from the first block again
// after any key other than copy-code.
func (m *Model) copyCursorReset(k tea.KeyPressMsg) {
	if !key.Matches(k, m.keys.Transcript.CopyCode) {
		m.copyCursor = 0
	}
}
