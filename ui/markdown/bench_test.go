package markdown

import (
	"fmt"
	"os"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// cpuTime is the process's CPU time (all threads, GC included): steadier
// than wall time on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// threadTime is the calling thread's CPU time: a frame's cost without the
// time other processes took the core away.
func threadTime() time.Duration {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0
	}
	return time.Duration(ts.Nano())
}

// BenchmarkStreamReply streams the 64 KB reply of the team's benchmark
// harness (testdata/reply-64k.md) the way Parley receives it: deltas of
// 10-30 bytes at 200 a second, handed over once per 33 ms frame (the UI's
// frame rate), each frame followed by Lines; then Finish. One op is the
// whole reply.
//
//   - cpu-ms: process CPU for the markdown work of the reply (GC
//     included), and x-glamour-render: that over the CPU of one glamour
//     render of the whole reply (glamour's TermRenderer, the same style),
//     measured in the same iteration: the "renders' worth" of issue 15.
//   - renders: block renders (provisional renders of the open block,
//     closed blocks rendered again, whole-message renders), glamour-calls
//     those that went through glamour (a block that is one code fence does
//     not), open-renders the provisional ones.
//   - frame-p50/p99/max-us: thread CPU of one frame's markdown work
//     (Append of its deltas and Lines) on the UI goroutine.
//
// sync renders blocks that closed with text the open block's last render
// did not have in Lines; async hands the exact renders of code blocks to
// jobs (run here between frames, counted in cpu-ms, not in the frames).
func BenchmarkStreamReply(b *testing.B) {
	doc, err := os.ReadFile("testdata/reply-64k.md")
	if err != nil {
		b.Fatal(err)
	}
	benchStream(b, string(doc))
}

// BenchmarkStreamListing is BenchmarkStreamReply for a reply that is one
// 2,000-line Go listing (150 KB): a frame must cost its new lines, not the
// listing so far.
func BenchmarkStreamListing(b *testing.B) {
	var doc strings.Builder
	doc.WriteString("Here it is:\n\n```go\n")
	for i := range 2000 {
		fmt.Fprintf(&doc, "\tif err := step%d(ctx, %q); err != nil { // step %d\n\t\treturn err\n\t}\n", i, "arg", i)
	}
	doc.WriteString("```\n\nDone.\n")
	benchStream(b, doc.String())
}

func benchStream(b *testing.B, doc string) {
	deltas := randomChunks(10, 30, 5)(doc)
	const perFrame = 6 // 200 deltas/s, 33 ms frames: 6.6 deltas a frame
	for _, async := range []bool{false, true} {
		name := "sync"
		if async {
			name = "async"
		}
		b.Run(name, func(b *testing.B) {
			runtime.LockOSThread()
			defer runtime.UnlockOSThread()
			r := newRenderer(b, 100)
			var (
				frames                        []time.Duration
				streamCPU, oneCPU             time.Duration
				renders, glamour, openRenders int
			)
			tr := glamourRenderer(b, r.style, 100)
			for b.Loop() {
				b.StopTimer()
				t0 := cpuTime()
				if _, err := tr.Render(doc); err != nil {
					b.Fatal(err)
				}
				oneCPU += cpuTime() - t0
				b.StartTimer()

				renders0, calls0, cpu0 := r.renders, r.calls, cpuTime()
				s := NewStream(r)
				s.SetAsync(async)
				clock := time.Unix(0, 0)
				s.now = func() time.Time { return clock }
				var jobs []*Job
				frames = frames[:0]
				for i := 0; i < len(deltas); i += perFrame {
					clock = clock.Add(33 * time.Millisecond)
					f0 := threadTime()
					for _, d := range deltas[i:min(i+perFrame, len(deltas))] {
						s.Append(d)
					}
					for _, j := range jobs {
						s.Apply(j)
					}
					jobs = jobs[:0]
					s.Lines()
					j := s.Job()
					frames = append(frames, threadTime()-f0)
					if j != nil {
						j.Run() // on a worker in the app
						jobs = append(jobs, j)
					}
				}
				s.Finish()
				for !s.Done() {
					for _, j := range jobs {
						s.Apply(j)
					}
					jobs = jobs[:0]
					if j := s.Job(); j != nil {
						j.Run()
						jobs = append(jobs, j)
					}
					s.Lines()
				}
				streamCPU += cpuTime() - cpu0
				renders += r.renders - renders0
				glamour += r.calls - calls0
				openRenders += s.provRenders
				if s.spare != nil {
					renders += s.spare.renders
					glamour += s.spare.calls
				}
			}
			n := float64(b.N)
			b.ReportMetric(float64(streamCPU.Microseconds())/1000/n, "cpu-ms")
			b.ReportMetric(float64(streamCPU)/float64(oneCPU), "x-glamour-render")
			b.ReportMetric(float64(renders)/n, "renders")
			b.ReportMetric(float64(glamour)/n, "glamour-calls")
			b.ReportMetric(float64(openRenders)/n, "open-renders")
			b.ReportMetric(float64(len(frames)), "frames")
			slices.Sort(frames)
			b.ReportMetric(float64(frames[len(frames)/2].Microseconds()), "frame-p50-us")
			b.ReportMetric(float64(frames[len(frames)*99/100].Microseconds()), "frame-p99-us")
			b.ReportMetric(float64(frames[len(frames)-1].Microseconds()), "frame-max-us")
		})
	}
}

// BenchmarkFullRender64KB is one render of the whole reply: by a Renderer
// (parley), and by glamour as the app used it before (a TermRenderer with
// the same style: glamour), the yardstick for "renders' worth".
func BenchmarkFullRender64KB(b *testing.B) {
	doc, err := os.ReadFile("testdata/reply-64k.md")
	if err != nil {
		b.Fatal(err)
	}
	r := newRenderer(b, 100)
	b.Run("parley", func(b *testing.B) {
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			r.Render(string(doc))
		}
		b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms")
	})
	b.Run("glamour", func(b *testing.B) {
		tr := glamourRenderer(b, r.style, 100)
		b.SetBytes(int64(len(doc)))
		b.ReportAllocs()
		cpu := cpuTime()
		for b.Loop() {
			if _, err := tr.Render(string(doc)); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cpuTime()-cpu).Microseconds())/1000/float64(b.N), "cpu-ms")
	})
}

// glamourRenderer is glamour's own renderer as the app used it before this
// package drew code and lifted the document's colour.
func glamourRenderer(b *testing.B, style ansi.StyleConfig, width int) *glamour.TermRenderer {
	tr, err := glamour.NewTermRenderer(glamour.WithStyles(style), glamour.WithWordWrap(width),
		glamour.WithChromaFormatter("terminal16m"))
	if err != nil {
		b.Fatal(err)
	}
	return tr
}

// BenchmarkNewRenderer is what a resize costs before any rendering: a new
// renderer with its probe renders, and a clone for a worker.
func BenchmarkNewRenderer(b *testing.B) {
	style := newRenderer(b, 80).style
	b.Run("new", func(b *testing.B) {
		for b.Loop() {
			if _, err := NewRenderer(style, 80); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("clone", func(b *testing.B) {
		r := newRenderer(b, 80)
		for b.Loop() {
			r.Clone()
		}
	})
}
