package mock

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

// readAPIError decodes an OpenAI error envelope, checking its exact shape:
// four keys, with param and code present even when null.
func readAPIError(t *testing.T, resp *http.Response) errorBody {
	t.Helper()
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("error content type %q", ct)
	}
	var env map[string]map[string]any
	b, _ := io.ReadAll(resp.Body)
	if err := json.Unmarshal(b, &env); err != nil || len(env) != 1 {
		t.Fatalf("error body %s: %v", b, err)
	}
	e := env["error"]
	for _, k := range []string{"message", "type", "param", "code"} {
		if _, ok := e[k]; !ok || len(e) != 4 {
			t.Errorf("error body %s: want exactly message, type, param, code", b)
		}
	}
	code, _ := e["code"].(string)
	param, _ := e["param"].(string)
	return errorBody{Message: str(e, "message"), Type: str(e, "type"), Code: &code, Param: &param}
}

func TestHTTPFaults(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	for _, tc := range []struct {
		model      string
		status     int
		typ, code  string
		retryAfter string
	}{
		{"fault:400", 400, "invalid_request_error", "decimal_below_min_value", ""},
		{"fault:401", 401, "invalid_request_error", "invalid_api_key", ""},
		{"fault:403", 403, "request_forbidden", "unsupported_country_region_territory", ""},
		{"fault:404", 404, "invalid_request_error", "model_not_found", ""},
		{"fault:429", 429, "requests", "rate_limit_exceeded", "1"},
		{"fault:429:7", 429, "requests", "rate_limit_exceeded", "7"},
		{"fault:500", 500, "server_error", "server_error", ""},
		{"fault:502", 502, "server_error", "bad_gateway", ""},
		{"fault:503", 503, "server_error", "server_is_overloaded", ""},
		{"fault:504", 504, "server_error", "timeout", ""},
		{"fault:context", 400, "invalid_request_error", "context_length_exceeded", ""},
		{"fault:nonsense", 400, "invalid_request_error", "invalid_value", ""},
		{"fault:500:3", 400, "invalid_request_error", "invalid_value", ""},
	} {
		for _, path := range []string{"/responses", "/chat/completions"} {
			body := responsesRequest(tc.model, "hello")
			if path == "/chat/completions" {
				body = chatBodyFor(tc.model, "hello", true)
			}
			b, _ := json.Marshal(body)
			resp, err := http.Post(base+path, "application/json", strings.NewReader(string(b)))
			if err != nil {
				t.Fatal(err)
			}
			e := readAPIError(t, resp)
			if resp.StatusCode != tc.status || e.Type != tc.typ || *e.Code != tc.code || e.Message == "" {
				t.Errorf("%s %s: %d %+v", tc.model, path, resp.StatusCode, e)
			}
			if got := resp.Header.Get("Retry-After"); got != tc.retryAfter {
				t.Errorf("%s: Retry-After %q, want %q", tc.model, got, tc.retryAfter)
			}
			if tc.status == 429 && !strings.Contains(e.Message, "Please try again in "+tc.retryAfter+"s.") {
				t.Errorf("429 message %q", e.Message)
			}
		}
	}
}

func TestFaultRepeatCount(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	statuses := func(model string, n int) []int {
		var out []int
		for range n {
			resp, body := post(t, base+"/responses", responsesRequest(model, "hi"))
			out = append(out, resp.StatusCode)
			if resp.StatusCode == 200 {
				if r := checkResponses(t, body); !strings.Contains(r.text, "| Event") {
					t.Errorf("after the faults: want the markdown script")
				}
			}
		}
		return out
	}
	if got := statuses("fault:429x2", 4); !slices.Equal(got, []int{429, 429, 200, 200}) {
		t.Errorf("fault:429x2 gave %v", got)
	}
	// The count is per exact model name.
	if got := statuses("fault:503-once", 2); !slices.Equal(got, []int{503, 200}) {
		t.Errorf("fault:503-once gave %v", got)
	}
	if got := statuses("fault:500x1", 2); !slices.Equal(got, []int{500, 200}) {
		t.Errorf("fault:500x1 gave %v", got)
	}
	if got := statuses("fault:500", 2); !slices.Equal(got, []int{500, 500}) {
		t.Errorf("fault:500 gave %v", got)
	}
}

