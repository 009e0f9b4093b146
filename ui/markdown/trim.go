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

// trimLine removes the right padding of one rendered line and SGR sequences
// that change nothing. It never changes what the line looks like:
//   - a trailing space is dropped only while no attribute that makes a space
//     visible (background, reverse, underline, strike, overline) is active;
//   - an SGR sequence is dropped only when a reset follows it before any text,
//     or when it is a reset of the default style;
//   - zero-width sequences other than SGR (OSC 8 hyperlinks) are kept, even
//     from the trimmed part, so a hyperlink is always closed;
//   - a line that ends styled gets a reset, so every line starts clean.
//
// Tabs (chroma passes them through in code) become spaces to the next stop
// of tabWidth columns: a raw tab's width is up to the terminal, so every
// width computed later (wrapping, viewport, cell diff) would be wrong.
func trimLine(line string) string {
	if strings.IndexByte(line, '\t') >= 0 {
		line = expandTabsStyled(line)
	}
	if strings.IndexByte(line, 0x1b) < 0 {
		return strings.TrimRight(line, " ")
	}
	cut := visibleEnd(line)
	var b strings.Builder
	b.Grow(cut + 8)
	var buf [4]string
	pending := buf[:0] // SGR sequences not yet written: dropped if a reset comes first
	dirty := false     // the written part leaves a non-default style active
	var cur spaceStyle // what of the written style makes a space visible
	kept := line[:cut]
	for i := 0; i < cut; {
		seq, kind := nextToken(kept, i)
		i += len(seq)
		switch {
		case kind == tokSGR && isReset(seq):
			pending = pending[:0]
			if dirty {
				b.WriteString(sgrReset)
				dirty = false
			}
			cur = spaceStyle{}
		case kind == tokSGR:
			pending = append(pending, seq)
		case kind == tokText:
			if len(pending) > 0 && !cur.visible() {
				eff := cur
				for _, p := range pending {
					eff.apply(p[2 : len(p)-1])
				}
				if !eff.visible() {
					// Spaces look the same under either style: they go
					// before the pending style, which may then never be
					// needed (glamour styles every space of an indent).
					n := len(seq) - len(strings.TrimLeft(seq, " "))
					b.WriteString(seq[:n])
					if seq = seq[n:]; seq == "" {
						continue
					}
				}
			}
			for k, p := range pending {
				if onlyForeground(p) && setsForeground(pending[k+1:]) {
					continue // overridden before any text
				}
				b.WriteString(p)
				cur.apply(p[2 : len(p)-1])
				dirty = true
			}
			pending = pending[:0]
			b.WriteString(seq)
		default:
			b.WriteString(seq)
		}
	}
	if dirty {
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
	var st spaceStyle
	end := 0
	for i := 0; i < len(line); {
		seq, kind := nextToken(line, i)
		switch kind {
		case tokSGR:
			st.apply(seq[2 : len(seq)-1])
		case tokText:
			switch {
			case st.visible():
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

// spaceStyle tracks the SGR attributes under which a space is visible.
type spaceStyle struct {
	bg, reverse, underline, strike, overline bool
}

func (s *spaceStyle) visible() bool {
	return s.bg || s.reverse || s.underline || s.strike || s.overline
}

// apply updates s with the parameters of one SGR sequence ("38;5;252").
func (s *spaceStyle) apply(params string) {
	if params == "" {
		*s = spaceStyle{}
		return
	}
	ps := strings.Split(params, ";")
	for i := 0; i < len(ps); i++ {
		main, sub, hasSub := strings.Cut(ps[i], ":")
		switch main {
		case "", "0":
			*s = spaceStyle{}
		case "4":
			s.underline = !hasSub || sub != "0"
		case "21":
			s.underline = true
		case "24":
			s.underline = false
		case "7":
			s.reverse = true
		case "27":
			s.reverse = false
		case "9":
			s.strike = true
		case "29":
			s.strike = false
		case "53":
			s.overline = true
		case "55":
			s.overline = false
		case "49":
			s.bg = false
		case "38", "48", "58":
			if main == "48" {
				s.bg = true
			}
			// Skip the colour's arguments so "38;5;48" is not read as a background.
			if !hasSub && i+1 < len(ps) {
				switch ps[i+1] {
				case "5":
					i += 2
				case "2":
					i += 4
				}
			}
		case "40", "41", "42", "43", "44", "45", "46", "47",
			"100", "101", "102", "103", "104", "105", "106", "107":
			s.bg = true
		}
	}
}

// onlyForeground reports whether an SGR sequence sets a foreground colour
// and nothing else.
func onlyForeground(sgr string) bool {
	ps := strings.Split(sgr[2:len(sgr)-1], ";")
	switch {
	case len(ps) == 3 && ps[0] == "38" && ps[1] == "5", len(ps) == 5 && ps[0] == "38" && ps[1] == "2":
		return true
	case len(ps) == 1:
		return isForegroundCode(ps[0])
	}
	return false
}

// setsForeground reports whether any of the SGR sequences sets the
// foreground colour.
func setsForeground(sgrs []string) bool {
	for _, sgr := range sgrs {
		ps := strings.Split(sgr[2:len(sgr)-1], ";")
		for i := 0; i < len(ps); i++ {
			switch main, _, _ := strings.Cut(ps[i], ":"); {
			case main == "38":
				return true
			case main == "48" || main == "58":
				if i+1 < len(ps) && ps[i+1] == "5" {
					i += 2
				} else if i+1 < len(ps) && ps[i+1] == "2" {
					i += 4
				}
			case isForegroundCode(main):
				return true
			}
		}
	}
	return false
}

func isForegroundCode(p string) bool {
	switch len(p) {
	case 2:
		return (p[0] == '3' || p[0] == '9') && (p[1] >= '0' && p[1] <= '7' || p == "39")
	}
	return false
}
