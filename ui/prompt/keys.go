package prompt

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
)

// KeyMap is every key the input acts on. Newline and the history keys
// are the app's (keymap.InputKeys); the editing keys mirror what the
// bubbles textarea did here, less the keys the app binds globally.
// Send and Editor stay with the root model: they need the app.
type KeyMap struct {
	Newline     key.Binding
	HistoryPrev key.Binding // acts only on an empty input or an unedited recalled prompt
	HistoryNext key.Binding

	Left, Right         key.Binding
	WordLeft, WordRight key.Binding
	Up, Down            key.Binding
	LineStart, LineEnd  key.Binding
	InputBegin          key.Binding
	InputEnd            key.Binding

	DeleteBack        key.Binding // a chip goes whole
	DeleteForward     key.Binding
	DeleteWordBack    key.Binding
	DeleteWordForward key.Binding
	DeleteToLineEnd   key.Binding
	DeleteToLineStart key.Binding

	UppercaseWord  key.Binding
	LowercaseWord  key.Binding
	CapitalizeWord key.Binding

	ExpandChip key.Binding // the chip at the cursor becomes its text, to edit
}

// NewKeyMap is the input's default keys with the app's input bindings.
func NewKeyMap(app keymap.InputKeys) KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Newline:     app.Newline,
		HistoryPrev: app.HistoryPrev,
		HistoryNext: app.HistoryNext,

		// ctrl+b (sidebar), ctrl+n/ctrl+p (sessions, picker), ctrl+home/end
		// (scroll) and ctrl+t (reasoning) are global, so the input has none.
		Left:       b("←", "character backward", "left"),
		Right:      b("→", "character forward", "right", "ctrl+f"),
		WordLeft:   b("alt+←", "word backward", "alt+left", "ctrl+left", "alt+b"),
		WordRight:  b("alt+→", "word forward", "alt+right", "ctrl+right", "alt+f"),
		Up:         b("↑", "line up", "up"),
		Down:       b("↓", "line down", "down"),
		LineStart:  b("home", "line start", "home", "ctrl+a"),
		LineEnd:    b("end", "line end", "end", "ctrl+e"),
		InputBegin: b("alt+<", "start of input", "alt+<"),
		InputEnd:   b("alt+>", "end of input", "alt+>"),

		DeleteBack:        b("backspace", "delete backward", "backspace", "ctrl+h"),
		DeleteForward:     b("delete", "delete forward", "delete", "ctrl+d"),
		DeleteWordBack:    b("alt+backspace", "delete word backward", "alt+backspace", "ctrl+w", "ctrl+backspace"),
		DeleteWordForward: b("alt+delete", "delete word forward", "alt+delete", "alt+d", "ctrl+delete"),
		DeleteToLineEnd:   b("ctrl+k", "delete to line end", "ctrl+k"),
		DeleteToLineStart: b("ctrl+u", "delete to line start", "ctrl+u"),

		UppercaseWord:  b("alt+u", "uppercase word", "alt+u"),
		LowercaseWord:  b("alt+l", "lowercase word", "alt+l"),
		CapitalizeWord: b("alt+c", "capitalize word", "alt+c"),

		ExpandChip: b("alt+e", "expand paste to edit", "alt+e"),
	}
}

// DefaultKeyMap is NewKeyMap with the app's default bindings.
func DefaultKeyMap() KeyMap { return NewKeyMap(keymap.DefaultKeyMap().Input) }

// ShortHelp is the input's keys worth a hint now: the chip keys while
// the cursor touches a chip.
func (p *Prompt) ShortHelp(k KeyMap) []key.Binding {
	ch := p.activeChip()
	if ch == nil {
		return nil
	}
	if ch.Text != "" && ch.Kind == KindPaste {
		return []key.Binding{k.ExpandChip, k.DeleteBack}
	}
	return []key.Binding{k.DeleteBack}
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
		p.cur, p.goalX = pos{}, -1
	case key.Matches(msg, k.InputEnd):
		last := p.lines.Len() - 1
		p.cur, p.goalX = pos{last, len(p.lines.At(last).s)}, -1
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
