package markdown

import (
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"

	"github.com/parley-tui/parley/themes"
)

// narrowList is the kind of list a reply has: long items, nested items,
// numbered steps with code, a link that wraps, a quote with a list.
const narrowList = "Each frame does three things:\n\n" +
	"- Each frame ends with a blank line so that the next block starts cleanly below it\n" +
	"- **Rendering**: the open block is drawn again only when its text changed since the last frame\n" +
	"  - nested items wrap under their own bullet and keep every word they have\n" +
	"- See [the performance notes](https://example.com/docs/performance/streaming-markdown) for figures\n\n" +
	"1. Measure before optimising; profiles often surprise you with what they show\n" +
	"2. Run `go test -bench BenchmarkStreamReply -benchtime 3x ./ui/markdown`\n" +
	"10. Numbers of two digits keep their text too, all the way to the end\n\n" +
	"> - a list in a quote wraps inside the quote and loses nothing at all\n\n" +
	// The demo's markdown script: glamour draws the nested bullets one
	// column wider than its width, and the screen cut them with "…".
	"1. **Bytes arrive** on the HTTP body as `text/event-stream`.\n   - Each frame ends with a blank line.\n" +
	"   - A frame has an `event:` line and a `data:` line.\n2. **Events become UI messages** that the root model routes:\n" +
	"   - text deltas go to the open message;\n   - usage lands in the status bar.\n"

// words returns the words of rendered rows, without list bullets and quote
// bars.
func words(rows []string) []string {
	var out []string
	for _, r := range rows {
		for _, w := range strings.Fields(xansi.Strip(r)) {
			if w != "•" && w != "│" {
				out = append(out, w)
			}
		}
	}
	return out
}

// At 40 columns (37 for the text, beside the gutter) a list item wraps; it
// is never cut: every row fits, and every word of the source is on screen,
// in order (issue 17).
func TestNarrowListKeepsEveryWord(t *testing.T) {
	pal, err := themes.ByName("dark")
	if err != nil {
		t.Fatal(err)
	}
	style := themes.NewStyles(pal).Markdown
	// The words a reader should see: the source without its markup.
	want := strings.Fields(strings.NewReplacer("**", "", "`", "", "[", "", "](https://example.com/docs/performance/streaming-markdown)", "",
		"- ", "", "> ", "", "1. ", "", "2. ", "", "10. ", "").Replace(narrowList))
	for _, width := range []int{37, 38, 40, 30, 24} {
		r, err := NewRenderer(style, width)
		if err != nil {
			t.Fatal(err)
		}
		check := func(what string, rows []string) {
			t.Helper()
			for _, l := range rows {
				if w := xansi.StringWidth(l); w > width {
					t.Errorf("w%d %s: row of %d columns: %q", width, what, w, xansi.Strip(l))
				}
				if strings.Contains(l, "…") {
					t.Errorf("w%d %s: row cut: %q", width, what, xansi.Strip(l))
				}
			}
		}
		rows := r.Render(narrowList)
		check("render", rows)
		// The words, in order: a word may be cut at a row's end (a long
		// URL, a path), the link's destination follows its text, and the
		// list is numbered from its start.
		got := strings.Join(words(rows), "")
		for _, drop := range []string{"https://example.com/docs/performance/streaming-markdown", "1.", "2.", "3.", "1.", "2."} {
			got = strings.Replace(got, drop, "", 1)
		}
		if got != strings.Join(want, "") {
			t.Errorf("w%d: words lost or changed:\n got %q\nwant %q", width, got, strings.Join(want, ""))
		}
		s := newTestStream(r)
		for _, d := range randomChunks(3, 12, 2)(narrowList) {
			s.Append(d)
			check("frame", s.Lines())
		}
		if width == 37 {
			golden.RequireEqual(t, []byte(strings.Join(plain(s.Finish()), "\n")+"\n"))
		}
	}
}

// midStream is a reply with a list, a table and code, for the goldens of
// what a frame shows while each of them streams.
const midStream = "## Streaming **markdown**\n\nThe open block renders *as it grows*, with `inline code`.\n\n" +
	"- first item, complete\n- second item with **bold** and `code`\n- third item still being written\n\n" +
	"| Strategy | Renders | Notes |\n|---|---:|---|\n| plain tail | 301 | raw until the block closes |\n" +
	"| live tail | 531 | rendered as it grows |\n| naive | 3,228 | everything every delta |\n\n" +
	"```go\nfunc render(s *Stream) []string {\n\tfor _, d := range deltas {\n\t\ts.Append(d)\n\t}\n\treturn s.Lines()\n}\n```\n\nDone.\n"

// The goldens show frames cut in the middle of each kind of block (issue
// 15): the list item being written is a list item, the table shows the
// rows that are complete, the code being written is highlighted code; none
// shows markdown syntax.
func TestGoldenMidStream(t *testing.T) {
	r := newRenderer(t, 60)
	cuts := []struct{ name, after string }{
		{"heading and paragraph", "with `inline co"},
		{"list item being written", "- third item still be"},
		{"table, a row being written", "| live tail | 531 | rend"},
		{"code being written", "\t\ts.Appe"},
	}
	var b strings.Builder
	for _, c := range cuts {
		n := strings.Index(midStream, c.after) + len(c.after)
		s := newTestStream(r)
		for _, d := range randomChunks(5, 15, 1)(midStream[:n]) {
			s.Append(d)
			s.Lines()
		}
		b.WriteString("--- " + c.name + " (after " + strings.ReplaceAll(c.after, "\t", "\\t") + ")\n")
		for _, l := range plain(s.Lines()) {
			b.WriteString(l + "\n")
		}
	}
	golden.RequireEqual(t, []byte(b.String()))
}

// However narrow, nothing panics and no row is wider than the renderer.
func TestTinyWidths(t *testing.T) {
	doc := everyElement + "\n\n" + narrowList + "\n\n" + corpus["emoji-cjk"]
	pal, err := themes.ByName("dark")
	if err != nil {
		t.Fatal(err)
	}
	for width := 1; width <= 12; width++ {
		r, err := NewRenderer(themes.NewStyles(pal).Markdown, width)
		if err != nil {
			t.Fatal(err)
		}
		s := newTestStream(r)
		for _, d := range randomChunks(20, 60, uint64(width))(doc) {
			s.Append(d)
			s.Lines()
		}
		for _, l := range s.Finish() {
			if w := xansi.StringWidth(l); w > max(width, 2) { // a wide character takes two columns
				t.Errorf("w%d: row of %d columns: %q", width, w, xansi.Strip(l))
			}
		}
	}
}
