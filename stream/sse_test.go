package stream_test

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/parley-tui/parley/stream"
)

const recordings = "../testdata/streams"

func readRecording(t testing.TB, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(recordings, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestFramingVariants decodes the same recordings re-framed the ways real
// servers and proxies frame them, and wants the very same choices.
func TestFramingVariants(t *testing.T) {
	variants := []struct {
		name    string
		reframe func(string) string
	}{
		{"data only, no event lines", func(s string) string {
			var keep []string
			for _, l := range strings.Split(s, "\n") {
				if !strings.HasPrefix(l, "event:") {
					keep = append(keep, l)
				}
			}
			return strings.Join(keep, "\n")
		}},
		{"CRLF", func(s string) string { return strings.ReplaceAll(s, "\n", "\r\n") }},
		{"CR only", func(s string) string { return strings.ReplaceAll(s, "\n", "\r") }},
		{"no space after the colon", func(s string) string {
			return strings.NewReplacer("data: ", "data:", "event: ", "event:").Replace(s)
		}},
		{"comment lines", func(s string) string {
			return ": keepalive\n\n" + strings.ReplaceAll(s, "\n\n", "\n: keepalive\n\n: OPENROUTER PROCESSING\n\n")
		}},
		{"blank lines between frames", func(s string) string { return "\n\n" + strings.ReplaceAll(s, "\n\n", "\n\n\n\n") }},
		{"each JSON frame split over two data lines", splitDataLines},
	}
	for _, file := range []string{"responses-text-1.sse", "responses-web-search-1.sse", "chat-parallel-tools-1.sse", "chat-reasoning-content-deepseek-1.sse"} {
		body := readRecording(t, file)
		want, wd := collect(t, strings.NewReader(body), stream.APIAuto)
		for _, v := range variants {
			t.Run(file+"/"+v.name, func(t *testing.T) {
				got, gd := collect(t, strings.NewReader(v.reframe(body)), stream.APIAuto)
				equalLines(t, describeAll(got), describeAll(want))
				if gd.Stats() != wd.Stats() {
					t.Errorf("Stats = %+v, want %+v", gd.Stats(), wd.Stats())
				}
			})
		}
	}
}

// splitDataLines cuts each `data: {...}` line after its first comma into
// two data lines; the SSE spec joins them back with a newline, which JSON
// reads as white space.
func splitDataLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if rest, ok := strings.CutPrefix(l, "data: {"); ok {
			if a, b, ok := strings.Cut(rest, ","); ok {
				lines[i] = "data: {" + a + ",\ndata: " + b
			}
		}
	}
	return strings.Join(lines, "\n")
}

func TestFramingDetails(t *testing.T) {
	const part = `"item_id":"m","output_index":0,"content_index":0`
	cases := []struct {
		name string
		body string
		want []string
	}{
		{
			name: "type taken from the event line when the JSON has none",
			body: "event: response.output_text.delta\ndata: {" + part + `,"delta":"A"}` + "\n\n" + sse(completed),
			want: []string{`text@0 "A"`, metaLine, usageLine, "done completed"},
		},
		{
			name: "a frame with no data is skipped",
			body: "event: response.output_text.delta\n\nid: 7\n\n" + sse(created, completed),
			want: []string{metaLine, usageLine, "done completed"},
		},
		{
			name: "a JSON object split over two data lines",
			body: "data: {\"type\":\"response.output_text.delta\",\n" +
				"data: " + part + `,"delta":"line one\nline two"}` + "\n\n" + sse(completed),
			want: []string{`text@0 "line one\nline two"`, metaLine, usageLine, "done completed"},
		},
		{
			name: "mixed line endings",
			body: "data: " + created + "\r\n\r\ndata: " + ev("response.output_text.delta", part, `"delta":"x"`) + "\r\r" +
				"data:" + completed + "\n\n",
			want: []string{metaLine, `text@0 "x"`, usageLine, "done completed"},
		},
		{
			name: "body ends mid-line",
			body: sse(created, ev("response.output_text.delta", part, `"delta":"Hel"`)) + `data: {"type":"response.output_text.delta","delta":"lo`,
			want: []string{metaLine, `text@0 "Hel"`, `error stream_truncated "The stream ended before the reply was complete; what arrived is kept."`, "done truncated"},
		},
		{
			name: "body ends after a data line, before the blank line",
			body: sse(created, ev("response.output_text.delta", part, `"delta":"Hel"`)) + "data: " + completed + "\n",
			want: []string{metaLine, `text@0 "Hel"`, `error stream_truncated "The stream ended before the reply was complete; what arrived is kept."`, "done truncated"},
		},
		{
			name: "body ends with no terminal event",
			body: sse(created, ev("response.output_text.delta", part, `"delta":"Hel"`)),
			want: []string{metaLine, `text@0 "Hel"`, `error stream_truncated "The stream ended before the reply was complete; what arrived is kept."`, "done truncated"},
		},
		{
			name: "empty body",
			body: "",
			want: []string{`error stream_truncated "The stream ended before the reply was complete; what arrived is kept."`, "done truncated"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			equalLines(t, decodeString(t, stream.APIAuto, tc.body), tc.want)
		})
	}
}

