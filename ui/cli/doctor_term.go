package cli

import (
	"fmt"
	"image/color"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
)

// terminal is what doctor asks of the terminal it runs in. Every query is
// bounded by a timeout and leaves the terminal's mode as it found it;
// tests fake it.
type terminal interface {
	// IsTerminal says the output is a terminal; the other checks are
	// meaningless otherwise.
	IsTerminal() bool
	Size() (width, height int, err error)
	ColorProfile() colorprofile.Profile
	// Background asks the terminal its background colour (OSC 11); nil
	// when it did not say.
	Background() (color.Color, error)
	// KittyKeyboard asks whether the terminal speaks the kitty keyboard
	// protocol (CSI ? u), and the flags in force.
	KittyKeyboard() (supported bool, flags int, err error)
	// Tmux runs tmux with args and returns what it printed, trimmed.
	Tmux(args ...string) (string, error)
}

// Sizes below which the layout folds: the tool sidebar becomes one line.
const narrowWidth, shortHeight = 60, 16

// checkTerminal checks what the chat needs of the terminal. theme is the
// configured theme; empty follows the background.
func checkTerminal(t terminal, getenv func(string) string, theme string, mouse mouseSetting) []finding {
	if !t.IsTerminal() {
		return []finding{{level: levelSkip, what: "terminal", reason: "not a terminal: skipped"}}
	}
	inTmux := getenv("TMUX") != ""
	return []finding{
		checkTermName(getenv, inTmux),
		checkSize(t),
		checkColours(t, getenv),
		checkBackground(t, theme),
		checkKeyboard(t, getenv, inTmux),
		checkClipboard(t, getenv, inTmux),
		checkMouse(t, getenv, inTmux, mouse),
	}
}

func checkTermName(getenv func(string) string, inTmux bool) finding {
	term, prog := getenv("TERM"), getenv("TERM_PROGRAM")
	what := "terminal: TERM=" + term
	if prog != "" {
		what += ", TERM_PROGRAM=" + prog
	}
	if inTmux {
		what += ", inside tmux"
	}
	if term == "" || term == "dumb" {
		return finding{level: levelWarn, what: what, reason: "a terminal without colours or cursor movement",
			fix: "set TERM to your terminal's name, such as xterm-256color"}
	}
	return ok(what)
}

func checkSize(t terminal) finding {
	w, h, err := t.Size()
	if err != nil {
		return finding{level: levelWarn, what: "size", reason: "unknown: " + err.Error()}
	}
	if w == 0 && h == 0 {
		return finding{level: levelWarn, what: "size", reason: "the terminal does not say (0x0)"}
	}
	what := fmt.Sprintf("size: %dx%d", w, h)
	if w < narrowWidth || h < shortHeight {
		return finding{level: levelWarn, what: what, reason: "small: the tool sidebar folds into one line",
			fix: fmt.Sprintf("make the window at least %dx%d", narrowWidth, shortHeight)}
	}
	return ok(what)
}

func checkColours(t terminal, getenv func(string) string) finding {
	p := t.ColorProfile()
	what := "colours: " + p.String()
	switch p {
	case colorprofile.TrueColor:
		return ok(what + " (24-bit)")
	case colorprofile.ANSI256:
		return ok(what + ": themes are shown in the nearest of 256 colours")
	case colorprofile.ANSI:
		return finding{level: levelWarn, what: what, reason: "16 colours: themes lose their shades",
			fix: "if your terminal shows 24-bit colour, export COLORTERM=truecolor"}
	}
	f := finding{level: levelWarn, what: what, reason: "no colours"}
	if getenv("NO_COLOR") != "" {
		f.reason += ": NO_COLOR is set"
		f.fix = "unset NO_COLOR to see colours"
	} else {
		f.fix = "set TERM to your terminal's name, such as xterm-256color"
	}
	return f
}

func checkBackground(t terminal, theme string) finding {
	bg, err := t.Background()
	set := ""
	if theme != "" {
		set = " (theme " + theme + " is set, so it does not matter)"
	}
	if err != nil || bg == nil {
		f := finding{level: levelWarn, what: "background", reason: "the terminal did not say (OSC 11)" + set}
		if err != nil {
			f.reason = "cannot ask the terminal: " + err.Error() + set
		}
		if theme == "" {
			f.fix = "pass --theme light or --theme dark, or set theme in the config; the dark theme is the default"
		} else {
			f.level = levelOK
		}
		return f
	}
	r, g, b, _ := bg.RGBA()
	hex := fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
	shade := "light"
	if (tea.BackgroundColorMsg{Color: bg}).IsDark() { // as the chat decides
		shade = "dark"
	}
	if theme == "" {
		set = ", so the " + shade + " theme is used"
	}
	return ok(fmt.Sprintf("background: %s (%s)%s", shade, hex, set))
}

