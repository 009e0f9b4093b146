package stream

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

const okBody = "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"model\":\"m\"}}\n\n" +
	"data: {\"type\":\"response.output_text.delta\",\"item_id\":\"msg_1\",\"delta\":\"Hi\"}\n\n" +
	"data: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"model\":\"m\",\"status\":\"completed\",\"usage\":{\"input_tokens\":3,\"output_tokens\":1,\"total_tokens\":4}}}\n\n"

func sseHandler(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, body)
	}
}

// collect drains a stream into a turn.
func collect(t *testing.T, s *Stream) *Turn {
	t.Helper()
	turn := NewTurn()
	for {
		c, err := s.Next()
		if errors.Is(err, io.EOF) {
			return turn
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		turn.Add(c)
	}
}

func testClient(url string, api API) *Client {
	return NewClient(Config{BaseURL: url, APIKey: "sk-test", API: api,
		RetryBase: 10 * time.Millisecond, RetryMax: 20 * time.Millisecond})
}

func TestClientSendsResponsesRequest(t *testing.T) {
	var got map[string]any
	var hdr http.Header
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr, path = r.Header.Clone(), r.URL.RequestURI()
		json.NewDecoder(r.Body).Decode(&got)
		sseHandler(okBody)(w, r)
	}))
	defer srv.Close()
	c := NewClient(Config{BaseURL: srv.URL + "/v1/", APIKey: "sk-secret",
		Header: http.Header{"Api-Key": {"azure"}}, Query: map[string][]string{"api-version": {"2025-04-01"}}})
	s, err := c.Stream(context.Background(), Request{
		Model: "gpt-5", Instructions: "be brief", ReasoningEffort: "low",
		Input: []InputItem{
			{Role: "user", Text: "hello"},
			{Role: "assistant", Items: []json.RawMessage{json.RawMessage(`{"type":"reasoning","id":"rs_1","encrypted_content":"x"}`)}},
			{Role: "tool", CallID: "call_1", Text: "42"},
		},
		Tools: []ToolSpec{{Name: "add", Description: "adds", Parameters: json.RawMessage(`{"type":"object"}`)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	turn := collect(t, s)
	if turn.Text != "Hi" || turn.Status != StatusCompleted {
		t.Fatalf("turn = %q %s", turn.Text, turn.Status)
	}
	if path != "/v1/responses?api-version=2025-04-01" {
		t.Errorf("path = %s", path)
	}
	if hdr.Get("Authorization") != "Bearer sk-secret" || hdr.Get("Api-Key") != "azure" || hdr.Get("Accept") != "text/event-stream" {
		t.Errorf("headers = %v", hdr)
	}
	want := map[string]any{"model": "gpt-5", "stream": true, "store": false, "instructions": "be brief"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("body[%s] = %v, want %v", k, got[k], v)
		}
	}
	if r, _ := got["reasoning"].(map[string]any); r["effort"] != "low" || r["summary"] != "auto" {
		t.Errorf("reasoning = %v", got["reasoning"])
	}
	if inc, _ := got["include"].([]any); len(inc) != 1 || inc[0] != "reasoning.encrypted_content" {
		t.Errorf("include = %v", got["include"])
	}
	input := got["input"].([]any)
	if len(input) != 3 {
		t.Fatalf("input = %v", input)
	}
	if m := input[1].(map[string]any); m["type"] != "reasoning" || m["encrypted_content"] != "x" {
		t.Errorf("raw item not sent verbatim: %v", m)
	}
	if m := input[2].(map[string]any); m["type"] != "function_call_output" || m["call_id"] != "call_1" || m["output"] != "42" {
		t.Errorf("tool output = %v", m)
	}
}

func TestClientSendsChatRequest(t *testing.T) {
	var got map[string]any
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.URL.Path
		json.NewDecoder(r.Body).Decode(&got)
		sseHandler("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")(w, r)
	}))
	defer srv.Close()
	c := NewClient(Config{BaseURL: srv.URL, API: APIChat})
	s, err := c.Stream(context.Background(), Request{Model: "llama3.2", Instructions: "sys",
		Input: []InputItem{
			{Role: "user", Text: "hi"},
			{Role: "assistant", Text: "", ToolCalls: []ToolCall{{CallID: "c1", Name: "add", Arguments: `{"a":1}`}}},
			{Role: "tool", CallID: "c1", Text: "2"},
		}})
	if err != nil {
		t.Fatal(err)
	}
	if turn := collect(t, s); turn.Text != "ok" || turn.API != "" && turn.API != APIChat {
		t.Fatalf("text = %q", turn.Text)
	}
	if path != "/chat/completions" {
		t.Errorf("path = %s", path)
	}
	so, _ := got["stream_options"].(map[string]any)
	if so["include_usage"] != true || got["stream"] != true {
		t.Errorf("stream options = %v", got)
	}
	msgs := got["messages"].([]any)
	if len(msgs) != 4 || msgs[0].(map[string]any)["role"] != "system" {
		t.Fatalf("messages = %v", msgs)
	}
	calls := msgs[2].(map[string]any)["tool_calls"].([]any)
	if fn := calls[0].(map[string]any)["function"].(map[string]any); fn["arguments"] != `{"a":1}` {
		t.Errorf("tool call = %v", calls)
	}
	if m := msgs[3].(map[string]any); m["role"] != "tool" || m["tool_call_id"] != "c1" {
		t.Errorf("tool message = %v", m)
	}
}

