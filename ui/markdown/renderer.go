// Package markdown renders an assistant message's markdown for the terminal,
// incrementally while it streams.
//
// A full glamour render costs ~1.6 µs per markdown byte plus 30-250 µs per
// call (docs/performance-baseline.md), so re-rendering a growing message on
// every delta is out of the question. A Stream instead cuts the message at
// block boundaries that cannot change meaning later (split.go), renders each
// finished block once, and renders only the still-open last block again as
// it grows, closed provisionally (provisional.go), at most once per frame.
// Finish renders that last block, and the result equals a full render of the
// message: blocks are joined exactly as glamour joins them (rendered), and
// a message with reference definitions, footnotes or HTML blocks, which
// glamour resolves per document, gets one full render. All output lines
// are trimmed of glamour's padding (trim.go) and are never wider than the
// Renderer's width (wide.go).
//
// Use, from a Bubble Tea program:
//
//   - NewRenderer(style, width) for each width and theme, in a command (it
//     costs ~0.4 ms); Clone for another goroutine.
//   - NewStream(r) per reply; SetAsync(true) to keep every render but the
//     open block's off the UI goroutine. Append each sanitised delta in
//     Update (it never renders); call Lines when drawing (it renders the
//     open block if its text changed). After a batch, Finish or
//     SetRenderer, ask Job for work: run it in a command (Job.Run), hand it
//     back to Apply in Update, then ask again. Done says when a finished
//     Stream's lines are final.
//   - NewReasoning with a Renderer made from ReasoningStyle for a reply's
//     reasoning summary: Update with the turn's parts, Tail or Lines to draw.
//   - Render for a whole message (a reopened session), PlainPreview for a
//     one-line preview of one.
package markdown