func TestTruncatedTurnKeepsText(t *testing.T) {
	body := readRecording(t, "responses-text-1.sse")
	cut := body[:strings.Index(body, "event: response.output_text.done")]
	turn, err := stream.DecodeAll(strings.NewReader(cut), stream.APIAuto)
	if err != nil {
		t.Fatal(err)
	}
	if turn.Status != stream.StatusTruncated || turn.Text != "Hello! How can I assist you today?" ||
		turn.Error == nil || turn.Error.Code != stream.CodeTruncated || !turn.Error.Retryable {
		t.Errorf("turn = status %q text %q error %+v; want truncated, the full text, a retryable stream_truncated", turn.Status, turn.Text, turn.Error)
	}
}

// TestHugeLine decodes an output_item.done whose line is 8 MB, past any
// fixed scanner buffer (bufio.Scanner stops at 64 KiB by default), when the
// event limit allows it.
func TestHugeLine(t *testing.T) {
	blob := strings.Repeat("gAAAAB", 8<<20/6)
	huge := ev("response.output_item.done", `"output_index":0,"item":{"id":"rs_big","type":"reasoning","summary":[],"encrypted_content":"`+blob+`"}`)
	body := sse(created, huge, ev("response.output_text.delta", `"item_id":"m","output_index":1`, `"delta":"after"`), completed)
	cs, _ := collect(t, strings.NewReader(body), stream.APIResponses, stream.WithMaxEventBytes(16<<20), stream.WithMaxReplyBytes(32<<20))
	equalLines(t, describeAll(cs), []string{metaLine, "item@0 reasoning rs_big", `text@1 "after"`, usageLine, "done completed"})
	if n := len(cs[1].Item); n != len(huge)-len(`{"type":"response.output_item.done","output_index":0,"item":}`) {
		t.Errorf("item is %d bytes, want the whole item", n)
	}
}

// stallBody hands over its bytes, then blocks until closed, like a server
// that stops sending but keeps the connection open.
type stallBody struct {
	r      *strings.Reader
	closed chan struct{}
	once   sync.Once
}

func newStallBody(s string) *stallBody {
	return &stallBody{r: strings.NewReader(s), closed: make(chan struct{})}
}

func (b *stallBody) Read(p []byte) (int, error) {
	if b.r.Len() > 0 {
		return b.r.Read(p)
	}
	<-b.closed
	return 0, io.ErrClosedPipe
}

func (b *stallBody) Close() error {
	b.once.Do(func() { close(b.closed) })
	return nil
}

// TestStall runs in a synctest bubble: time moves only when every goroutine
// is blocked, so the 50 ms timeout is exact and the test cannot be flaky on
// a slow machine. The bubble also fails the test if a goroutine is left.
func TestStall(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		body := newStallBody(sse(created, ev("response.output_text.delta", `"item_id":"m"`, `"delta":"kept"`)))
		start := time.Now()
		cs, _ := collect(t, body, stream.APIResponses, stream.WithStallTimeout(50*time.Millisecond))
		equalLines(t, describeAll(cs), []string{
			metaLine, `text@0 "kept"`,
			`error stream_stalled "The server sent nothing for 50ms; the reply so far is kept."`,
			"done truncated",
		})
		if got := time.Since(start); got != 50*time.Millisecond {
			t.Errorf("stalled after %v, want exactly 50ms", got)
		}
		if !cs[2].Err.Retryable {
			t.Error("a stall should be retryable")
		}
	})
}