// openStream posts a streaming request and returns the open response.
func openStream(t *testing.T, url string, body any) *http.Response {
	t.Helper()
	b, _ := json.Marshal(body)
	resp, err := http.Post(url, "application/json", strings.NewReader(string(b)))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	return resp
}

func TestFaultDrop(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	for _, path := range []string{"/responses", "/chat/completions"} {
		body := responsesRequest("fault:drop", "hi")
		if path == "/chat/completions" {
			body = chatBodyFor("fault:drop", "hi", true)
		}
		resp := openStream(t, base+path, body)
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: reading a dropped stream gave %v, want unexpected EOF", path, err)
		}
		frames := parseSSE(t, got)
		deltas := 0
		for _, f := range frames {
			if strings.Contains(f.data, `"delta"`) && (strings.Contains(f.data, "output_text.delta") || strings.Contains(f.data, `"delta":{"content":"`)) {
				deltas++
			}
			if strings.Contains(f.data, "response.completed") || f.data == "[DONE]" || strings.Contains(f.data, `"finish_reason":"`) {
				t.Errorf("%s: dropped stream has an end: %s", path, f.data)
			}
		}
		if deltas != faultCutAfter {
			t.Errorf("%s: %d text deltas before the drop, want %d", path, deltas, faultCutAfter)
		}
	}
}

func TestFaultStallEndsOnClose(t *testing.T) {
	s, base := startServer(t, Options{Instant: true, StallAfter: time.Minute})
	resp := openStream(t, base+"/responses", responsesRequest("fault:stall", "hi"))
	defer resp.Body.Close()
	br := bufio.NewReader(resp.Body)
	deltas := 0
	for deltas < faultCutAfter {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("after %d deltas: %v", deltas, err)
		}
		if strings.HasPrefix(line, "event: response.output_text.delta") {
			deltas++
		}
	}
	// Consume the rest of the last frame, then expect silence.
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatal(err)
		}
		if line == "\n" {
			break
		}
	}
	rest := make(chan []byte, 1)
	go func() {
		b, _ := io.ReadAll(br)
		rest <- b
	}()
	select {
	case b := <-rest:
		t.Fatalf("stalled stream sent %q", b)
	case <-time.After(300 * time.Millisecond):
	}
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v with a stalled stream", d)
	}
	select {
	case b := <-rest:
		if len(b) != 0 {
			t.Errorf("stalled stream sent %q before ending", b)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("stalled stream still open after Close")
	}
}

func TestFaultStallGivesUp(t *testing.T) {
	_, base := startServer(t, Options{Instant: true, StallAfter: 150 * time.Millisecond})
	start := time.Now()
	resp := openStream(t, base+"/chat/completions", chatBodyFor("fault:stall", "hi", false))
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if d := time.Since(start); d < 150*time.Millisecond {
		t.Errorf("stall ended after %v, before StallAfter", d)
	}
	if strings.Contains(string(b), "[DONE]") || strings.Count(string(b), `"delta":{"content":"`) != faultCutAfter {
		t.Errorf("stalled chat stream: %s", b)
	}
}

