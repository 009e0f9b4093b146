package mock

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestConcurrentClients(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	const clients = 20
	messages := []string{"markdown demo", "why? think", "tool time"}
	bodies := make([][]byte, clients)
	errs := make([]error, clients)
	var wg sync.WaitGroup
	for i := range clients {
		wg.Go(func() {
			path, req := "/responses", any(responsesRequest("", messages[i%3]))
			if i%2 == 1 {
				path, req = "/chat/completions", chatBodyFor("", messages[i%3], true)
			}
			b, _ := json.Marshal(req)
			resp, err := http.Post(base+path, "application/json", bytes.NewReader(b))
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			bodies[i], errs[i] = io.ReadAll(resp.Body)
		})
	}
	wg.Wait()
	ids := map[string]bool{}
	for i := range clients {
		if errs[i] != nil {
			t.Fatalf("client %d: %v", i, errs[i])
		}
		var id string
		if i%2 == 0 {
			r := checkResponses(t, bodies[i])
			if str(r.terminal, "status") != "completed" {
				t.Errorf("client %d: status %q", i, str(r.terminal, "status"))
			}
			id = str(r.terminal, "id")
		} else {
			r := checkChat(t, bodies[i], false)
			if !r.done || r.usage == nil {
				t.Errorf("client %d: incomplete chat stream", i)
			}
			id = str(r.chunks[0].m, "id")
		}
		if ids[id] {
			t.Errorf("id %s used twice", id)
		}
		ids[id] = true
	}
}

// readUntil reads SSE lines until one contains want, and returns when.
func readUntil(t *testing.T, br *bufio.Reader, want string) time.Time {
	t.Helper()
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("waiting for %q: %v", want, err)
		}
		if strings.Contains(line, want) {
			return time.Now()
		}
	}
}

func TestCloseWithStreamsInFlight(t *testing.T) {
	s, base := startServer(t, Options{Speed: 2, StallAfter: time.Minute})
	var readers []io.ReadCloser
	for _, tc := range []struct{ path, model string }{
		{"/responses", ""},
		{"/chat/completions", ""},
		{"/responses", "fault:stall"},
	} {
		body := responsesRequest(tc.model, "markdown demo")
		if tc.path == "/chat/completions" {
			body = chatBodyFor(tc.model, "markdown demo", false)
		}
		resp := openStream(t, base+tc.path, body)
		br := bufio.NewReader(resp.Body)
		readUntil(t, br, "data: ")
		if tc.model == "fault:stall" {
			for range faultCutAfter {
				readUntil(t, br, "response.output_text.delta")
			}
		}
		readers = append(readers, resp.Body)
	}
	start := time.Now()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Close took %v", d)
	}
	for i, r := range readers {
		done := make(chan struct{})
		go func() {
			io.Copy(io.Discard, r)
			close(done)
		}()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			t.Errorf("stream %d still open after Close", i)
		}
		r.Close()
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

func TestPacing(t *testing.T) {
	// Speed 1: the first text delta waits for the first-token delay.
	_, base := startServer(t, Options{Speed: 1})
	start := time.Now()
	resp := openStream(t, base+"/responses", responsesRequest("", "markdown demo"))
	got := readUntil(t, bufio.NewReader(resp.Body), "response.output_text.delta")
	resp.Body.Close()
	if d := got.Sub(start); d < firstTokenMin {
		t.Errorf("first delta after %v at speed 1, want at least %v", d, firstTokenMin)
	}

	// A whole reply at speed 25 still takes its token time; instant does not wait.
	const speed = 25
	s, base := startServer(t, Options{Speed: speed})
	tokens := len(textUnits(s.scripts[scriptMarkdown].text))
	minimum := time.Duration(float64(firstTokenMin+time.Duration(tokens)*tokenInterval) / speed)
	start = time.Now()
	_, body := post(t, base+"/responses", responsesRequest("", "markdown demo"))
	paced := time.Since(start)
	checkResponses(t, body)
	if paced < minimum {
		t.Errorf("speed %d reply took %v, want at least %v", speed, paced, minimum)
	}
	_, base = startServer(t, Options{Instant: true})
	start = time.Now()
	post(t, base+"/responses", responsesRequest("", "markdown demo"))
	if instant := time.Since(start); instant >= paced {
		t.Errorf("instant reply took %v, paced %v", instant, paced)
	}
}

