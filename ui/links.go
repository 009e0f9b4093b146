package ui

import (
	"net/url"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

// A reply's markdown links reach the screen as OSC 8 hyperlinks (ui/markdown
// links http, https and mailto only); the transcript's own links, a
// reply's sources, are linked here the same way, http and https only.

// linkable says whether u may be a hyperlink: http or https, and nothing
// in it that could end the escape sequence early.
func linkable(u string) bool {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || strings.ContainsFunc(u, func(r rune) bool { return r < 0x21 || r == 0x7f || r >= 0x80 && r <= 0x9f }) {
		return false
	}
	s := strings.ToLower(p.Scheme)
	return s == "http" || s == "https"
}

// linkRows styles the rows a line was wrapped into, with the link at the
// end of the line (u, as shown) a hyperlink to u on every row it is on.
func linkRows(rows []string, u string, style lipgloss.Style) []string {
	out := make([]string, len(rows))
	rest := u
	for i := len(rows) - 1; i >= 0; i-- {
		r := rows[i]
		k := len(r)
		if linkable(u) && rest != "" {
			switch {
			case strings.HasSuffix(r, rest):
				k, rest = len(r)-len(rest), ""
			case r != "" && strings.HasSuffix(rest, r):
				k, rest = 0, rest[:len(rest)-len(r)]
			default:
				rest = "" // not the link's: leave it be
			}
		}
		out[i] = style.Render(r)
		if k < len(r) {
			out[i] = renderNonEmpty(style, r[:k]) + ansi.SetHyperlink(u) + style.Render(r[k:]) + ansi.ResetHyperlink()
		}
	}
	return out
}

func renderNonEmpty(style lipgloss.Style, s string) string {
	if s == "" {
		return ""
	}
	return style.Render(s)
}
