// Package keymap holds Parley's key bindings, grouped by the area of the
// screen they act in. The root model matches keys only with key.Matches on
// these bindings, and every key name on screen (the footer, the help
// overlay, hints such as "ctrl+r retries") is generated from them, so the
// keys a user reads about are the keys that work.
//
// Routing contract (the scopes Conflicts checks): the root model tries
// Global.Quit first; then the top overlay, if one is open: the model and
// session pickers and the input's file finder see only Picker (and
// Sessions) keys and type everything else into their filter, the help
// overlay sees Overlay keys and Global.Help; the tool approval prompt sees Approval keys and passes the
// rest on. Then the other Global keys, then the focused pane's keys.
// Reasoning panes live inside the transcript (Transcript.ToggleReasoning
// opens one), so they have no keys of their own.
package keymap

import (
	"slices"

	"charm.land/bubbles/v2/key"
)

// KeyMap is every binding, by area.
type KeyMap struct {
	Global     GlobalKeys
	Input      InputKeys
	Transcript TranscriptKeys
	Tools      ToolKeys
	Approval   ApprovalKeys
	Picker     PickerKeys
	Sessions   SessionKeys
	Overlay    OverlayKeys
}

// GlobalKeys work whatever has focus.
type GlobalKeys struct {
	Quit            key.Binding // while a reply streams, cancels it; with a draft, clears it
	Cancel          key.Binding // pressed twice: cancel the streaming reply
	Help            key.Binding
	ToggleReasoning key.Binding
	ToggleSidebar   key.Binding
	ModelPicker     key.Binding
	CycleEffort     key.Binding
	FocusNext       key.Binding
	FocusPrev       key.Binding
	CopyLast        key.Binding
	Retry           key.Binding
	PageUp          key.Binding
	PageDown        key.Binding
	ScrollTop       key.Binding
	ScrollBottom    key.Binding
	Sessions        key.Binding // the session picker
	NewSession      key.Binding
	PrevSession     key.Binding // the next older session
	NextSession     key.Binding // the next newer session, then a new one
	// Mouse hands the mouse to the terminal (its own selection and
	// scrollback) and takes it back.
	Mouse key.Binding
}

// InputKeys work while the prompt editor has focus. A printable key that
// is none of them is typed. The history keys act only on an empty input or
// an unedited recalled prompt; anywhere else the same key (up, down by
// default) moves the cursor, so Up/Down and HistoryPrev/HistoryNext may
// share a key (Conflicts allows it).
type InputKeys struct {
	Send        key.Binding
	Newline     key.Binding
	Editor      key.Binding // the draft, or the paste chip at the cursor, in $EDITOR
	Attach      key.Binding // the file finder; typed at the start of a word
	HistoryPrev key.Binding
	HistoryNext key.Binding
	ExpandChip  key.Binding // the chip at the cursor back into text: a paste, a pasted path

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
}

// TranscriptKeys work while the transcript has focus. A printable key that
// is none of them goes to the input.
type TranscriptKeys struct {
	Up              key.Binding
	Down            key.Binding
	Top             key.Binding
	Bottom          key.Binding
	CopyMessage     key.Binding
	CopyCode        key.Binding
	ToggleReasoning key.Binding // the focused message's reasoning
	Edit            key.Binding // edit a prompt and send it again
	Regenerate      key.Binding // ask for a reply again
	Fork            key.Binding // a new session with the messages up to here
	Expand          key.Binding // unfold a long (pasted) prompt, or fold it again
}

// ToolKeys work while the tools sidebar has focus. A printable key that is
// none of them goes to the input.
type ToolKeys struct {
	Up     key.Binding
	Down   key.Binding
	Expand key.Binding
}

// ApprovalKeys work while the tool approval prompt has focus. Any other
// printable key goes to the input, with the focus: typing never decides.
type ApprovalKeys struct {
	Allow        key.Binding
	AllowSession key.Binding
	Deny         key.Binding
	Up           key.Binding // scroll the arguments
	Down         key.Binding
	Back         key.Binding // back to the input; the call keeps waiting
}

// PickerKeys work in the model and session pickers; every other printable
// key is typed into the picker's filter.
type PickerKeys struct {
	Up     key.Binding
	Down   key.Binding
	Top    key.Binding
	Bottom key.Binding
	Choose key.Binding
	Clear  key.Binding // empty the filter
	Close  key.Binding
}

// SessionKeys are the session picker's own, besides PickerKeys.
type SessionKeys struct {
	Search  key.Binding // titles or full-text search
	New     key.Binding
	Rename  key.Binding
	Pin     key.Binding
	Delete  key.Binding
	Confirm key.Binding // yes, delete it (any other key keeps it)
}

// OverlayKeys work in the help overlay.
type OverlayKeys struct {
	Close key.Binding
	Up    key.Binding
	Down  key.Binding
}

