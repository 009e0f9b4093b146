package stream_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
)

// startMock runs the mock server on loopback for one test.
func startMock(t testing.TB, opts mock.Options) (*mock.Server, string) {
	t.Helper()
	srv, err := mock.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv, url
}

func drain(t *testing.T, s *stream.Stream) *stream.Turn {
	t.Helper()
	turn := stream.NewTurn()
	for {
		c, err := s.Next()
		if errors.Is(err, io.EOF) {
			return turn
		}
		if err != nil {
			t.Fatal(err)
		}
		turn.Add(c)
	}
}

func ask(url string, api stream.API, model string, cfg stream.Config) (*stream.Stream, error) {
	cfg.BaseURL, cfg.API = url, api
	return stream.NewClient(cfg).Stream(context.Background(), stream.Request{
		Model: model, Input: []stream.InputItem{{Role: "user", Text: "hello"}},
	})
}

var apis = []stream.API{stream.APIResponses, stream.APIChat}

func TestMockHTTPFaultsBecomeTypedErrors(t *testing.T) {
	srv, url := startMock(t, mock.Options{Instant: true})
	cases := []struct {
		fault     string
		status    int
		code      string
		retryable bool
	}{
		{"fault:400", 400, "decimal_below_min_value", false},
		{"fault:401", 401, "invalid_api_key", false},
		{"fault:403", 403, "unsupported_country_region_territory", false},
		{"fault:404", 404, "model_not_found", false},
		{"fault:context", 400, "context_length_exceeded", false},
		{"fault:429", 429, "rate_limit_exceeded", true},
		{"fault:500", 500, "server_error", true},
		{"fault:502", 502, "bad_gateway", true},
		{"fault:503", 503, "server_is_overloaded", true},
		{"fault:504", 504, "timeout", true},
	}
	for _, api := range apis {
		for _, tc := range cases {
			before := len(srv.Requests())
			_, err := ask(url, api, tc.fault, stream.Config{MaxRetries: -1})
			var e *stream.Error
			if !errors.As(err, &e) {
				t.Fatalf("%s %s: error %v is not *stream.Error", api, tc.fault, err)
			}
			if e.HTTPStatus != tc.status || e.Code != tc.code || e.Retryable != tc.retryable || e.Message == "" {
				t.Errorf("%s %s: got %+v", api, tc.fault, e)
			}
			if strings.Contains(e.Message, "{") {
				t.Errorf("%s %s: message is raw JSON, not the server's words: %q", api, tc.fault, e.Message)
			}
			if n := len(srv.Requests()) - before; n != 1 {
				t.Errorf("%s %s: %d requests with retries off", api, tc.fault, n)
			}
		}
	}
}

func TestMockCallerErrorsAreNeverRetried(t *testing.T) {
	srv, url := startMock(t, mock.Options{Instant: true})
	for _, fault := range []string{"fault:400", "fault:401", "fault:403", "fault:404", "fault:context"} {
		before := len(srv.Requests())
		_, err := ask(url, stream.APIResponses, fault, stream.Config{RetryBase: time.Millisecond})
		if err == nil {
			t.Fatalf("%s: no error", fault)
		}
		if n := len(srv.Requests()) - before; n != 1 {
			t.Errorf("%s: retried (%d requests)", fault, n)
		}
	}
}

func TestMockRetriesHonourRetryAfter(t *testing.T) {
	srv, url := startMock(t, mock.Options{Instant: true})
	var waits []time.Duration
	start := time.Now()
	s, err := ask(url, stream.APIResponses, "fault:429:1x2", stream.Config{
		OnRetry: func(r stream.Retry) { waits = append(waits, r.Wait) }})
	if err != nil {
		t.Fatal(err)
	}
	turn := drain(t, s)
	if turn.Status != stream.StatusCompleted || turn.Text == "" {
		t.Fatalf("after retries: %s %q", turn.Status, turn.Text)
	}
	if len(waits) != 2 || waits[0] != time.Second || waits[1] != time.Second {
		t.Errorf("waits = %v, want the server's Retry-After (1s) twice", waits)
	}
	if d := time.Since(start); d < 2*time.Second {
		t.Errorf("two 1 s Retry-After waits took only %v", d)
	}
	if n := len(srv.Requests()); n != 3 {
		t.Errorf("requests = %d, want 3", n)
	}
}

