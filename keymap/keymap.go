// Package keymap holds Parley's key bindings, grouped by the area of the
// screen they act in. The root model matches keys only with key.Matches on
// these bindings, and the help views are generated from them, so the keys a
// user reads about are the keys that work.
//
// Routing contract (the scopes Conflicts checks): the root model tries
// Global.Quit first, then an open overlay (which sees only Overlay keys and
// Global.Help), then the other Global keys, then the focused pane's keys.
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
	Overlay    OverlayKeys
}

// GlobalKeys work whatever has focus.
type GlobalKeys struct {
	Quit            key.Binding // while a reply streams, the app cancels it instead
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
	PrevSession     key.Binding
	NextSession     key.Binding
}

// InputKeys work while the prompt editor has focus.
type InputKeys struct {
	Send        key.Binding
	Newline     key.Binding
	Editor      key.Binding
	HistoryPrev key.Binding // only on an empty input
	HistoryNext key.Binding
}

// TranscriptKeys work while the transcript has focus.
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
}

// ToolKeys work while the tools sidebar has focus.
type ToolKeys struct {
	Up     key.Binding
	Down   key.Binding
	Expand key.Binding
	// Approval of the focused call when it waits for one.
	Allow        key.Binding
	AllowSession key.Binding
	Deny         key.Binding
}

// OverlayKeys work while an overlay (such as the help screen) is open.
type OverlayKeys struct {
	Close key.Binding
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
			PrevSession:     b("alt+up", "previous session", "alt+up"),
			NextSession:     b("alt+down", "next session", "alt+down"),
		},
		Input: InputKeys{
			Send: b("enter", "send", "enter"),
			// Legacy terminals send the same byte for enter and shift+enter;
			// ctrl+j and alt+enter reach us everywhere.
			Newline:     b("ctrl+j", "newline", "shift+enter", "alt+enter", "ctrl+j"),
			Editor:      b("ctrl+o", "$EDITOR", "ctrl+o"),
			HistoryPrev: b("↑", "previous prompt", "up"),
			HistoryNext: b("↓", "next prompt", "down"),
		},
		Transcript: TranscriptKeys{
			Up:              b("↑/k", "previous message", "up", "k"),
			Down:            b("↓/j", "next message", "down", "j"),
			Top:             b("home/g", "first message", "home", "g"),
			Bottom:          b("end/G", "last message", "end", "G"),
			CopyMessage:     b("y", "copy message", "y"),
			CopyCode:        b("c", "copy code block; again for the next", "c"),
			Edit:            b("e", "edit this prompt and resend", "e"),
			Regenerate:      b("r", "regenerate this reply", "r"),
			Fork:            b("f", "fork a new session from here", "f"),
			ToggleReasoning: b("space/enter", "expand reasoning", "space", "enter"),
		},
		Tools: ToolKeys{
			Up:           b("↑/k", "previous tool call", "up", "k"),
			Down:         b("↓/j", "next tool call", "down", "j"),
			Expand:       b("enter/space", "expand", "enter", "space"),
			Allow:        b("y", "allow this call", "y"),
			AllowSession: b("a", "allow this tool for the session", "a"),
			Deny:         b("n", "deny this call", "n"),
		},
		Overlay: OverlayKeys{
			Close: b("esc/q", "close", "esc", "q"),
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
	k.Input.Newline.SetHelp(help, k.Input.Newline.Help().Desc)
}
