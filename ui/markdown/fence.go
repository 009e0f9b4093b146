package markdown

import (
	"strings"
	"time"

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
	return r.renderFenceContent(fenceLanguage(f, d.src), content.String())
}

// renderFenceContent draws a fence of the given language and content (its
// lines, each ending in a newline), alone in its block.
func (r *Renderer) renderFenceContent(lang, content string) rendered {
	return r.fenceRows(lang, sanitize.ExpandTabs(content, tabWidth))
}

// fenceRows is renderFenceContent for content with its tabs expanded.
func (r *Renderer) fenceRows(lang, content string) rendered {
	pad := strings.Repeat(" ", r.fenceFrame.rowsIndent)
	rows, desc := r.hl.codeRows(lang, content, r.codeWidthFor(""), pad, r.provisional)
	raw := make([]string, r.fenceFrame.pre, r.fenceFrame.pre+len(rows)+r.fenceFrame.post)
	raw = append(raw, rows...)
	raw = append(raw, make([]string, r.fenceFrame.post)...)
	all := append(blankRows(r.fenceFrame.pre), desc...)
	all = append(all, blankRows(r.fenceFrame.post)...)
	return r.cut(raw, all, false) // code rows are trimmed and fitted already
}

// openFence renders the open block when it is one fence still being
// written, from the text as the Stream split it, without parsing it again:
// what renderBlock would draw of the provisional text, at the cost of the
// lines that are new (the highlighter's cache). ok is false when the block
// is not such a fence.
func (s *Stream) openFence() (rb rendered, exact, ok bool) {
	if !s.fence || s.fenceAt != s.blockStart || s.open.indent != 0 || !s.r.fenceFrame.ok {
		return rendered{}, false, false
	}
	text := s.text.String()
	// Tabs expand line by line, so the complete lines are expanded once.
	if s.fenceExpAt < s.codeStart {
		s.fenceExp, s.fenceExpAt = "", s.codeStart
	}
	if s.fenceExpAt < s.scanned {
		s.fenceExp += sanitize.ExpandTabs(text[s.fenceExpAt:s.scanned], tabWidth)
		s.fenceExpAt = s.scanned
	}
	content, last := s.fenceExp, text[s.scanned:]
	if last != "" && !mayClose(s.open, last) {
		content += sanitize.ExpandTabs(last, tabWidth) + "\n"
	}
	if content == "" {
		return rendered{}, false, false
	}
	opener := strings.TrimLeft(text[s.fenceAt:s.codeStart-1], " ")
	info := strings.TrimSpace(opener[s.open.length:])
	lang, _, _ := strings.Cut(info, " ")
	began := time.Now()
	s.r.provisional, s.r.hl.inexact = true, false
	s.r.renders++
	rb = s.r.fenceRows(strings.ToLower(lang), content)
	exact = !s.r.hl.inexact
	s.r.provisional = false
	s.provRenders++
	s.provElapsed += time.Since(began)
	return rb, exact, true
}
