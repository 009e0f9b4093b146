// Package markdown renders an assistant message's markdown for the terminal,
// incrementally while it streams.
//
// A full glamour render costs ~1.6 µs per markdown byte plus 30-250 µs per
// call (docs/performance-baseline.md), so re-rendering a growing message on
// every delta is out of the question. A Stream instead cuts the message at
// block boundaries that cannot change meaning later (split.go), renders each
// finished block once, and shows the still-open last block as plain wrapped
// text (tail.go). Finish renders that last block, and the result equals a
// full render of the message: blocks are joined exactly as glamour joins
// them (rendered), and a message with reference definitions, footnotes or
// HTML blocks, which glamour resolves per document, gets one full render.
// All output lines are trimmed of glamour's padding (trim.go).
package markdown

import (
	"errors"
	"iter"
	"slices"
	"strings"
	"time"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Renderer wraps one glamour TermRenderer for a (style, width). Not safe for
// concurrent use: glamour's renderer keeps per-call state.
type Renderer struct {
	tr    *glamour.TermRenderer
	width int

	// Where glamour puts text, measured once from a probe render, so the
	// plain-text tail lines up with the blocks it will become.
	textIndent int // columns before paragraph text
	textWidth  int // columns of paragraph text per line
	codeIndent int // columns before the text of a code block
	// How glamour frames blocks (see rendered), measured by measure.
	docLead  int // blank lines the document prefix adds
	docTrail int // blank lines after a document's last paragraph, incl. the final newline
	paraLead int // blank lines before a document's first paragraph
	paraGap  int // blank lines between two paragraphs

	parser parser.Parser // to find the kind of a block's first node

	// Instrumentation for benchmarks and tests.
	calls   int
	elapsed time.Duration
}

// NewRenderer returns a Renderer that word-wraps to width columns (glamour's
// WithWordWrap: output lines are at most width columns wide).
//
// Code is highlighted with 24-bit colours (chroma's terminal16m formatter),
// like any hex colour in a glamour style; Bubble Tea downsamples to the
// terminal's profile. glamour's default, terminal256, picks the nearest
// palette colour by iterating a map, so ties (comments: 241 or 242) come out
// differently from render to render and a re-render would flicker.
func NewRenderer(style ansi.StyleConfig, width int) (*Renderer, error) {
	if width < 1 {
		return nil, errors.New("markdown: width must be at least 1")
	}
	tr, err := glamour.NewTermRenderer(
		glamour.WithStyles(style),
		glamour.WithWordWrap(width),
		glamour.WithChromaFormatter("terminal16m"),
	)
	if err != nil {
		return nil, err
	}
	r := &Renderer{tr: tr, width: width}
	// The same block parsers glamour configures (glamour.NewTermRenderer).
	r.parser = goldmark.New(goldmark.WithExtensions(extension.GFM, extension.DefinitionList)).Parser()
	r.measure()
	return r, nil
}

// Width returns the wrap width the Renderer was created with.
func (r *Renderer) Width() int { return r.width }

// Render renders a whole markdown document and returns its lines with
// glamour's framing removed: no leading or trailing blank lines, no padding
// to the wrap width, no SGR sequences that change nothing (trim.go).
func (r *Renderer) Render(md string) []string {
	return r.renderBlock(md, false).lines
}

// rendered is one block's render, cut so that joining blocks reproduces a
// render of the whole document.
//
// glamour writes a document as its prefix, each top-level block, then its
// suffix, and a block's output depends only on the block and on whether
// anything precedes it: a paragraph or heading starts with a newline only if
// something does, other blocks always do. So a block's slice of a full
// render is its standalone render less the document's prefix and suffix,
// plus that newline for a paragraph or heading that follows something. lead
// is the blank lines the block has before it in a full render (0 if it comes
// first), trail the blank lines it leaves after itself: -1 when its last line
// has no newline of its own (glamour ends a quote that way) and the next
// block's leading newline completes that line instead of adding a blank one.
// TestGapsMatchFullRender, TestRandomDocuments and the style matrix check it.
type rendered struct {
	lines       []string
	lead, trail int
}

// renderBlock renders md as a top-level block; follows says whether blocks
// precede it. A block that renders as blank lines only (an empty quote or
// code block) has no lines, and lead counts all its blank lines.
func (r *Renderer) renderBlock(md string, follows bool) rendered {
	start := time.Now()
	out, err := r.tr.Render(md)
	r.calls++
	r.elapsed += time.Since(start)
	if err != nil {
		// glamour only fails when its writer fails, which a buffer does not;
		// still, showing the text beats showing nothing.
		return rendered{lines: r.plainLines(md), lead: r.paraGap}
	}
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = trimLine(l)
	}
	// The document suffix ends every render like it ends a final paragraph.
	blank := countBlank(slices.Backward(lines))
	lines = lines[:len(lines)-min(blank, r.docTrail)]
	trail := blank - r.docTrail
	leading := countBlank(slices.All(lines))
	lead := 0
	switch {
	case !follows:
		// Leading blank lines are framing; nothing precedes them.
	case r.startsWithParagraph(md):
		// Standalone it opens the document (paraLead); after a block it
		// starts like a paragraph after a paragraph (paraGap). What is
		// beyond paraLead is its own, like a heading's block prefix.
		lead = leading - r.paraLead + r.paraGap
	default:
		lead = leading - r.docLead
	}
	lead = max(lead, 0)
	if leading == len(lines) {
		return rendered{lead: lead}
	}
	return rendered{lines: lines[leading : len(lines)-max(trail, 0)], lead: lead, trail: trail}
}

