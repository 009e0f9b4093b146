package cli

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

// Doctor says whether the chat can have the mouse: the switch and where it
// was set, what TERM rules out, tmux's mouse option, and what cannot be
// known.
func TestDoctorMouse(t *testing.T) {
	term := func(tmux map[string]string) *fakeTerm {
		return &fakeTerm{isTerm: true, w: 100, h: 30, profile: colorprofile.TrueColor, tmux: tmux}
	}
	on := mouseSetting{key: "f3"}
	cases := []struct {
		name string
		term *fakeTerm
		env  map[string]string
		set  mouseSetting
		want string
	}{
		{"a terminal", term(nil), map[string]string{"TERM": "xterm-256color"}, on,
			"ok   mouse: clicks, drags and the wheel are asked for (SGR reports); no terminal says whether it sends them: " +
				"if a drag selects nothing, it does not (shift+drag, option+drag in iTerm2, selects with the terminal meanwhile); f3 in the chat switches it"},
		{"tmux mouse on", term(map[string]string{"show -gv mouse": "on"}), map[string]string{"TERM": "tmux-256color", "TMUX": "x"}, on,
			"ok   mouse: clicks, drags and the wheel are asked for (SGR reports); tmux mouse on: tmux takes them and passes them on while the chat has the mouse;"},
		{"tmux mouse off", term(map[string]string{"show -gv mouse": "off"}), map[string]string{"TERM": "screen-256color", "TMUX": "x"}, on,
			"ok   mouse: clicks, drags and the wheel are asked for (SGR reports); tmux mouse off: the terminal outside sends them through tmux;"},
		{"tmux does not answer", term(nil), map[string]string{"TERM": "tmux", "TMUX": "x"}, on,
			"warn mouse: clicks, drags and the wheel are asked for (SGR reports); cannot ask tmux for its mouse option: no server running;"},
		{"GNU screen", term(nil), map[string]string{"TERM": "screen"}, on,
			"warn mouse: GNU screen before 5.0 passes no SGR mouse reports"},
		{"the Linux console", term(nil), map[string]string{"TERM": "linux"}, on,
			"warn mouse: the Linux console sends programs no mouse reports\n     fix: use a terminal emulator"},
		{"a dumb terminal", term(nil), map[string]string{"TERM": "dumb"}, on, "warn mouse: TERM=dumb reports no mouse"},
		{"switched off", term(nil), map[string]string{"TERM": "xterm"}, mouseSetting{off: true, from: "env PARLEY_MOUSE", key: "f3"},
			"ok   mouse: off (env PARLEY_MOUSE): the terminal selects and scrolls on its own; f3 in the chat switches it"},
	}
	for _, c := range cases {
		var out bytes.Buffer
		getenv := env(c.env)
		checkMouse(c.term, getenv, getenv("TMUX") != "", c.set).print(&out)
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("%s:\n%s\nwant it to hold\n%s", c.name, out.String(), c.want)
		}
	}
}

// The switch is read from the config, with the line it is on, and the
// toggle key as the user bound it.
func TestDoctorMouseFromTheConfig(t *testing.T) {
	cfg := writeConfig(t, "model = \"m\"\nmouse = false\n\n[keys]\n\"global.mouse\" = [\"f9\"]\n")
	var out bytes.Buffer
	runDoctor(context.Background(), &out, doctorOptions{flags: chatFlags{config: cfg}, getenv: env(map[string]string{"TERM": "xterm"}),
		term: &fakeTerm{isTerm: true, w: 100, h: 30, profile: colorprofile.TrueColor}})
	want := "ok   mouse: off (" + cfg + ":2): the terminal selects and scrolls on its own; f9 in the chat switches it"
	if !strings.Contains(out.String(), want) {
		t.Errorf("doctor said\n%s\nwant a line\n%s", out.String(), want)
	}
}
