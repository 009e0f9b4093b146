package logging

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// secretValue is a LogValuer that would print a key.
type secretValue struct{}

func (secretValue) LogValue() slog.Value {
	return slog.StringValue("Bearer sk-proj-LOGVALUER-0123456789")
}

// config is a struct that holds a key, as a careless caller might log it.
type config struct {
	BaseURL, APIKey string
}

func newTestLogger(buf *bytes.Buffer, json bool) *slog.Logger {
	opts := &slog.HandlerOptions{Level: slog.LevelDebug}
	var h slog.Handler = slog.NewTextHandler(buf, opts)
	if json {
		h = slog.NewJSONHandler(buf, opts)
	}
	return slog.New(NewRedactor(h))
}

func TestRedactorScrubsEveryShape(t *testing.T) {
	const registered = "weird:KEY/with*nothing-like-a-key"
	AddSecret(registered)
	secrets := []string{
		"sk-test-SENTINEL-12345", "sk-proj-ABCDEFGHIJKLMNOP", "gsk_GROQKEY0123456789", "SENTINEL2-header",
		"bearer-token-value-1", "LOGVALUER-0123456789", registered, "hunter2-password", "query-secret-1",
	}
	for _, json := range []bool{false, true} {
		var buf bytes.Buffer
		log := newTestLogger(&buf, json)
		h := http.Header{}
		h.Set("Authorization", "Bearer bearer-token-value-1")
		h.Set("Api-Key", "SENTINEL2-header")
		h.Set("Content-Type", "application/json")

		log.Info("sending with Authorization: Bearer bearer-token-value-1 and sk-test-SENTINEL-12345",
			"authorization", "anything at all",
			"api_key", "SENTINEL2-header",
			"x-api-key", "SENTINEL2-header",
			"token", 12345,
			"password", "hunter2-password",
			"note", "the key is sk-proj-ABCDEFGHIJKLMNOP, keep it",
			"header", h,
			"header_map", map[string][]string{"X-Api-Key": {"SENTINEL2-header"}},
			"plain_map", map[string]string{"secret": "hunter2-password", "model": "gpt-5"},
			"list", []string{"ok", "gsk_GROQKEY0123456789"},
			"err", errors.New("401: Incorrect API key provided: "+registered),
			"url", &url.URL{Scheme: "https", Host: "h", Path: "/v1", RawQuery: "api-key=query-secret-1&api-version=2"},
			"cfg", config{BaseURL: "https://h/v1", APIKey: "sk-test-SENTINEL-12345"},
			"valuer", secretValue{},
			"raw", []byte("Bearer bearer-token-value-1"),
			slog.Group("outer", slog.String("model", "gpt-5"),
				slog.Group("inner", slog.String("Authorization", "Bearer bearer-token-value-1"),
					slog.String("text", "sent "+registered))),
		)
		log.With("api-key", "SENTINEL2-header", "msg2", "sk-test-SENTINEL-12345").
			WithGroup("g").Info("with", "secret", "hunter2-password", "free", "see ?token=query-secret-1")

		out := buf.String()
		for _, s := range secrets {
			if strings.Contains(out, s) {
				t.Errorf("json=%v: %q leaked:\n%s", json, s, out)
			}
		}
		for _, keep := range []string{"gpt-5", "application/json", "https://h/v1", "api-version=2", "keep it"} {
			if !strings.Contains(out, keep) {
				t.Errorf("json=%v: %q was scrubbed too:\n%s", json, keep, out)
			}
		}
		if !strings.Contains(out, Mask) {
			t.Errorf("json=%v: no mask in:\n%s", json, out)
		}
	}
}

func TestRedactorKeepsWhatIsNotSecret(t *testing.T) {
	var buf bytes.Buffer
	log := newTestLogger(&buf, false)
	log.Info("stream", "tokens", 512, "model", "gpt-5-mini", "input_tokens", 10, "max_tokens", 100, "task", "sk-1")
	want := `msg=stream tokens=512 model=gpt-5-mini input_tokens=10 max_tokens=100 task=sk-1`
	if !strings.Contains(buf.String(), want) {
		t.Errorf("got %q, want it to contain %q", buf.String(), want)
	}
}

func TestRedact(t *testing.T) {
	cases := []struct{ in, want string }{
		{"Authorization: Bearer abc.def-ghi", "Authorization: Bearer " + Mask},
		{"key sk-proj-0123456789abcdef here", "key " + Mask + " here"},
		{"https://h/v1?key=abc123&x=1", "https://h/v1?key=" + Mask + "&x=1"},
		{"x-api-key=zzz access_token=yyy", "x-api-key=" + Mask + " access_token=" + Mask},
		{"monkey=1 task-list", "monkey=1 task-list"},
		{"short sk-abc", "short sk-abc"},
	}
	for _, c := range cases {
		if got := Redact(c.in); got != c.want {
			t.Errorf("Redact(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestAddSecretIgnoresShortStrings(t *testing.T) {
	AddSecret("mock")
	if got := Redact("parley-mock-1"); got != "parley-mock-1" {
		t.Errorf("a 4-byte secret scrubbed ordinary text: %q", got)
	}
}

func TestSensitiveName(t *testing.T) {
	for _, n := range []string{"Authorization", "api-key", "api_key", "X-Api-Key", "token", "access_token", "password", "secret", "key", "client_secret", "x-goog-api-key"} {
		if !SensitiveName(n) {
			t.Errorf("%s is not sensitive", n)
		}
	}
	for _, n := range []string{"model", "max_tokens", "input_tokens", "content-type", "monkey", "api-version", "keys"} {
		if SensitiveName(n) {
			t.Errorf("%s is sensitive", n)
		}
	}
}

func TestRedactURL(t *testing.T) {
	u, _ := url.Parse("https://user:pw-secret@h/v1/models?api-key=s3cret&api-version=preview")
	got := RedactURL(u)
	if strings.Contains(got, "s3cret") || strings.Contains(got, "pw-secret") || !strings.Contains(got, "api-version=preview") {
		t.Errorf("RedactURL = %q", got)
	}
}