func TestFaultStallEndsWhenClientLeaves(t *testing.T) {
	s, err := New(Options{Instant: true, StallAfter: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	b, _ := json.Marshal(responsesRequest("fault:stall", "hi"))
	req, _ := http.NewRequest("POST", "/v1/responses", strings.NewReader(string(b)))
	ctx, cancel := context.WithCancel(context.Background())
	req = req.WithContext(ctx)
	returned := make(chan struct{})
	go func() {
		defer close(returned)
		s.Handler().ServeHTTP(httptest.NewRecorder(), req)
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case <-returned:
	case <-time.After(time.Second):
		t.Fatal("stall went on after the client left")
	}
}

func TestFaultMalformed(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	_, body := post(t, base+"/responses", responsesRequest("fault:malformed", "hi"))
	r := checkResponsesLenient(t, body)
	if r.broken < 2 {
		t.Errorf("%d broken frames, want at least 2", r.broken)
	}
	var keepalive, unknown bool
	for _, ev := range r.events {
		keepalive = keepalive || ev.event == "keepalive"
		unknown = unknown || strings.Contains(ev.event, "future")
	}
	if !keepalive || !unknown {
		t.Errorf("keepalive %v, unknown event %v", keepalive, unknown)
	}
	if str(r.terminal, "status") != "completed" || !strings.HasPrefix(r.text, "Sure!") {
		t.Errorf("malformed stream did not complete its reply: %q", r.text)
	}
	checkUsage(t, r.usage, false)

	_, body = post(t, base+"/chat/completions", chatBodyFor("fault:malformed", "hi", true))
	c := checkChat(t, body, true)
	if !c.done || c.finish != "stop" || !strings.HasPrefix(c.content, "Sure!") {
		t.Errorf("malformed chat stream: done %v finish %q content %q", c.done, c.finish, c.content)
	}
	if _, broken := jsonFrames(t, parseSSE(t, body), true); broken < 2 {
		t.Errorf("chat: %d broken frames", broken)
	}
	if !strings.Contains(string(body), "\n: keep-alive\n") {
		t.Errorf("chat: no comment line")
	}
}

func TestFaultErrorEvent(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	_, body := post(t, base+"/responses", responsesRequest("fault:error-event", "hi"))
	r := checkResponses(t, body)
	if len(r.events) != 4 {
		t.Fatalf("%d events, want created, in_progress, error, failed", len(r.events))
	}
	e := r.events[2]
	if e.event != "error" || num(e.m, "sequence_number") != 2 || str(e.m, "error", "code") != "insufficient_quota" ||
		str(e.m, "error", "type") != "insufficient_quota" || !strings.HasPrefix(str(e.m, "error", "message"), "You exceeded your current quota") {
		t.Errorf("error event %v", e.m)
	}
	if _, ok := e.m["error"].(map[string]any)["param"]; !ok {
		t.Errorf("nested error lacks param")
	}
	if str(r.terminal, "status") != "failed" || str(r.terminal, "error", "code") != "insufficient_quota" || r.usage != nil {
		t.Errorf("failed response %v", r.terminal)
	}

	_, body = post(t, base+"/chat/completions", chatBodyFor("fault:error-event", "hi", true))
	frames := parseSSE(t, body)
	last := frames[len(frames)-1]
	var env map[string]map[string]any
	if last.event != "error" || json.Unmarshal([]byte(last.data), &env) != nil || str(env["error"], "code") != "insufficient_quota" {
		t.Errorf("chat error frame %+v", last)
	}
	if strings.Contains(string(body), "[DONE]") {
		t.Errorf("chat error stream ends with [DONE]")
	}
}

func TestFaultIncomplete(t *testing.T) {
	s, base := startServer(t, Options{Instant: true})
	full := s.scripts[scriptMarkdown].text
	_, body := post(t, base+"/responses", responsesRequest("fault:incomplete", "hi"))
	r := checkResponses(t, body)
	if str(r.events[len(r.events)-1].m, "type") != "response.incomplete" || str(r.terminal, "status") != "incomplete" ||
		str(r.terminal, "incomplete_details", "reason") != "max_output_tokens" {
		t.Errorf("terminal %v", r.terminal)
	}
	if r.text == "" || len(r.text) >= len(full) || !strings.HasPrefix(full, r.text) {
		t.Errorf("incomplete text is not a proper prefix of the script (%d of %d bytes)", len(r.text), len(full))
	}
	if str(r.terminal, "output", "0", "status") != "incomplete" {
		t.Errorf("message item status %v", dig(r.terminal, "output", "0", "status"))
	}
	checkUsage(t, r.usage, false)

	_, body = post(t, base+"/chat/completions", chatBodyFor("fault:incomplete", "hi", true))
	c := checkChat(t, body, false)
	if c.finish != "length" || !c.done || c.content == "" || len(c.content) >= len(full) || !strings.HasPrefix(full, c.content) {
		t.Errorf("chat incomplete: finish %q, %d bytes", c.finish, len(c.content))
	}
}

func TestHostileFaultsParseAndOptionsFaultIsChecked(t *testing.T) {
	for _, kind := range []string{"args-changed", "endless", "hugeline", "echo-auth", "escapes", "reused-ids"} {
		if f, ok, err := parseFault("fault:" + kind); !ok || err != nil || f.kind != kind {
			t.Errorf("fault:%s = %+v %v %v", kind, f, ok, err)
		}
		if _, err := New(Options{Fault: kind}); err != nil {
			t.Errorf("Options.Fault %s: %v", kind, err)
		}
	}
	if _, err := New(Options{Fault: "nosuch"}); err == nil || !strings.Contains(err.Error(), "known faults") {
		t.Errorf("Options.Fault nosuch = %v, want the list of known faults", err)
	}
}