import (
	"errors"
	"iter"
	"maps"
	"slices"
	"strings"
	"time"

	"charm.land/glamour/v2/ansi"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// Renderer renders markdown for one (style, width). Not safe for concurrent
// use (glamour's renderer keeps per-call state); Clone makes one for another
// goroutine. NewRenderer and Clone may run on any goroutine.
type Renderer struct {
	style ansi.StyleConfig
	width int
	md    goldmark.Markdown
	// mdTables keeps the document's colour in glamour's style, for
	// documents with a table (hasTable).
	mdTables goldmark.Markdown
	hl       *highlighter
	docFg    string // the document's colour, given back by trim (pipeline.go)

	calibration
	codeWidths map[string]int // code text columns by nesting (coderows.go)

	fenceFrame  fenceFrame
	probing     bool // measuring: code is not wrapped
	provisional bool // rendering an open block: code may be lexed incrementally
	growing     bool // ... whose last line is still being written (a URL at its end may be cut)

	// Instrumentation for benchmarks and tests: block renders (renderBlock
	// calls), glamour calls among them, and the time they took.
	renders int
	calls   int
	elapsed time.Duration
}

// calibration is where glamour puts text, measured once from probe renders,
// so that blocks rendered alone join like a whole document.
type calibration struct {
	textIndent int // columns before paragraph text
	textWidth  int // columns of paragraph text per line
	codeIndent int // columns before the text of a code block
	docLead    int // blank lines the document prefix adds
	docTrail   int // blank lines after a document's last paragraph, incl. the final newline
	paraLead   int // blank lines before a document's first paragraph
	paraGap    int // blank lines between two paragraphs
}

// NewRenderer returns a Renderer that word-wraps to width columns: no
// output line is wider. It costs two small probe renders (well under a
// millisecond); a caller that must not spend that on the UI goroutine
// builds it in a command.
func NewRenderer(style ansi.StyleConfig, width int) (*Renderer, error) {
	if width < 1 {
		return nil, errors.New("markdown: width must be at least 1")
	}
	r := bareRenderer(style, width)
	r.measure()
	return r, nil
}

func bareRenderer(style ansi.StyleConfig, width int) *Renderer {
	glamourStyle, fg := liftDocumentColour(style)
	r := &Renderer{
		style: style, width: width, docFg: fg,
		md:         newMarkdown(glamourStyle, width),
		mdTables:   newMarkdown(style, width),
		hl:         newHighlighter(style),
		codeWidths: map[string]int{},
	}
	r.hl.docFg = fg
	return r
}

// Clone returns a Renderer with r's style, width and calibration and state
// of its own, without probe renders, for use on another goroutine. Call it
// on the goroutine that uses r.
func (r *Renderer) Clone() *Renderer {
	c := bareRenderer(r.style, r.width)
	c.calibration, c.fenceFrame = r.calibration, r.fenceFrame
	c.codeWidths = maps.Clone(r.codeWidths)
	return c
}

// Width returns the wrap width the Renderer was created with.
func (r *Renderer) Width() int { return r.width }

// Render renders a whole markdown document and returns its lines with
// glamour's framing removed: no leading or trailing blank lines, no padding
// to the wrap width, no SGR sequences that change nothing (trim.go).
func (r *Renderer) Render(md string) []string {
	return r.renderBlock(md).lines
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
// is the blank lines the block has before it in a full render when
// something precedes it (a first block has none), trail the blank lines it
// leaves after itself: -1 when its last line has no newline of its own
// (glamour ends a quote that way) and the next block's leading newline
// completes that line instead of adding a blank one. TestGapsMatchFullRender,
// TestRandomDocuments and the style matrix check it.
type rendered struct {
	lines       []string
	rows        []Row // one per line (rows.go)
	lead, trail int
}

// renderBlock renders md as a top-level block. A block that renders as
// blank lines only (an empty quote or code block) has no lines, and lead
// counts all its blank lines.
func (r *Renderer) renderBlock(md string) rendered {
	start := time.Now()
	defer func() { r.elapsed += time.Since(start) }()
	r.renders++
	d := r.parseOnly(md)
	runs := r.runs(d.doc)
	if len(runs) <= 1 {
		return r.renderParsed(d, md)
	}
	// Each run is drawn as a document of its own and the runs joined as
	// blocks are (see rendered); TestRunsMatchWholeRender checks it.
	var out rendered
	for i, run := range runs {
		sub := gast.NewDocument()
		for _, n := range run {
			sub.AppendChild(sub, n)
		}
		rb := r.renderParsed(&document{src: d.src[:len(d.src):len(d.src)], doc: sub}, md)
		if len(out.lines) == 0 {
			// Runs of blank lines only (an empty fence) before the first
			// line add to the lead, as they would after a block.
			if i == 0 || len(rb.lines) == 0 {
				out.lead += rb.lead
			} else {
				out.lead += out.trail + rb.lead
			}
			out.lines, out.trail = append([]string(nil), rb.lines...), rb.trail
			out.rows = appendRowsOf(nil, 0, rb)
			continue
		}
		out.lines, out.rows, out.trail = joinBlock(out.lines, out.rows, out.trail, rb)
	}
	return out
}

// runs groups the top-level nodes of doc into runs that are drawn alone: a
// fence (drawn without glamour, fence.go), a table (drawn with the
// document's colour left in, hasTable), and what lies between. A document
// that needs none of that, or has an HTML block, is one run.
func (r *Renderer) runs(doc gast.Node) [][]gast.Node {
	var runs [][]gast.Node
	var cur []gast.Node
	alone := 0
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		if n.Kind() == gast.KindHTMLBlock {
			// glamour writes an HTML block raw into the block before it,
			// indent and all: it must see its neighbours.
			return nil
		}
		fence := n.Kind() == gast.KindFencedCodeBlock && n.Lines().Len() > 0 && r.fenceFrame.ok
		table := n.Kind() == east.KindTable && r.docFg != ""
		if !fence && !table {
			cur = append(cur, n)
			continue
		}
		alone++
		if len(cur) > 0 {
			runs = append(runs, cur)
			cur = nil
		}
		runs = append(runs, []gast.Node{n})
	}
	if len(cur) > 0 {
		runs = append(runs, cur)
	}
	if alone == 0 || r.probing {
		return nil
	}
	return runs
}

// renderParsed draws one parsed document; md is its text, for the fallback.
func (r *Renderer) renderParsed(d *document, md string) rendered {
	if f := soleFence(d); f != nil && r.fenceFrame.ok && !r.probing {
		return r.renderFence(d, f)
	}
	d.src = r.transform(d.doc, d.src)
	out, fg, err := r.render(d)
	if err != nil {
		// glamour only fails when its writer fails, which a buffer does not;
		// still, showing the text beats showing nothing.
		lines := r.plainLines(md)
		return rendered{lines: lines, rows: r.proseRows(lines, 0), lead: r.paraGap}
	}
	kind, _ := d.firstKind()
	rb := r.frame(strings.Split(out, "\n"), fg, kind == gast.KindParagraph || kind == gast.KindHeading)
	if first := d.doc.FirstChild(); first == nil || first.NextSibling() != nil {
		kind = 0 // several blocks drawn as one
	}
	rb.rows = r.proseRows(rb.lines, kind)
	return rb
}

// frame trims a standalone render's lines (giving text without a colour
// fg) and cuts off the document's framing (see rendered). paragraph says
// whether the block starts with a paragraph or heading. The rows are left
// for the caller to describe.
func (r *Renderer) frame(lines []string, fg string, paragraph bool) rendered {
	for i, l := range lines {
		lines[i] = trimStyled(l, fg)
	}
	return r.cut(r.fitWidth(lines), nil, paragraph)
}

// cut is frame for lines trimmed and fitted already; rows, if not nil,
// describe them and are cut alike.
func (r *Renderer) cut(lines []string, rows []Row, paragraph bool) rendered {
	if len(rows) != len(lines) {
		rows = nil
	}
	// The document suffix ends every render like it ends a final paragraph.
	blank := countBlank(slices.Backward(lines))
	lines = lines[:len(lines)-min(blank, r.docTrail)]
	trail := blank - r.docTrail
	leading := countBlank(slices.All(lines))
	var lead int
	if paragraph {
		// Standalone it opens the document (paraLead); after a block it
		// starts like a paragraph after a paragraph (paraGap). What is
		// beyond paraLead is its own, like a heading's block prefix.
		lead = leading - r.paraLead + r.paraGap
	} else {
		lead = leading - r.docLead
	}
	lead = max(lead, 0)
	if leading == len(lines) {
		return rendered{lead: lead}
	}
	end := len(lines) - max(trail, 0)
	rb := rendered{lines: lines[leading:end], lead: lead, trail: trail}
	if rows != nil {
		rb.rows = rows[leading:end]
	}
	return rb
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
	r.calibration = calibration{0, r.width, 0, 1, 2, 1, 1} // glamour's dark style
	body := strings.Repeat("w", 2*r.width+2) + "\n\n```\ny\n```\n\nz"
	r.probing = true
	withPara, _, err1 := r.render(r.parse("x\n\n" + body))
	withCode, _, err2 := r.render(r.parse("```\ny\n```\n\n" + body))
	fence, _, err3 := r.render(r.parse("```\ny\n```"))
	r.probing = false
	if err3 == nil {
		r.fenceFrame = measureFence(probeLinesOf(fence))
	}
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
