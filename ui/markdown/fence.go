package markdown

import (
	"strings"

	gast "github.com/yuin/goldmark/ast"

	"github.com/parley-tui/parley/ui/sanitize"
)

// A block that is one fenced code block, the common case of code in a
// reply, is drawn here rather than by glamour: its rows are the
// highlighter's rows behind the code indent, between the blank lines
// glamour puts around a code block. glamour's writers (wrap, indent, pad)
// cost ~3x the highlighting, and a streaming listing would pay them for
// every line on every frame; here a frame costs its new lines.
// TestFenceFastPathMatchesGlamour checks that the rows are glamour's, byte
// for byte after trimming, for every style and many widths.

// fenceFrame is how glamour frames a code block alone in a document: blank
// lines before and after its rows, measured from a probe.
type fenceFrame struct {
	ok         bool
	pre, post  int
	rowsIndent int
}

// measureFence reads the frame of a probe render of "```\ny\n```".
func measureFence(p probeLines) fenceFrame {
	y := p.find("y")
	if y < 0 || strings.TrimSpace(p[y]) != "y" {
		return fenceFrame{}
	}
	for _, l := range p[:y] {
		if l != "" {
			return fenceFrame{}
		}
	}
	for _, l := range p[y+1:] {
		if l != "" {
			return fenceFrame{}
		}
	}
	return fenceFrame{ok: true, pre: y, post: len(p) - 1 - y, rowsIndent: strings.Index(p[y], "y")}
}

// soleFence returns the fenced code block that is all of d, if it is, and
// has content.
func soleFence(d *document) *gast.FencedCodeBlock {
	first := d.doc.FirstChild()
	if first == nil || first.NextSibling() != nil || first.Kind() != gast.KindFencedCodeBlock {
		return nil
	}
	if first.Lines().Len() == 0 {
		return nil
	}
	return first.(*gast.FencedCodeBlock)
}

// renderFence draws a block that is one fenced code block.
func (r *Renderer) renderFence(d *document, f *gast.FencedCodeBlock) rendered {
	var content strings.Builder
	lines := f.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		content.Write(seg.Value(d.src))
	}
	width := r.codeWidth(f)
	pad := strings.Repeat(" ", r.fenceFrame.rowsIndent)
	raw := make([]string, r.fenceFrame.pre, r.fenceFrame.pre+lines.Len()+r.fenceFrame.post)
	raw = append(raw, r.hl.codeRows(fenceLanguage(f, d.src), sanitize.ExpandTabs(content.String(), tabWidth), width, pad, r.provisional)...)
	raw = append(raw, make([]string, r.fenceFrame.post)...)
	return r.cut(r.fitWidth(raw), false)
}