func TestMockRetriesServerErrorsThenSucceeds(t *testing.T) {
	for _, api := range apis {
		_, url := startMock(t, mock.Options{Instant: true})
		for _, fault := range []string{"fault:500x1", "fault:502x1", "fault:503x2", "fault:504x1"} {
			s, err := ask(url, api, fault, stream.Config{RetryBase: 5 * time.Millisecond})
			if err != nil {
				t.Fatalf("%s %s: %v", api, fault, err)
			}
			if turn := drain(t, s); turn.Status != stream.StatusCompleted {
				t.Errorf("%s %s: status %s", api, fault, turn.Status)
			}
		}
	}
}

func TestMockStreamFaults(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true, StallAfter: 5 * time.Second})
	for _, api := range apis {
		t.Run(string(api), func(t *testing.T) {
			s, err := ask(url, api, "fault:drop", stream.Config{})
			if err != nil {
				t.Fatal(err)
			}
			turn := drain(t, s)
			if turn.Status != stream.StatusTruncated || turn.Error == nil || turn.Text == "" || !turn.Error.Retryable {
				t.Errorf("drop: %s %+v %q", turn.Status, turn.Error, turn.Text)
			}

			s, err = ask(url, api, "fault:stall", stream.Config{StallTimeout: 200 * time.Millisecond})
			if err != nil {
				t.Fatal(err)
			}
			turn = drain(t, s)
			if turn.Status != stream.StatusTruncated || turn.Error == nil || turn.Error.Code != stream.CodeStalled || turn.Text == "" {
				t.Errorf("stall: %s %+v %q", turn.Status, turn.Error, turn.Text)
			}

			s, err = ask(url, api, "fault:malformed", stream.Config{})
			if err != nil {
				t.Fatal(err)
			}
			turn = drain(t, s)
			st := s.Stats()
			if turn.Status != stream.StatusCompleted || turn.Text == "" || st.Malformed == 0 {
				t.Errorf("malformed: %s %q %+v", turn.Status, turn.Text, st)
			}
			if api == stream.APIResponses && st.Unknown == 0 {
				t.Errorf("malformed: keepalive and unknown events not counted: %+v", st)
			}

			s, err = ask(url, api, "fault:error-event", stream.Config{})
			if err != nil {
				t.Fatal(err)
			}
			turn = drain(t, s)
			if turn.Status != stream.StatusFailed || turn.Error == nil || turn.Error.Code != "insufficient_quota" ||
				turn.Error.Retryable || !strings.HasPrefix(turn.Error.Message, "You exceeded your current quota") {
				t.Errorf("error-event: %s %+v", turn.Status, turn.Error)
			}

			s, err = ask(url, api, "fault:incomplete", stream.Config{})
			if err != nil {
				t.Fatal(err)
			}
			turn = drain(t, s)
			if turn.Status != stream.StatusIncomplete || turn.IncompleteReason != "max_output_tokens" || turn.Text == "" {
				t.Errorf("incomplete: %s %q", turn.Status, turn.IncompleteReason)
			}
		})
	}
}

