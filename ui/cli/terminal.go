package cli

import (
	"errors"
	"os"
	"slices"
	"strings"

	"github.com/charmbracelet/x/term"
)

// colourEnviron is environ as the colour library must read it. no-color.org
// says NO_COLOR set to any non-empty value turns colour off, where
// colorprofile reads it as a boolean and ignores NO_COLOR=yes or NO_COLOR=0;
// so a non-empty NO_COLOR is passed on as NO_COLOR=1. Text decoration
// (bold, faint) stays, as no-color.org allows.
func colourEnviron(environ []string) []string {
	out := slices.Clone(environ)
	for i, kv := range out {
		if v, ok := strings.CutPrefix(kv, "NO_COLOR="); ok && v != "" {
			out[i] = "NO_COLOR=1"
		}
	}
	return out
}

// errDumbTerminal refuses the full-screen chat on a terminal that cannot
// move its cursor (an editor's shell, a CI log): there it would be escape
// garbage. -p works anywhere.
var errDumbTerminal = usageError{errors.New(`this terminal (TERM=dumb) cannot show the full-screen chat; ` +
	`use parley -p "your prompt" for one answer at a time, or run Parley in a terminal such as xterm-256color`)}

// dumbTerminal says TERM names a terminal without cursor movement.
func dumbTerminal(getenv func(string) string) bool { return getenv("TERM") == "dumb" }

// isTerminal says f is a terminal.
func isTerminal(f *os.File) bool { return f != nil && term.IsTerminal(f.Fd()) }