func TestClientNoKeyNoAuthorization(t *testing.T) {
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth = r.Header.Values("Authorization")
		sseHandler(okBody)(w, r)
	}))
	defer srv.Close()
	s, err := NewClient(Config{BaseURL: srv.URL}).Stream(context.Background(), Request{Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	collect(t, s)
	if len(auth) != 0 {
		t.Fatalf("Authorization sent without a key: %v", auth)
	}
}

func TestClientRetriesHonourRetryAfter(t *testing.T) {
	var n atomic.Int32
	var times []time.Time
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		times = append(times, time.Now())
		if n.Add(1) <= 2 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			io.WriteString(w, `{"error":{"message":"Rate limit reached","type":"requests","code":"rate_limit_exceeded"}}`)
			return
		}
		sseHandler(okBody)(w, r)
	}))
	defer srv.Close()
	var waits []time.Duration
	var retries []Retry
	c := NewClient(Config{BaseURL: srv.URL, OnRetry: func(r Retry) { waits, retries = append(waits, r.Wait), append(retries, r) }})
	s, err := c.Stream(context.Background(), Request{Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	if collect(t, s).Text != "Hi" {
		t.Fatal("no reply after retries")
	}
	if len(times) != 3 {
		t.Fatalf("requests = %d, want 3", len(times))
	}
	for i := 1; i < 3; i++ {
		if gap := times[i].Sub(times[i-1]); gap < time.Second {
			t.Errorf("retry %d came after %v, before the server's Retry-After of 1s", i, gap)
		}
	}
	if len(waits) != 2 || waits[0] != time.Second {
		t.Errorf("announced waits = %v", waits)
	}
	if r := retries[1]; r.Attempt != 2 || r.Max != DefaultMaxRetries || r.Reason != "HTTP 429" || r.Err.Code != "rate_limit_exceeded" {
		t.Errorf("second retry = %+v, want attempt 2 of %d for HTTP 429", r, DefaultMaxRetries)
	}
}

func TestClientRetryAfterMs(t *testing.T) {
	h := http.Header{}
	h.Set("retry-after-ms", "250")
	h.Set("Retry-After", "9")
	if d := retryAfter(h, time.Now()); d != 250*time.Millisecond {
		t.Fatalf("retry-after-ms ignored: %v", d)
	}
	h = http.Header{}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	h.Set("Retry-After", now.Add(3*time.Second).Format(http.TimeFormat))
	if d := retryAfter(h, now); d != 3*time.Second {
		t.Fatalf("HTTP-date Retry-After = %v", d)
	}
}

func TestClientDoesNotRetryCallerErrors(t *testing.T) {
	cases := []struct {
		status int
		body   string
		code   string
		msg    string
	}{
		{400, `{"error":{"message":"Invalid 'temperature': decimal below minimum value.","type":"invalid_request_error","param":"temperature","code":"decimal_below_min_value"}}`, "decimal_below_min_value", "Invalid 'temperature'"},
		{401, `{"error":{"message":"Incorrect API key provided: sk-te**st.","type":"invalid_request_error","code":"invalid_api_key"}}`, "invalid_api_key", "Incorrect API key"},
		{403, `{"error":{"message":"Project does not have access to model gpt-5","type":"invalid_request_error","code":null}}`, "invalid_request_error", "Project does not have access"},
		{404, `{"error":{"message":"The model 'nope' does not exist","type":"invalid_request_error","code":"model_not_found"}}`, "model_not_found", "The model 'nope'"},
		{400, `{"error":{"message":"This model's maximum context length is 128000 tokens.","type":"invalid_request_error","code":"context_length_exceeded"}}`, "context_length_exceeded", "This model's maximum context length"},
		{500, `{"error":{"message":"Your input exceeds the context window","code":"context_length_exceeded"}}`, "context_length_exceeded", "Your input exceeds"},
		{404, `404 page not found`, CodeHTTP, "The server answered 404: 404 page not found"},
		{401, `{"error":"invalid key"}`, CodeHTTP, "invalid key"},
	}
	for _, tc := range cases {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(tc.status)
			io.WriteString(w, tc.body)
		}))
		_, err := testClient(srv.URL, APIResponses).Stream(context.Background(), Request{Model: "m"})
		srv.Close()
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("%d: error %v is not *Error", tc.status, err)
		}
		if n.Load() != 1 {
			t.Errorf("%d %s: %d requests, want no retry", tc.status, tc.code, n.Load())
		}
		if e.HTTPStatus != tc.status || e.Code != tc.code || !strings.HasPrefix(e.Message, tc.msg) || e.Retryable {
			t.Errorf("%d: got %+v", tc.status, e)
		}
	}
}

