package keymap

import (
	"errors"
	"regexp"
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
)

// Every binding has a config name, and the names are the snake_case of
// the fields.
func TestNamesCoverEveryField(t *testing.T) {
	k := DefaultKeyMap()
	names := k.Names()
	if len(names) != len(fields(k)) {
		t.Errorf("%d names for %d bindings", len(names), len(fields(k)))
	}
	for _, want := range []string{"global.toggle_sidebar", "global.scroll_bottom", "input.newline", "input.history_prev",
		"transcript.copy_code", "transcript.toggle_reasoning", "tools.expand", "overlay.close"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names lacks %s", want)
		}
	}
	// Each name reaches its own binding.
	for _, n := range names {
		k := DefaultKeyMap()
		if err := k.Apply(map[string][]string{n: {"f12"}}); err != nil {
			t.Fatalf("%s: %v", n, err)
		}
		changed := 0
		for _, b := range fields(k) {
			if slices.Equal(b.Keys(), []string{"f12"}) {
				changed++
			}
		}
		if changed != 1 {
			t.Errorf("applying %s changed %d bindings, want 1", n, changed)
		}
	}
}

func TestApply(t *testing.T) {
	k := DefaultKeyMap()
	err := k.Apply(map[string][]string{
		"global.toggle_sidebar": {"f2", "ctrl+shift+b"},
		"transcript.copy_code":  {},
		"global.cancel":         {"ctrl+q"},
		"input.newline":         {"alt+enter", "shift+enter"},
	})
	if err != nil {
		t.Fatal(err)
	}
	g := k.Global
	if !key.Matches(tea.KeyPressMsg{Code: tea.KeyF2}, g.ToggleSidebar) ||
		!key.Matches(tea.KeyPressMsg{Code: 'b', Mod: tea.ModCtrl | tea.ModShift}, g.ToggleSidebar) {
		t.Error("the new keys do not toggle the sidebar")
	}
	if key.Matches(tea.KeyPressMsg{Code: 'b', Mod: tea.ModCtrl}, g.ToggleSidebar) {
		t.Error("ctrl+b still toggles the sidebar")
	}
	if h := g.ToggleSidebar.Help(); h.Key != "f2" || h.Desc != "tools sidebar" {
		t.Errorf("help %+v, want the first key and the old description", h)
	}
	if h := g.Cancel.Help(); h.Key != "ctrl+q ctrl+q" {
		t.Errorf("Cancel help %q, want the double press shown", h.Key)
	}
	if k.Transcript.CopyCode.Enabled() || key.Matches(tea.KeyPressMsg{Code: 'c', Text: "c"}, k.Transcript.CopyCode) {
		t.Error("an empty list does not disable copy_code")
	}
	// Newline's help names a key it has, before and after enhancement.
	if h := k.Input.Newline.Help().Key; h != "alt+enter" {
		t.Errorf("Newline help %q, want alt+enter (ctrl+j is no longer bound)", h)
	}
	k.SetKeyboardEnhanced(true)
	if h := k.Input.Newline.Help().Key; h != "shift+enter" {
		t.Errorf("enhanced Newline help %q, want shift+enter", h)
	}
	// Untouched bindings keep their defaults.
	if d := DefaultKeyMap(); !slices.Equal(k.Global.Quit.Keys(), d.Global.Quit.Keys()) || k.Global.Quit.Help() != d.Global.Quit.Help() {
		t.Error("Quit changed")
	}
}