// DefaultKeyMap returns Parley's default bindings. The Newline help shows
// ctrl+j, which works in every terminal, until SetKeyboardEnhanced(true).
func DefaultKeyMap() KeyMap {
	b := func(help, desc string, keys ...string) key.Binding {
		return key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, desc))
	}
	return KeyMap{
		Global: GlobalKeys{
			Quit:            b("ctrl+c", "cancel/quit", "ctrl+c"),
			Cancel:          b("esc esc", "cancel reply", "esc"),
			Help:            b("ctrl+g", "help", "ctrl+g", "f1"),
			ToggleReasoning: b("ctrl+t", "reasoning", "ctrl+t"),
			ToggleSidebar:   b("ctrl+b", "tools sidebar", "ctrl+b"),
			ModelPicker:     b("ctrl+l", "choose model", "ctrl+l"),
			CycleEffort:     b("ctrl+x", "reasoning effort", "ctrl+x"),
			FocusNext:       b("tab", "next pane", "tab"),
			FocusPrev:       b("shift+tab", "previous pane", "shift+tab"),
			CopyLast:        b("ctrl+y", "copy last reply", "ctrl+y"),
			Retry:           b("ctrl+r", "retry failed prompt", "ctrl+r"),
			PageUp:          b("pgup", "page up", "pgup"),
			PageDown:        b("pgdown", "page down", "pgdown"),
			ScrollTop:       b("ctrl+home", "scroll to top", "ctrl+home"),
			ScrollBottom:    b("ctrl+end", "scroll to bottom", "ctrl+end"),
			Sessions:        b("ctrl+s", "sessions", "ctrl+s"),
			NewSession:      b("ctrl+n", "new session", "ctrl+n"),
			PrevSession:     b("alt+↑", "older session", "alt+up"),
			NextSession:     b("alt+↓", "newer session", "alt+down"),
			Mouse:           b("f3", "mouse on/off", "f3", "alt+m"),
		},
		Input: InputKeys{
			Send: b("enter", "send", "enter"),
			// Legacy terminals send the same byte for enter and shift+enter;
			// ctrl+j and alt+enter reach us everywhere.
			Newline:     b("ctrl+j", "newline", "shift+enter", "alt+enter", "ctrl+j"),
			Editor:      b("ctrl+o", "$EDITOR", "ctrl+o"),
			Attach:      b("@", "attach", "@"),
			HistoryPrev: b("↑", "previous prompt", "up"),
			HistoryNext: b("↓", "next prompt", "down"),
			ExpandChip:  b("alt+e", "chip to text", "alt+e"),

			// The editing keys are the bubbles textarea's, less those the
			// app binds globally: ctrl+b (sidebar), ctrl+n/ctrl+p
			// (sessions), ctrl+home/end (scroll), ctrl+t (reasoning).
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
		},
		Transcript: TranscriptKeys{
			Up:              b("↑/k", "previous", "up", "k"),
			Down:            b("↓/j", "next", "down", "j"),
			Top:             b("home/g", "first", "home", "g"),
			Bottom:          b("end/G", "last", "end", "G"),
			CopyMessage:     b("y", "copy", "y"),
			CopyCode:        b("c", "copy code", "c"),
			Edit:            b("e", "edit & resend", "e"),
			Regenerate:      b("r", "regenerate", "r"),
			Fork:            b("f", "fork", "f"),
			ToggleReasoning: b("space", "reasoning", "space", "enter"),
			Expand:          b("x", "unfold/fold", "x"),
		},
		Tools: ToolKeys{
			Up:     b("↑/k", "previous call", "up", "k"),
			Down:   b("↓/j", "next call", "down", "j"),
			Expand: b("enter", "expand", "enter", "space"),
		},
		Approval: ApprovalKeys{
			Allow:        b("y", "allow once", "y"),
			AllowSession: b("a", "allow for the session", "a"),
			Deny:         b("n", "deny", "n"),
			Up:           b("↑", "scroll up", "up"),
			Down:         b("↓", "scroll down", "down"),
			Back:         b("esc", "back to the input", "esc"),
		},
		Picker: PickerKeys{
			Up:     b("↑", "up", "up"),
			Down:   b("↓", "down", "down"),
			Top:    b("home", "first", "home"),
			Bottom: b("end", "last", "end"),
			Choose: b("enter", "choose", "enter"),
			Clear:  b("ctrl+u", "clear filter", "ctrl+u"),
			Close:  b("esc", "close", "esc"),
		},
		Sessions: SessionKeys{
			Search:  b("tab", "titles/full text", "tab"),
			New:     b("ctrl+n", "new", "ctrl+n"),
			Rename:  b("ctrl+r", "rename", "ctrl+r"),
			Pin:     b("ctrl+p", "pin", "ctrl+p"),
			Delete:  b("ctrl+d", "delete", "ctrl+d"),
			Confirm: b("y", "yes, delete", "y"),
		},
		Overlay: OverlayKeys{
			Close: b("esc/q", "close", "esc", "q"),
			Up:    b("↑/k", "scroll up", "up", "k"),
			Down:  b("↓/j", "scroll down", "down", "j"),
		},
	}
}

// SetKeyboardEnhanced updates the help text for what the terminal can
// distinguish: call it with KeyboardEnhancementsMsg.SupportsKeyDisambiguation().
// Only then does shift+enter arrive as itself; the bindings never change.
// The help names a key the binding has (ctrl+j by default), so it stays
// true after Apply rebinds Newline.
func (k *KeyMap) SetKeyboardEnhanced(enhanced bool) {
	keys := k.Input.Newline.Keys()
	help := ""
	switch {
	case enhanced && slices.Contains(keys, "shift+enter"):
		help = "shift+enter"
	case slices.Contains(keys, "ctrl+j"):
		help = "ctrl+j"
	default:
		for _, ks := range keys {
			if ks != "shift+enter" { // a legacy terminal sends plain enter
				help = ks
				break
			}
		}
	}
	if help == "" && len(keys) > 0 {
		help = keys[0]
	}
	k.Input.Newline.SetHelp(Display(help), k.Input.Newline.Help().Desc)
}
