package stream_test

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/parley-tui/parley/stream"
)

// endlessReader is a body that never ends until closed: head once, then
// unit for ever, or next(1), next(2)... when next is set.
type endlessReader struct {
	head, unit string
	next       func(i int) string
	i          int
	off        int
	read       int64
	closed     atomic.Bool
}

func (r *endlessReader) Close() error {
	r.closed.Store(true)
	return nil
}

func (r *endlessReader) Read(p []byte) (int, error) {
	if r.closed.Load() {
		return 0, io.ErrClosedPipe
	}
	n := 0
	for n < len(p) {
		src := r.unit
		if r.head != "" {
			src = r.head
		}
		c := copy(p[n:], src[r.off:])
		n += c
		r.off += c
		if r.off == len(src) {
			r.off = 0
			if r.head == "" && r.next != nil {
				r.i++
				r.unit = r.next(r.i)
			}
			r.head = ""
		}
	}
	r.read += int64(n)
	return n, nil
}

func TestEventLimitEndsTheReplyAndKeepsWhatCame(t *testing.T) {
	const limit = 64 << 10
	before := sse(created, ev("response.output_text.delta", `"item_id":"m","output_index":0`, `"delta":"kept"`))
	cases := []struct{ name, body string }{
		{"one long line", before + "data: " + strings.Repeat("x", limit+1) + "\n\n"},
		{"a long event of short lines", before + strings.Repeat("data: "+strings.Repeat("y", 1000)+"\n", limit/1000+1) + "\n"},
		{"too many data lines", before + strings.Repeat("data:\n", 600) + "\n"},
		{"a long CR-ended line", before + "data: " + strings.Repeat("z", limit+1) + "\r\r"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs, _ := collect(t, strings.NewReader(tc.body+sse(completed)), stream.APIResponses, stream.WithMaxEventBytes(limit))
			equalLines(t, describeAll(cs), []string{metaLine, `text@0 "kept"`,
				`error event_too_large "The server sent an event larger than 64 KiB or of more than 512 lines, Parley's limit for one event; the reply was cut there and what arrived is kept."`,
				"done truncated"})
			if cs[len(cs)-2].Err.Retryable {
				t.Error("a too-large event must not be retried: the same server sends it again")
			}
		})
	}
}

func TestEventLimitLetsCommentsAndSmallEventsThrough(t *testing.T) {
	// Keepalive comments without blank lines between them, for longer than
	// the limit, then ordinary events: nothing is cut.
	pings := strings.Repeat(": ping\n", 20_000)
	body := pings + sse(created, ev("response.output_text.delta", `"item_id":"m","output_index":0`, `"delta":"ok"`), completed)
	cs, _ := collect(t, strings.NewReader(body), stream.APIResponses, stream.WithMaxEventBytes(64<<10))
	equalLines(t, describeAll(cs), []string{metaLine, `text@0 "ok"`, usageLine, "done completed"})
}

// TestHugeLineMemory feeds a line that never ends and checks that the
// decoder stops at the limit having allocated about that much, not what
// the server sent.
func TestHugeLineMemory(t *testing.T) {
	body := &endlessReader{head: sse(created) + "data: ", unit: strings.Repeat("A", 4096)}
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	cs, _ := collect(t, body, stream.APIResponses, stream.WithMaxEventBytes(4<<20))
	runtime.ReadMemStats(&after)
	if got := cs[len(cs)-2]; got.Kind != stream.KindError || got.Err.Code != stream.CodeEventTooLarge {
		t.Fatalf("got %s, want an event_too_large error", describe(got))
	}
	if body.read > 5<<20 {
		t.Errorf("read %d bytes of the endless line; it should stop at the 4 MiB limit", body.read)
	}
	// bufio collects the line in chunks, then copies it into one string.
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 32<<20 {
		t.Errorf("allocated %d MiB for a line cut at 4 MiB", alloc>>20)
	}
}

