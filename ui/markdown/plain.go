package markdown

import (
	"strings"

	xansi "github.com/charmbracelet/x/ansi"
	"github.com/yuin/goldmark"
	gast "github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/parley-tui/parley/ui/sanitize"
)

// PlainPreview returns markdown as one line of plain text at most width
// columns, for a one-line preview (the session picker): heading marks,
// emphasis, backticks and fences, link targets, list markers and table
// pipes are dropped, their text kept; tabs and line breaks fold into single
// spaces; text that does not fit ends with "…". The text is sanitised.
// Safe for concurrent use.
func PlainPreview(md string, width int) string {
	if width < 1 {
		return ""
	}
	return xansi.Truncate(PlainLine(md), width, "…")
}

// PlainLine is PlainPreview without a width: the whole text as one line.
// Characters markdown has no use for (the store's private-use hit marks)
// come through where they were.
func PlainLine(md string) string {
	src := []byte(sanitize.Text(md))
	doc := goldmark.New(goldmark.WithExtensions(extension.GFM)).Parser().Parse(text.NewReader(src))
	var b strings.Builder
	space := func() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
	}
	_ = gast.Walk(doc, func(n gast.Node, entering bool) (gast.WalkStatus, error) {
		if !entering {
			return gast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *gast.Text:
			b.Write(n.Segment.Value(src))
			if n.SoftLineBreak() || n.HardLineBreak() {
				b.WriteByte(' ')
			}
		case *gast.String:
			b.Write(n.Value)
		case *gast.CodeSpan:
			for c := n.FirstChild(); c != nil; c = c.NextSibling() {
				if t, ok := c.(*gast.Text); ok {
					b.Write(t.Segment.Value(src))
				}
			}
			return gast.WalkSkipChildren, nil
		case *gast.AutoLink:
			b.Write(n.Label(src))
			return gast.WalkSkipChildren, nil
		case *gast.RawHTML, *gast.HTMLBlock:
			return gast.WalkSkipChildren, nil
		case *gast.FencedCodeBlock, *gast.CodeBlock:
			space()
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				b.Write(seg.Value(src))
			}
			return gast.WalkSkipChildren, nil
		case *east.TableCell:
			space()
		case *east.TaskCheckBox:
		default:
			if n.Type() == gast.TypeBlock {
				space()
			}
		}
		return gast.WalkContinue, nil
	})
	return strings.Join(strings.Fields(b.String()), " ")
}
