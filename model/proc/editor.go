package proc

import (
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
)

// Editor is the command that opens path in the user's editor: $VISUAL,
// else $EDITOR, else vi (notepad on Windows). The value may carry
// arguments and quotes ("code --wait", `"C:\Program Files\ed.exe" -w`):
// it is split into words as the platform's own shell or C runtime would
// (SplitCommand) and run without a shell, so it works where there is no
// sh (Windows), and whatever it holds is never more than a program and
// its arguments.
func Editor(getenv func(string) string, path string) (*exec.Cmd, error) {
	name, value := "VISUAL", getenv("VISUAL")
	if value == "" {
		name, value = "EDITOR", getenv("EDITOR")
	}
	if value == "" {
		name, value = "the default editor", "vi"
		if runtime.GOOS == "windows" {
			value = "notepad"
		}
	}
	words, err := SplitCommand(value)
	if err != nil {
		return nil, fmt.Errorf("%s (%s) cannot be read as a command: %w", name, value, err)
	}
	if len(words) == 0 {
		return nil, fmt.Errorf("%s names no program", name)
	}
	c := exec.Command(words[0], append(words[1:], path)...)
	if errors.Is(c.Err, exec.ErrNotFound) {
		return nil, fmt.Errorf("%s runs %s, which is not installed or not on PATH; set VISUAL or EDITOR to an editor you have", name, words[0])
	}
	return c, nil
}

// SplitCommand splits a command line into a program and its arguments:
// on Unix by the POSIX shell's quoting (quotes, backslashes), on Windows
// by the C runtime's (double quotes; a backslash is a path separator
// except before a quote). Nothing is expanded: no variables, no globs.
func SplitCommand(s string) ([]string, error) {
	if runtime.GOOS == "windows" {
		return splitWindows(s), nil
	}
	return splitPOSIX(s)
}

// words collects the words of a command line; a word may be empty ("").
type words struct {
	list []string
	cur  strings.Builder
	in   bool // a word has begun
}

func (w *words) add(s string) { w.cur.WriteString(s); w.in = true }

func (w *words) end() {
	if w.in {
		w.list = append(w.list, w.cur.String())
	}
	w.cur.Reset()
	w.in = false
}

func isBlank(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// splitPOSIX follows the shell: blanks separate words; '...' is literal;
// in "..." a backslash escapes only $ ` " \ and a newline; elsewhere a
// backslash escapes the next character, and a backslash-newline joins
// lines.
func splitPOSIX(s string) ([]string, error) {
	var w words
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isBlank(c):
			w.end()
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("a ' is not closed")
			}
			w.add(s[i+1 : i+1+j])
			i += 1 + j
		case c == '"':
			w.add("")
			for i++; ; i++ {
				if i >= len(s) {
					return nil, errors.New(`a " is not closed`)
				}
				if s[i] == '"' {
					break
				}
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0 {
					i++
					if s[i] == '\n' {
						continue
					}
				}
				w.add(s[i : i+1])
			}
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errors.New("it ends with a \\")
			}
			i++
			if s[i] != '\n' {
				w.add(s[i : i+1])
			}
		default:
			w.add(s[i : i+1])
		}
	}
	w.end()
	return w.list, nil
}

// splitWindows follows the C runtime's rules (CommandLineToArgvW): blanks
// outside double quotes separate words; 2n backslashes before a quote are
// n backslashes and the quote opens or closes, 2n+1 are n and a literal
// quote; backslashes before anything else are themselves. A quote left
// open runs to the end.
func splitWindows(s string) []string {
	var w words
	quoted := false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			n := 0
			for i < len(s) && s[i] == '\\' {
				n++
				i++
			}
			if i < len(s) && s[i] == '"' {
				w.add(strings.Repeat(`\`, n/2))
				if n%2 == 1 {
					w.add(`"`)
					continue
				}
			} else {
				w.add(strings.Repeat(`\`, n))
			}
			i-- // the quote, or what follows, is seen next
		case c == '"':
			w.add("")
			quoted = !quoted
		case isBlank(c) && !quoted:
			w.end()
		default:
			w.add(s[i : i+1])
		}
	}
	w.end()
	return w.list
}
