package markdown

import (
	"slices"
	"strings"
	"testing"
	"time"

	"charm.land/glamour/v2/styles"
	xansi "github.com/charmbracelet/x/ansi"
)

func newRenderer(t testing.TB, width int) *Renderer {
	t.Helper()
	r, err := NewRenderer(styles.DarkStyleConfig, width)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// newTestStream returns a Stream whose clock moves an hour per reading, so
// that no render of the open block is put off (provDuty).
func newTestStream(r *Renderer) *Stream {
	s := NewStream(r)
	clock := time.Unix(0, 0)
	s.now = func() time.Time { clock = clock.Add(time.Hour); return clock }
	return s
}

func stream(r *Renderer, deltas []string) *Stream {
	s := newTestStream(r)
	for i, d := range deltas {
		s.Append(d)
		if i%5 == 0 {
			s.Lines() // interleave reads as a UI would
		}
	}
	return s
}

func plain(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = xansi.Strip(l)
	}
	return out
}

// While a block streams it is shown rendered, as the text so far renders:
// the open block is closed provisionally (provisional.go), and Append
// itself never renders.
func TestOpenBlockRendersAsItGrows(t *testing.T) {
	r := newRenderer(t, 60)
	s := newTestStream(r)
	steps := []struct{ delta, shows string }{
		{"# Title\n\nFirst paragraph.\n\nSecond para is still stre", "# Title\n\nFirst paragraph.\n\nSecond para is still stre"},
		// Emphasis and code being written show styled already.
		{"aming with **bold te", "# Title\n\nFirst paragraph.\n\nSecond para is still streaming with **bold te**"},
		{"xt** and `co", "# Title\n\nFirst paragraph.\n\nSecond para is still streaming with **bold text** and `co`"},
		// A marker that opens nothing yet, and a lone list marker, wait.
		{"de` *", "# Title\n\nFirst paragraph.\n\nSecond para is still streaming with **bold text** and `code`"},
		{"*.\n\n- ", "# Title\n\nFirst paragraph.\n\nSecond para is still streaming with **bold text** and `code` **."},
		{"item one\n- item", "# Title\n\nFirst paragraph.\n\nSecond para is still streaming with **bold text** and `code` **.\n\n- item one\n- item"},
		// A line of dashes could be a setext underline: it waits.
		{"\n\nSetext\n--", "# Title\n\nFirst paragraph.\n\nSecond para is still streaming with **bold text** and `code` **.\n\n- item one\n- item\n\nSetext"},
		{"-\n\nEnd", "# Title\n\nFirst paragraph.\n\nSecond para is still streaming with **bold text** and `code` **.\n\n- item one\n- item\n\nSetext\n---\n\nEnd"},
	}
	for _, st := range steps {
		calls := r.calls
		s.Append(st.delta)
		if r.calls != calls {
			t.Errorf("Append(%q) rendered", st.delta)
		}
		if d := diffLines(r.Render(st.shows), s.Lines()); d != "" {
			t.Fatalf("after %q, want the render of %q:\n%s", st.delta, st.shows, d)
		}
	}
}

func TestTailWrapsLikeGlamour(t *testing.T) {
	r := newRenderer(t, 40)
	para := "Streaming text that is long enough to wrap over several lines at forty columns, with 中文 too."
	s := NewStream(r)
	s.Append(para)
	tail := plain(s.Lines())
	full := plain(r.Render(para))
	if len(tail) < 3 {
		t.Fatalf("tail not wrapped: %q", tail)
	}
	for i, l := range tail {
		if xansi.StringWidth(l) > r.Width() {
			t.Errorf("tail line %d too wide: %q", i, l)
		}
		if !strings.HasPrefix(l, strings.Repeat(" ", r.textIndent)) || l[r.textIndent] == ' ' {
			t.Errorf("tail line %d not at glamour's indent %d: %q", i, r.textIndent, l)
		}
	}
	if tail[0][:r.textIndent+9] != full[0][:r.textIndent+9] {
		t.Errorf("text jumps when the block commits: tail %q, rendered %q", tail[0], full[0])
	}
	// Code in an open fence is indented like glamour's code blocks.
	s.Append("\n\n```go\n\tx := 1   \n")
	got := plain(s.Lines())
	if last := got[len(got)-1]; last != strings.Repeat(" ", r.codeIndent)+"    x := 1" {
		t.Errorf("code tail line %q", last)
	}
}

