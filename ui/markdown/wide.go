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
	var out []string
	for i, l := range lines {
		if len(l) <= r.width || visibleWidth(l) <= r.width {
			if out != nil {
				out = append(out, l)
			}
			continue
		}
		if out == nil {
			out = append(make([]string, 0, len(lines)+4), lines[:i]...)
		}
		out = append(out, wrapStyled(l, r.width, r.docFg)...)
	}
	if out == nil {
		return lines
	}
	return out
}

// wrapStyled word-wraps one styled line to width columns. Continuation rows
// keep the line's indent, and start with the styles and the hyperlink that
// were active where the row before ended, which that row closes: every row
// stands on its own, and a link cut in two stays a link in both parts.
func wrapStyled(line string, width int, fg string) []string {
	plain := xansi.Strip(line)
	indent := len(plain) - len(strings.TrimLeft(plain, " "))
	if indent > width/2 {
		indent = 0
	}
	body := xansi.TruncateLeft(line, indent, "")
	pad := strings.Repeat(" ", indent)
	rows := strings.Split(xansi.Wrap(body, width-indent, ""), "\n")
	var carry string
	for i, row := range rows {
		open, closing := activeAt(row)
		rows[i] = trimStyled(pad+carry+row+closing, fg)
		carry = open
	}
	return rows
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
