//go:build unix

// (The benchmarks measure CPU time with getrusage, which Windows lacks.)

package markdown

import (
	"slices"
	"syscall"
	"testing"
	"time"
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

// BenchmarkStreamAppend streams a 64 KB reply the way the app sees it:
// ~3,200 deltas of 10-30 bytes, Lines every 6 deltas (~30 fps at 200
// deltas/s), then Finish. One op is the whole message. Metrics:
// glamour-calls and render-ms (time inside glamour) per message; ns/delta,
// the mean cost of a delta outside glamour (scanning, tail wrap, Lines); and
// p50/p99 of the deltas that commit nothing (no glamour call); cpu-ms, the
// process CPU per message; x-full-render, that CPU over the CPU of one full
// render of the final message (the target is at most 2).
func BenchmarkStreamAppend(b *testing.B) {
	r := newRenderer(b, 100)
	doc := llmReply(64 << 10)
	deltas := randomChunks(10, 30, 5)(doc)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	var (
		plain             []time.Duration // deltas without a glamour call
		streamCPU, oneCPU time.Duration
		calls             int
		elapsed           time.Duration
	)
	for b.Loop() {
		// The yardstick, one full render, runs in each iteration too, so
		// the ratio holds while the load of a shared machine drifts.
		b.StopTimer()
		t0 := cpuTime()
		r.Render(doc)
		oneCPU += cpuTime() - t0
		b.StartTimer()

		calls0, elapsed0, cpu0 := r.calls, r.elapsed, cpuTime()
		s := NewStream(r)
		plain = plain[:0]
		for i, d := range deltas {
			c, t0 := r.calls, time.Now()
			s.Append(d)
			if i%6 == 5 {
				s.Lines()
			}
			if r.calls == c {
				plain = append(plain, time.Since(t0))
			}
		}
		s.Finish()
		streamCPU += cpuTime() - cpu0
		calls += r.calls - calls0
		elapsed += r.elapsed - elapsed0
	}
	n := float64(b.N)
	b.ReportMetric(float64(streamCPU.Milliseconds())/n, "cpu-ms")
	b.ReportMetric(float64(streamCPU)/float64(oneCPU), "x-full-render")
	b.ReportMetric(float64(calls)/n, "glamour-calls")
	b.ReportMetric(float64(elapsed.Milliseconds())/n, "render-ms")
	b.ReportMetric(float64(len(deltas)), "deltas")
	outside := b.Elapsed() - elapsed
	b.ReportMetric(float64(outside.Nanoseconds())/n/float64(len(deltas)), "ns/delta")
	slices.Sort(plain)
	b.ReportMetric(float64(plain[len(plain)/2].Nanoseconds()), "p50-ns/delta")
	b.ReportMetric(float64(plain[len(plain)*99/100].Nanoseconds()), "p99-ns/delta")
}

// BenchmarkFullRender64KB is one glamour render of the whole reply: the
// yardstick for the stream's total (target: at most 2x).
func BenchmarkFullRender64KB(b *testing.B) {
	r := newRenderer(b, 100)
	doc := llmReply(64 << 10)
	b.SetBytes(int64(len(doc)))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		r.Render(doc)
	}
	b.ReportMetric(float64((cpuTime()-cpu).Milliseconds())/float64(b.N), "cpu-ms")
}