// TestStallTimerResetByKeepalive: comment lines and keepalive events keep a
// slow stream alive; only silence counts as a stall.
func TestStallTimerResetByKeepalive(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		pr, pw := io.Pipe()
		go func() {
			_, _ = io.WriteString(pw, sse(created))
			for range 5 {
				time.Sleep(40 * time.Millisecond)
				_, _ = io.WriteString(pw, ": keepalive\n\n")
				time.Sleep(40 * time.Millisecond)
				_, _ = io.WriteString(pw, sse(ev("keepalive", `"sequence_number":1`)))
			}
			_, _ = io.WriteString(pw, sse(completed))
			pw.Close()
		}()
		cs, d := collect(t, pr, stream.APIResponses, stream.WithStallTimeout(50*time.Millisecond))
		equalLines(t, describeAll(cs), []string{metaLine, usageLine, "done completed"})
		if d.Stats().Unknown != 5 {
			t.Errorf("Stats = %+v, want 5 unknown keepalive events", d.Stats())
		}
	})
}

// waitForGoroutines polls until the goroutine count is back to base. It
// is a leak check, not a timing one: 2 s is far more than any exit needs.
func waitForGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("%d goroutines, want at most %d:\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestNoGoroutineLeak(t *testing.T) {
	t.Run("close with the body still open", func(t *testing.T) {
		base := runtime.NumGoroutine()
		pr, pw := io.Pipe()
		defer pw.Close()
		go func() { _, _ = io.WriteString(pw, sse(created)) }()
		d := stream.NewDecoder(pr, stream.APIResponses)
		if c, err := d.Next(); err != nil || c.Kind != stream.KindMeta {
			t.Fatalf("Next = %v, %v; want the meta", c.Kind, err)
		}
		if err := d.Close(); err != nil {
			t.Fatal(err)
		}
		_ = d.Close() // twice is fine
		waitForGoroutines(t, base)
	})
	t.Run("close before the first Next", func(t *testing.T) {
		base := runtime.NumGoroutine()
		pr, pw := io.Pipe()
		defer pw.Close()
		d := stream.NewDecoder(pr, stream.APIResponses)
		_ = d.Close()
		waitForGoroutines(t, base)
	})
	t.Run("normal completion", func(t *testing.T) {
		base := runtime.NumGoroutine()
		collect(t, strings.NewReader(readRecording(t, "responses-text-1.sse")), stream.APIAuto)
		waitForGoroutines(t, base)
	})
	t.Run("stall", func(t *testing.T) {
		base := runtime.NumGoroutine()
		pr, pw := io.Pipe()
		defer pw.Close()
		go func() { _, _ = io.WriteString(pw, sse(created)) }()
		collect(t, pr, stream.APIResponses, stream.WithStallTimeout(time.Millisecond))
		waitForGoroutines(t, base)
	})
}

// TestCloseUnblocksNext: Close from another goroutine ends a Next that is
// waiting for bytes, with the text so far kept and a done last.
func TestCloseUnblocksNext(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	go func() {
		_, _ = io.WriteString(pw, sse(created, ev("response.output_text.delta", `"item_id":"m"`, `"delta":"so far"`)))
	}()
	d := stream.NewDecoder(pr, stream.APIResponses)
	turn := stream.NewTurn()
	for range 2 {
		c, err := d.Next()
		if err != nil {
			t.Fatal(err)
		}
		turn.Add(c)
	}
	result := make(chan []stream.Choice)
	go func() {
		var cs []stream.Choice
		for {
			c, err := d.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			cs = append(cs, c)
		}
		result <- cs
	}()
	_ = d.Close()
	cs := <-result // hangs (and the test times out) if Close does not end Next
	if len(cs) == 0 || cs[len(cs)-1].Kind != stream.KindDone || cs[len(cs)-1].Done.Status != stream.StatusTruncated {
		t.Fatalf("after Close: %v, want ending with done truncated", describeAll(cs))
	}
	for _, c := range cs {
		turn.Add(c)
	}
	if turn.Text != "so far" {
		t.Errorf("text = %q, want the text before Close", turn.Text)
	}
}
