package markdown

import (
	"os"
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/themes"
)

// joinRows is what a copy of whole rows gives: each row's text from its
// indent, a wrapped row joined to the next with the spaces the wrap took.
func joinRows(lines []string, rows []Row) string {
	var b strings.Builder
	for i, l := range lines {
		p := strings.TrimRight(xansi.Strip(l), " ")
		b.WriteString(xansi.Cut(p, rows[i].Indent, 1<<20))
		switch {
		case i == len(lines)-1:
		case rows[i].Wrap:
			b.WriteString(strings.Repeat(" ", rows[i].Gap))
		default:
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// Every row is described, at every frame of a stream and after it.
func TestRowsDescribeEveryLine(t *testing.T) {
	md, err := os.ReadFile("testdata/reply-64k.md")
	if err != nil {
		t.Fatal(err)
	}
	text := string(md[:16<<10])
	for _, width := range []int{24, 57, 80} {
		r := newRenderer(t, width)
		s := newTestStream(r)
		for i := 0; i < len(text); i += 97 {
			s.Append(text[i:min(i+97, len(text))])
			if lines, rows := s.Lines(), s.Rows(); len(rows) != len(lines) {
				t.Fatalf("width %d, after %d bytes: %d rows described for %d lines", width, i, len(rows), len(lines))
			}
		}
		lines := s.Finish()
		if rows := s.Rows(); len(rows) != len(lines) {
			t.Fatalf("width %d, finished: %d rows described for %d lines", width, len(rows), len(lines))
		}
		full, rows := r.RenderRows(text)
		if len(rows) != len(full) {
			t.Fatalf("width %d, full render: %d rows described for %d lines", width, len(rows), len(full))
		}
	}
}

// A paragraph is one line of text however many rows it takes, and a long
// word cut at the row's end joins back without a space.
func TestRowsJoinAParagraphBack(t *testing.T) {
	para := "Parley keeps finished blocks frozen and cached by width and theme, renders only the open tail " +
		"of the message, and coalesces bursts of deltas into at most one repaint per frame, " +
		"so that a fast model feels smooth."
	for width := 20; width <= 90; width += 7 {
		r := newRenderer(t, width)
		lines, rows := r.RenderRows(para)
		if len(lines) < 2 {
			t.Fatalf("width %d: the paragraph took %d row", width, len(lines))
		}
		if got := joinRows(lines, rows); got != para {
			t.Errorf("width %d: joined back as\n%q\nwant\n%q", width, got, para)
		}
	}
	long := "see " + strings.Repeat("abcdefghij", 5) + " end"
	r := newRenderer(t, 30)
	lines, rows := r.RenderRows(long)
	if got := joinRows(lines, rows); got != long {
		t.Errorf("a word longer than a row joined back as %q, want %q", got, long)
	}
}

// Code is kept verbatim: a long line wrapped on screen is one line again,
// with its indent and the spaces at its break; the margin is not copied.
func TestRowsKeepCodeVerbatim(t *testing.T) {
	code := "func main() {\n\tif err := run(os.Args[1:]); err != nil {\n" +
		"\t\tfmt.Fprintln(os.Stderr, \"parley: something went wrong while reading the configuration file\", err)\n" +
		"\t}\n\n\t//  two  spaces  between  words  stay  two  spaces  when  the  line  wraps  on  screen\n}"
	want := strings.ReplaceAll(code, "\t", "    ")
	for _, width := range []int{40, 53, 66, 120} {
		r := newRenderer(t, width)
		s := newTestStream(r)
		s.Append("Before.\n\n```go\n" + code + "\n```\n\nAfter.")
		lines := s.Finish()
		rows := s.Rows()
		var codeLines []string
		var codeRows []Row
		for i, row := range rows {
			if row.Kind == RowCode {
				codeLines, codeRows = append(codeLines, lines[i]), append(codeRows, row)
			}
		}
		if got := joinRows(codeLines, codeRows); got != want {
			t.Errorf("width %d: code joined back as\n%s\nwant\n%s", width, got, want)
		}
		if width < 100 && len(codeLines) <= strings.Count(code, "\n")+1 {
			t.Errorf("width %d: no code line wrapped (%d rows)", width, len(codeLines))
		}
	}
}

// List items, nested items and quotes: each item is one line, its bullet
// kept, its nesting kept; a quote's bar is not text.
func TestRowsListsAndQuotes(t *testing.T) {
	pal, err := themes.ByName("dark")
	if err != nil {
		t.Fatal(err)
	}
	md := "- item one that is long enough to wrap around the width of the screen\n- item two\n" +
		"  - a nested item that also wraps around the width of the screen\n\n" +
		"> a quote that is long enough to wrap around the width of the screen too\n"
	want := "• item one that is long enough to wrap around the width of the screen\n• item two\n" +
		"  • a nested item that also wraps around the width of the screen\n\n" +
		"a quote that is long enough to wrap around the width of the screen too"
	for _, style := range []string{"glamour", "parley"} {
		// (At 30 columns glamour wraps the quote twice and leaves a word
		// without its bar: not a row a copy can tell apart.)
		for _, width := range []int{34, 41, 50} {
			r := newRenderer(t, width)
			if style == "parley" {
				if r, err = NewRenderer(themes.NewStyles(pal).Markdown, width); err != nil {
					t.Fatal(err)
				}
			}
			s := newTestStream(r)
			s.Append(md)
			lines := s.Finish()
			// glamour leaves two blank rows after a list; one is enough here.
			got := strings.ReplaceAll(joinRows(lines, s.Rows()), "\n\n\n", "\n\n")
			if strings.TrimSpace(got) != want {
				t.Errorf("%s style, width %d: joined back as\n%s\nwant\n%s", style, width, got, want)
			}
		}
	}
}

// Blocks are numbered in order; the rows of a code block share a number
// that no other row has.
func TestRowsNumberBlocks(t *testing.T) {
	r := newRenderer(t, 50)
	s := newTestStream(r)
	s.Append("# Title\n\nA paragraph.\n\n```\na\n\nb\n```\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\nLast.")
	s.Finish()
	last := -1
	kinds := map[int]RowKind{}
	for i, row := range s.Rows() {
		if row.Kind == RowBlank {
			if row.Block != -1 {
				t.Errorf("row %d: blank row in block %d", i, row.Block)
			}
			continue
		}
		if row.Block < last || row.Block > last+1 {
			t.Errorf("row %d: block %d after block %d", i, row.Block, last)
		}
		if k, ok := kinds[row.Block]; ok && k != row.Kind {
			t.Errorf("row %d: block %d has rows of kinds %d and %d", i, row.Block, k, row.Kind)
		}
		kinds[row.Block], last = row.Kind, row.Block
	}
	want := []RowKind{RowText, RowText, RowCode, RowTable, RowText}
	if len(kinds) != len(want) {
		t.Fatalf("%d blocks, want %d: %v", len(kinds), len(want), kinds)
	}
	for b, k := range want {
		if kinds[b] != k {
			t.Errorf("block %d is of kind %d, want %d", b, kinds[b], k)
		}
	}
}