func TestOrderedListStartingMidStream(t *testing.T) {
	r := newRenderer(t, 60)
	doc := "Intro.\n\n3. three\n4. four\n\nBetween.\n\n7. seven\n8. eight\n\nEnd"
	s := stream(r, fixedChunks(2)(doc))
	lines := strings.Join(plain(s.Lines()), "\n")
	for _, want := range []string{"3. three", "4. four", "7. seven", "8. eight"} {
		if !strings.Contains(lines, want) {
			t.Errorf("numbering lost: %q not in\n%s", want, lines)
		}
	}
	if d := diffLines(r.Render(doc), s.Finish()); d != "" {
		t.Fatal(d)
	}
}

func TestSetRendererRewraps(t *testing.T) {
	wide, narrow := newRenderer(t, 100), newRenderer(t, 30)
	doc := "## A heading\n\n" + corpus["paragraphs"] + "\n\n```go\nfunc f() {}\n```\n\nAn open paragraph that streams on and on past thirty columns"
	s := NewStream(wide)
	for _, d := range randomChunks(5, 15, 3)(doc) {
		s.Append(d)
	}
	before := len(s.Lines())
	s.SetRenderer(narrow)
	lines := s.Lines()
	if len(lines) <= before {
		t.Errorf("no re-wrap: %d lines at 100 columns, %d at 30", before, len(lines))
	}
	for i, l := range lines {
		if w := xansi.StringWidth(l); w > 30 {
			t.Errorf("line %d is %d columns: %q", i, w, xansi.Strip(l))
		}
	}
	last := plain(lines)[len(lines)-1]
	if !strings.HasPrefix(last, "  ") || strings.Contains(last, "open paragraph") {
		t.Errorf("tail not re-wrapped: last line %q", last)
	}
	if d := diffLines(narrow.Render(doc), s.Finish()); d != "" {
		t.Fatal(d)
	}
	s.SetRenderer(wide) // after Finish: the final render follows the renderer
	if d := diffLines(wide.Render(doc), s.Lines()); d != "" {
		t.Fatal(d)
	}
}

func TestFenceOpenedAndClosedInOneDelta(t *testing.T) {
	r := newRenderer(t, 60)
	s := NewStream(r)
	s.Append("Text.\n\n```go\nx := 1\n\ny := 2\n```\n\nAft")
	if got := s.CodeBlocks(); len(got) != 1 || got[0] != "x := 1\n\ny := 2" {
		t.Fatalf("CodeBlocks = %q", got)
	}
	if d := diffLines(r.Render("Text.\n\n```go\nx := 1\n\ny := 2\n```\n\nAft"), s.Lines()); d != "" {
		t.Fatal(d)
	}
	if s.Committed() == 0 || len(s.blocks) != 2 {
		t.Fatalf("%d blocks closed, %d rows final; want the paragraph and the fence", len(s.blocks), s.Committed())
	}
}

func TestAppendEmptyIsNoOp(t *testing.T) {
	r := newRenderer(t, 60)
	s := NewStream(r)
	s.Append("")
	if s.Text() != "" || len(s.Lines()) != 0 {
		t.Fatal("empty stream changed")
	}
	s.Append("Hello\n\nWor")
	before := slices.Clone(s.Lines())
	calls := r.calls
	s.Append("")
	if !slices.Equal(before, s.Lines()) || s.Text() != "Hello\n\nWor" || r.calls != calls {
		t.Fatal(`Append("") changed the stream`)
	}
	final := slices.Clone(s.Finish())
	s.Append("")
	if !slices.Equal(final, s.Lines()) {
		t.Fatal(`Append("") reopened a finished stream`)
	}
	// A real delta after Finish reopens it.
	s.Append("ld and more")
	if d := diffLines(r.Render("Hello\n\nWorld and more"), s.Finish()); d != "" {
		t.Fatal(d)
	}
}

