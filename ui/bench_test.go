//go:build unix

// (The benchmarks measure CPU time with getrusage, which Windows lacks.)

package ui

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/markdown"
)

// Streaming benchmark parameters, from the issue: a 64 KB markdown reply
// in about 3,200 deltas arriving at 200 per second, at 120x40.
const (
	benchWidth, benchHeight = 120, 40
	benchReplyBytes         = 64 << 10
	deltasPerSecond         = 200
)

// benchReply is a 64 KB reply of the shape models write: headings,
// paragraphs, nested lists, tables, Go and Python code.
func benchReply() string {
	rng := rand.New(rand.NewPCG(7, 7))
	words := strings.Fields("the stream decoder hands each choice to the model which renders " +
		"finished blocks once and keeps the open tail as plain text so a delta costs microseconds " +
		"while the frame shows only the rows in view terminal markdown glamour latency")
	sentence := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteByte(' ')
			}
			w := words[rng.IntN(len(words))]
			switch rng.IntN(12) {
			case 0:
				w = "**" + w + "**"
			case 1:
				w = "`" + w + "`"
			}
			b.WriteString(w)
		}
		return strings.ToUpper(b.String()[:1]) + b.String()[1:] + "."
	}
	var b strings.Builder
	for s := 1; b.Len() < benchReplyBytes; s++ {
		fmt.Fprintf(&b, "## Section %d: %s\n\n", s, words[s%len(words)])
		fmt.Fprintf(&b, "%s %s %s\n\n", sentence(14), sentence(18), sentence(11))
		for i := 1; i <= 3; i++ {
			fmt.Fprintf(&b, "%d. %s\n   - %s\n   - %s\n", i, sentence(6), sentence(5), sentence(7))
		}
		b.WriteString("\n| Stage | Cost | Note |\n|---|---:|---|\n")
		for i := 0; i < 4; i++ {
			fmt.Fprintf(&b, "| %s | %d µs | %s |\n", words[rng.IntN(len(words))], rng.IntN(900), sentence(4))
		}
		if s%2 == 0 {
			b.WriteString("\n```go\nfunc render(blocks []string) (out []string) {\n\tfor _, b := range blocks {\n\t\tout = append(out, strings.Split(b, \"\\n\")...)\n\t}\n\treturn out\n}\n```\n\n")
		} else {
			b.WriteString("\n```python\ndef frames(deltas, interval=0.033):\n    batch = []\n    for d in deltas:\n        batch.append(d)\n    return batch\n```\n\n")
		}
		fmt.Fprintf(&b, "> %s\n\n%s\n\n", sentence(12), sentence(20))
	}
	return b.String()
}

// splitDeltas cuts text into 10-30 byte deltas, never inside a UTF-8 rune.
func splitDeltas(text string) []string {
	rng := rand.New(rand.NewPCG(3, 4))
	var out []string
	for len(text) > 0 {
		n := min(len(text), 10+rng.IntN(21))
		for n < len(text) && text[n]&0xC0 == 0x80 {
			n++
		}
		out = append(out, text[:n])
		text = text[n:]
	}
	return out
}

// cpuTime is the process's user+system CPU so far: it counts GC on the
// other core too, which wall time on one goroutine would miss.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// sseBody encodes deltas as a Responses API stream, so the benchmark's
// total includes decoding.
func sseBody(deltas []string) string {
	var b strings.Builder
	b.WriteString(`data: {"type":"response.created","response":{"id":"resp_b","model":"gpt-5"}}` + "\n\n")
	for i, d := range deltas {
		fmt.Fprintf(&b, `data: {"type":"response.output_text.delta","item_id":"msg_b","output_index":0,"content_index":0,"delta":%q,"sequence_number":%d}`+"\n\n", d, i+1)
	}
	b.WriteString(`data: {"type":"response.completed","response":{"id":"resp_b","model":"gpt-5","status":"completed","usage":{"input_tokens":50,"output_tokens":16000,"total_tokens":16050}}}` + "\n\n")
	return b.String()
}

func p99(xs []time.Duration) time.Duration {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)*99/100]
}

