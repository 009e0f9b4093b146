package jsonfmt_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/parley-tui/parley/ui/jsonfmt"
)

// toolArguments returns about n bytes of arguments shaped like a
// file-editing call: many small edit objects, then one long string.
func toolArguments(n int) string {
	var b strings.Builder
	b.WriteString(`{"path": "internal/ui/chat/streaming.go", "edits": [`)
	for i := 0; b.Len() < n/2; i++ {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `{"line": %d, "old": "func (m *Model) View() string {", `+
			`"new": "func (m *Model) View() string {\n\treturn m.render(%d)", "fuzzy": %t, "score": %d.%de-2}`,
			i*7, i, i%2 == 0, i, i%10)
	}
	b.WriteString(`], "content": "`)
	for b.Len() < n-2 {
		b.WriteString(`a line of code with \"quotes\", a tab\t and \u00e9\n`)
	}
	b.WriteString(`"}`)
	return b.String()
}

// longString returns a document of about n bytes that is one string value:
// the whole stream is spent on the open last line.
func longString(n int) string {
	return `{"content": "` + strings.Repeat(`lorem ipsum \"dolor\" sit\n`, n/26) + `"}`
}

var sink int

// stream feeds doc in 8-byte deltas and reads what the card reads after each.
func stream(doc string) {
	f := jsonfmt.New(2)
	for i := 0; i < len(doc); i += 8 {
		f.Write(doc[i:min(i+8, len(doc))])
		sink += len(f.Lines()) + len(f.ActiveKey())
	}
}

func BenchmarkWriteLines(b *testing.B) {
	shapes := []struct {
		name string
		make func(int) string
	}{{"args", toolArguments}, {"string", longString}}
	for _, shape := range shapes {
		for _, kb := range []int{5, 20} {
			doc := shape.make(kb << 10)
			b.Run(fmt.Sprintf("%s/%dKB", shape.name, kb), func(b *testing.B) {
				b.SetBytes(int64(len(doc)))
				for b.Loop() {
					stream(doc)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(doc)), "ns/byte")
			})
		}
	}
}

// TestStreamingScalesLinearly compares the memory allocated to stream 5 KB
// and 20 KB. Work per call that grew with the document (copying the buffer
// on every Lines call, say) would make the larger one cost about sixteen
// times as much; linear work costs four times. Bytes allocated are counted,
// not time, so a busy machine cannot fail the test.
func TestStreamingScalesLinearly(t *testing.T) {
	allocated := func(doc string) uint64 {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		stream(doc)
		runtime.ReadMemStats(&after)
		return after.TotalAlloc - before.TotalAlloc
	}
	for _, shape := range []func(int) string{toolArguments, longString} {
		small, large := allocated(shape(5<<10)), allocated(shape(20<<10))
		ratio := float64(large) / float64(small)
		t.Logf("%d B allocated at 5 KB, %d B at 20 KB (ratio %.2f)", small, large, ratio)
		if ratio > 8 {
			t.Errorf("20 KB allocates %.1fx more than 5 KB; want about 4x", ratio)
		}
	}
}
