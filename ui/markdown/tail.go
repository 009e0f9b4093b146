package markdown

import (
	"strings"

	xansi "github.com/charmbracelet/x/ansi"
)

// The open tail of a stream is shown as plain text: no markdown styling, so a
// delta costs microseconds instead of a glamour call. It is indented like
// glamour's output so text does not jump sideways when its block commits.

// appendPlain appends the display lines of one source line to dst. Prose is
// word-wrapped at the text width; code (a line inside an open fence) is
// broken at the width without touching its spaces. Lines calls it for the
// unfinished last line on every frame, so the common paths do not allocate
// beyond the rows themselves.
func (r *Renderer) appendPlain(dst []string, line string, code bool) []string {
	line = expandTabs(strings.TrimRight(line, " \t\r\n"))
	if line == "" {
		return append(dst, "")
	}
	indent, width := r.textIndent, r.textWidth
	if code {
		indent, width = r.codeIndent, r.width-r.codeIndent
	}
	pad := strings.Repeat(" ", indent)
	switch {
	case len(line) <= width:
		// Fits: no character is wider in columns than in UTF-8 bytes.
		return append(dst, pad+line)
	case code:
		for l := range strings.SplitSeq(xansi.Hardwrap(line, width, true), "\n") {
			dst = append(dst, pad+strings.TrimRight(l, " "))
		}
		return dst
	}
	return appendWrapped(dst, line, pad, width)
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
		out = r.appendPlain(out, l, false)
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