func TestClientRetriesServerErrorsThenGivesUp(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504} {
		var n atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			w.WriteHeader(status)
			io.WriteString(w, `{"error":{"message":"The server had an error","type":"server_error","code":null}}`)
		}))
		_, err := testClient(srv.URL, APIResponses).Stream(context.Background(), Request{Model: "m"})
		srv.Close()
		var e *Error
		if !errors.As(err, &e) || e.HTTPStatus != status || e.Message != "The server had an error" {
			t.Fatalf("%d: %v", status, err)
		}
		if n.Load() != 1+DefaultMaxRetries {
			t.Errorf("%d: %d requests, want %d", status, n.Load(), 1+DefaultMaxRetries)
		}
	}
}

func TestClientRetriesConnectionErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now
	var retries int
	c := NewClient(Config{BaseURL: "http://" + addr, RetryBase: time.Millisecond, RetryMax: 2 * time.Millisecond,
		OnRetry: func(r Retry) {
			retries++
			if r.Reason != "connection refused" || r.Attempt != retries || r.Max != DefaultMaxRetries {
				t.Errorf("retry %+v, want attempt %d of %d, connection refused", r, retries, DefaultMaxRetries)
			}
		}})
	_, err = c.Stream(context.Background(), Request{Model: "m"})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeConnection || !strings.Contains(e.Message, addr) {
		t.Fatalf("err = %v", err)
	}
	if retries != DefaultMaxRetries {
		t.Errorf("retries = %d", retries)
	}
}