func TestReplyLimitEndsTheReplyAndKeepsWhatCame(t *testing.T) {
	delta := ev("response.output_text.delta", `"item_id":"m","output_index":0`, `"delta":"`+strings.Repeat("w", 1000)+`"`)
	body := &endlessReader{head: sse(created), unit: sse(delta)}
	d := stream.NewDecoder(body, stream.APIResponses, stream.WithMaxReplyBytes(100_000))
	defer d.Close()
	turn := stream.NewTurn()
	for {
		c, err := d.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		turn.Add(c)
	}
	if turn.Status != stream.StatusIncomplete || turn.IncompleteReason != stream.ReasonReplyLimit {
		t.Errorf("status %s %q, want incomplete %q", turn.Status, turn.IncompleteReason, stream.ReasonReplyLimit)
	}
	if turn.Error == nil || turn.Error.Code != stream.CodeReplyTooLarge ||
		turn.Error.Message != "The reply passed 97 KiB, Parley's limit for one reply; it was cut there and what arrived is kept." {
		t.Errorf("error = %+v", turn.Error)
	}
	if n := len(turn.Text); n < 90_000 || n > 100_000 || strings.Trim(turn.Text, "w") != "" {
		t.Errorf("kept %d bytes of text, want the ~97 KiB that came before the limit", n)
	}
}

// TestReplyLimitCountsTheText: the limit is on the reply's text, byte for
// byte, however finely it streams; a delta of one byte costs one byte.
func TestReplyLimitCountsTheText(t *testing.T) {
	for _, unit := range []string{"w", strings.Repeat("w", 100)} {
		delta := ev("response.output_text.delta", `"item_id":"m","output_index":0`, `"delta":"`+unit+`"`)
		body := &endlessReader{head: sse(created), unit: sse(delta)}
		cs, _ := collect(t, body, stream.APIResponses, stream.WithMaxReplyBytes(1024))
		turn := stream.NewTurn()
		for _, c := range cs {
			turn.Add(c)
		}
		if turn.Error == nil || turn.Error.Code != stream.CodeReplyTooLarge {
			t.Fatalf("deltas of %d bytes: error %+v", len(unit), turn.Error)
		}
		if n := len(turn.Text); n < 1024-len(unit) || n > 1024 {
			t.Errorf("deltas of %d bytes: kept %d bytes of text under a 1 KiB limit", len(unit), n)
		}
	}
}

// TestReplyLimitCountsEveryKindOfChoice: a server cannot grow a turn
// without bound through choices that carry little text, such as a new
// tool call or citation per event: they have a bound of their own, in
// proportion to the limit, with an error that says so.
func TestReplyLimitCountsEveryKindOfChoice(t *testing.T) {
	units := map[string]func(i int) string{
		"tool calls": func(i int) string {
			return ev("response.output_item.added", fmt.Sprintf(`"output_index":%d`, i), `"item":{"type":"function_call","id":"fc","call_id":"c","name":"n"}`)
		},
		"citations": func(int) string {
			return ev("response.output_text.annotation.added", `"output_index":0`, `"annotation":{"type":"url_citation","url":"https://x"}`)
		},
		"reasoning parts": func(i int) string {
			return ev("response.reasoning_summary_text.delta", fmt.Sprintf(`"item_id":"rs","output_index":0,"summary_index":%d`, i), `"delta":"r"`)
		},
	}
	for name, unit := range units {
		t.Run(name, func(t *testing.T) {
			body := &endlessReader{head: sse(created), unit: sse(unit(0)), next: func(i int) string { return sse(unit(i)) }}
			cs, _ := collect(t, body, stream.APIResponses, stream.WithMaxReplyBytes(50_000))
			if last := cs[len(cs)-2]; last.Kind != stream.KindError || last.Err.Code != stream.CodeReplyOverhead ||
				!strings.Contains(last.Err.Message, "calls, citations, parts and raw items") {
				t.Fatalf("ended with %s, want reply_overhead", describe(last))
			}
			// One part, call or citation costs 32 B against 4 x the limit
			// + 1 MiB; the meta, the error and the done come on top.
			if bound := (4*50_000+1<<20)/32 + 3; len(cs) > bound {
				t.Errorf("%d choices handed out under a 50 KB limit, more than %d", len(cs), bound)
			}
		})
	}
}
