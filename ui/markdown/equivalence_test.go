package markdown

import (
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"charm.land/glamour/v2/styles"
	xansi "github.com/charmbracelet/x/ansi"
)

// The central promise of the package: a streamed message, once finished,
// renders exactly like a full render of its text.

// normalize makes lines comparable: it re-applies the trim, which is
// idempotent. Nothing else is folded: with the terminal16m formatter chroma's
// colours are deterministic (see NewRenderer), so styled lines must match
// byte for byte.
func normalize(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = trimLine(l)
	}
	return out
}

// diffLines reports the first difference between two renders, with the
// visible text around it, or "" if they are equal.
func diffLines(want, got []string) string {
	want, got = normalize(want), normalize(got)
	if slices.Equal(want, got) {
		return ""
	}
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	var b strings.Builder
	fmt.Fprintf(&b, "lines: want %d, got %d; first difference at line %d\n", len(want), len(got), i)
	for j := max(0, i-3); j < i+4; j++ {
		var w, g string
		if j < len(want) {
			w = xansi.Strip(want[j])
		}
		if j < len(got) {
			g = xansi.Strip(got[j])
		}
		mark := " "
		if j < len(want) && j < len(got) && want[j] != got[j] || (j < len(want)) != (j < len(got)) {
			mark = "!"
		}
		fmt.Fprintf(&b, "%s%3d want %q\n%s    got  %q\n", mark, j, w, mark, g)
	}
	if i < len(want) && i < len(got) {
		fmt.Fprintf(&b, "styled want %q\nstyled got  %q\n", want[i], got[i])
	}
	return b.String()
}

func sortedKeys[M ~map[string]V, V any](m M) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func TestFinishedEqualsFullRender(t *testing.T) {
	docs := map[string]string{"llm-64KB": llmReply(64 << 10)}
	for k, v := range corpus {
		docs[k] = v
	}
	for k, v := range refCorpus {
		docs[k] = v
	}
	for _, width := range []int{80, 38} {
		r := newRenderer(t, width)
		for _, name := range sortedKeys(docs) {
			doc := docs[name]
			want := r.Render(doc)
			for _, cut := range sortedKeys(chunkers) {
				if len(doc) > 8<<10 && (cut == "1B" || cut == "3B") {
					continue // a render of the open block every few bytes of 64 KB: the short documents cover it
				}
				t.Run(fmt.Sprintf("w%d/%s/%s", width, name, cut), func(t *testing.T) {
					s := stream(r, chunkers[cut](doc))
					if d := diffLines(want, s.Finish()); d != "" {
						t.Fatalf("streamed render differs from full render:\n%s", d)
					}
					if d := diffLines(want, s.Lines()); d != "" {
						t.Fatalf("Lines after Finish differs:\n%s", d)
					}
					if s.Text() != doc {
						t.Fatalf("Text() lost bytes")
					}
				})
			}
		}
	}
}

// Every pair of block kinds, split at the blank line between them, must join
// the way a full render joins them (the gap after a block depends on its kind).
func TestGapsMatchFullRender(t *testing.T) {
	kinds := map[string]string{
		"para": "A paragraph.", "h1": "# H1", "h3": "### H3", "setext": "Title\n=====",
		"bullets": "- a\n- b", "ordered": "1. a\n2. b", "loose": "1. a\n\n   more\n\n2. b",
		"list-fence": "1. x\n\n   ```\n   y\n   ```", "list-quote": "- a\n\n  > q",
		"nested-fence": "- a\n  - b\n\n    ```\n    c\n    ```", "deflist": "Term\n\n: def",
		"code": "```go\nx := 1\n```", "tilde": "~~~\nraw\n~~~", "quote": "> q\n> r",
		"table": "| a | b |\n|---|---|\n| 1 | 2 |", "rule": "---", "task": "- [x] done",
	}
	r := newRenderer(t, 50)
	for _, a := range sortedKeys(kinds) {
		for _, b := range sortedKeys(kinds) {
			doc := kinds[a] + "\n\n" + kinds[b] + "\n\nEnd.\n"
			s := stream(r, chunkers["lines"](doc))
			if d := diffLines(r.Render(doc), s.Finish()); d != "" {
				t.Errorf("%s then %s:\n%s", a, b, d)
			}
		}
	}
}

// fragments are the pieces random documents are made of.
var fragments = []string{
	"Plain paragraph text.", "Two line\nparagraph.", "# Heading", "### Small heading", "Setext\n---", "Setext\n===",
	"- a\n- b", "- a\n  - nested", "1. one\n2. two", "3. three", "- loose\n\n  more", "  indented text",
	"    indented code", "```go\nx := 1\n\ny := 2\n```", "~~~\nraw\n~~~", "```\nopen?", "> quote", "> quote\n>\n> more",
	"| a | b |\n|---|---|\n| 1 | 2 |", "| 3 | 4 |", "---", "***", "Term\n: definition", "- [ ] task",
	"   1. deep item", "**bold** start", "*", "1.", "2)", "> ", "|", ":", "```", "#", "##", "<div>", "</div>",
	"[ref]: https://x", "see [ref]", "> ```\n> code\n>\n> more\n> ```", "1. item\n\n   ```\n   c\n\n   d\n   ```",
	"- a\n\n    ```\n    x\n\n    y\n    ```", "a | b\n--|--\n1 | 2", "  - indented bullet", "\tTabbed", "-\tTab bullet",
	"```\n\n\n```", "````\n```\n````", "~~~~\n~~~\n~~~~", "+ plus", "10. ten", "<!-- c", "-->", "* * *", "- - -",
	"Line with trailing spaces  \nhard break", "Para\n    lazy indented", "> a\nlazy", "1. a\n\n\n   b",
	"<details>\n<summary>x</summary>", "</details>", "<br>", "<pre>\ncode\n\nmore\n</pre>", "<script>\nx\n\ny\n</script>",
	"<div>\n\n**md inside**\n\n</div>", "<!--\n\nhidden\n\n-->", "<p align=center>hi</p>", "<img src=x>",
}

