package stream

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// echoServer answers every request with status and a body that repeats
// the request's headers, as a hostile or careless server might.
func echoServer(t *testing.T, status int, contentType, tmpl string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var h strings.Builder
		for k, vs := range r.Header {
			h.WriteString(k + ": " + strings.Join(vs, ",") + "; ")
		}
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		io.WriteString(w, strings.ReplaceAll(tmpl, "HEADERS", strings.NewReplacer(`"`, `'`).Replace(h.String())))
	}))
	t.Cleanup(srv.Close)
	return srv
}

const (
	secretKey    = "sk-test-0123456789abcdef"
	secretHeader = "custom-secret-value-42"
)

func secretConfig(url string, api API) Config {
	return Config{BaseURL: url, API: api, APIKey: secretKey, MaxRetries: -1,
		Header: http.Header{"X-Custom-Auth": {secretHeader}, "X-Title": {"Parley"}}}
}

func checkRedacted(t *testing.T, where, s string) {
	t.Helper()
	if strings.Contains(s, secretKey) || strings.Contains(s, secretHeader) || strings.Contains(s, "0123456789abcdef") {
		t.Errorf("%s shows a secret: %s", where, s)
	}
	if !strings.Contains(s, Mask) {
		t.Errorf("%s: want the secret masked as %s, got %s", where, Mask, s)
	}
}

func TestServerMessagesNeverCarryTheKey(t *testing.T) {
	t.Run("HTTP error body", func(t *testing.T) {
		srv := echoServer(t, 401, "application/json", `{"error":{"message":"Bad credentials. You sent HEADERS","type":"invalid_request_error","code":"invalid_api_key"}}`)
		_, err := NewClient(secretConfig(srv.URL, APIResponses)).Stream(context.Background(), Request{Model: "m"})
		checkRedacted(t, "401", err.Error())
	})
	t.Run("HTTP error body, not JSON", func(t *testing.T) {
		srv := echoServer(t, 500, "text/plain", `proxy error; request was HEADERS`)
		_, err := NewClient(secretConfig(srv.URL, APIChat)).Stream(context.Background(), Request{Model: "m"})
		checkRedacted(t, "500", err.Error())
	})
	t.Run("stream error event", func(t *testing.T) {
		srv := echoServer(t, 200, "text/event-stream", "data: {\"type\":\"response.created\",\"response\":{\"id\":\"r\"}}\n\n"+
			"data: {\"type\":\"error\",\"error\":{\"message\":\"HEADERS\",\"code\":\"HEADERS\"}}\n\n")
		s, err := NewClient(secretConfig(srv.URL, APIResponses)).Stream(context.Background(), Request{Model: "m"})
		if err != nil {
			t.Fatal(err)
		}
		turn := collect(t, s)
		checkRedacted(t, "error event", turn.Error.Message)
		checkRedacted(t, "error code", turn.Error.Code)
	})
	t.Run("response.failed", func(t *testing.T) {
		srv := echoServer(t, 200, "text/event-stream", "data: {\"type\":\"response.failed\",\"response\":{\"id\":\"r\",\"error\":{\"code\":\"server_error\",\"message\":\"HEADERS\"}}}\n\n")
		s, err := NewClient(secretConfig(srv.URL, APIResponses)).Stream(context.Background(), Request{Model: "m"})
		if err != nil {
			t.Fatal(err)
		}
		checkRedacted(t, "response.failed", collect(t, s).Error.Message)
	})
	t.Run("Chat error chunk", func(t *testing.T) {
		srv := echoServer(t, 200, "text/event-stream", "event: error\ndata: {\"error\":{\"message\":\"HEADERS\"}}\n\n")
		s, err := NewClient(secretConfig(srv.URL, APIChat)).Stream(context.Background(), Request{Model: "m"})
		if err != nil {
			t.Fatal(err)
		}
		checkRedacted(t, "chat error", collect(t, s).Error.Message)
	})
	t.Run("models", func(t *testing.T) {
		srv := echoServer(t, 200, "application/json", `{"data":[{"id":"HEADERS"}]}`)
		ids, err := NewClient(secretConfig(srv.URL, APIResponses)).ListModels(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		checkRedacted(t, "models", strings.Join(ids, " "))
	})
}

func TestRedactHookSeesEveryServerMessage(t *testing.T) {
	srv := echoServer(t, 400, "application/json", `{"error":{"message":"token ghp_abcdef is wrong"}}`)
	cfg := Config{BaseURL: srv.URL, MaxRetries: -1, Redact: func(s string) string { return strings.ReplaceAll(s, "ghp_abcdef", "[gh]") }}
	_, err := NewClient(cfg).Stream(context.Background(), Request{Model: "m"})
	if err == nil || !strings.Contains(err.Error(), "token [gh] is wrong") {
		t.Fatalf("err = %v, want the hook applied", err)
	}
}

func TestUserAgentNamesParleyAndItsVersion(t *testing.T) {
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("User-Agent"))
		sseHandler(okBody)(w, r)
	}))
	defer srv.Close()
	collect(t, must(NewClient(Config{BaseURL: srv.URL}).Stream(context.Background(), Request{Model: "m"})))
	collect(t, must(NewClient(Config{BaseURL: srv.URL, UserAgent: "parley/1.2.3"}).Stream(context.Background(), Request{Model: "m"})))
	if got[0] != DefaultUserAgent() || !strings.HasPrefix(got[0], "parley/") || len(got[0]) <= len("parley/") {
		t.Errorf("User-Agent = %q, want parley/VERSION", got[0])
	}
	if got[1] != "parley/1.2.3" {
		t.Errorf("User-Agent = %q, want the configured one", got[1])
	}
}

func must(s *Stream, err error) *Stream {
	if err != nil {
		panic(err)
	}
	return s
}