// checkKeyboard says whether shift+enter can be told from enter: with the
// kitty keyboard protocol, in xterm through modifyOtherKeys (Bubble Tea
// turns on both), or in tmux with extended-keys.
func checkKeyboard(t terminal, getenv func(string) string, inTmux bool) finding {
	const what = "keyboard"
	fix := "use ctrl+j or alt+enter for a new line; in tmux, set -s extended-keys on"
	supported, flags, err := t.KittyKeyboard()
	switch {
	case err != nil:
		return finding{level: levelWarn, what: what, reason: "cannot ask the terminal: " + err.Error(), fix: fix}
	case supported:
		return ok(fmt.Sprintf("keyboard: kitty keyboard protocol (flags %d): shift+enter is told from enter", flags))
	case inTmux:
		v, err := t.Tmux("show", "-sv", "extended-keys")
		if err == nil && (v == "on" || v == "always") {
			return ok("keyboard: tmux extended-keys is " + v + ": shift+enter is told from enter when the terminal outside tmux supports it")
		}
		return finding{level: levelWarn, what: what, reason: "tmux's extended-keys is off: shift+enter arrives as enter",
			fix: "use ctrl+j or alt+enter for a new line; or add `set -s extended-keys on` to ~/.tmux.conf"}
	case getenv("XTERM_VERSION") != "":
		return ok("keyboard: xterm: shift+enter is told from enter through modifyOtherKeys")
	}
	return finding{level: levelWarn, what: what, reason: "no kitty keyboard protocol: shift+enter arrives as enter", fix: fix}
}

// checkClipboard says whether ctrl+y's OSC 52 copy can reach the system
// clipboard. No terminal lets a program read that back, so outside tmux
// this only names the terminals known to refuse or to need a setting.
func checkClipboard(t terminal, getenv func(string) string, inTmux bool) finding {
	const what = "clipboard"
	if inTmux {
		clip, err1 := t.Tmux("show", "-gv", "set-clipboard")
		pass, err2 := t.Tmux("show", "-gv", "allow-passthrough")
		if err1 != nil && err2 != nil {
			return finding{level: levelWarn, what: what, reason: "cannot ask tmux: " + err1.Error(),
				fix: "in ~/.tmux.conf: set -g set-clipboard on"}
		}
		state := fmt.Sprintf("tmux set-clipboard %s, allow-passthrough %s", orUnknown(clip), orUnknown(pass))
		if clip == "on" || pass == "on" || pass == "all" {
			return ok("clipboard: OSC 52 through " + state)
		}
		return finding{level: levelWarn, what: what, reason: state + ": ctrl+y cannot reach the clipboard",
			fix: "in ~/.tmux.conf: set -g set-clipboard on (or set -g allow-passthrough on)"}
	}
	switch {
	case getenv("TERM_PROGRAM") == "Apple_Terminal":
		return finding{level: levelWarn, what: what, reason: "Terminal.app ignores OSC 52: ctrl+y cannot copy",
			fix: "select with the mouse and copy with cmd+c, or use iTerm2, kitty, WezTerm or Ghostty"}
	case getenv("VTE_VERSION") != "":
		return finding{level: levelWarn, what: what, reason: "VTE terminals (GNOME Terminal, Tilix...) may ignore OSC 52",
			fix: "select with shift+drag and copy with ctrl+shift+c"}
	case getenv("TERM_PROGRAM") == "iTerm.app":
		return ok("clipboard: OSC 52 is sent; iTerm2 needs Settings > General > Selection > Applications in terminal may access clipboard")
	}
	return ok("clipboard: OSC 52 is sent; most terminals accept it (kitty, WezTerm, Ghostty, foot, Alacritty, Windows Terminal); xterm needs allowWindowOps, iTerm2 a setting")
}

func orUnknown(s string) string {
	if s = strings.TrimSpace(s); s == "" {
		return "unknown"
	}
	return s
}
