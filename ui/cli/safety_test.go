package cli

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Secrets a hostile server echoes back: a key that looks like nothing in
// particular (only its registration can catch it) and a header value
// under a name that does not say it is secret.
const (
	echoedKey    = "plain-secret-value-77"
	echoedHeader = "custom-header-secret-42"
)

// hostileServer answers under /echo/v1 with a 401 whose message echoes
// the Authorization and X-Custom-Auth headers (and an escape sequence),
// and under /esc/v1 lists models whose ids carry OSC and C1 controls.
func hostileServer(t *testing.T) *httptest.Server {
	t.Helper()
	writeJSONBody := func(w http.ResponseWriter, status int, v any) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		json.NewEncoder(w).Encode(v)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/echo/v1/", func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		msg := "Incorrect API key provided: " + auth + "; you sent " + strings.TrimPrefix(auth, "Bearer ") +
			" and X-Custom-Auth " + r.Header.Get("X-Custom-Auth") + " \x1b]0;pwned\x07\u009b2J"
		writeJSONBody(w, http.StatusUnauthorized, map[string]any{"error": map[string]any{
			"message": msg, "type": "invalid_request_error", "code": "invalid_api_key"}})
	})
	mux.HandleFunc("/esc/v1/models", func(w http.ResponseWriter, r *http.Request) {
		writeJSONBody(w, http.StatusOK, map[string]any{"object": "list", "data": []map[string]any{
			{"id": "gpt-\x1b]0;pwned\x07evil", "object": "model"},
			{"id": "c1-\u009b2J-\u009d0;t\u009c", "object": "model"},
		}})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func hostileConfig(t *testing.T) string {
	srv := hostileServer(t)
	t.Setenv("ECHO_KEY", echoedKey)
	return writeConfig(t, `
[providers.echo]
api = "responses"
base_url = "`+srv.URL+`/echo/v1"
api_key_env = "ECHO_KEY"
headers = { X-Custom-Auth = "`+echoedHeader+`" }
[providers.echo.models.m]

[providers.esc]
api = "chat"
base_url = "`+srv.URL+`/esc/v1"
`)
}

// assertSafe fails when s shows a secret or carries a control sequence.
func assertSafe(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{echoedKey, echoedHeader} {
		if strings.Contains(s, secret) {
			t.Errorf("%s shows the secret %q: %q", what, secret, s)
		}
	}
	if strings.ContainsAny(s, "\x1b\x07\u009b\u009d\u009c") {
		t.Errorf("%s carries a control sequence: %q", what, s)
	}
}

// A server's 401 that echoes the credentials reaches -p's stderr
// redacted, its escapes neutralised.
func TestOneShotRedactsAndSanitisesServerErrors(t *testing.T) {
	cfg := hostileConfig(t)
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "hi", "--config", cfg, "--provider", "echo", "--no-save"}, strings.NewReader(""), &out, &errb)
	if code != exitError || !strings.Contains(errb.String(), "Incorrect API key provided") || !strings.Contains(errb.String(), "[REDACTED]") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	assertSafe(t, "-p stderr", errb.String())
}

// parley models: ids with escapes are neutralised in the table and
// escaped in JSON; another provider's error is redacted.
func TestModelsOutputIsRedactedAndSanitised(t *testing.T) {
	cfg := hostileConfig(t)
	var out, errb bytes.Buffer
	code := Execute([]string{"models", "--all", "--config", cfg, "--provider", "esc"}, strings.NewReader(""), &out, &errb)
	if code != exitOK || !strings.Contains(out.String(), "gpt-␛]0;pwned") || !strings.Contains(errb.String(), "parley: echo: Incorrect API key") {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, out.String(), errb.String())
	}
	assertSafe(t, "models stdout", out.String())
	assertSafe(t, "models stderr", errb.String())

	out.Reset()
	errb.Reset()
	if code := Execute([]string{"models", "--json", "--all", "--config", cfg, "--provider", "esc"}, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("--json: exit %d: %s", code, errb.String())
	}
	assertSafe(t, "models --json stdout", out.String())
	assertSafe(t, "models --json stderr", errb.String())
	var rows []modelRow
	if err := json.Unmarshal(out.Bytes(), &rows); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	ids := map[string]bool{}
	for _, r := range rows {
		ids[r.Model] = true
	}
	if !ids["gpt-\x1b]0;pwned\x07evil"] || !ids["c1-\u009b2J-\u009d0;t\u009c"] {
		t.Fatalf("JSON must escape the ids, not change them: %v", ids)
	}
}

// parley doctor's findings quote the server: redacted and neutralised.
func TestDoctorFindingsAreRedactedAndSanitised(t *testing.T) {
	cfg := hostileConfig(t)
	var out, errb bytes.Buffer
	Execute([]string{"doctor", "--config", cfg, "--provider", "echo"}, strings.NewReader(""), &out, &errb)
	if !strings.Contains(out.String(), "the key was refused (HTTP 401): Incorrect API key provided") {
		t.Fatalf("stdout %q", out.String())
	}
	assertSafe(t, "doctor stdout", out.String())
	assertSafe(t, "doctor stderr", errb.String())
}

// A configured header's value is a secret whatever the header's name:
// the --debug log masks it.
func TestDebugLogRedactsConfiguredHeaderValues(t *testing.T) {
	cfg := hostileConfig(t)
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	var out, errb bytes.Buffer
	Execute([]string{"-p", "hi", "--config", cfg, "--provider", "echo", "--no-save", "--debug"}, strings.NewReader(""), &out, &errb)
	data, err := os.ReadFile(filepath.Join(state, "parley", "parley.log"))
	if err != nil {
		t.Fatal(err)
	}
	log := string(data)
	if !strings.Contains(log, "X-Custom-Auth") {
		t.Fatalf("the request's headers are not in the log:\n%s", log)
	}
	if strings.Contains(log, echoedHeader) || strings.Contains(log, echoedKey) {
		t.Fatalf("the log shows a secret:\n%s", log)
	}
}
