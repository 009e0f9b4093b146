package markdown

import (
	"strings"

	xansi "github.com/charmbracelet/x/ansi"
)

// Should glamour fail (it fails only when its writer does, which a buffer
// does not), a block is shown as plain text wrapped where glamour would put
// it, rather than not at all.

// appendPlain appends the display lines of one source line to dst,
// word-wrapped at the text width and indented like glamour's paragraphs.
func (r *Renderer) appendPlain(dst []string, line string) []string {
	line = expandTabs(strings.TrimRight(line, " \t\r\n"))
	if line == "" {
		return append(dst, "")
	}
	pad := strings.Repeat(" ", r.textIndent)
	if len(line) <= r.textWidth {
		// Fits: no character is wider in columns than in UTF-8 bytes.
		return append(dst, pad+line)
	}
	return appendWrapped(dst, line, pad, r.textWidth)
}

// appendWrapped word-wraps s greedily at width columns; the spaces at a
// break are dropped, so every row is a substring of s. A word wider than a
// row is broken across rows of its own.
func appendWrapped(dst []string, s, pad string, width int) []string {
	start, end, w := 0, 0, 0 // the row being filled is s[start:end], w columns
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && s[j] == ' ' {
			j++
		}
		k := j
		for k < len(s) && s[k] != ' ' {
			k++
		}
		gap, ww := j-i, textWidth(s[j:k])
		if end > start && w+gap+ww > width {
			dst = append(dst, pad+s[start:end])
			start, end, w = j, j, 0
		}
		if end == start && start > 0 {
			start, gap = j, 0 // a row after a break starts with its word
		}
		end, w = k, w+gap+ww
		if w > width {
			for l := range strings.SplitSeq(xansi.Hardwrap(s[start:end], width, true), "\n") {
				dst = append(dst, pad+strings.TrimRight(l, " "))
			}
			start, end, w = k, k, 0
		}
		i = k
	}
	if end > start {
		dst = append(dst, pad+s[start:end])
	}
	return dst
}

// textWidth is xansi.StringWidth with a fast path for ASCII.
func textWidth(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return xansi.StringWidth(s)
		}
	}
	return len(s)
}

// plainLines renders md as plain text: the fallback when glamour fails.
func (r *Renderer) plainLines(md string) []string {
	var out []string
	for l := range strings.SplitSeq(md, "\n") {
		out = r.appendPlain(out, l)
	}
	return trimLines(out)
}

// expandTabs replaces tabs with spaces to the next stop of tabWidth columns.
func expandTabs(s string) string {
	if strings.IndexByte(s, '\t') < 0 {
		return s
	}
	return expandTabsStyled(s)
}
