package markdown

import (
	"bytes"
	"strings"

	"charm.land/glamour/v2/ansi"
	"charm.land/lipgloss/v2"
	xansi "github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// The pipeline is glamour's, assembled here rather than through
// glamour.TermRenderer so that the parsed document can be changed before
// glamour draws it:
//   - links whose scheme is not http, https or mailto lose their link
//     (links.go): glamour would send any URL to the terminal as OSC 8;
//   - code blocks are highlighted here (code.go), not by glamour: chroma
//     runs only for a named language (glamour guesses one for every bare
//     fence, ~5 ms each), tabs become spaces, and long lines are wrapped
//     with their indent kept, before glamour wraps them without it.
// The parser and extensions are glamour.NewTermRenderer's.

// newMarkdown returns a goldmark instance that renders with glamour's ANSI
// renderer. Code highlighting is switched off in glamour's copy of the
// style: the code arrives highlighted already.
func newMarkdown(style ansi.StyleConfig, width int) goldmark.Markdown {
	style.CodeBlock.Theme = ""
	style.CodeBlock.Chroma = nil
	md := goldmark.New(
		goldmark.WithExtensions(extension.GFM, extension.DefinitionList),
		goldmark.WithParserOptions(parser.WithAutoHeadingID()),
	)
	ar := ansi.NewRenderer(ansi.Options{WordWrap: width, Styles: style})
	md.SetRenderer(renderer.NewRenderer(renderer.WithNodeRenderers(util.Prioritized(ar, 1000))))
	return md
}

// document is one parsed markdown text, ready to render. Nodes added by the
// transforms point past the end of the text, into extra bytes appended to
// src, so the text itself is never copied or changed.
type document struct {
	src []byte
	doc gast.Node
}

// parse parses md and applies the transforms.
func (r *Renderer) parse(md string) *document {
	d := r.parseOnly(md)
	d.src = r.transform(d.doc, d.src)
	return d
}

// parseOnly parses md without transforming it.
func (r *Renderer) parseOnly(md string) *document {
	src := []byte(md)
	doc := r.md.Parser().Parse(text.NewReader(src))
	// goldmark's Segment.Value appends the newline a last line lacks in
	// place, at src[len(md)]: that byte must be spare, not ours.
	return &document{src: append(src[:len(src):len(src)], '\n'), doc: doc}
}

// transform rewrites links and code blocks under n; extra bytes are
// appended to src, which it returns.
func (r *Renderer) transform(n gast.Node, src []byte) []byte {
	var links, code, parted []gast.Node
	_ = gast.Walk(n, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if !entering {
			return gast.WalkContinue, nil
		}
		switch n.Kind() {
		case gast.KindParagraph:
			if p := n.Parent(); p != nil && p.Kind() == gast.KindListItem {
				if prev := n.PreviousSibling(); prev != nil && prev.Kind() == gast.KindParagraph {
					parted = append(parted, prev)
				}
			}
		case gast.KindLink, gast.KindAutoLink, gast.KindImage:
			links = append(links, n)
		case gast.KindFencedCodeBlock, gast.KindCodeBlock:
			code = append(code, n)
			return gast.WalkSkipChildren, nil
		}
		return gast.WalkContinue, nil
	})
	for _, l := range links {
		// At the end of a line still being written, the URL may not be
		// whole yet: it is shown, not linked.
		src = neutraliseLink(l, src, r.growing && atEnd(l, src))
	}
	for _, c := range code {
		src = r.injectCode(c, src)
	}
	for _, p := range parted {
		src = endParagraphInItem(p, src)
	}
	return src
}

// endParagraphInItem ends a list item's paragraph that another follows
// with a line break. glamour draws every paragraph of a list item as bare
// inline text (right for the one paragraph of a tight item), so in a loose
// item ("1. **Title**", a blank line, an indented paragraph, as models
// write them all the time) the second paragraph's first word was glued to
// the first's last: "1. TitleNote that". glamour#167, open upstream.
func endParagraphInItem(p gast.Node, src []byte) []byte {
	src, t := appendText(src, "")
	t.SetHardLineBreak(true)
	p.AppendChild(p, t)
	return src
}

// firstKind returns the kind of d's first top-level node, if any.
func (d *document) firstKind() (gast.NodeKind, bool) {
	if first := d.doc.FirstChild(); first != nil {
		return first.Kind(), true
	}
	return 0, false
}

// render draws d with glamour, and returns the colour trim must give back
// to text drawn without one (liftDocumentColour). Counted for the
// benchmarks.
func (r *Renderer) render(d *document) (string, string, error) {
	md, fg := r.md, r.docFg
	if fg != "" && hasTable(d) {
		md, fg = r.mdTables, ""
	}
	var buf bytes.Buffer
	err := md.Renderer().Render(&buf, d.src, d.doc)
	if !r.probing {
		r.calls++
	}
	return buf.String(), fg, err
}

// appendText appends s to src and returns a Text node that shows it.
func appendText(src []byte, s string) ([]byte, *gast.Text) {
	start := len(src)
	src = append(src, s...)
	return src, gast.NewTextSegment(text.NewSegment(start, len(src)))
}

// liftDocumentColour takes the document's foreground colour out of style and
// returns it as an SGR sequence, which trimStyled gives back to every
// character drawn without a colour of its own. glamour pads every row of
// every block to the width with spaces, each wrapped in the block's colour,
// and then parses that output again in each enclosing block: two thirds of
// its time on a typical reply went into colouring spaces nobody sees. The
// look is the same (TestLiftedColourLooksTheSame compares every cell). A
// document with a background keeps its colour: its padding is visible.
func liftDocumentColour(style ansi.StyleConfig) (ansi.StyleConfig, string) {
	d := style.Document.StylePrimitive
	if d.Color == nil || d.BackgroundColor != nil {
		return style, ""
	}
	sgr := xansi.Style{}.ForegroundColor(lipgloss.Color(*d.Color)).String()
	var l look
	l.apply(strings.TrimSuffix(strings.TrimPrefix(sgr, "\x1b["), "m"))
	if l.fg == "" {
		return style, ""
	}
	style.Document.Color = nil
	return style, l.fg
}

// hasTable reports whether d holds a table. lipgloss draws a table's
// borders without a colour, where text without one gets the document's
// colour back: a document with a table is drawn with the colour left in.
func hasTable(d *document) bool {
	found := false
	_ = gast.Walk(d.doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if entering && n.Kind() == east.KindTable {
			found = true
			return gast.WalkStop, nil
		}
		return gast.WalkContinue, nil
	})
	return found
}
