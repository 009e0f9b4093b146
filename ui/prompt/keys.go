package prompt

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
)

// KeyMap is every key the input acts on: the app's input bindings, so a
// user rebinds them in the config like any other key. Send, Editor and
// Attach stay with the root model (they need the app): it handles them
// before Update.
type KeyMap = keymap.InputKeys

// DefaultKeyMap is the app's default input bindings.
func DefaultKeyMap() KeyMap { return keymap.DefaultKeyMap().Input }

// ShortHelp is the input's keys worth a hint now: the chip keys while
// the cursor touches a chip, described for it ("remove chip": backspace
// when the chip is before the cursor, delete when it is after).
func (p *Prompt) ShortHelp(k KeyMap) []key.Binding {
	ch := p.activeChip()
	if ch == nil {
		return nil
	}
	remove := k.DeleteForward
	if p.cur.off >= chipLen {
		if id, ok := chipIDAt(p.lines.At(p.cur.line).s[p.cur.off-chipLen:]); ok && id == ch.ID {
			remove = k.DeleteBack
		}
	}
	remove.SetHelp(remove.Help().Key, "remove chip")
	if !ch.expandable() {
		return []key.Binding{remove}
	}
	expand := k.ExpandChip
	desc := "edit as text"
	if ch.Kind == KindAttachment {
		desc = "paste as text"
	}
	expand.SetHelp(expand.Help().Key, desc)
	return []key.Binding{expand, remove}
}

// ErrorMsg says why the input refused a key or a paste; show Err to the
// user. The draft is unchanged.
type ErrorMsg struct{ Err error }

func refused(err error) tea.Cmd {
	if err == nil {
		return nil
	}
	return func() tea.Msg { return ErrorMsg{err} }
}

// Update handles a key or a paste aimed at the input. It never schedules
// anything (there is no blink: the terminal blinks the real cursor), so
// the only command it returns is an ErrorMsg for input it refused.
func (p *Prompt) Update(msg tea.Msg, k KeyMap) tea.Cmd {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		return refused(p.Paste(msg.Content))
	case tea.KeyPressMsg:
		return refused(p.key(msg, k))
	}
	return nil
}

// pressed is a key's name, computed once: key.Matches asks a key for it
// once per binding, and a KeyPressMsg builds it anew each time.
type pressed string

func (s pressed) String() string { return string(s) }

func (p *Prompt) key(press tea.KeyPressMsg, k KeyMap) error {
	msg := pressed(press.String())
	switch {
	case key.Matches(msg, k.Newline):
		return p.insertText("\n")
	case key.Matches(msg, k.HistoryPrev) && p.HistoryPrev():
	case key.Matches(msg, k.HistoryNext) && p.HistoryNext():
	case key.Matches(msg, k.Left):
		p.left()
	case key.Matches(msg, k.Right):
		p.right()
	case key.Matches(msg, k.WordLeft):
		p.wordLeft()
	case key.Matches(msg, k.WordRight):
		p.wordRight()
	case key.Matches(msg, k.Up):
		p.up()
	case key.Matches(msg, k.Down):
		p.down()
	case key.Matches(msg, k.LineStart):
		p.cur.off, p.goalX = 0, -1
	case key.Matches(msg, k.LineEnd):
		p.cur.off, p.goalX = len(p.lines.At(p.cur.line).s), -1
	case key.Matches(msg, k.InputBegin):
		p.MoveToStart()
	case key.Matches(msg, k.InputEnd):
		p.MoveToEnd()
	case key.Matches(msg, k.DeleteBack):
		if end := p.cur; p.left() {
			p.deleteRange(p.cur, end)
		}
	case key.Matches(msg, k.DeleteForward):
		if start := p.cur; p.right() {
			p.deleteRange(start, p.cur)
		}
	case key.Matches(msg, k.DeleteWordBack):
		end := p.cur
		p.wordLeft()
		p.deleteRange(p.cur, end)
	case key.Matches(msg, k.DeleteWordForward):
		start := p.cur
		p.wordRight()
		p.deleteRange(start, p.cur)
	case key.Matches(msg, k.DeleteToLineEnd):
		p.deleteRange(p.cur, pos{p.cur.line, len(p.lines.At(p.cur.line).s)})
	case key.Matches(msg, k.DeleteToLineStart):
		p.deleteRange(pos{p.cur.line, 0}, p.cur)
	case key.Matches(msg, k.UppercaseWord):
		p.changeWord(strings.ToUpper)
	case key.Matches(msg, k.LowercaseWord):
		p.changeWord(strings.ToLower)
	case key.Matches(msg, k.CapitalizeWord):
		p.changeWord(capitalize)
	case key.Matches(msg, k.ExpandChip):
		if ch := p.activeChip(); ch != nil {
			p.ExpandChip(ch.ID)
		}
	case press.Text != "": // printable, whatever the modifiers (AltGr), as the textarea did
		return p.insertText(press.Text)
	}
	return nil
}