// startsWithParagraph reports whether md's first top-level node is a
// paragraph or heading, the kinds whose leading newline depends on what
// precedes them. Parsing costs a few percent of rendering.
func (r *Renderer) startsWithParagraph(md string) bool {
	doc := r.parser.Parse(text.NewReader([]byte(md)))
	first := doc.FirstChild()
	return first != nil && (first.Kind() == gast.KindParagraph || first.Kind() == gast.KindHeading)
}

// countBlank counts the empty strings at the start of seq.
func countBlank(seq iter.Seq2[int, string]) int {
	n := 0
	for _, l := range seq {
		if l != "" {
			break
		}
		n++
	}
	return n
}

// trimLines drops blank lines at both ends.
func trimLines(lines []string) []string {
	for len(lines) > 0 && lines[0] == "" {
		lines = lines[1:]
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return lines
}

// measure calibrates the Renderer with two probe renders of the same
// blocks, one starting with a paragraph and one with a code block: a word
// too long for one line (glamour breaks it exactly at the text width), a
// code block, and a last paragraph.
func (r *Renderer) measure() {
	r.textIndent, r.textWidth, r.codeIndent = 0, r.width, 0
	r.docLead, r.docTrail, r.paraLead, r.paraGap = 1, 2, 1, 1 // glamour's dark style
	body := strings.Repeat("w", 2*r.width+2) + "\n\n```\ny\n```\n\nz"
	withPara, err1 := r.tr.Render("x\n\n" + body)
	withCode, err2 := r.tr.Render("```\ny\n```\n\n" + body)
	if err1 != nil || err2 != nil {
		return
	}
	p := probeLinesOf(withPara)
	c := probeLinesOf(withCode)
	x, w, y, z := p.find("x"), p.find("w"), p.find("y"), p.find("z")
	if x < 0 || w < x || y < w || z < y || c.find("y") < 0 {
		return // an unusual style: keep the defaults
	}
	lastW := y - 1
	for lastW > w && p[lastW] == "" {
		lastW--
	}
	line := p[w]
	r.textIndent = len(line) - len(strings.TrimLeft(line, " "))
	r.textWidth = len(line) - r.textIndent
	r.codeIndent = len(p[y]) - len(strings.TrimLeft(p[y], " "))
	r.paraLead = x
	r.paraGap = w - x - 1
	r.docTrail = len(p) - 1 - z
	// A code block opening a document has the document prefix's blank
	// lines before it on top of those it has after a paragraph.
	r.docLead = c.find("y") - (y - lastW - 1)
	if r.textIndent+r.textWidth > r.width || r.textWidth < 1 {
		r.textIndent, r.textWidth = 0, r.width
	}
	if r.codeIndent >= r.width {
		r.codeIndent = 0
	}
}

// probeLines is a probe render's lines as plain text.
type probeLines []string

func probeLinesOf(out string) probeLines {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(xansi.Strip(l), " ")
	}
	return lines
}

// find returns the index of the first line whose text starts with prefix.
func (p probeLines) find(prefix string) int {
	return slices.IndexFunc(p, func(l string) bool { return strings.HasPrefix(strings.TrimSpace(l), prefix) })
}
