package ui

import (
	"strings"
	"unicode/utf8"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/ui/sanitize"
)

// copyable is text as it may go on the clipboard: printable text, newlines
// and tabs only. A reply is the server's text, and a pasted escape can act
// in the terminal it is pasted into (ESC[201~ ends bracketed paste, so what
// follows runs as typed: paste-jacking). ESC, CR (a CRLF becomes LF), BS,
// DEL, every other C0 and C1 control, bidi overrides and invalid UTF-8 are
// dropped.
func copyable(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			if i >= len(s) || s[i] != '\n' {
				b.WriteByte('\n') // a lone CR ends a line
			}
		case r == utf8.RuneError && size == 1,
			r < 0x20, r == 0x7f, r >= 0x80 && r <= 0x9f,
			r >= 0x202a && r <= 0x202e, r >= 0x2066 && r <= 0x2069:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// copyText writes the system clipboard with OSC 52. Inside tmux the plain
// sequence works when tmux's set-clipboard is on; the passthrough-wrapped
// copy works when allow-passthrough is on. Sending both covers either.
// Terminals never confirm the write, so the message says what was sent.
func (m *Model) copyText(s, what string) tea.Cmd {
	s = copyable(s)
	if s == "" {
		m.flash("Nothing to copy")
		return nil
	}
	cmds := []tea.Cmd{tea.SetClipboard(s)}
	if m.deps.Getenv("TMUX") != "" {
		cmds = append(cmds, tea.Raw(ansi.TmuxPassthrough(ansi.SetSystemClipboard(s))))
	}
	if m.clipWarn != "" {
		// The terminal never confirms; here Parley knows it may not arrive.
		m.flash("Sent " + what + " (" + formatBytes(len(s)) + ") via OSC 52; it may not reach the clipboard (" + m.clipWarn + ")")
		return m.clip.send(cmds)
	}
	m.flash("Copied " + what + " (" + formatBytes(len(s)) + ") to the clipboard via OSC 52")
	return m.clip.send(cmds)
}

// clipQueue keeps clipboard writes in order. A write is a command, and
// commands run on goroutines of their own, so two copies a moment apart
// (a double click's word, then a triple click's paragraph) could reach the
// terminal in either order, leaving the word on the clipboard. One write
// is out at a time, in a sequence that ends with clipSentMsg, which Bubble
// Tea takes only after the write; then the next goes.
type clipQueue struct {
	busy    bool
	pending [][]tea.Cmd
}

// clipSentMsg says the last clipboard write reached the terminal's output.
type clipSentMsg struct{}

func (q *clipQueue) send(cmds []tea.Cmd) tea.Cmd {
	if q.busy {
		q.pending = append(q.pending, cmds)
		return nil
	}
	q.busy = true
	return tea.Sequence(append(cmds, func() tea.Msg { return clipSentMsg{} })...)
}

// sent sends the next write waiting, if any.
func (q *clipQueue) sent() tea.Cmd {
	q.busy = false
	if len(q.pending) == 0 {
		return nil
	}
	next := q.pending[0]
	q.pending = q.pending[1:]
	return q.send(next)
}

// clipboardCheckedMsg says why a copy may not reach the clipboard.
type clipboardCheckedMsg struct{ warn string }

// checkClipboard asks, once and off the UI goroutine (it runs tmux),
// whether a copy can reach the clipboard.
func (m *Model) checkClipboard() tea.Cmd {
	check := m.deps.ClipboardCheck
	if check == nil {
		return nil
	}
	return func() tea.Msg { return clipboardCheckedMsg{warn: check()} }
}

func (m *Model) copyLastReply() tea.Cmd {
	r := m.chat.Conversation().LastReply()
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
	switch e.msg.Role {
	case model.RoleUser:
		return m.copyText(e.msg.Text, "the prompt")
	case model.RoleTool:
		return m.copyText(e.msg.Text, "the tool result")
	}
	return m.copyText(e.msg.Turn.Text, "the reply")
}

// copyCode copies the focused reply's code blocks one after another.
func (m *Model) copyCode() tea.Cmd {
	e := m.transcript.focused()
	if e == nil || e.msg.Role != model.RoleAssistant {
		m.flash("Focus a reply to copy its code")
		return nil
	}
	if e.md == nil && m.transcript.renderer != nil {
		// A reply rendered in the background has rows, not code blocks:
		// the key asks for them, so they are found now.
		if e.lazyText == "" {
			e.lazyText = sanitize.Text(e.msg.Turn.Text)
		}
		e.renderLazy(m.transcript.renderer)
	}
	var blocks []string
	if e.md != nil {
		blocks = e.md.CodeBlocks()
	}
	if len(blocks) == 0 {
		m.flash("This reply has no code block")
		return nil
	}
	i := m.copyCursor % len(blocks)
	m.copyCursor = i + 1
	return m.copyText(blocks[i], "code block "+itoa(i+1)+" of "+itoa(len(blocks)))
}
