package keymap

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// press builds the key press a terminal delivers for a binding's key
// string, such as "ctrl+j", "shift+enter", "pgdown", "G" or "k".
func press(t *testing.T, s string) tea.KeyPressMsg {
	t.Helper()
	special := map[string]rune{
		"enter": tea.KeyEnter, "esc": tea.KeyEscape, "tab": tea.KeyTab, "space": tea.KeySpace,
		"up": tea.KeyUp, "down": tea.KeyDown, "home": tea.KeyHome, "end": tea.KeyEnd,
		"pgup": tea.KeyPgUp, "pgdown": tea.KeyPgDown, "f1": tea.KeyF1, "f3": tea.KeyF3,
		"left": tea.KeyLeft, "right": tea.KeyRight, "backspace": tea.KeyBackspace, "delete": tea.KeyDelete,
	}
	mods := map[string]tea.KeyMod{"ctrl": tea.ModCtrl, "alt": tea.ModAlt, "shift": tea.ModShift}

	parts := strings.Split(s, "+")
	name := parts[len(parts)-1]
	var msg tea.KeyPressMsg
	for _, m := range parts[:len(parts)-1] {
		mod, ok := mods[m]
		if !ok {
			t.Fatalf("press(%q): unknown modifier %q", s, m)
		}
		msg.Mod |= mod
	}
	if code, ok := special[name]; ok {
		msg.Code = code
		if code == tea.KeySpace && msg.Mod == 0 {
			msg.Text = " "
		}
	} else if r, size := utf8.DecodeRuneInString(name); size == len(name) {
		msg.Code = unicode.ToLower(r)
		switch {
		case unicode.IsUpper(r): // shift+letter arrives as its text
			msg.ShiftedCode, msg.Mod, msg.Text = r, msg.Mod|tea.ModShift, name
		case msg.Mod == 0:
			msg.Text = name
		}
	} else {
		t.Fatalf("press(%q): unknown key %q", s, name)
	}
	if got := msg.String(); got != s {
		t.Fatalf("press(%q) builds a key that prints as %q", s, got)
	}
	return msg
}

// fields returns every binding of k by its field path ("Input.Newline"),
// found by reflection so that a binding added later is covered.
func fields(k KeyMap) map[string]key.Binding {
	out := map[string]key.Binding{}
	v := reflect.ValueOf(k)
	for i := range v.NumField() {
		areaV := v.Field(i)
		for j := range areaV.NumField() {
			b, ok := areaV.Field(j).Interface().(key.Binding)
			if ok {
				out[v.Type().Field(i).Name+"."+areaV.Type().Field(j).Name] = b
			}
		}
	}
	return out
}

func TestEveryDefaultKeyMatches(t *testing.T) {
	for name, b := range fields(DefaultKeyMap()) {
		if len(b.Keys()) == 0 {
			t.Errorf("%s has no keys", name)
		}
		for _, ks := range b.Keys() {
			if !key.Matches(press(t, ks), b) {
				t.Errorf("%s: a press of %q does not match", name, ks)
			}
		}
	}
}

func TestEnterAndNewline(t *testing.T) {
	k := DefaultKeyMap().Input
	for _, c := range []struct {
		name          string
		msg           tea.KeyPressMsg
		send, newline bool
	}{
		{"enter", tea.KeyPressMsg{Code: tea.KeyEnter}, true, false},
		{"shift+enter", tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModShift}, false, true},
		{"alt+enter", tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModAlt}, false, true},
		{"ctrl+j", tea.KeyPressMsg{Code: 'j', Mod: tea.ModCtrl}, false, true},
		{"ctrl+enter", tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModCtrl}, false, false},
	} {
		if got := key.Matches(c.msg, k.Send); got != c.send {
			t.Errorf("%s matches Send = %v, want %v", c.name, got, c.send)
		}
		if got := key.Matches(c.msg, k.Newline); got != c.newline {
			t.Errorf("%s matches Newline = %v, want %v", c.name, got, c.newline)
		}
	}
}

func TestSpecificDefaults(t *testing.T) {
	k := DefaultKeyMap()
	for _, c := range []struct {
		msg  tea.KeyPressMsg
		want key.Binding
		name string
	}{
		{tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl}, k.Global.Quit, "Global.Quit"},
		{tea.KeyPressMsg{Code: tea.KeyEscape}, k.Global.Cancel, "Global.Cancel"},
		{tea.KeyPressMsg{Code: tea.KeyF1}, k.Global.Help, "Global.Help"},
		{tea.KeyPressMsg{Code: tea.KeyTab, Mod: tea.ModShift}, k.Global.FocusPrev, "Global.FocusPrev"},
		{tea.KeyPressMsg{Code: tea.KeyEnd, Mod: tea.ModCtrl}, k.Global.ScrollBottom, "Global.ScrollBottom"},
		{tea.KeyPressMsg{Code: 'G', Text: "G"}, k.Transcript.Bottom, "Transcript.Bottom"},
		{tea.KeyPressMsg{Code: tea.KeySpace, Text: " "}, k.Transcript.ToggleReasoning, "Transcript.ToggleReasoning"},
		{tea.KeyPressMsg{Code: 'q', Text: "q"}, k.Overlay.Close, "Overlay.Close"},
	} {
		if !key.Matches(c.msg, c.want) {
			t.Errorf("%q does not match %s", c.msg.String(), c.name)
		}
	}
	if key.Matches(tea.KeyPressMsg{Code: 'g', Text: "g"}, k.Transcript.Bottom) {
		t.Error("g matches Transcript.Bottom")
	}
}

