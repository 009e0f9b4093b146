package markdown

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	xansi "github.com/charmbracelet/x/ansi"
)

func TestCloseInline(t *testing.T) {
	for in, want := range map[string]string{
		"plain text":                  "plain text",
		"some **bold te":              "some **bold te**",
		"some **bold":                 "some **bold**",
		"some **bold **":              "some **bold**",
		"an *em":                      "an *em*",
		"a _word":                     "a _word_",
		"snake_case_name":             "snake_case_name",
		"~~gone":                      "~~gone~~",
		"a `code sp":                  "a `code sp`",
		"a ``co`de":                   "a ``co`de``",
		"**bold `code":                "**bold `code`**",
		"text `":                      "text",
		"text **":                     "text",
		"text *":                      "text",
		"done **bold** and *it*":      "done **bold** and *it*",
		"see [docs](https://go.dev/d": "see [docs](https://go.dev/d)",
		"see [docs](":                 "see [docs]()",
		"see [docs":                   "see [docs",
		"**bold [link](x":             "**bold [link](x)**",
		`escaped \*not em`:            `escaped \*not em`,
		"2 * 3 = 6":                   "2 * 3 = 6",
		"***both":                     "***both***",
		"中文**粗体":                      "中文**粗体**",
		"- **Latency*":                "- **Latency**",
		"is **thread-safe*":           "is **thread-safe**",
		"***both**":                   "***both***",
		"~~gone~":                     "~~gone~~",
	} {
		if got := closeInline(in); got != want {
			t.Errorf("closeInline(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestHasText(t *testing.T) {
	for line, want := range map[string]bool{
		"": false, "-": false, "- ": false, "* ": false, "1.": false, "12": false, "1. ": false,
		"##": false, "## ": false, "---": false, "===": false, "```": false, "```python": false,
		"~~~": false, "| a": false, ">": false, "> ": false, "> - ": false, ":": false, "<div": false,
		"- a": true, "## T": true, "1. x": true, "> q": true, "word": true, "12 apples": true,
		"<https://x>": true, "**": false, "- [ ] t": true,
	} {
		if got := hasText(line); got != want {
			t.Errorf("hasText(%q) = %v, want %v", line, got, want)
		}
	}
}

func TestProvisional(t *testing.T) {
	tick := fence{char: '`', length: 3}
	tests := []struct {
		name, open string
		partial    int // -1: the open text has no partial line
		fenced     bool
		want       string
	}{
		{"paragraph being written", "Some text", 0, false, "Some text\n"},
		{"complete lines and a bare marker", "- a\n- b\n- ", 8, false, "- a\n- b\n"},
		{"blank lines before a paragraph stay", "1. a\n\n   more", 6, false, "1. a\n\n   more\n"},
		{"trailing blank lines go", "Para.\n\n", 7, false, "Para.\n"},
		{"table header waits for its delimiter", "| a | b |\n", 10, false, ""},
		{"table header and delimiter show", "| a | b |\n|---|---|\n| 1 |", 20, false, "| a | b |\n|---|---|\n"},
		{"table rows as they complete", "| a |\n|---|\n| 1 |\n| 2", 18, false, "| a |\n|---|\n| 1 |\n"},
		{"open fence", "```go\nx := 1\ny :=", 13, true, "```go\nx := 1\ny :=\n"},
		{"a possible closing fence waits", "```go\nx := 1\n``", 13, true, "```go\nx := 1\n"},
		{"setext underline waits", "Title\n--", 6, false, "Title\n"},
	}
	for _, tt := range tests {
		if got := provisional(tt.open, tt.partial, tt.fenced, tick); got != tt.want {
			t.Errorf("%s: provisional(%q) = %q, want %q", tt.name, tt.open, got, tt.want)
		}
	}
}

// A render of the open block that takes long puts off the next one, so a
// huge open block costs at most ~1/provDuty of the time it streams.
func TestOpenBlockRenderWaitsForItsCost(t *testing.T) {
	r := newRenderer(t, 60)
	s := NewStream(r)
	now := time.Unix(0, 0)
	s.now = func() time.Time { return now }
	s.Append("A paragraph")
	s.Lines()
	renders := s.provRenders
	s.prov.cost = 10 * time.Millisecond // as if that render took 10 ms
	s.Append(" grows")
	now = now.Add(50 * time.Millisecond)
	before := plain(s.Lines())
	if s.provRenders != renders || !strings.Contains(strings.Join(before, ""), "A paragraph") || strings.Contains(strings.Join(before, ""), "grows") {
		t.Fatalf("rendered again %v after a 10 ms render: %q", 50*time.Millisecond, before)
	}
	if w := s.Wait(); w != 30*time.Millisecond {
		t.Fatalf("Wait = %v, want the 30 ms left of 8 x 10 ms", w)
	}
	now = now.Add(31 * time.Millisecond)
	if got := plain(s.Lines()); s.provRenders != renders+1 || !strings.Contains(strings.Join(got, ""), "grows") {
		t.Fatalf("not rendered again after %v: %q", 81*time.Millisecond, got)
	}
	if w := s.Wait(); w != 0 {
		t.Fatalf("Wait = %v with nothing put off", w)
	}
}

// While a render is put off, the open block is not even read: a server
// can send one line that never ends, and making its provisional input
// every frame (closeInline reads the whole line) made a reply quadratic.
func TestPutOffRenderReadsNothing(t *testing.T) {
	r := newRenderer(t, 60)
	s := NewStream(r)
	now := time.Unix(0, 0)
	s.now = func() time.Time { return now }
	chunk := strings.Repeat("All work and no play. ", 48) // ~1 KiB, no newline
	s.Append(chunk)
	s.Lines()
	s.prov.cost = 10 * time.Millisecond // as if that render took 10 ms
	read := s.provScanned
	for range 1024 {
		s.Append(chunk)
		s.Lines()
		if s.Wait() <= 0 {
			t.Fatal("Wait says nothing is put off while text keeps coming")
		}
	}
	if got := s.provScanned - read; got != 0 {
		t.Fatalf("read %d bytes of the open block while its render was put off", got)
	}
	now = now.Add(81 * time.Millisecond)
	s.Lines()
	if got := s.provScanned - read; got != s.text.Len() {
		t.Fatalf("the render that was due read %d bytes, want the whole line (%d)", got, s.text.Len())
	}
	if w := s.Wait(); w != 0 {
		t.Fatalf("Wait = %v after rendering all that came", w)
	}
}

// Jobs render closed blocks on another goroutine while the stream goes on;
// the result equals a full render (run with -race).
func TestAsyncJobsOnAnotherGoroutine(t *testing.T) {
	reply, err := os.ReadFile("testdata/reply-64k.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(reply[:24<<10])
	r := newRenderer(t, 70)
	s := newTestStream(r)
	s.SetAsync(true)
	results := make(chan *Job, 1)
	var wg sync.WaitGroup
	inFlight := false
	jobs := 0
	take := func(block bool) {
		if !inFlight {
			return
		}
		select {
		case j := <-results:
			s.Apply(j)
			inFlight = false
		default:
			if block {
				s.Apply(<-results)
				inFlight = false
			}
		}
	}
	give := func() {
		if inFlight {
			return
		}
		if j := s.Job(); j != nil {
			inFlight, jobs = true, jobs+1
			wg.Add(1)
			go func() { defer wg.Done(); j.Run(); results <- j }()
		}
	}
	for i, d := range randomChunks(10, 30, 4)(doc) {
		s.Append(d)
		if i%6 == 5 {
			take(false)
			s.Lines()
			give()
		}
		if i == 300 {
			// A resize while jobs run: their results are dropped.
			s.SetRenderer(newRenderer(t, 50))
		}
	}
	s.Finish()
	for !s.Done() {
		take(true)
		give()
		s.Lines()
		if !inFlight && !s.Done() {
			t.Fatal("not done and no job to run")
		}
	}
	wg.Wait()
	if jobs == 0 {
		t.Fatal("no job was handed out")
	}
	if d := diffLines(newRenderer(t, 50).Render(doc), s.Lines()); d != "" {
		t.Fatal(d)
	}
}

// No frame shows the raw markdown of a span that is finished: the open
// block is rendered, not shown as text.
func TestTailIsRendered(t *testing.T) {
	reply, err := os.ReadFile("testdata/reply-64k.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range []string{string(reply[:20<<10]), llmReply(12 << 10)} {
		r := newRenderer(t, 80)
		final := xansi.Strip(strings.Join(r.Render(doc), "\n"))
		var markers []string
		for _, m := range []string{"**", "`", "## ", "|---", "```", "- [", "](http"} {
			if !strings.Contains(final, m) {
				markers = append(markers, m) // raw in a frame means unrendered
			}
		}
		if len(markers) < 4 {
			t.Fatalf("the final render shows %d markers itself", 7-len(markers))
		}
		s := newTestStream(r)
		for i, d := range randomChunks(10, 30, 8)(doc) {
			s.Append(d)
			if i%6 != 5 {
				continue
			}
			frame := xansi.Strip(strings.Join(s.Lines(), "\n"))
			for _, m := range markers {
				if strings.Contains(frame, m) {
					t.Fatalf("a frame shows raw %q after %d bytes:\n%s", m, len(s.Text()), frame[max(0, len(frame)-400):])
				}
			}
		}
	}
}

// Done is true as soon as the last job is applied, without a Lines call in
// between: the UI freezes a finished reply's rows when its last job comes
// back, and a Done that waited for the next Lines left the reply rendering
// for good (BenchmarkStreamingReply waited on it forever now and then).
func TestDoneRightAfterTheLastApply(t *testing.T) {
	s := newTestStream(newRenderer(t, 70))
	s.SetAsync(true)
	doc := "Some text first.\n\n```go\nfunc main() {\n\tprintln(\"hi\")\n}\n```\n"
	for i := 0; i < len(doc); i += 5 {
		s.Append(doc[i:min(i+5, len(doc))])
		s.Lines()
	}
	s.Finish()
	jobs := 0
	for j := s.Job(); j != nil; j = s.Job() {
		j.Run()
		s.Apply(j)
		jobs++
	}
	if jobs == 0 {
		t.Fatal("no job: the code block's final render was expected to be one")
	}
	if !s.Done() {
		t.Fatalf("not Done after the last of %d jobs was applied", jobs)
	}
}
