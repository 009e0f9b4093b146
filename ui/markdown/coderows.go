package markdown

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/alecthomas/chroma/v2"
	xansi "github.com/charmbracelet/x/ansi"
	gast "github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/parley-tui/parley/ui/sanitize"
)

// Code lines are wrapped here, before glamour sees them: glamour wraps a
// long code line at its width and starts the rest at the block's margin,
// so an indented line's continuation lost its indent (and with tabs,
// measured as one column, lines came out wider than the screen).

// injectCode replaces a code block's lines with their highlighted, wrapped
// rows, appended to src. glamour draws code it does not highlight as one
// styled token, so the rows reach the output as they are.
func (r *Renderer) injectCode(n gast.Node, src []byte) []byte {
	var lang string
	if f, ok := n.(*gast.FencedCodeBlock); ok {
		lang = fenceLanguage(f, src)
		f.Info = nil
	}
	var content strings.Builder
	lines := n.Lines()
	for i := range lines.Len() {
		seg := lines.At(i)
		content.Write(seg.Value(src))
	}
	width := 1 << 30 // a probe measures where glamour breaks a line
	if !r.probing {
		width = r.codeWidth(n)
	}
	var b strings.Builder
	rows, _ := r.hl.codeRows(lang, sanitize.ExpandTabs(content.String(), tabWidth), width, "", r.provisional)
	for _, row := range rows {
		b.WriteString(row)
		b.WriteByte('\n')
	}
	// glamour unescapes markdown backslash escapes even in code it does not
	// highlight ("\\." becomes "."); doubled, every backslash survives.
	s := strings.ReplaceAll(b.String(), `\`, `\\`)
	start := len(src)
	src = append(src, s...)
	segs := text.NewSegments()
	segs.Append(text.NewSegment(start, len(src)))
	n.SetLines(segs)
	return src
}

// fenceLanguage is the first word of a fence's info string.
func fenceLanguage(f *gast.FencedCodeBlock, src []byte) string {
	return strings.ToLower(string(f.Language(src)))
}

// codeRows returns the rows of content's lines, wrapped at width, each
// behind pad and trimmed, and their descriptions (rows.go). A provisional
// render reuses the rows of the lines the cache has confirmed, so a frame
// costs the block's new lines.
func (h *highlighter) codeRows(lang, content string, width int, pad string, provisional bool) ([]string, []Row) {
	lines, st := h.codeLines(lang, content, provisional)
	cached := 0
	if st != nil {
		if st.width != width || st.pad != pad {
			st.rows, st.desc, st.width, st.pad = nil, nil, width, pad
		}
		cached = min(len(st.rows), len(st.lines))
	}
	out := make([]string, 0, len(lines)+8)
	desc := make([]Row, 0, len(lines)+8)
	if st != nil {
		for i := range cached {
			out = append(out, st.rows[i]...)
			desc = append(desc, st.desc[i]...)
		}
	}
	for i := cached; i < len(lines); i++ {
		rows, breaks, text := h.appendRows(nil, lines[i], width)
		for k, row := range rows {
			rows[k] = trimStyled(pad+row, h.docFg)
		}
		if w := len(pad) + width; slices.ContainsFunc(rows, func(r string) bool { return len(r) > w && visibleWidth(r) > w }) {
			rows = fitRows(rows, w, h.docFg) // a character wider than the row
		}
		n := len(desc)
		desc = codeRowsOf(desc, text, breaks, len(pad), len(rows))
		out = append(out, rows...)
		if st != nil && i < len(st.lines) && i == len(st.rows) {
			st.rows = append(st.rows, rows)
			st.desc = append(st.desc, desc[n:len(desc):len(desc)])
		}
	}
	return out, desc
}

// appendRows appends the rows of one lexed line, wrapped at width columns:
// continuation rows start at the line's own indent, so wrapped code keeps
// its shape. Each row is styled on its own and ends with a reset. The
// breaks say where each row's text is in the line's text, also returned.
func (h *highlighter) appendRows(dst []string, line []token, width int) ([]string, []codeBreak, string) {
	type span struct{ sgr, text string }
	spans := make([]span, 0, len(line))
	var plain strings.Builder
	for _, t := range line {
		v := strings.TrimSuffix(t.value, "\n")
		if v == "" {
			continue
		}
		plain.WriteString(v)
		sgr := h.spanSGR(t.typ)
		if n := len(spans); n > 0 && spans[n-1].sgr == sgr {
			spans[n-1].text += v
		} else {
			spans = append(spans, span{sgr, v})
		}
	}
	text := plain.String()
	breaks := codeBreaks(text, width)
	for _, br := range breaks {
		var row strings.Builder
		row.WriteString(strings.Repeat(" ", br.pad))
		off := 0
		for _, sp := range spans {
			lo, hi := max(br.start-off, 0), min(br.end-off, len(sp.text))
			off += len(sp.text)
			if lo >= hi {
				continue
			}
			row.WriteString(sp.sgr)
			row.WriteString(sp.text[lo:hi])
			if sp.sgr != "" {
				row.WriteString(sgrReset)
			}
		}
		dst = append(dst, row.String())
	}
	return dst, breaks, text
}

// spanSGR is the SGR that starts a token of type tt.
func (h *highlighter) spanSGR(tt chroma.TokenType) string {
	if h.style == nil {
		return h.plain
	}
	return h.sgrOf(tt)
}

// codeBreak is one row of a wrapped code line: p[start:end], after pad
// spaces.
type codeBreak struct{ start, end, pad int }

// codeBreaks cuts a code line into rows of at most width columns. A row
// breaks after the last space that leaves it at least half full, else at
// the width; continuation rows repeat the line's indent (when it leaves room
// for text) and drop the spaces at the break.
func codeBreaks(p string, width int) []codeBreak {
	width = max(width, 1)
	if len(p) <= width || xansi.StringWidth(p) <= width {
		return []codeBreak{{0, len(p), 0}}
	}
	indent := len(p) - len(strings.TrimLeft(p, " "))
	if indent > width/2 {
		indent = 0
	}
	var out []codeBreak
	start, pad := 0, 0
	for start < len(p) {
		avail := width - pad
		end, cols, lastSpace := start, 0, -1
		for end < len(p) {
			r, size := utf8.DecodeRuneInString(p[end:])
			w := 1
			if r >= utf8.RuneSelf {
				w = xansi.StringWidth(p[end : end+size])
			}
			if cols+w > avail {
				break
			}
			if r == ' ' && cols >= avail/2 {
				lastSpace = end
			}
			cols += w
			end += size
		}
		if end == start { // a character wider than the row: take it anyway
			_, size := utf8.DecodeRuneInString(p[end:])
			end += size
		}
		next := end
		if end < len(p) && lastSpace > start {
			end, next = lastSpace, lastSpace
		}
		out = append(out, codeBreak{start, end, pad})
		for next < len(p) && p[next] == ' ' {
			next++
		}
		start, pad = next, indent
	}
	return out
}

// codeWidth returns the columns glamour gives a code block's text where n
// sits (top level, in a list, in a quote...), measured once per nesting.
func (r *Renderer) codeWidth(n gast.Node) int {
	return r.codeWidthFor(containers(n))
}

// codeWidthFor is codeWidth for the nesting sig (see containers).
func (r *Renderer) codeWidthFor(sig string) int {
	if w, ok := r.codeWidths[sig]; ok {
		return w
	}
	w := r.probeCodeWidth(sig)
	r.codeWidths[sig] = w
	return w
}

// containers names the blocks around n, outermost first: B and O for
// bullet and ordered lists, Q for quotes, D for definitions.
func containers(n gast.Node) string {
	var sig []byte
	for p := n.Parent(); p != nil && p.Kind() != gast.KindDocument; p = p.Parent() {
		switch p.Kind() {
		case gast.KindList:
			if p.(*gast.List).IsOrdered() {
				sig = append(sig, 'O')
			} else {
				sig = append(sig, 'B')
			}
		case gast.KindBlockquote:
			sig = append(sig, 'Q')
		case east.KindDefinitionDescription:
			sig = append(sig, 'D')
		case gast.KindListItem:
		default:
			sig = append(sig, '?')
		}
	}
	for i, j := 0, len(sig)-1; i < j; i, j = i+1, j-1 {
		sig[i], sig[j] = sig[j], sig[i]
	}
	return string(sig)
}

// probeCodeWidth renders a fence inside the containers of sig: a short
// line shows where its text starts, and a long word where glamour breaks
// it (glamour wraps the block's rows with the code's indent in them).
func (r *Renderer) probeCodeWidth(sig string) int {
	guess := max(r.width-r.codeIndent-2*len(sig), 1)
	if strings.ContainsRune(sig, '?') {
		return guess
	}
	lines := []string{"```", "y", strings.Repeat("w", 3*r.width+8), "```"}
	for i := len(sig) - 1; i >= 0; i-- {
		switch sig[i] {
		case 'B':
			lines = prefixLines(lines, "- ", "  ")
		case 'O':
			lines = prefixLines(lines, "1. ", "   ")
		case 'Q':
			lines = prefixLines(lines, "> ", "> ")
		case 'D':
			lines = append([]string{"Term"}, prefixLines(lines, ": ", "  ")...)
		}
	}
	r.probing = true
	out, _, err := r.render(r.parse(strings.Join(lines, "\n")))
	r.probing = false
	if err != nil {
		return guess
	}
	textAt := -1
	for l := range strings.SplitSeq(xansi.Strip(out), "\n") {
		l = strings.TrimRight(l, " ")
		if strings.HasSuffix(l, " y") && textAt < 0 {
			textAt = len(l) - 1
		}
		if i := strings.Index(l, "www"); i >= 0 && textAt >= 0 {
			return max(len(l)-textAt, 1)
		}
	}
	return guess
}

func prefixLines(lines []string, first, rest string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		if i == 0 {
			out[i] = first + l
		} else {
			out[i] = rest + l
		}
	}
	return out
}