// randomDoc builds a document of 2-8 fragments with random separators.
func randomDoc(rng *rand.Rand) string {
	seps := []string{"\n", "\n\n", "\n\n", "\n\n\n", "\n \n", "\n\t\n"}
	var b strings.Builder
	for range 2 + rng.IntN(7) {
		b.WriteString(fragments[rng.IntN(len(fragments))])
		b.WriteString(seps[rng.IntN(len(seps))])
	}
	return b.String()
}

// Random documents built from block fragments with random separators and
// random chunking: the split rule and the joins must hold for neighbours no
// hand-written case thought of. (Run it with more documents when changing
// the split rule or the joins: 8,000 at widths 30 and 70 passed.)
func TestRandomDocuments(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 13))
	r := newRenderer(t, 50)
	for i := range 300 {
		doc := randomDoc(rng)
		s := stream(r, randomChunks(1, 12, uint64(i))(doc))
		if d := diffLines(r.Render(doc), s.Finish()); d != "" {
			t.Errorf("document %d %q:\n%s", i, doc, d)
		}
	}
}

// The joins are calibrated per style (Renderer.measure): check every
// built-in glamour style, including pink, whose document has no prefix or
// suffix and whose level-1 heading brings its own blank line.
func TestOtherStyles(t *testing.T) {
	for _, name := range sortedKeys(styles.DefaultStyles) {
		r, err := NewRenderer(*styles.DefaultStyles[name], 44)
		if err != nil {
			t.Fatal(err)
		}
		for _, doc := range sortedKeys(corpus) {
			s := stream(r, chunkers["rand40"](corpus[doc]))
			if d := diffLines(r.Render(corpus[doc]), s.Finish()); d != "" {
				t.Errorf("style %s, %s:\n%s", name, doc, d)
			}
		}
	}
}

// Reference definitions resolve across blocks, so block renders alone get
// them wrong; Finish falls back to one full render.
func TestReferenceDefinitionsRenderWhole(t *testing.T) {
	r := newRenderer(t, 60)
	doc := refCorpus["reference-links"]
	s := NewStream(r)
	for _, d := range fixedChunks(4)(doc) {
		s.Append(d)
	}
	streaming := strings.Join(plain(s.Lines()), "\n")
	if !strings.Contains(streaming, "[the docs][docs]") {
		t.Fatalf("expected the unresolved link while streaming, got\n%s", streaming)
	}
	if !s.needsFull {
		t.Fatal("reference definition not detected")
	}
	final := s.Finish()
	if d := diffLines(r.Render(doc), final); d != "" {
		t.Fatal(d)
	}
	if strings.Contains(strings.Join(plain(final), "\n"), "[docs]") {
		t.Fatalf("link not resolved after Finish:\n%s", strings.Join(plain(final), "\n"))
	}
}

// renderWhole draws md in one glamour call, with the document's colour
// left in and no fast path: what the package's first versions did, and the
// ground truth for the runs a Renderer draws separately.
func renderWhole(r *Renderer, md string) []string {
	w := r.Clone()
	w.md, w.docFg, w.hl.docFg = w.mdTables, "", ""
	w.fenceFrame.ok = false
	return w.Render(md)
}

// diffRetried diffs two renders, and renders both again once if they
// differ. chroma gives each lexer rule a 250 ms match timeout, and a
// process starved of CPU (a loaded machine, the race detector) can hit it:
// the code is then highlighted as plain text in that one render. A real
// difference is the same the second time; a starved render is not.
func diffRetried(want, got func() []string) string {
	if d := diffLines(want(), got()); d == "" {
		return ""
	}
	return diffLines(want(), got())
}

// A document is drawn in runs (fences, tables, what lies between), each
// alone; joined, they must be exactly one render of the whole.
func TestRunsMatchWholeRender(t *testing.T) {
	reply, err := os.ReadFile("testdata/reply-64k.md")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{"every-element": everyElement, "reply": string(reply), "llm": llmReply(16 << 10)}
	for k, v := range corpus {
		docs[k] = v
	}
	for k, v := range refCorpus {
		docs[k] = v
	}
	cfgs := allStyles()
	for _, name := range sortedKeys(cfgs) {
		for _, width := range []int{80, 37} {
			r, err := NewRenderer(cfgs[name], width)
			if err != nil {
				t.Fatal(err)
			}
			for _, doc := range sortedKeys(docs) {
				if d := diffRetried(func() []string { return renderWhole(r, docs[doc]) }, func() []string { return r.Render(docs[doc]) }); d != "" {
					t.Errorf("style %s w%d %s:\n%s", name, width, doc, d)
				}
			}
		}
	}
	rng := rand.New(rand.NewPCG(17, 19))
	r := newRenderer(t, 50)
	for i := range 300 {
		doc := randomDoc(rng)
		if d := diffRetried(func() []string { return renderWhole(r, doc) }, func() []string { return r.Render(doc) }); d != "" {
			t.Errorf("random document %d %q:\n%s", i, doc, d)
		}
	}
}
