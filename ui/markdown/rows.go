package markdown

import (
	"strings"
	"unicode/utf8"

	xansi "github.com/charmbracelet/x/ansi"
	gast "github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// A caller that copies text from the screen (a mouse selection) needs to
// know more of a row than its cells: which block it belongs to, what kind
// of block, which columns are margin, and whether the row ends a line of
// the source or only a line of the screen. Rows gives that, one Row per
// rendered row, computed with the rows and cached with them, so a frame
// pays nothing more for it than the rows' own cost:
//   - code drawn here (fence.go) is described exactly: the wrap of every
//     code line is known where it is made (codeBreaks);
//   - rows glamour wraps are read back: a paragraph or heading is one line
//     of text however many rows it takes (glamour folds soft and hard
//     breaks into spaces); in a list or a quote a row goes on on the next
//     one when that row hangs at the same column without a marker and the
//     word it starts would not have fitted (a word wrapper breaks a line
//     only there).

// RowKind says what a rendered row shows.
type RowKind uint8

const (
	// RowBlank is an empty row: the gap between blocks.
	RowBlank RowKind = iota
	// RowText is prose: a paragraph, heading, list item, quote, rule.
	RowText
	// RowCode is a code line, or part of a long one.
	RowCode
	// RowTable is a table's row or rule.
	RowTable
)

// Row describes one rendered row.
type Row struct {
	Kind RowKind
	// Block numbers the blocks of the message from 0, in order: the rows
	// of a code block, a table, a paragraph share theirs. A blank row has
	// -1. In a part glamour draws whole (a list with a paragraph after it
	// and no blank line between) a blank row starts the next number.
	Block int
	// Indent is how many columns at the row's start are not its text: the
	// margin and quote bars; on a row that goes on from the row above, its
	// hanging indent too (a list item's text column, a code line's indent
	// repeated). A copy starts there.
	Indent int
	// Wrap says the row's line goes on on the next row: the break is the
	// screen's, not a newline of the source. Gap is how many spaces the
	// wrap took out, which a copy puts back (0 inside a long word).
	Wrap bool
	Gap  int
}

// Rows describes the rows the last call of Lines (or Finish) returned, one
// Row each. The slice is reused like Lines'.
func (s *Stream) Rows() []Row {
	if s.finished && s.done == len(s.blocks) && (!s.needsFull || s.full != nil) {
		if s.needsFull {
			return s.full.rows
		}
		return s.rows[:s.committed]
	}
	return s.rows
}

// RenderRows is Render with a description of each row.
func (r *Renderer) RenderRows(md string) ([]string, []Row) {
	rb := r.renderBlock(md)
	return rb.lines, rb.rows
}

// appendRowsOf appends a block's row descriptions behind rows, after blank
// blank rows, numbering its blocks after those rows already have. A block
// without descriptions (none made) gets plain text rows.
func appendRowsOf(rows []Row, blank int, b rendered) []Row {
	next := 0
	for i := len(rows) - 1; i >= 0; i-- {
		if rows[i].Block >= 0 {
			next = rows[i].Block + 1
			break
		}
	}
	for range blank {
		rows = append(rows, Row{Kind: RowBlank, Block: -1})
	}
	if len(b.rows) != len(b.lines) {
		for range b.lines {
			rows = append(rows, Row{Kind: RowText, Block: next})
		}
		return rows
	}
	n := len(rows)
	rows = append(rows, b.rows...)
	if next > 0 {
		for i := n; i < len(rows); i++ {
			if rows[i].Block >= 0 {
				rows[i].Block += next
			}
		}
	}
	return rows
}

// blankRows returns n blank row descriptions.
func blankRows(n int) []Row {
	rows := make([]Row, n)
	for i := range rows {
		rows[i] = Row{Kind: RowBlank, Block: -1}
	}
	return rows
}

// codeRowsOf describes the rows of one code line, text, cut at breaks
// behind pad columns; n is how many rows the line took (more than the
// breaks when a character wider than the row was cut again). A row's
// trailing spaces are trimmed (trim.go), so they count in the gap.
func codeRowsOf(dst []Row, text string, breaks []codeBreak, pad, n int) []Row {
	for k := range n {
		row := Row{Kind: RowCode, Indent: pad, Wrap: k < n-1}
		if n == len(breaks) {
			br := breaks[k]
			row.Indent += br.pad
			if k+1 < n {
				row.Gap = breaks[k+1].start - len(strings.TrimRight(text[br.start:br.end], " ")) - br.start
			}
		}
		dst = append(dst, row)
	}
	return dst
}

// proseRows describes rows glamour drew. kind is the block's kind when the
// rows are one top-level block's, else 0.
func (r *Renderer) proseRows(lines []string, kind gast.NodeKind) []Row {
	return describe(lines, kind, r.textIndent, r.textIndent+r.textWidth)
}

// Wrapped describes rows of plain text a word wrapper (xansi.Wrap) cut at
// width columns: a row goes on on the next when the next row's first word
// would not have fitted on it. Lists and quote bars are read as in a
// render. Without the source it is a guess: a line of the source that
// ended just short of the width reads as wrapped.
func Wrapped(lines []string, width int) []Row { return describe(lines, 0, 0, width) }

// describe is proseRows for rows whose text starts margin columns in and
// wraps before column edge.
func describe(lines []string, kind gast.NodeKind, margin, edge int) []Row {
	rows := make([]Row, len(lines))
	plain := make([]string, len(lines))
	block, blank := -1, true
	rowKind := RowText
	switch kind {
	case east.KindTable:
		rowKind = RowTable
	case gast.KindCodeBlock, gast.KindFencedCodeBlock:
		rowKind = RowCode
	}
	for i, l := range lines {
		p := strings.TrimRight(xansi.Strip(l), " ")
		plain[i] = p
		if p == "" {
			rows[i] = Row{Kind: RowBlank, Block: -1}
			blank = true
			continue
		}
		if blank {
			block++
		}
		blank = false
		rows[i] = Row{Kind: rowKind, Block: block, Indent: min(margin, leadingSpaces(p))}
	}
	switch kind {
	case east.KindTable, gast.KindThematicBreak, gast.KindHTMLBlock, gast.KindCodeBlock, gast.KindFencedCodeBlock:
		return rows // every row is a line of its own
	}
	one := kind == gast.KindParagraph || kind == gast.KindHeading
	var line layout // where the line the row belongs to starts
	for i := range rows {
		if rows[i].Kind == RowBlank {
			continue
		}
		at := layoutOf(plain[i])
		if i > 0 && rows[i-1].Wrap {
			rows[i].Indent = at.text
		} else {
			line = at
			switch {
			case one:
				rows[i].Indent = leadingSpaces(plain[i])
			case at.bars != "":
				rows[i].Indent = at.barsEnd
			}
		}
		if i+1 >= len(rows) || rows[i+1].Kind == RowBlank {
			continue
		}
		next := layoutOf(plain[i+1])
		rest := plain[i+1][byteOffset(plain[i+1], next.text):]
		w, fw := textWidth(plain[i]), textWidth(firstWord(rest))
		// glamour starts a list item's next row under its marker, a row
		// it drew too wide (wide.go) under its text.
		hangs := !next.marker && next.bars == line.bars && (next.text == line.text || next.text == line.lead)
		if !one && (!hangs || w+1+fw <= edge) {
			continue // a line of its own: the next word would have fitted
		}
		rows[i].Wrap, rows[i].Gap = true, 1
		if w >= edge-1 && textWidth(lastWord(plain[i][byteOffset(plain[i], line.text):]))+fw > edge-line.text {
			rows[i].Gap = 0 // a word longer than a row, cut where the row ended
		}
	}
	return rows
}

// layout is how a plain row starts: its quote bars ("" without; else the
// row up to its last bar), the column after them and the space that
// follows, the column of its list marker ("• ", "2. ") if it has one, and
// the column its text starts at.
type layout struct {
	bars       string
	barsEnd    int
	lead, text int
	marker     bool
}

func layoutOf(p string) layout {
	var l layout
	n := len(p) - len(strings.TrimLeft(p, " │"))
	if i := strings.LastIndex(p[:n], "│"); i >= 0 {
		l.bars = p[:i+len("│")]
		l.barsEnd = textWidth(l.bars)
		if strings.HasPrefix(p[i+len("│"):], " ") {
			l.barsEnd++
		}
	}
	l.lead = textWidth(p[:n])
	m := listMarker(p[n:])
	l.text, l.marker = l.lead+m, m > 0
	return l
}

// leadingSpaces counts the spaces a plain row starts with.
func leadingSpaces(p string) int { return len(p) - len(strings.TrimLeft(p, " ")) }

// byteOffset is the byte index of column col in a plain row.
func byteOffset(p string, col int) int {
	w := 0
	for i, r := range p {
		if w >= col {
			return i
		}
		if r < utf8.RuneSelf {
			w++
		} else {
			w += xansi.StringWidth(string(r))
		}
	}
	return len(p)
}

// firstWord is s up to its first space.
func firstWord(s string) string {
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i]
	}
	return s
}

// lastWord is s after its last space.
func lastWord(s string) string { return s[strings.LastIndexByte(s, ' ')+1:] }