func TestCodeBlocks(t *testing.T) {
	r := newRenderer(t, 60)
	doc := "Intro\n\n```go\nfunc main() {\n\tprintln(1)\n}\n```\n\n1. Step\n\n   ```bash\n   go test\n     indented more\n   ```\n\n~~~\nuses ``` inside\n~~~\n\n````md\n```go\ninner\n```\n````\n\n```\nstill open\n"
	s := stream(r, fixedChunks(3)(doc))
	want := []string{
		"func main() {\n\tprintln(1)\n}",
		"go test\n  indented more",
		"uses ``` inside",
		"```go\ninner\n```",
	}
	if got := s.CodeBlocks(); !slices.Equal(got, want) {
		t.Fatalf("CodeBlocks while streaming:\n got %q\nwant %q", got, want)
	}
	s.Finish()
	if got := s.CodeBlocks(); !slices.Equal(got, append(want, "still open")) {
		t.Fatalf("CodeBlocks after Finish: %q", got)
	}
}

// Append never renders; Lines renders the open block at most once, and
// each closed block at most once more (none when the open block's last
// render was of exactly its text); Finish renders what is left once.
func TestRendersPerBlock(t *testing.T) {
	r := newRenderer(t, 80)
	doc := llmReply(16 << 10)
	s := newTestStream(r)
	calls := r.renders
	closed := 0
	for _, d := range randomChunks(10, 30, 9)(doc) {
		before := r.renders
		s.Append(d)
		if r.renders != before {
			t.Fatalf("Append rendered")
		}
		n := len(s.blocks)
		s.Lines()
		if got, most := r.renders-before, 1+n-closed; got > most {
			t.Fatalf("Lines rendered %d times with %d blocks closed since the last call", got, n-closed)
		}
		closed = n
	}
	if s.closedRenders+s.reusedRenders != len(s.blocks) {
		t.Fatalf("%d closed blocks, %d rendered again and %d reused", len(s.blocks), s.closedRenders, s.reusedRenders)
	}
	before := r.renders
	s.Finish()
	if r.renders-before > 1 {
		t.Fatalf("Finish rendered %d times", r.renders-before)
	}
	if r.renders-calls != s.provRenders+s.closedRenders {
		t.Fatalf("%d renders, %d provisional and %d closed", r.renders-calls, s.provRenders, s.closedRenders)
	}

	// A message with reference definitions is rendered whole once more.
	s = newTestStream(r)
	calls = r.renders
	s.Append(refCorpus["reference-links"])
	s.Finish()
	if !s.needsFull || r.renders-calls != s.provRenders+s.closedRenders+1 {
		t.Fatalf("reference definitions: needsFull=%v, %d renders for %d blocks", s.needsFull, r.renders-calls, len(s.blocks))
	}
}

// A message that ends with its closing fence and no newline after it
// gives the code without the fence (copying it must not copy "```").
func TestCodeBlocksClosedAtTheEnd(t *testing.T) {
	for _, text := range []string{"Code:\n\n```go\nx := 1\n```", "```go\nx := 1\n```", "Code:\n\n```go\nx := 1\n```\n", "  ~~~\n  x := 1\n  ~~~"} {
		s := NewStream(newRenderer(t, 60))
		s.Append(text)
		s.Finish()
		if got := s.CodeBlocks(); len(got) != 1 || got[0] != "x := 1" {
			t.Errorf("%q: code blocks %q", text, got)
		}
	}
	// A fence that never closes keeps its last line.
	s := NewStream(newRenderer(t, 60))
	s.Append("```\nx := 1\ny")
	s.Finish()
	if got := s.CodeBlocks(); len(got) != 1 || got[0] != "x := 1\ny" {
		t.Errorf("open fence: %q", got)
	}
}