func TestMockScriptsDecode(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true})
	for _, api := range apis {
		s, err := ask(url, api, "parley-mock-markdown", stream.Config{})
		if err != nil {
			t.Fatal(err)
		}
		turn := drain(t, s)
		if !strings.Contains(turn.Text, "```go") || !strings.Contains(turn.Text, "|") || turn.Usage == nil || turn.Usage.Output == 0 {
			t.Errorf("%s markdown: %q %+v", api, turn.Text[:min(80, len(turn.Text))], turn.Usage)
		}

		s, err = ask(url, api, "parley-mock-reasoning", stream.Config{})
		if err != nil {
			t.Fatal(err)
		}
		turn = drain(t, s)
		if len(turn.Reasoning) == 0 || turn.Text == "" || turn.Usage == nil || turn.Usage.Reasoning == 0 {
			t.Errorf("%s reasoning: %d parts, %+v", api, len(turn.Reasoning), turn.Usage)
		}

		s, err = ask(url, api, "parley-mock-tools", stream.Config{})
		if err != nil {
			t.Fatal(err)
		}
		turn = drain(t, s)
		if len(turn.ToolCalls) < 2 {
			t.Fatalf("%s tools: %+v", api, turn.ToolCalls)
		}
		for _, c := range turn.ToolCalls {
			if c.Name == "" || c.CallID == "" || !json.Valid([]byte(c.Arguments)) {
				t.Errorf("%s tools: bad call %+v", api, c)
			}
		}
	}
}

func TestMockCancelStopsWithin100ms(t *testing.T) {
	_, url := startMock(t, mock.Options{Speed: 1})
	best := time.Hour
	for try := 0; try < 3 && best > 100*time.Millisecond; try++ {
		ctx, cancel := context.WithCancel(context.Background())
		s, err := stream.NewClient(stream.Config{BaseURL: url}).Stream(ctx, stream.Request{
			Model: "parley-mock-markdown", Input: []stream.InputItem{{Role: "user", Text: "hi"}}})
		if err != nil {
			t.Fatal(err)
		}
		for got := 0; got < 3; {
			c, err := s.Next()
			if err != nil {
				t.Fatal(err)
			}
			if c.Kind == stream.KindText {
				got++
			}
		}
		start := time.Now()
		cancel()
		var last stream.Choice
		for {
			c, err := s.Next()
			if err != nil {
				break
			}
			last = c
		}
		if d := time.Since(start); d < best {
			best = d
		}
		if last.Kind != stream.KindDone {
			t.Fatalf("stream did not end with done: %+v", last)
		}
	}
	t.Logf("cancel to end of stream: %v", best)
	if best > 100*time.Millisecond {
		t.Errorf("cancel took %v, want under 100 ms", best)
	}
}

func TestListModelsFromMock(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true})
	ids, err := stream.NewClient(stream.Config{BaseURL: url}).ListModels(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 || !strings.Contains(strings.Join(ids, " "), "parley-mock-1") {
		t.Fatalf("models = %v", ids)
	}
}

func TestMockCallsOfferedDemoToolsThenAnswersWithResults(t *testing.T) {
	_, url := startMock(t, mock.Options{Instant: true})
	c := stream.NewClient(stream.Config{BaseURL: url})
	specs := []stream.ToolSpec{{Name: "calculator"}, {Name: "clock"}}
	s, err := c.Stream(context.Background(), stream.Request{Model: "parley-mock-tools", Tools: specs,
		Input: []stream.InputItem{{Role: "user", Text: "calculate"}}})
	if err != nil {
		t.Fatal(err)
	}
	turn := drain(t, s)
	if len(turn.ToolCalls) != 2 || turn.ToolCalls[0].Name != "calculator" || turn.ToolCalls[1].Name != "clock" {
		t.Fatalf("calls = %+v", turn.ToolCalls)
	}
	// The follow-up with the results is answered with text, even though
	// the model name forces the tools script.
	in := []stream.InputItem{{Role: "user", Text: "calculate"}, {Role: "assistant", Items: turn.Items},
		{Role: "tool", CallID: turn.ToolCalls[0].CallID, Text: "80"}, {Role: "tool", CallID: turn.ToolCalls[1].CallID, Text: "Thursday"}}
	s, err = c.Stream(context.Background(), stream.Request{Model: "parley-mock-tools", Tools: specs, Input: in})
	if err != nil {
		t.Fatal(err)
	}
	answer := drain(t, s)
	if len(answer.ToolCalls) != 0 || !strings.Contains(answer.Text, "80") {
		t.Fatalf("follow-up: %q %+v", answer.Text, answer.ToolCalls)
	}
}
