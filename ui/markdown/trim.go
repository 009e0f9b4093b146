package markdown

import (
	"strings"

	xansi "github.com/charmbracelet/x/ansi"
)

// glamour pads every line to the wrap width, one SGR pair per padding space,
// which makes its output 7-8x larger than what is visible and slows every
// later stage (viewport, frame diff). glamour v2.0.1 has no option to turn
// this off, so trimLine removes it after the fact.

const sgrReset = "\x1b[m"

// trimLine removes the right padding of one rendered line and writes its
// styles canonically. It never changes what the line looks like:
//   - a trailing space is dropped only while no attribute that makes a space
//     visible (background, reverse, underline, strike, overline) is active;
//   - styles are written as one SGR sequence per change of look, in a fixed
//     order (sgr.go), and a style that only colours spaces is not written:
//     two lines that look the same are the same bytes, however glamour
//     wrote them;
//   - zero-width sequences other than SGR (OSC 8 hyperlinks) are kept, even
//     from the trimmed part, so a hyperlink is always closed;
//   - a line that ends styled gets a reset, so every line starts clean.
//
// Tabs (chroma passes them through in code) become spaces to the next stop
// of tabWidth columns: a raw tab's width is up to the terminal, so every
// width computed later (wrapping, viewport, cell diff) would be wrong.
func trimLine(line string) string { return trimStyled(line, "") }

// trimStyled is trimLine that also gives text drawn without a foreground
// colour the colour fg (SGR parameters such as "38;5;252"; none if ""). The
// Renderer takes the document's colour out of glamour's style, where it
// mostly paints padding (pipeline.go), and puts it back here.
func trimStyled(line, fg string) string {
	if strings.IndexByte(line, '\t') >= 0 {
		line = expandTabsStyled(line)
	}
	if strings.IndexByte(line, 0x1b) < 0 && (fg == "" || strings.TrimSpace(line) == "") {
		return strings.TrimRight(line, " ")
	}
	cut := visibleEnd(line)
	var b strings.Builder
	b.Grow(cut + 16)
	var st, cur look // the style so far, and the style written
	kept := line[:cut]
	for i := 0; i < cut; {
		seq, kind := nextToken(kept, i)
		i += len(seq)
		switch kind {
		case tokSGR:
			st.apply(seq[2 : len(seq)-1])
		case tokText:
			eff := st
			if eff.fg == "" {
				eff.fg = fg
			}
			if !cur.visibleSpace() && !eff.visibleSpace() {
				// Spaces look the same under either style.
				n := len(seq) - len(strings.TrimLeft(seq, " "))
				b.WriteString(seq[:n])
				if seq = seq[n:]; seq == "" {
					continue
				}
			}
			if eff != cur {
				if cur != (look{}) {
					b.WriteString(sgrReset)
				}
				b.WriteString(eff.sgr())
				cur = eff
			}
			b.WriteString(seq)
		default:
			b.WriteString(seq)
		}
	}
	if cur != (look{}) {
		b.WriteString(sgrReset)
	}
	for i := cut; i < len(line); {
		seq, kind := nextToken(line, i)
		i += len(seq)
		if kind == tokOther {
			b.WriteString(seq)
		}
	}
	return b.String()
}

// tabWidth is the tab stop for code and the plain tail. 4, not the
// terminal's 8: gofmt'd Go nests deeply, and the transcript is narrow.
const tabWidth = 4

// expandTabsStyled replaces tabs in a line that may contain escape sequences.
func expandTabsStyled(line string) string {
	var b strings.Builder
	col := 0
	for i := 0; i < len(line); {
		seq, kind := nextToken(line, i)
		i += len(seq)
		if kind != tokText {
			b.WriteString(seq)
			continue
		}
		for {
			j := strings.IndexByte(seq, '\t')
			if j < 0 {
				b.WriteString(seq)
				col += xansi.StringWidth(seq)
				break
			}
			b.WriteString(seq[:j])
			col += xansi.StringWidth(seq[:j])
			n := tabWidth - col%tabWidth
			b.WriteString(strings.Repeat(" ", n))
			col += n
			seq = seq[j+1:]
		}
	}
	return b.String()
}

// visibleEnd returns the byte offset just past the last character that shows
// on screen.
func visibleEnd(line string) int {
	var st look
	end := 0
	for i := 0; i < len(line); {
		seq, kind := nextToken(line, i)
		switch kind {
		case tokSGR:
			st.apply(seq[2 : len(seq)-1])
		case tokText:
			switch {
			case st.visibleSpace():
				end = i + len(seq)
			case strings.Trim(seq, " ") != "":
				end = i + len(strings.TrimRight(seq, " "))
			}
		}
		i += len(seq)
	}
	return end
}

type tokenKind int

const (
	tokText  tokenKind = iota // printable text up to the next ESC
	tokSGR                    // CSI ... m
	tokOther                  // any other escape sequence (OSC 8 hyperlinks, other CSI)
)

// nextToken returns the token starting at line[i]. An unterminated sequence
// runs to the end of the line.
func nextToken(line string, i int) (string, tokenKind) {
	if line[i] != 0x1b {
		j := strings.IndexByte(line[i:], 0x1b)
		if j < 0 {
			return line[i:], tokText
		}
		return line[i : i+j], tokText
	}
	if i+1 >= len(line) {
		return line[i:], tokOther
	}
	switch line[i+1] {
	case '[':
		for j := i + 2; j < len(line); j++ {
			if c := line[j]; c >= 0x40 && c <= 0x7e {
				if c == 'm' {
					return line[i : j+1], tokSGR
				}
				return line[i : j+1], tokOther
			}
		}
		return line[i:], tokOther
	case ']':
		for j := i + 2; j < len(line); j++ {
			if line[j] == 0x07 {
				return line[i : j+1], tokOther
			}
			if line[j] == 0x1b && j+1 < len(line) && line[j+1] == '\\' {
				return line[i : j+2], tokOther
			}
		}
		return line[i:], tokOther
	}
	return line[i : i+2], tokOther
}

func isReset(sgr string) bool {
	return sgr == "\x1b[m" || sgr == "\x1b[0m"
}
