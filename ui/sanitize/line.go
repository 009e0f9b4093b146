package sanitize

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
)

// TerminalTab is where a terminal puts its tab stops: every 8 columns.
const TerminalTab = 8

// OneLine is Text for a one-line display (a search snippet, a preview):
// line breaks, carriage returns and tabs become single spaces, so the text
// never spills onto a second row. A tab is as wide as the terminal makes it,
// up to eight columns, where width functions count it as none: a line with
// one measures narrower than it shows.
func OneLine(s string) string {
	s = Text(s)
	if !strings.ContainsAny(s, "\n\t") {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return ' '
		}
		return r
	}, s)
}

// ExpandTabs replaces each tab with spaces up to the next multiple of tab
// columns, counting from the start of the line, so text that keeps its
// layout (tool output, code) measures what it shows.
func ExpandTabs(s string, tab int) string {
	if tab < 1 || strings.IndexByte(s, '\t') < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	col := 0
	for s != "" {
		g, w := s[:1], 1 // ASCII, the common case, one byte at a time
		if s[0] >= utf8.RuneSelf {
			g, w = ansi.FirstGraphemeCluster(s, ansi.GraphemeWidth)
			if g == "" {
				g, w = s[:1], 1
			}
		}
		s = s[len(g):]
		switch g {
		case "\t":
			n := tab - col%tab
			b.WriteString(strings.Repeat(" ", n))
			col += n
		case "\n":
			b.WriteByte('\n')
			col = 0
		default:
			b.WriteString(g)
			col += w
		}
	}
	return b.String()
}

// Width is the columns the last line of s takes on a terminal, tabs
// included (at stops of TerminalTab). s holds no escape sequences (it is
// sanitised).
func Width(s string) int {
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	return ansi.StringWidth(ExpandTabs(s, TerminalTab))
}