func TestClientJSONInsteadOfStream(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"id":"resp_1","output":[]}`)
	}))
	defer srv.Close()
	_, err := testClient(srv.URL, APIResponses).Stream(context.Background(), Request{Model: "m"})
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeBadReply {
		t.Fatalf("err = %v", err)
	}
}

// slowServer sends one text delta, then holds the connection open.
func slowServer(t *testing.T) *httptest.Server {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		io.WriteString(w, "data: {\"type\":\"response.output_text.delta\",\"item_id\":\"m\",\"delta\":\"partial\"}\n\n")
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}))
	t.Cleanup(func() { close(release); srv.Close() })
	return srv
}

func TestClientCancelStopsQuickly(t *testing.T) {
	srv := slowServer(t)
	transport := &http.Transport{}
	defer transport.CloseIdleConnections()
	base := runtime.NumGoroutine()
	c := NewClient(Config{BaseURL: srv.URL, HTTPClient: &http.Client{Transport: transport}})
	var best time.Duration = time.Hour
	// A scheduling hiccup on a loaded machine should not fail the test, so
	// take the best of three tries; each is normally well under 10 ms.
	for try := 0; try < 3; try++ {
		ctx, cancel := context.WithCancel(context.Background())
		s, err := c.Stream(ctx, Request{Model: "m"})
		if err != nil {
			t.Fatal(err)
		}
		if c, _ := s.Next(); c.Delta != "partial" {
			t.Fatalf("first choice = %+v", c)
		}
		got := make(chan []Choice)
		go func() {
			var rest []Choice
			for {
				c, err := s.Next()
				if err != nil {
					got <- rest
					return
				}
				rest = append(rest, c)
			}
		}()
		time.Sleep(20 * time.Millisecond)
		start := time.Now()
		cancel()
		rest := <-got
		if d := time.Since(start); d < best {
			best = d
		}
		if len(rest) != 2 || rest[0].Err == nil || rest[0].Err.Code != CodeCancelled || rest[1].Done.Status != StatusTruncated {
			t.Fatalf("after cancel: %+v", rest)
		}
	}
	t.Logf("cancel to end of stream: %v", best)
	if best > 100*time.Millisecond {
		t.Errorf("cancel took %v, want under 100 ms", best)
	}
	transport.CloseIdleConnections()
	waitGoroutines(t, base)
}

func TestClientStallEndsTurnKeepingText(t *testing.T) {
	srv := slowServer(t)
	c := NewClient(Config{BaseURL: srv.URL, StallTimeout: 100 * time.Millisecond})
	s, err := c.Stream(context.Background(), Request{Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	turn := collect(t, s)
	if turn.Text != "partial" || turn.Status != StatusTruncated || turn.Error == nil || turn.Error.Code != CodeStalled {
		t.Fatalf("turn = %q %s %+v", turn.Text, turn.Status, turn.Error)
	}
}

func TestClientStreamCloseReleasesGoroutines(t *testing.T) {
	srv := slowServer(t)
	transport := &http.Transport{}
	base := runtime.NumGoroutine()
	c := NewClient(Config{BaseURL: srv.URL, HTTPClient: &http.Client{Transport: transport}})
	for i := 0; i < 5; i++ {
		s, err := c.Stream(context.Background(), Request{Model: "m"})
		if err != nil {
			t.Fatal(err)
		}
		s.Next()
		s.Close() // the caller stops reading mid-stream
	}
	transport.CloseIdleConnections()
	waitGoroutines(t, base)
}

// waitGoroutines fails if the goroutine count does not come back to base.
func waitGoroutines(t *testing.T, base int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > base {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<16)
			t.Fatalf("goroutines: %d, baseline %d\n%s", runtime.NumGoroutine(), base, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestClientAuthHeaderForAzure(t *testing.T) {
	var hdr http.Header
	var query string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hdr, query = r.Header.Clone(), r.URL.RawQuery
		sseHandler(okBody)(w, r)
	}))
	defer srv.Close()
	c := NewClient(Config{BaseURL: srv.URL + "/openai/v1", APIKey: "azure-key", AuthHeader: "api-key",
		Query: map[string][]string{"api-version": {"preview"}}})
	s, err := c.Stream(context.Background(), Request{Model: "gpt-4o"})
	if err != nil {
		t.Fatal(err)
	}
	collect(t, s)
	if hdr.Get("api-key") != "azure-key" || hdr.Get("Authorization") != "" || query != "api-version=preview" {
		t.Fatalf("headers %v query %q", hdr, query)
	}
}

func TestResponsesBodyWebSearch(t *testing.T) {
	b, err := responsesBody(Request{Model: "gpt-5", WebSearch: true, Tools: []ToolSpec{{Name: "calc"}}})
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		Tools []map[string]any `json:"tools"`
	}
	json.Unmarshal(b, &got)
	if len(got.Tools) != 2 || got.Tools[0]["type"] != "web_search" || got.Tools[1]["name"] != "calc" {
		t.Fatalf("tools = %v", got.Tools)
	}
}
