package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/themes"
)

// Every key name on screen comes from here, so none is stale after the
// user rebinds it.

// hint is "<key> <verb>" for a binding, such as "ctrl+r retries", or ""
// when the binding is turned off.
func hint(b key.Binding, verb string) string {
	if !b.Enabled() {
		return ""
	}
	return b.Help().Key + " " + verb
}

// keyName is the first key of a binding as the screen shows it ("esc"
// for a binding pressed twice, whose help says "esc esc").
func keyName(b key.Binding) string {
	if !b.Enabled() || len(b.Keys()) == 0 {
		return ""
	}
	return keymap.Display(b.Keys()[0])
}

// nonEmpty drops empty strings (hints of disabled bindings).
func nonEmpty(parts ...string) []string {
	out := parts[:0]
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

// withHint appends a hint to a sentence: "Cancelled · ctrl+r retries".
func withHint(s, hint string) string {
	if hint == "" {
		return s
	}
	return s + " · " + hint
}

// shortHelp renders a footer's bindings in width columns as "key desc"
// pairs. When they do not fit: with all set (a pane whose letters are
// actions, so every one must stay listed) the last pairs lose their
// descriptions, down to the keys alone; otherwise the last pairs go.
func shortHelp(bindings []key.Binding, width int, all bool, st *themes.Styles) string {
	var full, keys []string
	for _, b := range bindings {
		if !b.Enabled() {
			continue
		}
		h := b.Help()
		full = append(full, st.Help.ShortKey.Render(h.Key)+" "+st.Help.ShortDesc.Render(h.Desc))
		keys = append(keys, st.Help.ShortKey.Render(h.Key))
	}
	sep := st.Help.ShortSeparator.Render(" • ")
	for n := len(full); n >= 0; n-- {
		var s string
		if all {
			s = strings.Join(append(append([]string(nil), full[:n]...), strings.Join(keys[n:], " ")), sep)
			s = strings.TrimSuffix(s, sep)
		} else {
			s = strings.Join(append(full[:n:n], st.Help.Ellipsis.Render("…")), sep)
			if n == len(full) {
				s = strings.Join(full, sep)
			}
		}
		if lipgloss.Width(s) <= width {
			return s
		}
	}
	return fit(strings.Join(keys, " "), width)
}
