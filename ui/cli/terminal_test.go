package cli

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/charmbracelet/colorprofile"
)

// no-color.org: any non-empty NO_COLOR turns colour off, where the colour
// library reads it as a boolean (NO_COLOR=yes, NO_COLOR=0 kept colour).
func TestNoColorAnyNonEmptyValue(t *testing.T) {
	for _, v := range []string{"1", "yes", "0", "false", "anything"} {
		env := []string{"TERM=xterm-256color", "COLORTERM=truecolor", "NO_COLOR=" + v}
		if p := colorprofile.Env(colourEnviron(env)); p != colorprofile.ASCII {
			t.Errorf("NO_COLOR=%s: profile %v, want Ascii (no colour, decoration kept)", v, p)
		}
	}
	env := []string{"TERM=xterm-256color", "COLORTERM=truecolor", "NO_COLOR="}
	if p := colorprofile.Env(colourEnviron(env)); p != colorprofile.TrueColor {
		t.Errorf("an empty NO_COLOR: profile %v, want colour", p)
	}
	if !slices.Equal(env, []string{"TERM=xterm-256color", "COLORTERM=truecolor", "NO_COLOR="}) {
		t.Error("colourEnviron changed its argument")
	}
}

// On TERM=dumb the full-screen chat refuses, pointing to -p, before it
// touches the terminal; -p itself works there.
func TestDumbTerminalRefusesTheChat(t *testing.T) {
	t.Setenv("TERM", "dumb")
	var out, errb bytes.Buffer
	code := Execute([]string{"--no-save"}, strings.NewReader(""), &out, &errb)
	want := "parley: this terminal (TERM=dumb) cannot show the full-screen chat; use parley -p \"your prompt\" for one answer at a time, " +
		"or run Parley in a terminal such as xterm-256color\n"
	if code != exitUsage || errb.String() != want || out.Len() != 0 {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
	oneShotMock(t)
	if code := Execute([]string{"-p", "hi", "--no-save"}, strings.NewReader(""), &out, &errb); code != exitOK || out.Len() == 0 {
		t.Fatalf("-p on TERM=dumb: exit %d, stderr %q", code, errb.String())
	}
}
