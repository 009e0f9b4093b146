package keymap

import (
	"fmt"
	"slices"
	"strings"
)

// scope is a set of bindings that are live at the same time, so no key may
// be bound twice within it. keep filters the Global bindings by field name.
type scope struct {
	name string
	pane string // the area whose keys join the Global ones
	keep func(global string) bool
}

// scopes follows the routing contract in the package comment: a focused
// pane sees every Global key; an overlay sees only Quit and Help (to close
// it) of the Globals.
func scopes() []scope {
	return []scope{
		{"input focused", "Input", all},
		{"transcript focused", "Transcript", all},
		{"tools sidebar focused", "Tools", all},
		{"overlay open", "Overlay", func(g string) bool { return g == "Quit" || g == "Help" }},
	}
}

func all(string) bool { return true }

// Conflicts describes every key bound to two bindings that are live at the
// same time, one line per pair, naming the scopes where it clashes. The
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
		for _, e := range byField(sc.pane).keys {
			live = append(live, entry{sc.pane + "." + e.name, e.binding})
		}

		owner := map[string]string{} // key -> first binding bound to it
		for _, e := range live {
			if !e.binding.Enabled() {
				continue
			}
			for _, ks := range e.binding.Keys() {
				prev, taken := owner[ks]
				if !taken {
					owner[ks] = e.name
					continue
				}
				if prev == e.name {
					continue // listed twice in one binding
				}
				c := clash{ks, prev, e.name}
				if _, seen := where[c]; !seen {
					order = append(order, c)
				}
				where[c] = append(where[c], sc.name)
			}
		}
	}

	out := make([]string, 0, len(order))
	for _, c := range order {
		out = append(out, fmt.Sprintf("%s is bound to both %s and %s (%s)",
			c.key, c.first, c.second, strings.Join(where[c], ", ")))
	}
	return out
}
