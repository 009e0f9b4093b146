package markdown

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// The promise of live rendering (issue 15): while a reply streams, what is
// on screen is what will stay there. Every frame is compared with the final
// render of the whole reply:
//
//   - above: every row above the tail equals the final row at the same
//     index. The tail is the open block's rows from the first one its last
//     line can still change (its last line's rows, plus the row before them,
//     where a soft-wrapped paragraph may pull words up). So when a block
//     closes nothing above its last line moves, and its height and rows
//     equal the final render's.
//   - reverse scrolls: a frame never has fewer rows than the frame before.
//     A view that follows the bottom would scroll back (the text above
//     jumps down) when it does.
//
// The tail itself must be rendered too: no row of it may show the raw
// markdown of a finished span (checked in TestTailIsRendered).

type frameStats struct {
	frames, above, reverse int
	firstAbove, firstRev   string
}

// streamFrames streams doc in deltas, one frame every perFrame deltas, and
// checks every frame against the final render.
func streamFrames(t *testing.T, r *Renderer, doc string, deltas []string, perFrame int, async bool) frameStats {
	t.Helper()
	final := r.Render(doc)
	s := NewStream(r)
	s.SetAsync(async)
	clock := time.Unix(0, 0)
	s.now = func() time.Time { clock = clock.Add(time.Hour); return clock } // never throttled
	var st frameStats
	var prev []string
	var pending *Job
	for i, d := range deltas {
		s.Append(d)
		if i%perFrame != perFrame-1 && i != len(deltas)-1 {
			continue
		}
		if async {
			// A job handed out in one frame comes back before the next.
			if pending != nil {
				pending.Run()
				s.Apply(pending)
			}
			pending = s.Job()
		}
		frame := slices.Clone(s.Lines())
		st.frames++
		from := tailStart(s, frame)
		for k := 0; k < from; k++ {
			if k >= len(final) || normalizeLine(frame[k]) != normalizeLine(final[k]) {
				st.above++
				if st.firstAbove == "" {
					st.firstAbove = fmt.Sprintf("after %d bytes, row %d of %d (tail from %d):\n%s", len(s.Text()), k, len(frame), from, diffLines(final[:min(len(final), len(frame))], frame))
				}
				break
			}
		}
		if len(frame) < len(prev) {
			st.reverse++
			if st.firstRev == "" {
				st.firstRev = fmt.Sprintf("after %d bytes: %d rows after %d; last rows before %q, now %q",
					len(s.Text()), len(frame), len(prev), plain(prev[max(0, len(prev)-4):]), plain(frame[max(0, len(frame)-4):]))
			}
		}
		prev = frame
	}
	if pending != nil {
		pending.Run()
		s.Apply(pending)
	}
	got := s.Finish()
	for async && !s.Done() {
		j := s.Job()
		if j == nil {
			t.Fatal("async stream not done and no job to run")
		}
		j.Run()
		s.Apply(j)
		got = s.Lines()
	}
	if d := diffLines(final, got); d != "" {
		t.Fatalf("finished stream differs from a full render:\n%s", d)
	}
	if len(got) < len(prev) {
		st.reverse++
	}
	return st
}

// tailStart returns the index of the first row of frame that the open
// block's last line may still change.
func tailStart(s *Stream, frame []string) int {
	p := &s.prov
	if !p.valid || p.start != s.blockStart || len(p.r.lines) == 0 {
		return len(frame)
	}
	openRow := len(frame) - len(p.r.lines)
	if table, _ := tableState(p.input); table {
		// A table's columns are sized to all its rows: a row may widen a
		// column and re-wrap the rows above it, inside the table. What is
		// above the table stays.
		return openRow
	}
	// The open block without its last line: the rows that line cannot change
	// (but the last of them).
	in := strings.TrimSuffix(p.input, "\n")
	cut := strings.LastIndexByte(in, '\n')
	if cut < 0 {
		return openRow
	}
	before := s.r.renderBlock(in[:cut+1])
	s.r.renders-- // not the stream's
	return openRow + max(len(before.lines)-1, 0)
}

func normalizeLine(l string) string { return trimLine(l) }

// The corpus: every document of the package's corpus, one long LLM-style
// reply, and the 64 KB reply of the team's benchmark harness.
func frameCorpus(t *testing.T) map[string]string {
	docs := map[string]string{"llm-16KB": llmReply(16 << 10)}
	for k, v := range corpus {
		docs[k] = v
	}
	b, err := os.ReadFile("testdata/reply-64k.md")
	if err != nil {
		t.Fatal(err)
	}
	docs["bench-reply-64KB"] = string(b)
	return docs
}

func TestFramesMatchFinalRender(t *testing.T) {
	docs := frameCorpus(t)
	for _, width := range []int{100, 60, 38} {
		r := newRenderer(t, width)
		for _, name := range sortedKeys(docs) {
			for _, mode := range []struct {
				name     string
				perFrame int
				async    bool
			}{{"frame", 6, false}, {"delta", 1, false}, {"async", 6, true}} {
				if mode.perFrame == 1 && (len(docs[name]) > 20000 || width != 60) || mode.async && width != 60 {
					continue // every delta a frame (short documents) and async: one width is enough
				}
				t.Run(fmt.Sprintf("w%d/%s/%s", width, name, mode.name), func(t *testing.T) {
					st := streamFrames(t, r, docs[name], randomChunks(10, 30, 3)(docs[name]), mode.perFrame, mode.async)
					if st.above > 0 {
						t.Errorf("%d of %d frames changed rows above the tail; first %s", st.above, st.frames, st.firstAbove)
					}
					if st.reverse > 0 {
						t.Errorf("%d reverse scrolls in %d frames; first %s", st.reverse, st.frames, st.firstRev)
					}
				})
			}
		}
	}
}
