package markdown

import (
	"strings"

	xansi "github.com/charmbracelet/x/ansi"
)

// Nothing a model writes may be lost at any width, so no line leaves the
// package wider than the Renderer's width: a caller fitting rows to the
// screen would cut the end off (with an ellipsis). glamour keeps to its
// width almost everywhere; fitWidth is the net under what it does not
// (code wider than its block, a table cell that cannot shrink).

// fitWidth returns lines with every line wider than r.width wrapped; lines
// is returned as is when all fit.
func (r *Renderer) fitWidth(lines []string) []string {
	return fitRows(lines, r.width, r.docFg)
}

// fitRows is fitWidth for rows of width columns whose uncoloured text gets
// the colour fg.
func fitRows(lines []string, width int, fg string) []string {
	var out []string
	for i, l := range lines {
		if len(l) <= width || visibleWidth(l) <= width {
			if out != nil {
				out = append(out, l)
			}
			continue
		}
		if out == nil {
			out = append(make([]string, 0, len(lines)+4), lines[:i]...)
		}
		out = append(out, wrapStyled(l, width, fg)...)
	}
	if out == nil {
		return lines
	}
	return out
}

// wrapStyled word-wraps one styled line to width columns. Continuation rows
// keep the line's indent and quote bars, hang under a list item's text, and
// start with the styles and the hyperlink that were active where the row
// before ended, which that row closes: every row stands on its own, and a
// link cut in two stays a link in both parts.
func wrapStyled(line string, width int, fg string) []string {
	plain := xansi.Strip(line)
	lead := len(plain) - len(strings.TrimLeft(plain, " │"))
	hang := lead + listMarker(plain[lead:])
	if hang > width/2 {
		lead, hang = 0, 0
	}
	prefix := xansi.Cut(line, 0, lead) + strings.Repeat(" ", hang-lead)
	first := xansi.Cut(line, 0, hang)
	body := xansi.TruncateLeft(line, hang, "")
	var rows []string
	for row := range strings.SplitSeq(xansi.Wrap(body, width-hang, ""), "\n") {
		if visibleWidth(row) > width-hang {
			// A word (a rule, a long path) wider than the row: cut it.
			rows = append(rows, strings.Split(xansi.Hardwrap(row, width-hang, true), "\n")...)
			continue
		}
		rows = append(rows, row)
	}
	var carry string
	for i, row := range rows {
		open, closing := activeAt(carry + row)
		head := prefix
		if i == 0 {
			head = first
		}
		rows[i] = trimStyled(head+carry+row+closing, fg)
		carry = open
	}
	return rows
}

// listMarker returns the width of the list marker s starts with ("• ",
// "12. "), or 0.
func listMarker(s string) int {
	if strings.HasPrefix(s, "• ") {
		return 2
	}
	n := runLength(s, '0') // digits, below
	for n < len(s) && s[n] >= '0' && s[n] <= '9' {
		n++
	}
	if n > 0 && n+1 < len(s) && s[n] == '.' && s[n+1] == ' ' {
		return n + 2
	}
	return 0
}

// activeAt scans a row that starts with carried state and returns what is
// still active at its end: the SGR sequences since the last reset and the
// open hyperlink, as a prefix for the next row, and the sequences that end
// them on this one.
func activeAt(row string) (open, closing string) {
	var sgr []string
	link := ""
	for i := 0; i < len(row); {
		seq, kind := nextToken(row, i)
		i += len(seq)
		switch {
		case kind == tokSGR && isReset(seq):
			sgr = sgr[:0]
		case kind == tokSGR:
			sgr = append(sgr, seq)
		case kind == tokOther && strings.HasPrefix(seq, "\x1b]8;"):
			if isLinkClose(seq) {
				link = ""
			} else {
				link = seq
			}
		}
	}
	open = strings.Join(sgr, "")
	if len(sgr) > 0 {
		closing = sgrReset
	}
	if link != "" {
		open = link + open
		closing += "\x1b]8;;\x07"
	}
	return open, closing
}

// isLinkClose reports whether an OSC 8 sequence ends a hyperlink (its URI
// is empty).
func isLinkClose(seq string) bool {
	body := strings.TrimSuffix(strings.TrimSuffix(strings.TrimPrefix(seq, "\x1b]8;"), "\x07"), "\x1b\\")
	_, uri, _ := strings.Cut(body, ";")
	return uri == ""
}

// visibleWidth is xansi.StringWidth for a rendered line, faster for the
// common case of ASCII text between escape sequences.
func visibleWidth(line string) int {
	w := 0
	for i := 0; i < len(line); {
		seq, kind := nextToken(line, i)
		i += len(seq)
		if kind == tokText {
			w += textWidth(seq)
		}
	}
	return w
}
