package prompt

import (
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/ui/sanitize"
)

// tabWidth is how many spaces a tab is shown as. lipgloss turns a tab into
// four spaces too, so the input and the rest of the screen agree.
const tabWidth = 4

// A chip is stored in the text as one rune from the end of Unicode's
// Supplementary Private Use Area-B: U+10F000 + its id. They encode as
// F4 8F xx xx, so a two-byte search finds them. Text from outside that
// holds such a rune gets it wrapped in a chip of its own (see insertText),
// so no outside rune is ever mistaken for a chip.
const (
	chipBase   = 0x10F000
	chipIDs    = 0xFFE // U+10F000 .. U+10FFFD
	chipPrefix = "\xf4\x8f"
	chipLen    = 4
)

func chipRune(id int) string { return string(rune(chipBase + id)) }

// chipIDAt reports the chip whose rune starts s.
func chipIDAt(s string) (int, bool) {
	if len(s) < chipLen || s[0] != 0xf4 || s[1] != 0x8f {
		return 0, false
	}
	r, _ := utf8.DecodeRuneInString(s)
	return int(r - chipBase), true
}

// glyph is one grapheme cluster of the draft as the input shows it: a
// chip, a tab, a control character made visible, or text.
type glyph struct {
	n     int    // bytes in the draft
	w     int    // cells on screen
	shown string // what is drawn; "" for a chip, which is drawn from its label
	chip  *chip
	space bool // a row may break after it
}

// Replacements for characters a terminal must not receive raw; the same
// rule as the transcript's (package sanitize), so an ESC reads as "␛".
var replacement = "\uFFFD"

// glyphAt is the grapheme cluster at the start of s (non-empty), measured
// as lipgloss measures it (ansi.StringWidth: grapheme clusters, widths
// from displaywidth) unless SetWidthMethod said otherwise. A chip's rune
// is always a cluster of its own.
func (p *Prompt) glyphAt(s string) glyph {
	c := s[0]
	if c < utf8.RuneSelf && (len(s) == 1 || s[1] < utf8.RuneSelf) {
		return asciiGlyphs[c] // ASCII then ASCII: always a cluster boundary (there is no CR)
	}
	if id, ok := chipIDAt(s); ok {
		if ch := p.chips.byID[id]; ch != nil {
			return glyph{n: chipLen, w: ch.width, chip: ch}
		}
		return glyph{n: chipLen, w: 1, shown: replacement} // unreachable: every chip rune has its chip
	}
	cluster, w := ansi.FirstGraphemeCluster(s, p.method)
	if i := strings.Index(cluster[1:], chipPrefix); i >= 0 {
		// A prepended mark joins the next rune into its cluster; a chip
		// stays apart.
		cluster = cluster[:i+1]
		w = p.method.StringWidth(cluster)
	}
	if len(cluster) == 1 {
		return asciiGlyphs[c] // a tab or control before a combining mark
	}
	g := glyph{n: len(cluster), w: w, shown: cluster}
	if c >= utf8.RuneSelf {
		if clean := sanitize.Text(cluster); clean != cluster {
			g.shown = cmpOr(clean, replacement)
			g.w = p.method.StringWidth(g.shown)
		}
	}
	if last, _ := utf8.DecodeLastRuneInString(cluster); last >= utf8.RuneSelf && p.joinsNext(last) {
		// A cluster ending in a prepended mark (U+0600 at a line's end)
		// would take in whatever is drawn after it, a space of padding
		// say, and move the border: shown as a replacement instead.
		g.shown, g.w = replacement, p.method.StringWidth(replacement)
	}
	return g
}

// joinsNext reports whether r joins the character after it into its
// cluster (Unicode's Prepend class), asked of the segmenter once per rune.
func (p *Prompt) joinsNext(r rune) bool {
	joins, ok := p.prepends[r]
	if !ok {
		probe := string(r) + "x"
		c, _ := ansi.FirstGraphemeCluster(probe, ansi.GraphemeWidth)
		joins = len(c) == len(probe)
		if p.prepends == nil {
			p.prepends = map[rune]bool{}
		}
		p.prepends[r] = joins
	}
	return joins
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// asciiGlyphs are the one-byte clusters, precomputed: typing and wrapping
// plain text never reaches the grapheme segmenter.
var asciiGlyphs = func() (t [utf8.RuneSelf]glyph) {
	for c := range utf8.RuneSelf {
		s := string(rune(c))
		switch {
		case c == '\t':
			t[c] = glyph{n: 1, w: tabWidth, shown: strings.Repeat(" ", tabWidth), space: true}
		case c < 0x20 || c == 0x7f:
			shown := cmpOr(sanitize.Text(s), replacement)
			t[c] = glyph{n: 1, w: ansi.StringWidth(shown), shown: shown}
		default:
			t[c] = glyph{n: 1, w: 1, shown: s, space: c == ' '}
		}
	}
	return t
}()

// glyphBefore is the length of the cluster that ends at off in s, found
// by walking forward from from, a cluster boundary at or before off.
func (p *Prompt) glyphBefore(s string, from, off int) int {
	if from < off && s[off-1] < utf8.RuneSelf && (off-1 == from || s[off-2] < utf8.RuneSelf) {
		return 1 // ASCII after ASCII: nothing joins them
	}
	last := 0
	for i := from; i < off; {
		n := p.glyphAt(s[i:]).n
		last, i = n, i+n
	}
	return last
}

// textWidth is the width of s[from:to] on screen (both cluster boundaries).
func (p *Prompt) textWidth(s string, from, to int) int {
	w := 0
	for i := from; i < to; {
		g := p.glyphAt(s[i:])
		w += g.w
		i += g.n
	}
	return w
}

// fit cuts s (text without chips) to w cells, ending it with "…" when it
// is cut, and says how wide the result is. It measures as glyphAt does,
// so a cut never lands inside a cluster whatever the width method.
func (p *Prompt) fit(s string, w int) (string, int) {
	total := 0
	for i := 0; i < len(s); {
		g := p.glyphAt(s[i:])
		total += g.w
		i += g.n
	}
	if total <= w {
		return p.shown(s), total
	}
	var b strings.Builder
	col := 0
	for i := 0; i < len(s); {
		g := p.glyphAt(s[i:])
		if col+g.w > w-1 {
			break
		}
		b.WriteString(g.shown)
		col += g.w
		i += g.n
	}
	if w < 1 {
		return "", 0
	}
	return b.String() + "…", col + 1
}

// shown is s as drawn: tabs as spaces, controls made visible.
func (p *Prompt) shown(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		g := p.glyphAt(s[i:])
		b.WriteString(g.shown)
		i += g.n
	}
	return b.String()
}
