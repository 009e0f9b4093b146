package keymap

import (
	"strings"

	"charm.land/bubbles/v2/key"
)

// Group is a titled set of bindings, for a help overlay.
type Group struct {
	Title    string
	Bindings []key.Binding
}

// entry is one binding and its field name, e.g. "Global.Quit".
type entry struct {
	name    string
	binding key.Binding
}

// area is one KeyMap field: a titled list of its bindings.
type area struct {
	field string // the KeyMap field, e.g. "Global"
	title string
	keys  []entry
}

// areas lists every binding once, in help order. FullHelp, Groups, Apply
// and Conflicts all read it; a test checks it covers every KeyMap field.
func (k KeyMap) areas() []area {
	g, in, tr, t, ap, p, s, o := k.Global, k.Input, k.Transcript, k.Tools, k.Approval, k.Picker, k.Sessions, k.Overlay
	return []area{
		{"Global", "Global", []entry{
			{"Quit", g.Quit}, {"Cancel", g.Cancel}, {"Help", g.Help},
			{"ToggleReasoning", g.ToggleReasoning}, {"ToggleSidebar", g.ToggleSidebar},
			{"ModelPicker", g.ModelPicker}, {"CycleEffort", g.CycleEffort},
			{"FocusNext", g.FocusNext}, {"FocusPrev", g.FocusPrev},
			{"CopyLast", g.CopyLast}, {"Retry", g.Retry},
			{"PageUp", g.PageUp}, {"PageDown", g.PageDown},
			{"ScrollTop", g.ScrollTop}, {"ScrollBottom", g.ScrollBottom},
			{"Sessions", g.Sessions}, {"NewSession", g.NewSession},
			{"PrevSession", g.PrevSession}, {"NextSession", g.NextSession},
			{"Mouse", g.Mouse},
		}},
		{"Input", "Input", []entry{
			{"Send", in.Send}, {"Newline", in.Newline}, {"Editor", in.Editor}, {"Attach", in.Attach},
			{"HistoryPrev", in.HistoryPrev}, {"HistoryNext", in.HistoryNext}, {"ExpandChip", in.ExpandChip},
			{"Left", in.Left}, {"Right", in.Right}, {"WordLeft", in.WordLeft}, {"WordRight", in.WordRight},
			{"Up", in.Up}, {"Down", in.Down}, {"LineStart", in.LineStart}, {"LineEnd", in.LineEnd},
			{"InputBegin", in.InputBegin}, {"InputEnd", in.InputEnd},
			{"DeleteBack", in.DeleteBack}, {"DeleteForward", in.DeleteForward},
			{"DeleteWordBack", in.DeleteWordBack}, {"DeleteWordForward", in.DeleteWordForward},
			{"DeleteToLineEnd", in.DeleteToLineEnd}, {"DeleteToLineStart", in.DeleteToLineStart},
			{"UppercaseWord", in.UppercaseWord}, {"LowercaseWord", in.LowercaseWord}, {"CapitalizeWord", in.CapitalizeWord},
		}},
		{"Transcript", "Transcript", []entry{
			{"Up", tr.Up}, {"Down", tr.Down}, {"Top", tr.Top}, {"Bottom", tr.Bottom},
			{"CopyMessage", tr.CopyMessage}, {"CopyCode", tr.CopyCode},
			{"Edit", tr.Edit}, {"Regenerate", tr.Regenerate}, {"Fork", tr.Fork},
			{"ToggleReasoning", tr.ToggleReasoning}, {"Expand", tr.Expand},
		}},
		{"Tools", "Tools sidebar", []entry{
			{"Up", t.Up}, {"Down", t.Down}, {"Expand", t.Expand},
		}},
		{"Approval", "Tool approval", []entry{
			{"Allow", ap.Allow}, {"AllowSession", ap.AllowSession}, {"Deny", ap.Deny},
			{"Up", ap.Up}, {"Down", ap.Down}, {"Back", ap.Back},
		}},
		{"Picker", "Pickers", []entry{
			{"Up", p.Up}, {"Down", p.Down}, {"Top", p.Top}, {"Bottom", p.Bottom},
			{"Choose", p.Choose}, {"Clear", p.Clear}, {"Close", p.Close},
		}},
		{"Sessions", "Session picker", []entry{
			{"Search", s.Search}, {"New", s.New}, {"Rename", s.Rename},
			{"Pin", s.Pin}, {"Delete", s.Delete}, {"Confirm", s.Confirm},
		}},
		{"Overlay", "Help", []entry{
			{"Close", o.Close}, {"Up", o.Up}, {"Down", o.Down},
		}},
	}
}

// ShortHelp returns the few bindings for the footer while the input has
// focus. With FullHelp it makes KeyMap a help.KeyMap.
func (k KeyMap) ShortHelp() []key.Binding {
	return []key.Binding{
		k.Input.Send, k.Input.Newline, k.Input.Attach, k.Global.Cancel, k.Global.ToggleReasoning,
		k.Global.ToggleSidebar, k.Global.Help, k.Global.Quit,
	}
}

// FullHelp returns one column per area, in the order of Groups. The help
// bubble skips disabled bindings itself.
func (k KeyMap) FullHelp() [][]key.Binding {
	var cols [][]key.Binding
	for _, a := range k.areas() {
		col := make([]key.Binding, len(a.keys))
		for i, e := range a.keys {
			col[i] = e.binding
		}
		cols = append(cols, col)
	}
	return cols
}

// Groups returns the enabled bindings by area with a title each, for a help
// overlay. Areas with no enabled binding are left out.
func (k KeyMap) Groups() []Group {
	var groups []Group
	for _, a := range k.areas() {
		g := Group{Title: a.title}
		for _, e := range a.keys {
			if e.binding.Enabled() {
				g.Bindings = append(g.Bindings, e.binding)
			}
		}
		if len(g.Bindings) > 0 {
			groups = append(groups, g)
		}
	}
	return groups
}

// displayNames are the keys whose printed name is a word a glyph says
// better.
var displayNames = map[string]string{"up": "↑", "down": "↓", "left": "←", "right": "→"}

// Display is a key as the screen shows it: "alt+up" as "alt+↑".
func Display(k string) string {
	base := k
	prefix := ""
	if i := strings.LastIndexByte(k, '+'); i >= 0 && i < len(k)-1 {
		prefix, base = k[:i+1], k[i+1:]
	}
	if d, ok := displayNames[base]; ok {
		return prefix + d
	}
	return k
}

// AllKeys is every key of a binding for the help overlay, such as
// "shift+enter/alt+enter/ctrl+j". A binding pressed twice (Cancel) shows
// its help key, "esc esc".
func AllKeys(b key.Binding) string {
	h := b.Help().Key
	if f := strings.Fields(h); len(f) == 2 && f[0] == f[1] {
		return h
	}
	keys := b.Keys()
	names := make([]string, 0, len(keys))
	for _, ks := range keys {
		names = append(names, Display(ks))
	}
	return strings.Join(names, "/")
}
