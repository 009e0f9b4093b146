package keymap

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// scope is a set of bindings that are live at the same time, so no key may
// be bound twice within it. keep filters the Global bindings by field name;
// panes are the areas whose keys join them (all of an area, or "Area.Field"
// for one binding). typing says printable keys are text there (a filter),
// so a binding may not take one.
type scope struct {
	name   string
	panes  []string
	keep   func(global string) bool
	typing bool
}

// scopes follows the routing contract in the package comment.
func scopes() []scope {
	only := func(names ...string) func(string) bool {
		return func(g string) bool { return slices.Contains(names, g) }
	}
	return []scope{
		{"input focused", []string{"Input"}, all, false},
		{"transcript focused", []string{"Transcript"}, all, false},
		{"tools sidebar focused", []string{"Tools"}, all, false},
		// The prompt's Back key returns to the input; esc esc cancels from there.
		{"approval prompt focused", []string{"Approval"}, func(g string) bool { return g != "Cancel" }, false},
		{"model picker open", []string{"Picker"}, only("Quit", "ModelPicker"), true},
		{"file finder open", []string{"Picker"}, only("Quit"), true},
		{"session picker open", []string{"Picker", "Sessions.Search", "Sessions.New", "Sessions.Rename", "Sessions.Pin", "Sessions.Delete"}, only("Quit"), true},
		{"deleting a session", []string{"Sessions.Confirm"}, only("Quit"), false},
		{"help open", []string{"Overlay"}, only("Quit", "Help"), false},
	}
}

func all(string) bool { return true }

// shared are pairs of bindings that may have a key in common: the input
// tries the history keys first, and they act only on an empty input or
// an unedited recalled prompt; elsewhere the key moves the cursor.
var shared = map[[2]string]bool{
	{"Input.HistoryPrev", "Input.Up"}:   true,
	{"Input.HistoryNext", "Input.Down"}: true,
}

// Conflicts describes every key bound to two bindings that are live at the
// same time, one line per pair, naming the bindings as a config file does
// (see Names) and the scopes where it clashes. The
// default KeyMap has none; check a user's overrides with it.
func (k KeyMap) Conflicts() []string {
	type clash struct{ key, first, second string }
	var order []clash
	where := map[clash][]string{}

	areas := k.areas()
	byField := func(field string) area {
		i := slices.IndexFunc(areas, func(a area) bool { return a.field == field })
		return areas[i]
	}
	for _, sc := range scopes() {
		var live []entry
		for _, e := range byField("Global").keys {
			if sc.keep(e.name) {
				live = append(live, entry{"Global." + e.name, e.binding})
			}
		}
		for _, p := range sc.panes {
			field, one, _ := strings.Cut(p, ".")
			for _, e := range byField(field).keys {
				if one == "" || one == e.name {
					live = append(live, entry{field + "." + e.name, e.binding})
				}
			}
		}

		owner := map[string]string{} // key -> first binding bound to it
		for _, e := range live {
			if !e.binding.Enabled() {
				continue
			}
			for _, ks := range e.binding.Keys() {
				if sc.typing && typed(ks) {
					c := clash{ks, e.name, ""}
					if _, seen := where[c]; !seen {
						order = append(order, c)
					}
					where[c] = append(where[c], sc.name)
					continue
				}
				prev, taken := owner[ks]
				if !taken {
					owner[ks] = e.name
					continue
				}
				if prev == e.name || shared[[2]string{prev, e.name}] || shared[[2]string{e.name, prev}] {
					continue // listed twice in one binding, or meant to share
				}
				c := clash{ks, prev, e.name}
				if _, seen := where[c]; !seen {
					order = append(order, c)
				}
				where[c] = append(where[c], sc.name)
			}
		}
	}

	// Bindings are named as the config file names them ("global.sessions",
	// "approval.allow"), every area alike.
	out := make([]string, 0, len(order))
	for _, c := range order {
		if c.second == "" {
			out = append(out, fmt.Sprintf("%s is bound to %s, but it is typed into the filter there (%s)",
				c.key, ConfigName(c.first), strings.Join(where[c], ", ")))
			continue
		}
		out = append(out, fmt.Sprintf("%s is bound to both %s and %s (%s)",
			c.key, ConfigName(c.first), ConfigName(c.second), strings.Join(where[c], ", ")))
	}
	return out
}

// typed reports whether a key is text a filter takes: one printable
// character, or space, without a modifier.
func typed(k string) bool {
	if k == "space" {
		return true
	}
	r, size := utf8.DecodeRuneInString(k)
	return size == len(k) && unicode.IsPrint(r)
}