func TestEveryBindingHasHelp(t *testing.T) {
	for name, b := range fields(DefaultKeyMap()) {
		if h := b.Help(); h.Key == "" || h.Desc == "" {
			t.Errorf("%s has help %+v, want key and description", name, h)
		}
	}
	k := DefaultKeyMap()
	if h := k.Global.Quit.Help(); h.Key != "ctrl+c" || h.Desc != "cancel/quit" {
		t.Errorf("Quit help = %+v", h)
	}
	if h := k.Global.Cancel.Help(); h.Key != "esc esc" || h.Desc != "cancel reply" {
		t.Errorf("Cancel help = %+v", h)
	}
}

func TestSetKeyboardEnhanced(t *testing.T) {
	k := DefaultKeyMap()
	keys := k.Input.Newline.Keys()
	if got := k.Input.Newline.Help().Key; got != "ctrl+j" {
		t.Errorf("default Newline help %q, want ctrl+j", got)
	}
	k.SetKeyboardEnhanced(true)
	if got := k.Input.Newline.Help(); got.Key != "shift+enter" || got.Desc != "newline" {
		t.Errorf("enhanced Newline help %+v, want shift+enter/newline", got)
	}
	k.SetKeyboardEnhanced(false)
	if got := k.Input.Newline.Help().Key; got != "ctrl+j" {
		t.Errorf("Newline help after SetKeyboardEnhanced(false) %q, want ctrl+j", got)
	}
	if !slices.Equal(keys, k.Input.Newline.Keys()) {
		t.Error("SetKeyboardEnhanced changed the Newline keys")
	}
}

// areas is the one table FullHelp, Groups and Conflicts read: it must list
// every KeyMap field, under its own name.
func TestAreasCoverEveryField(t *testing.T) {
	k := DefaultKeyMap()
	want := fields(k)
	got := map[string]bool{}
	for _, a := range k.areas() {
		for _, e := range a.keys {
			name := a.field + "." + e.name
			b, ok := want[name]
			if !ok {
				t.Errorf("areas lists %s, which is not a KeyMap field", name)
				continue
			}
			if !reflect.DeepEqual(b, e.binding) {
				t.Errorf("areas lists %s with another binding", name)
			}
			got[name] = true
		}
	}
	for name := range want {
		if !got[name] {
			t.Errorf("areas misses %s", name)
		}
	}
}

func TestFullHelpCoversEveryEnabledBinding(t *testing.T) {
	k := DefaultKeyMap()
	k.Transcript.CopyCode.SetEnabled(false)
	var listed []key.Binding
	for _, col := range k.FullHelp() {
		listed = append(listed, col...)
	}
	for name, b := range fields(k) {
		if b.Enabled() && !slices.ContainsFunc(listed, func(l key.Binding) bool { return reflect.DeepEqual(l, b) }) {
			t.Errorf("FullHelp misses %s", name)
		}
	}
	if n := len(k.FullHelp()); n != 8 {
		t.Errorf("FullHelp has %d columns, want one per area (8)", n)
	}

	for _, g := range k.Groups() {
		if g.Title == "" {
			t.Error("a group has no title")
		}
		for _, b := range g.Bindings {
			if !b.Enabled() {
				t.Errorf("group %q lists a disabled binding %v", g.Title, b.Keys())
			}
		}
	}

	h := help.New()
	if out := h.View(k); !strings.Contains(out, "send") || !strings.Contains(out, "ctrl+j") {
		t.Errorf("short help %q lacks send/ctrl+j", out)
	}
	h.ShowAll = true
	h.SetWidth(400)
	if out := h.View(k); !strings.Contains(out, "retry failed prompt") || strings.Contains(out, "copy code block") {
		t.Errorf("full help should list enabled bindings only:\n%s", out)
	}
}