// BenchmarkStreamingReply streams a 64 KB reply through the real Update
// and View path on a simulated clock: deltas arrive at 200/s and frames
// happen every chat.FrameInterval, as the pump would deliver them. Compare:
// naive re-renders the whole message per delta (every 10th delta, times
// 10), single-render renders the final message once.
func BenchmarkStreamingReply(b *testing.B) {
	reply := benchReply()
	deltas := splitDeltas(reply)
	body := sseBody(deltas)
	style := themes.NewStyles(themes.Default(true)).Markdown
	b.Logf("reply %d bytes in %d deltas", len(reply), len(deltas))

	b.Run("parley", func(b *testing.B) {
		var frames []time.Duration
		var renderCPU time.Duration
		b.ReportAllocs()
		start := cpuTime()
		for b.Loop() {
			frames = frames[:0]
			m, c := newTestModel(b, benchWidth, benchHeight, Deps{})
			typeText(m, "write me a long answer")
			press(m, keyEnter)
			d := stream.NewDecoder(strings.NewReader(body), stream.APIResponses)
			var batch []stream.Choice
			arrival := c.t
			frameAt := c.t.Add(chat.FrameInterval)
			flush := func(at time.Time, extra ...stream.Choice) {
				t0 := time.Now()
				m.Update(chat.Batch(m.chat.Turn(), at, append(batch, extra...)...))
				_ = m.View()
				frames = append(frames, time.Since(t0))
				batch = batch[:0]
			}
			for {
				ch, err := d.Next()
				if err != nil {
					break
				}
				if ch.Kind == stream.KindText {
					arrival = arrival.Add(time.Second / deltasPerSecond)
				}
				for !arrival.Before(frameAt) {
					if len(batch) > 0 {
						flush(frameAt)
					}
					frameAt = frameAt.Add(chat.FrameInterval)
				}
				batch = append(batch, ch)
			}
			flush(frameAt)
			if m.chat.Turn() != 0 || !strings.Contains(m.chat.Conversation().Last().Turn.Text, "Section 2") {
				b.Fatal("stream did not finish")
			}
			// The markdown work alone, the same way: appends per delta,
			// lines per frame, one finish.
			r, _ := markdown.NewRenderer(style, benchWidth-gutter)
			s := markdown.NewStream(r)
			mdStart := cpuTime()
			for i, dl := range deltas {
				s.Append(dl)
				if i%7 == 0 { // 200 deltas/s at ~30 frames/s
					_ = s.Lines()
				}
			}
			s.Finish()
			renderCPU += cpuTime() - mdStart
		}
		total := cpuTime() - start - renderCPU
		b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "cpu-ms")
		b.ReportMetric(float64(renderCPU.Microseconds())/1000/float64(b.N), "render-ms")
		b.ReportMetric(float64(p99(frames).Microseconds())/1000, "p99-frame-ms")
		b.ReportMetric(float64(len(frames)), "frames")
	})

	b.Run("naive", func(b *testing.B) {
		start := cpuTime()
		for b.Loop() {
			r, _ := markdown.NewRenderer(style, benchWidth-gutter)
			var acc strings.Builder
			for i, dl := range deltas {
				acc.WriteString(dl)
				if i%10 == 0 {
					_ = r.Render(acc.String())
				}
			}
		}
		// Every 10th delta was rendered: scale to every delta.
		b.ReportMetric(10*float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms")
	})

	b.Run("single-render", func(b *testing.B) {
		r, _ := markdown.NewRenderer(style, benchWidth-gutter)
		start := cpuTime()
		for b.Loop() {
			_ = r.Render(reply)
		}
		b.ReportMetric(float64((cpuTime()-start).Microseconds())/1000/float64(b.N), "cpu-ms")
	})
}

// BenchmarkFrame measures one streaming frame (a delta's Update plus the
// View) behind a transcript of 100 or 10,000 lines: frames must not slow
// down as the conversation grows.
func BenchmarkFrame(b *testing.B) {
	for _, lines := range []int{100, 10_000} {
		b.Run(fmt.Sprintf("lines=%d", lines), func(b *testing.B) {
			m, c := newTestModel(b, benchWidth, benchHeight, Deps{})
			para := strings.Repeat("A finished paragraph of an earlier reply that wraps over two lines at this width, as long answers do. ", 2)
			for total := 0; total < lines; {
				typeText(m, "q")
				press(m, keyEnter)
				feed(m, c.t, text(strings.Repeat(para+"\n\n", 20)), done(stream.StatusCompleted))
				total = m.transcript.ensure(m.renderEnv())
			}
			typeText(m, "and now?")
			press(m, keyEnter)
			feed(m, c.t, text("Streaming "))
			b.Logf("transcript: %d lines", m.transcript.ensure(m.renderEnv()))
			// Frames grow a paragraph word by word; every 64th frame ends it,
			// so the open tail stays the same size whatever b.N is.
			i := 0
			for b.Loop() {
				d := "word "
				if i++; i%64 == 0 {
					d = "word.\n\n"
				}
				m.Update(chat.Batch(m.chat.Turn(), c.t, []stream.Choice{text(d)}...))
				_ = m.View()
			}
		})
	}
}

var _ tea.Model = (*Model)(nil)
