//go:build unix

// (The benchmarks measure CPU time with getrusage, which Windows lacks.)

package ui

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"golang.org/x/sys/unix"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/markdown"
)

// Streaming benchmark parameters, from the issue: a 64 KB markdown reply
// in about 3,200 deltas arriving at 200 per second, at 120x40.
const (
	benchWidth, benchHeight = 120, 40
	deltasPerSecond         = 200
)

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

// percentile is the p-th percentile of xs.
func percentile(xs []time.Duration, p int) time.Duration {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)*p/100]
}

// threadTime is the CPU time of the calling thread.
func threadTime() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// commands runs the commands Update returns on goroutines, as Bubble Tea
// does, and keeps the messages they bring back for the next frame.
// Commands still waiting when stop is called (ticks) are left to end on
// their own; what they bring back is dropped.
type commands struct {
	msgs chan tea.Msg
	done chan struct{}
}

func newCommands() *commands {
	return &commands{msgs: make(chan tea.Msg, 1024), done: make(chan struct{})}
}

func (c *commands) run(cmd tea.Cmd) {
	if cmd == nil {
		return
	}
	go func() {
		switch msg := cmd().(type) {
		case nil:
		case tea.BatchMsg:
			for _, sub := range msg {
				c.run(sub)
			}
		default:
			select {
			case c.msgs <- msg:
			case <-c.done:
			}
		}
	}()
}

// arrived returns the messages brought back so far, without waiting.
func (c *commands) arrived() []tea.Msg {
	var out []tea.Msg
	for {
		select {
		case msg := <-c.msgs:
			out = append(out, msg)
		default:
			return out
		}
	}
}

// next waits for a message.
func (c *commands) next(b *testing.B) tea.Msg {
	select {
	case msg := <-c.msgs:
		return msg
	case <-time.After(10 * time.Second):
		b.Fatal("no command brought anything back")
		return nil
	}
}

func (c *commands) stop() { close(c.done) }

// BenchmarkStreamingReply streams the harness's 64 KB reply
// (markdown/testdata/reply-64k.md, the same as ../shared/bench's) through
// the real Update and View path on a simulated clock: deltas arrive at
// 200/s and batches every chat.FrameInterval, as the pump delivers them.
// The commands Update returns run on their own goroutines, as Bubble Tea
// runs them, and what they bring back (closed blocks rendered off the UI
// goroutine) is handed to Update between batches: every Update and View is
// a frame. Compare: naive re-renders the whole message per delta (every
// 10th delta, times 10), single-render renders the final message once.
func BenchmarkStreamingReply(b *testing.B) {
	raw, err := os.ReadFile("markdown/testdata/reply-64k.md")
	if err != nil {
		b.Fatal(err)
	}
	reply := string(raw)
	deltas := splitDeltas(reply)
	body := sseBody(deltas)
	style := themes.NewStyles(themes.Default(true)).Markdown
	b.Logf("reply %d bytes in %d deltas", len(reply), len(deltas))

	b.Run("parley", func(b *testing.B) {
		// Frame cost is the UI goroutine's own CPU time (the thread is
		// locked to it), so other tenants of the machine do not count;
		// wall time is reported beside it.
		runtime.LockOSThread()
		defer runtime.UnlockOSThread()
		var costs, walls []time.Duration
		var renderCPU time.Duration
		b.ReportAllocs()
		start := cpuTime()
		for b.Loop() {
			m, c := newTestModel(b, benchWidth, benchHeight, Deps{})
			m.render.inline = false
			cmds := newCommands()
			frame := func(msg tea.Msg) {
				c0, w0 := threadTime(), time.Now()
				_, cmd := m.Update(msg)
				_ = m.View()
				costs, walls = append(costs, threadTime()-c0), append(walls, time.Since(w0))
				cmds.run(cmd)
			}
			typeText(m, "write me a long answer")
			press(m, keyEnter)
			d := stream.NewDecoder(strings.NewReader(body), stream.APIResponses)
			var batch []stream.Choice
			arrival := c.t
			frameAt := c.t.Add(chat.FrameInterval)
			flush := func(at time.Time) {
				for _, msg := range cmds.arrived() {
					frame(msg)
				}
				frame(chat.Batch(m.chat.Turn(), at, batch...))
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
			// The reply's last blocks come back from their commands.
			for e := m.transcript.entries[len(m.transcript.entries)-1]; e.live || e.settling; {
				frame(cmds.next(b))
			}
			cmds.stop()
			if m.chat.Turn() != 0 || !strings.Contains(m.chat.Conversation().Last().Turn.Text, "##") {
				b.Fatal("stream did not finish")
			}
			// The markdown work alone, the same way: appends per delta,
			// lines per frame, one finish.
			r, _ := markdown.NewRenderer(style, benchWidth-gutter)
			s := markdown.NewStream(r)
			mdStart := cpuTime()
			perFrame := int(deltasPerSecond * chat.FrameInterval / time.Second)
			for i, dl := range deltas {
				s.Append(dl)
				if i%perFrame == 0 { // the deltas of one frame
					_ = s.Lines()
				}
			}
			s.Finish()
			renderCPU += cpuTime() - mdStart
		}
		total := cpuTime() - start - renderCPU
		b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "cpu-ms")
		b.ReportMetric(float64(renderCPU.Microseconds())/1000/float64(b.N), "render-ms")
		b.ReportMetric(float64(percentile(costs, 50).Microseconds())/1000, "p50-frame-ms")
		b.ReportMetric(float64(percentile(costs, 99).Microseconds())/1000, "p99-frame-ms")
		b.ReportMetric(float64(slices.Max(costs).Microseconds())/1000, "max-frame-ms")
		b.ReportMetric(float64(percentile(walls, 99).Microseconds())/1000, "p99-wall-ms")
		b.ReportMetric(float64(slices.Max(walls).Microseconds())/1000, "max-wall-ms")
		b.ReportMetric(float64(len(costs))/float64(b.N), "frames")
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
