package keymap

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/suggest"
)

// Names lists every binding as a config file names it: "area.binding" in
// snake_case, such as "global.toggle_sidebar", in help order.
func (k KeyMap) Names() []string {
	var names []string
	for _, a := range k.areas() {
		for _, e := range a.keys {
			names = append(names, configName(a.field, e.name))
		}
	}
	return names
}

// configName is "Global", "ToggleSidebar" as "global.toggle_sidebar".
func configName(area, field string) string {
	return snake(area) + "." + snake(field)
}

// ConfigName spells a binding's field path ("Global.ToggleSidebar") the
// way a config file does ("global.toggle_sidebar").
func ConfigName(fieldPath string) string {
	area, field, _ := strings.Cut(fieldPath, ".")
	return configName(area, field)
}

func snake(s string) string {
	var b strings.Builder
	for i, r := range s {
		if unicode.IsUpper(r) {
			if i > 0 {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}

// renamed maps names bindings had before they moved to another area, so
// that a config file written for an older Parley keeps working.
var renamed = map[string]string{
	"tools.allow":         "approval.allow",
	"tools.allow_session": "approval.allow_session",
	"tools.deny":          "approval.deny",
}

// Apply changes bindings by name (see Names) to the given keys; an empty
// list disables a binding. Each binding's help shows its first key (twice
// for Cancel, which takes a double press) and keeps its description. It
// checks every name and key before changing anything; the error names the
// first bad one. Conflicts between the new bindings are for Conflicts.
func (k *KeyMap) Apply(overrides map[string][]string) error {
	names := make([]string, 0, len(overrides))
	moved := map[string][]string{}
	for n, keys := range overrides {
		if to, ok := renamed[n]; ok {
			if _, both := overrides[to]; !both {
				moved[to] = keys
				continue
			}
		}
		names = append(names, n)
	}
	if len(moved) > 0 {
		overrides = maps.Clone(overrides)
		for n, keys := range moved {
			names = append(names, n)
			overrides[n] = keys
		}
	}
	slices.Sort(names)
	targets := map[string]*key.Binding{}
	for _, a := range k.areas() {
		for _, e := range a.keys {
			f := reflect.ValueOf(k).Elem().FieldByName(a.field).FieldByName(e.name)
			targets[configName(a.field, e.name)] = f.Addr().Interface().(*key.Binding)
		}
	}
	for _, n := range names {
		if _, ok := targets[n]; !ok {
			return &BindingError{Name: n, Msg: "unknown binding" + suggest.Hint(n, k.Names())}
		}
		for _, ks := range overrides[n] {
			if err := checkKey(ks); err != nil {
				return &BindingError{Name: n, Msg: err.Error()}
			}
		}
	}
	for _, n := range names {
		b, keys := targets[n], overrides[n]
		if len(keys) == 0 {
			b.SetEnabled(false)
			continue
		}
		old := b.Help()
		help := Display(keys[0])
		if f := strings.Fields(old.Key); len(f) == 2 && f[0] == f[1] { // "esc esc"
			help += " " + help
		}
		*b = key.NewBinding(key.WithKeys(keys...), key.WithHelp(help, old.Desc))
		if b == &k.Input.Newline {
			k.SetKeyboardEnhanced(false)
		}
	}
	return nil
}

// BindingError is a bad [keys] entry: Name is the binding as written.
type BindingError struct {
	Name string
	Msg  string
}

func (e *BindingError) Error() string { return e.Name + ": " + e.Msg }

// modifiers in the order Bubble Tea prints them, which is the order a
// binding must use to match.
var modifiers = []string{"ctrl", "alt", "shift", "meta", "hyper", "super"}

// keyNames are the names Bubble Tea gives keys that are not characters.
var keyNames = func() map[string]bool {
	names := map[string]bool{}
	for _, c := range []rune{tea.KeyEnter, tea.KeyTab, tea.KeyBackspace, tea.KeyEscape, tea.KeySpace} {
		names[tea.Key{Code: c}.String()] = true
	}
	for c := tea.KeyExtended + 1; c <= tea.KeyIsoLevel5Shift; c++ {
		names[tea.Key{Code: c}.String()] = true
	}
	return names
}()

// checkKey accepts a key as Bubble Tea prints key presses: modifiers in
// its order, then a key name or one character.
func checkKey(s string) error {
	parts := strings.Split(s, "+")
	base := parts[len(parts)-1]
	if base == "" && len(parts) > 1 { // "ctrl++"
		base, parts = "+", parts[:len(parts)-1]
	}
	mods := parts[:len(parts)-1]
	last := -1
	for _, m := range mods {
		i := slices.Index(modifiers, m)
		if i < 0 {
			return fmt.Errorf("key %q: unknown modifier %q%s; expected %s", s, m, suggest.Hint(m, modifiers), strings.Join(modifiers, ", "))
		}
		if i <= last {
			return fmt.Errorf("key %q: write modifiers in the order %s, as key presses arrive", s, strings.Join(modifiers, "+"))
		}
		last = i
	}
	if keyNames[base] {
		return nil
	}
	r, size := utf8.DecodeRuneInString(base)
	if size == 0 || size != len(base) || !unicode.IsPrint(r) {
		known := make([]string, 0, len(keyNames))
		for n := range keyNames {
			known = append(known, n)
		}
		slices.Sort(known)
		return fmt.Errorf("key %q: unknown key %q%s", s, base, suggest.Hint(base, known))
	}
	if len(mods) == 1 && mods[0] == "shift" && unicode.IsLetter(r) {
		return fmt.Errorf("key %q: a shifted letter arrives as itself: write %q", s, string(unicode.ToUpper(r)))
	}
	return nil
}