func TestApplyErrors(t *testing.T) {
	for _, c := range []struct {
		overrides map[string][]string
		name      string
		msg       string
	}{
		{map[string][]string{"global.toggle_sidbar": {"f2"}}, "global.toggle_sidbar", "unknown binding (did you mean global.toggle_sidebar?)"},
		{map[string][]string{"sidebar": {"f2"}}, "sidebar", "unknown binding (did you mean global.toggle_sidebar?)"},
		{map[string][]string{"Global.ToggleSidebar": {"f2"}}, "Global.ToggleSidebar", "unknown binding (did you mean global.toggle_sidebar?)"},
		{map[string][]string{"global.quit": {"crtl+q"}}, "global.quit", `key "crtl+q": unknown modifier "crtl" (did you mean ctrl?); expected ctrl, alt, shift, meta, hyper, super`},
		{map[string][]string{"global.quit": {"shift+ctrl+q"}}, "global.quit", `key "shift+ctrl+q": write modifiers in the order ctrl+alt+shift+meta+hyper+super, as key presses arrive`},
		{map[string][]string{"global.quit": {"ctrl+escape"}}, "global.quit", `key "ctrl+escape": unknown key "escape"`},
		{map[string][]string{"global.quit": {"pageup"}}, "global.quit", `key "pageup": unknown key "pageup" (did you mean pgup?)`},
		{map[string][]string{"global.quit": {"shift+q"}}, "global.quit", `key "shift+q": a shifted letter arrives as itself: write "Q"`},
	} {
		k := DefaultKeyMap()
		err := k.Apply(c.overrides)
		var be *BindingError
		if !errors.As(err, &be) || be.Name != c.name || !strings.HasPrefix(be.Msg, c.msg) {
			t.Errorf("Apply(%v) = %v, want %s: %s", c.overrides, err, c.name, c.msg)
		}
		if !reflectEqualKeyMaps(k, DefaultKeyMap()) {
			t.Errorf("Apply(%v) failed but changed the key map", c.overrides)
		}
	}
	// Keys Bubble Tea names are accepted, as are single characters.
	k := DefaultKeyMap()
	if err := k.Apply(map[string][]string{"global.help": {"f1", "?", "ctrl+alt+pgdown", "space", "é", "ctrl++"}}); err != nil {
		t.Errorf("valid keys refused: %v", err)
	}
}

func reflectEqualKeyMaps(a, b KeyMap) bool {
	fa, fb := fields(a), fields(b)
	for n, x := range fa {
		y := fb[n]
		if !slices.Equal(x.Keys(), y.Keys()) || x.Help() != y.Help() || x.Enabled() != y.Enabled() {
			return false
		}
	}
	return true
}

func TestConfigName(t *testing.T) {
	if got := ConfigName("Global.ToggleSidebar"); got != "global.toggle_sidebar" {
		t.Errorf("ConfigName = %q", got)
	}
}

// A conflict made by Apply is found by Conflicts, named as the file names it.
func TestApplyThenConflicts(t *testing.T) {
	k := DefaultKeyMap()
	if err := k.Apply(map[string][]string{"global.toggle_sidebar": {"ctrl+t"}}); err != nil {
		t.Fatal(err)
	}
	if c := k.Conflicts(); len(c) != 1 || !strings.Contains(c[0], "ctrl+t is bound to both global.toggle_reasoning and global.toggle_sidebar") {
		t.Errorf("conflicts %q", c)
	}
}

// Every binding in a conflict is spelled as the config file spells it,
// whatever its area: never "global.sessions" beside "Approval.Allow".
func TestConflictsSpellEveryAreaAsTheFile(t *testing.T) {
	k := DefaultKeyMap()
	if err := k.Apply(map[string][]string{"approval.allow": {"ctrl+s"}, "sessions.pin": {"ctrl+r"}}); err != nil {
		t.Fatal(err)
	}
	c := k.Conflicts()
	want := []string{"ctrl+s is bound to both global.sessions and approval.allow (approval prompt focused)",
		"ctrl+r is bound to both sessions.rename and sessions.pin (session picker open)"}
	for _, w := range want {
		if !slices.Contains(c, w) {
			t.Errorf("conflicts %q lack %q", c, w)
		}
	}
	for _, line := range c {
		if regexp.MustCompile(`\b[A-Z][a-z]+\.[A-Z]`).MatchString(line) {
			t.Errorf("a binding named as in the code: %q", line)
		}
	}
}