func TestConflicts(t *testing.T) {
	if c := DefaultKeyMap().Conflicts(); len(c) != 0 {
		t.Fatalf("default key map has conflicts:\n%s", strings.Join(c, "\n"))
	}

	k := DefaultKeyMap()
	k.Global.ToggleSidebar.SetKeys("ctrl+t")
	c := k.Conflicts()
	if len(c) != 1 {
		t.Fatalf("want 1 conflict after rebinding ToggleSidebar to ctrl+t, got %q", c)
	}
	for _, want := range []string{"ctrl+t", "global.toggle_reasoning", "global.toggle_sidebar", "input focused"} {
		if !strings.Contains(c[0], want) {
			t.Errorf("conflict %q does not mention %q", c[0], want)
		}
	}
	if strings.Contains(c[0], "overlay") {
		t.Errorf("conflict %q names the overlay, where neither binding is live", c[0])
	}

	// A pane key that clashes with a Global one clashes in that pane only.
	k = DefaultKeyMap()
	k.Tools.Expand.SetKeys("enter", "esc")
	c = k.Conflicts()
	if len(c) != 1 || !strings.Contains(c[0], "global.cancel and tools.expand (tools sidebar focused)") {
		t.Errorf("conflicts = %q, want esc between Global.Cancel and Tools.Expand in the sidebar", c)
	}

	// Disabled bindings do not clash.
	k.Tools.Expand.SetEnabled(false)
	if c := k.Conflicts(); len(c) != 0 {
		t.Errorf("a disabled binding conflicts: %q", c)
	}
}

// The history keys share up and down with the cursor keys on purpose (they
// act only on an empty input); any other binding on those keys clashes.
func TestHistoryKeysShareTheCursorKeys(t *testing.T) {
	k := DefaultKeyMap()
	if !slices.Equal(k.Input.Up.Keys(), k.Input.HistoryPrev.Keys()) {
		t.Fatalf("the defaults changed: Up %v, HistoryPrev %v", k.Input.Up.Keys(), k.Input.HistoryPrev.Keys())
	}
	k.Input.HistoryPrev.SetKeys("up", "ctrl+up")
	k.Input.Up.SetKeys("ctrl+up", "up")
	if c := k.Conflicts(); len(c) != 0 {
		t.Errorf("history and cursor keys sharing: %q", c)
	}
	k.Input.LineStart.SetKeys("up")
	c := k.Conflicts()
	if len(c) != 1 || !strings.Contains(c[0], "up is bound to both input.history_prev and input.line_start") {
		t.Errorf("conflicts = %q, want LineStart against the history key", c)
	}
	k = DefaultKeyMap()
	k.Input.HistoryPrev.SetKeys("down")
	if c := k.Conflicts(); !slices.ContainsFunc(c, func(s string) bool { return strings.Contains(s, "input.history_prev and input.down") }) {
		t.Errorf("conflicts = %q, want HistoryPrev against Down", c)
	}
}

func TestDisplayAndAllKeys(t *testing.T) {
	for in, want := range map[string]string{"up": "↑", "alt+down": "alt+↓", "ctrl+c": "ctrl+c", "+": "+", "ctrl++": "ctrl++"} {
		if got := Display(in); got != want {
			t.Errorf("Display(%q) = %q, want %q", in, got, want)
		}
	}
	k := DefaultKeyMap()
	if got := AllKeys(k.Input.Newline); got != "shift+enter/alt+enter/ctrl+j" {
		t.Errorf("AllKeys(Newline) = %q", got)
	}
	if got := AllKeys(k.Global.Cancel); got != "esc esc" {
		t.Errorf("AllKeys(Cancel) = %q", got)
	}
	if got := AllKeys(k.Transcript.Up); got != "↑/k" {
		t.Errorf("AllKeys(Transcript.Up) = %q", got)
	}
}

// Names the approval keys had before they left the tools area still work.
func TestApplyRenamedBindings(t *testing.T) {
	k := DefaultKeyMap()
	if err := k.Apply(map[string][]string{"tools.allow": {"Y"}, "tools.deny": {"N"}}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(k.Approval.Allow.Keys(), []string{"Y"}) || !slices.Equal(k.Approval.Deny.Keys(), []string{"N"}) {
		t.Errorf("old names did not reach the approval keys: %v %v", k.Approval.Allow.Keys(), k.Approval.Deny.Keys())
	}
}

// A picker types printable keys into its filter, so none may be bound there.
func TestConflictsTypedIntoAFilter(t *testing.T) {
	k := DefaultKeyMap()
	k.Picker.Up.SetKeys("k", "up")
	c := k.Conflicts()
	if len(c) != 1 || !strings.Contains(c[0], "k is bound to picker.up, but it is typed into the filter there (model picker open, file finder open, session picker open)") {
		t.Errorf("conflicts = %q", c)
	}
	// The approval prompt's Back shadows Cancel on purpose; other globals clash.
	k = DefaultKeyMap()
	k.Approval.Back.SetKeys("ctrl+t")
	if c := k.Conflicts(); len(c) != 1 || !strings.Contains(c[0], "global.toggle_reasoning and approval.back (approval prompt focused)") {
		t.Errorf("conflicts = %q", c)
	}
}
