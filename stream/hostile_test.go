package stream_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
)

// askTools sends a prompt that offers one tool, as Parley's chat does.
func askTools(t *testing.T, url string, api stream.API, model string) *stream.Turn {
	t.Helper()
	s, err := stream.NewClient(stream.Config{BaseURL: url, API: api}).Stream(context.Background(), stream.Request{
		Model: model, Input: []stream.InputItem{{Role: "user", Text: "run it"}},
		Tools: []stream.ToolSpec{{Name: "shell", Description: "runs a command"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return drain(t, s)
}

func TestMockArgsChangedRunsOnlyTheFinalArguments(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true})
	// Responses: the done events are the call; Chat: what came by the finish.
	want := map[stream.API]struct {
		args    string
		changed bool
	}{
		stream.APIResponses: {`{"msg": "rm -rf ~ EXECUTED-FINAL"}`, true},
		stream.APIChat:      {`{"msg": "hello"}`, false},
	}
	for _, api := range apis {
		turn := askTools(t, url, api, "fault:args-changed")
		w := want[api]
		if len(turn.ToolCalls) != 1 || turn.ToolCalls[0].Name != "shell" || turn.ToolCalls[0].Arguments != w.args || turn.ToolCalls[0].ArgsChanged != w.changed {
			t.Errorf("%s: calls = %+v, want shell with %s (changed %v)", api, turn.ToolCalls, w.args, w.changed)
		}
	}
}

func TestMockReusedIDsMakeSeparateCalls(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true})
	for _, api := range apis {
		first := askTools(t, url, api, "fault:reused-ids")
		second := askTools(t, url, api, "fault:reused-ids")
		for _, turn := range []*stream.Turn{first, second} {
			c := turn.ToolCalls
			if len(c) != 2 || c[0].CallID != c[1].CallID || c[0].Arguments != `{"msg": "first"}` || c[1].Arguments != `{"msg": "second, same ids"}` {
				t.Errorf("%s: calls = %+v, want two calls sharing ids, each with its own arguments", api, c)
			}
		}
		if first.ToolCalls[0].CallID != second.ToolCalls[0].CallID {
			t.Errorf("%s: the second reply does not reuse the first one's ids", api)
		}
	}
}

func TestMockEchoAuthNeverShowsTheKey(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true})
	const key = "sk-test-echo-0123456789"
	for _, api := range apis {
		_, err := ask(url, api, "fault:echo-auth", stream.Config{APIKey: key})
		var e *stream.Error
		if !errors.As(err, &e) || e.HTTPStatus != 401 {
			t.Fatalf("%s: err = %v, want the 401", api, err)
		}
		if strings.Contains(e.Error(), key) || !strings.Contains(e.Message, "Authorization: Bearer "+stream.Mask) {
			t.Errorf("%s: %s; want the echoed key masked", api, e.Message)
		}
	}
	_, url = startMock(t, mock.Options{Instant: true, Fault: "echo-auth"})
	_, err := stream.NewClient(stream.Config{BaseURL: url, APIKey: key}).ListModels(context.Background())
	if err == nil || strings.Contains(err.Error(), key) {
		t.Errorf("models: %v; want the 401 with the key masked", err)
	}
}

// TestMockEscapesReachEveryField: the fault really puts escapes in every
// field the stream hands on (sanitising them is the terminal side's job).
func TestMockEscapesReachEveryField(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true})
	const esc = "\x1b]52;c;"
	turn := askTools(t, url, stream.APIResponses, "fault:escapes")
	fields := map[string]string{"model": turn.Model, "text": turn.Text, "reasoning": strings.Join(turn.Reasoning, ""),
		"error": turn.Error.Message}
	if len(turn.ToolCalls) == 1 {
		fields["tool name"], fields["tool arguments"] = turn.ToolCalls[0].Name, turn.ToolCalls[0].Arguments
	}
	if len(turn.Annotations) == 1 {
		fields["citation title"], fields["citation url"] = turn.Annotations[0].Title, turn.Annotations[0].URL
	}
	for _, name := range []string{"model", "text", "reasoning", "error", "tool name", "tool arguments", "citation title", "citation url"} {
		// Arguments are JSON: the escape is written \u001b there.
		if v := fields[name]; !strings.Contains(v, esc) && !strings.Contains(v, `\u001b]52;c;`) {
			t.Errorf("%s = %q, want the OSC 52 escape in it", name, v)
		}
	}
	_, url = startMock(t, mock.Options{Instant: true, Fault: "escapes"})
	ids, err := stream.NewClient(stream.Config{BaseURL: url}).ListModels(context.Background())
	if err != nil || !strings.Contains(strings.Join(ids, " "), "\x1b]0;") {
		t.Errorf("models = %q, %v; want an id with escapes", ids, err)
	}
}