func TestRequestLog(t *testing.T) {
	s, base := startServer(t, Options{Instant: true})
	body := `{"model":"m","stream":true,"input":"hello"}`
	req, _ := http.NewRequest("POST", base+"/responses", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer mock")
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Client", "parley-test")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.Header.Get("X-Request-Id") == "" {
		t.Errorf("no x-request-id")
	}
	log := s.Requests()
	if len(log) != 1 {
		t.Fatalf("%d requests logged", len(log))
	}
	got := log[0]
	if got.Method != "POST" || got.Path != "/v1/responses" || string(got.Body) != body || got.BodyTruncated ||
		got.Header.Get("Authorization") != "Bearer mock" || got.Header.Get("X-Client") != "parley-test" {
		t.Errorf("logged %+v", got)
	}
	// The log keeps the last 100, oldest first.
	for i := range maxLoggedRequests + 5 {
		resp, err := http.Get(base + "/models?n=" + string(rune('a'+i%26)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	log = s.Requests()
	if len(log) != maxLoggedRequests || log[0].Path != "/v1/models" || log[len(log)-1].Method != "GET" {
		t.Errorf("log has %d entries, first %+v", len(log), log[0].Path)
	}
	for _, r := range log {
		if r.Path == "/v1/responses" {
			t.Errorf("oldest request was not dropped")
		}
	}
}

func TestBodyLimit(t *testing.T) {
	const limit = 2 << 20
	s, base := startServer(t, Options{Instant: true, MaxBodyBytes: limit})
	prefix, suffix := `{"model":"m","stream":true,"input":"`, `"}`
	exact := prefix + strings.Repeat("a", limit-len(prefix)-len(suffix)) + suffix
	resp, err := http.Post(base+"/responses", "application/json", strings.NewReader(exact))
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("a body of exactly the limit got %d", resp.StatusCode)
	}
	if log := s.Requests(); !log[0].BodyTruncated || len(log[0].Body) != maxLoggedBody {
		t.Errorf("logged body of %d bytes, truncated %v", len(log[0].Body), log[0].BodyTruncated)
	}

	resp, err = http.Post(base+"/responses", "application/json", strings.NewReader(exact+" "))
	if err != nil {
		t.Fatal(err)
	}
	if e := readAPIError(t, resp); resp.StatusCode != 413 || *e.Code != "request_too_large" {
		t.Errorf("oversized body: %d %+v", resp.StatusCode, e)
	}
}

func TestRoutes(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	get := func(path string) *http.Response {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	resp := get("/models")
	var list struct {
		Object string
		Data   []struct{ ID, Object string }
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if list.Object != "list" || len(list.Data) < 4 || list.Data[0].ID != defaultModel || list.Data[0].Object != "model" {
		t.Errorf("models list %+v", list)
	}
	if resp := get("/models/parley-mock-tools"); resp.StatusCode != 200 {
		t.Errorf("known model: %d", resp.StatusCode)
	}
	if resp := get("/models/gpt-9"); readAPIError(t, resp).Type != "invalid_request_error" || resp.StatusCode != 404 {
		t.Errorf("unknown model: %d", resp.StatusCode)
	}
	if resp := get("/nothing"); resp.StatusCode != 404 || *readAPIError(t, resp).Code != "not_found" {
		t.Errorf("unknown path: %d", resp.StatusCode)
	}
	resp, _ = http.Post(strings.TrimSuffix(base, "/v1")+"/v2/responses", "application/json", strings.NewReader("{}"))
	if resp.StatusCode != 404 || readAPIError(t, resp).Message == "" {
		t.Errorf("POST /v2/responses: %d", resp.StatusCode)
	}
	if resp := get("/responses"); resp.StatusCode != 405 || resp.Header.Get("Allow") != "POST" || *readAPIError(t, resp).Code != "method_not_allowed" {
		t.Errorf("GET /v1/responses: %d", resp.StatusCode)
	}
}

func TestLifecycleErrors(t *testing.T) {
	if _, err := New(Options{Replay: "/does/not/exist.sse"}); err == nil {
		t.Error("New accepted a missing replay file")
	}
	for _, speed := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, err := New(Options{Speed: speed}); err == nil {
			t.Errorf("New accepted speed %v", speed)
		}
	}
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("second Start succeeded")
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Start("127.0.0.1:0"); err == nil {
		t.Error("Start after Close succeeded")
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/v1/models", nil))
	if rec.Code != 503 {
		t.Errorf("after Close: %d", rec.Code)
	}
}

func TestScriptSelection(t *testing.T) {
	for msg, want := range map[string]string{
		"What's the WEATHER like?":         scriptTools,
		"Think about which tool to use":    scriptTools, // tools outranks reasoning
		"why is the sky blue":              scriptSky,
		"think about why the sky is blue":  scriptSky,
		"Reasoning, please":                scriptReasoning,
		"show me a table of codes":         scriptMarkdown,
		"demonstrate markdown":             scriptMarkdown,
		"anyhow, somewhy, untooled":        "",
		"hello there":                      "",
		"":                                 "",
		"tools\u00a0please (non-breaking)": scriptTools,
	} {
		got, ok := scriptForMessage(msg)
		if got != want || ok != (want != "") {
			t.Errorf("scriptForMessage(%q) = %q, %v; want %q", msg, got, ok, want)
		}
	}

	// Messages matching no rule cycle through the scripts, per server.
	_, base := startServer(t, Options{Instant: true})
	var got []string
	for range 4 {
		_, body := post(t, base+"/responses", responsesRequest("", "hello"))
		r := checkResponses(t, body)
		switch {
		case len(r.calls) > 0:
			got = append(got, scriptTools)
		case len(r.summaries) > 0:
			got = append(got, scriptReasoning)
		default:
			got = append(got, scriptMarkdown)
		}
	}
	if strings.Join(got, ",") != "markdown,reasoning,tools,markdown" {
		t.Errorf("cycle %v", got)
	}
	// A parley-mock-<script> model forces the script.
	_, body := post(t, base+"/responses", responsesRequest("parley-mock-reasoning", "use a tool"))
	if r := checkResponses(t, body); len(r.summaries) != 2 {
		t.Errorf("parley-mock-reasoning did not force the reasoning script")
	}
}

// TestWelcomePromptsGetFittingReplies: the prompts the demo's welcome
// screen suggests get replies about what they ask.
func TestWelcomePromptsGetFittingReplies(t *testing.T) {
	s, _ := startServer(t, Options{Instant: true})
	sky, ok := scriptForMessage("think about why the sky is blue")
	if r := s.scripts[sky]; !ok || len(r.summary) == 0 || !strings.Contains(r.text, "Rayleigh") || !strings.Contains(r.text, "sky is blue") {
		t.Errorf("the sky prompt gets script %q: reasoning %d parts, text %.60q", sky, len(r.summary), r.text)
	}
	name, _ := scriptForMessage("use the calculator and the clock")
	s.mu.Lock()
	r := s.pickReply(request{lastUser: "use the calculator and the clock", toolNames: []string{"calculator", "clock"}})
	s.mu.Unlock()
	if name != scriptTools || len(r.calls) != 2 || r.calls[0].name != "calculator" || r.calls[1].name != "clock" {
		t.Errorf("the tools prompt gets %q with calls %+v; want the calculator and the clock", name, r.calls)
	}
}
