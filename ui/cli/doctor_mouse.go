package cli

import (
	"strings"

	"github.com/parley-tui/parley/keymap"
)

// mouseSetting is the chat's mouse switch as doctor found it: off, where
// that was set, and the key that switches it in the chat.
type mouseSetting struct {
	off  bool
	from string // "config.toml:12", "env PARLEY_MOUSE", "flag --no-mouse"
	key  string
}

// mouseSettingOf reads the switch from the resolved settings (nil: none
// resolved, so the default: on).
func mouseSettingOf(st *setup) mouseSetting {
	if st == nil {
		return mouseSetting{key: keymap.DefaultKeyMap().Global.Mouse.Help().Key}
	}
	return mouseSetting{off: !st.settings.Mouse, from: st.settings.Sources["mouse"].String(), key: st.keys.Global.Mouse.Help().Key}
}

// checkMouse says whether the chat can have the mouse. It asks for SGR
// reports of clicks, drags and the wheel (button-event mode); no terminal
// says whether it sends them, so this reads what can be read: the switch,
// TERM, and inside tmux its mouse option, which decides who gets the
// reports first (either way they reach the chat).
func checkMouse(t terminal, getenv func(string) string, inTmux bool, set mouseSetting) finding {
	const what = "mouse"
	toggle := ""
	if set.key != "" {
		toggle = "; " + set.key + " in the chat switches it"
	}
	if set.off {
		return ok("mouse: off (" + set.from + "): the terminal selects and scrolls on its own" + toggle)
	}
	term := getenv("TERM")
	switch {
	case term == "" || term == "dumb":
		return finding{level: levelWarn, what: what, reason: "TERM=" + term + " reports no mouse",
			fix: "set TERM to your terminal's name; meanwhile pgup/pgdown scroll and y copies a message"}
	case term == "linux":
		return finding{level: levelWarn, what: what, reason: "the Linux console sends programs no mouse reports",
			fix: "use a terminal emulator; meanwhile pgup/pgdown scroll and y copies a message"}
	case strings.HasPrefix(term, "screen") && !inTmux:
		return finding{level: levelWarn, what: what, reason: "GNU screen before 5.0 passes no SGR mouse reports: clicks, drags and the wheel may not arrive",
			fix: "run the chat in tmux or straight in the terminal, or set mouse = false to keep the terminal's selection"}
	}
	const asked = "clicks, drags and the wheel are asked for (SGR reports)"
	cannot := "; no terminal says whether it sends them: if a drag selects nothing, it does not (shift+drag, option+drag in iTerm2, selects with the terminal meanwhile)" + toggle
	if !inTmux {
		return ok("mouse: " + asked + cannot)
	}
	v, err := t.Tmux("show", "-gv", "mouse")
	switch {
	case err != nil:
		return finding{level: levelWarn, what: what, reason: asked + "; cannot ask tmux for its mouse option: " + err.Error() + cannot}
	case v == "on":
		return ok("mouse: " + asked + "; tmux mouse on: tmux takes them and passes them on while the chat has the mouse" + cannot)
	}
	return ok("mouse: " + asked + "; tmux mouse " + orUnknown(v) + ": the terminal outside sends them through tmux" + cannot)
}