// TestMockHugeLineEndsTheReply: one 200 MB line through the real HTTP
// client ends the reply at the event limit, having held only about that.
func TestMockHugeLineEndsTheReply(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true})
	for _, api := range apis {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, err := ask(url, api, "fault:hugeline", stream.Config{})
		if err != nil {
			t.Fatal(err)
		}
		turn := drain(t, s)
		runtime.ReadMemStats(&after)
		if turn.Error == nil || turn.Error.Code != stream.CodeEventTooLarge || turn.Status != stream.StatusTruncated {
			t.Errorf("%s: status %s, error %+v; want truncated by event_too_large", api, turn.Status, turn.Error)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("%s: allocated %d MiB for a 200 MB line cut at 4 MiB", api, alloc>>20)
		}
	}
}

// TestMockEndlessEndsAtTheReplyLimit: a reply that never ends, at full
// speed, is cut at the reply limit with what came kept.
func TestMockEndlessEndsAtTheReplyLimit(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true})
	for _, api := range apis {
		s, err := ask(url, api, "fault:endless", stream.Config{MaxReplyBytes: 1 << 20})
		if err != nil {
			t.Fatal(err)
		}
		turn := drain(t, s)
		if turn.Status != stream.StatusIncomplete || turn.IncompleteReason != stream.ReasonReplyLimit ||
			turn.Error == nil || turn.Error.Code != stream.CodeReplyTooLarge {
			t.Errorf("%s: status %s %q, error %+v; want incomplete at the reply limit", api, turn.Status, turn.IncompleteReason, turn.Error)
		}
		if n := len(turn.Text); n < 100_000 || n > 1<<20 {
			t.Errorf("%s: kept %d bytes of text", api, n)
		}
	}
}

// BenchmarkEndlessPeakHeap reads fault:endless through the real client
// until the default reply limit stops it, and reports the peak heap the
// stream's side used (the target for the whole binary is 300 MB).
func BenchmarkEndlessPeakHeap(b *testing.B) {
	_, url := startMock(b, mock.Options{Instant: true})
	for range b.N {
		runtime.GC()
		var base runtime.MemStats
		runtime.ReadMemStats(&base)
		var peak atomic.Uint64
		stop := make(chan struct{})
		done := make(chan struct{})
		go func() { // sample the heap while the stream runs
			defer close(done)
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > peak.Load() {
					peak.Store(m.HeapInuse)
				}
				select {
				case <-stop:
					return
				case <-time.After(5 * time.Millisecond):
				}
			}
		}()
		s, err := ask(url, stream.APIResponses, "fault:endless", stream.Config{})
		if err != nil {
			b.Fatal(err)
		}
		turn := stream.NewTurn()
		var choices int
		for {
			c, err := s.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			turn.Add(c)
			choices++
		}
		close(stop)
		<-done
		if turn.IncompleteReason != stream.ReasonReplyLimit {
			b.Fatalf("ended %s %q", turn.Status, turn.IncompleteReason)
		}
		b.ReportMetric(float64(peak.Load()-min(peak.Load(), base.HeapInuse))/(1<<20), "peak-heap-MiB")
		b.ReportMetric(float64(len(turn.Text))/(1<<20), "text-MiB")
		if b.N == 1 {
			fmt.Printf("fault:endless: cut after %d choices, %.1f MiB of text kept, peak heap %.1f MiB above the start\n",
				choices, float64(len(turn.Text))/(1<<20), float64(peak.Load()-min(peak.Load(), base.HeapInuse))/(1<<20))
		}
	}
}

// TestStallAfterTheFirstTokenIsNotRetried: a stream that goes silent after
// it began ends with the partial reply kept and no second request; one that
// goes silent before any event is retried, and OnRetry says why.
func TestStallAfterTheFirstTokenIsNotRetried(t *testing.T) {
	srv, url := startMock(t, mock.Options{Instant: true, StallAfter: 5 * time.Second})
	var retries []stream.Retry
	cfg := stream.Config{StallTimeout: 200 * time.Millisecond, OnRetry: func(r stream.Retry) { retries = append(retries, r) }}
	s, err := ask(url, stream.APIResponses, "fault:stall", cfg)
	if err != nil {
		t.Fatal(err)
	}
	turn := drain(t, s)
	if len(srv.Requests()) != 1 || len(retries) != 0 {
		t.Errorf("%d requests, %d retries; a stream that stalled after it began must not be retried", len(srv.Requests()), len(retries))
	}
	if turn.Text == "" || turn.Error == nil || turn.Error.Message != "The server sent nothing for 200ms; the reply so far is kept." {
		t.Errorf("text %q, error %+v; want the partial reply kept and said so", turn.Text, turn.Error)
	}

	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		w.WriteHeader(200)
		w.(http.Flusher).Flush()
		<-r.Context().Done()
	}))
	defer silent.Close()
	retries = nil
	cfg.BaseURL, cfg.MaxRetries, cfg.RetryBase, cfg.RetryMax = silent.URL, 1, time.Millisecond, time.Millisecond
	_, err = stream.NewClient(cfg).Stream(context.Background(), stream.Request{Model: "m"})
	var e *stream.Error
	if !errors.As(err, &e) || e.Code != stream.CodeStalled {
		t.Errorf("err = %v, want a stall", err)
	}
	if len(retries) != 1 || retries[0].Reason != "no data for 200ms" || retries[0].Attempt != 1 || retries[0].Max != 1 {
		t.Errorf("retries = %+v, want one, for no data", retries)
	}
}
