package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-tui/parley/stream/mock"
)

// oneShotMock points the environment at an instant mock server.
func oneShotMock(t *testing.T) *mock.Server {
	t.Helper()
	srv, err := mock.New(mock.Options{Instant: true})
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	t.Setenv("OPENAI_BASE_URL", url)
	t.Setenv("OPENAI_API_KEY", "sk-test")
	return srv
}

func TestOneShotStreamsPlainTextWithPipedContext(t *testing.T) {
	srv := oneShotMock(t)
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "think about this diff", "-m", "parley-mock-reasoning"},
		strings.NewReader("--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n"), &out, &errb)
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if out.Len() == 0 || strings.Contains(out.String(), "\x1b") {
		t.Fatalf("stdout = %q", out.String())
	}
	reqs := srv.Requests()
	body := string(reqs[len(reqs)-1].Body)
	if !strings.Contains(body, `think about this diff\n\n--- a/x`) || !strings.Contains(body, `+new`) {
		t.Fatalf("the piped context is not in the prompt: %s", body)
	}
}

func TestOneShotErrorsExitNonZeroWithTheServersMessage(t *testing.T) {
	oneShotMock(t)
	var out, errb bytes.Buffer
	if code := Execute([]string{"-p", "hi", "-m", "fault:401"}, strings.NewReader(""), &out, &errb); code != 1 {
		t.Fatalf("exit %d", code)
	}
	if !strings.Contains(errb.String(), "Incorrect API key") || out.Len() != 0 {
		t.Fatalf("stdout %q stderr %q", out.String(), errb.String())
	}

	out.Reset()
	errb.Reset()
	if code := Execute([]string{"-p", "hi", "-m", "fault:drop"}, strings.NewReader(""), &out, &errb); code != 1 {
		t.Fatalf("drop: exit %d", code)
	}
	if out.Len() == 0 || !strings.Contains(errb.String(), "before the reply was complete") {
		t.Fatalf("drop: the partial reply must be printed and the error said: stdout %q stderr %q", out.String(), errb.String())
	}
}

func TestOneShotNeverPrintsControlSequences(t *testing.T) {
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "x", "--replay", "../../testdata/streams/hostile-responses.sse"}, strings.NewReader(""), &out, &errb)
	if code != 1 { // the recording ends in response.failed
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	for _, s := range []string{out.String(), errb.String()} {
		if strings.ContainsAny(s, "\x1b\x07\x08\u009b\u009d") {
			t.Fatalf("control sequence reached the output: %q", s)
		}
	}
	if !strings.Contains(out.String(), "␛]52;c;") {
		t.Fatalf("the neutralised text is missing: %q", out.String())
	}
}

func TestOneShotNeedsAPrompt(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Execute([]string{"-p", "  "}, strings.NewReader(""), &out, &errb); code != exitUsage {
		t.Fatalf("exit %d", code)
	}
}

func TestOneShotSavesASessionAndContinuesIt(t *testing.T) {
	oneShotMock(t)
	db := filepath.Join(t.TempDir(), "s.db")
	var out, errb bytes.Buffer
	if code := Execute([]string{"-p", "first question", "--db", db, "-m", "parley-mock-markdown"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	out.Reset()
	if code := Execute([]string{"-p", "second question", "--db", db, "--continue", "-m", "parley-mock-markdown"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("continue: exit %d: %s", code, errb.String())
	}
	out.Reset()
	if code := Execute([]string{"-p", "not saved", "--db", db, "--no-save", "-m", "parley-mock-markdown"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("no-save: exit %d: %s", code, errb.String())
	}
	out.Reset()
	if code := Execute([]string{"sessions", "list", "--json", "--db", db}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("list: exit %d: %s", code, errb.String())
	}
	var list []struct {
		Title    string `json:"title"`
		Messages int    `json:"messages"`
	}
	if err := json.Unmarshal(out.Bytes(), &list); err != nil {
		t.Fatalf("%v: %s", err, out.String())
	}
	if len(list) != 1 || list[0].Title != "first question" || list[0].Messages != 4 {
		t.Fatalf("sessions = %+v", list)
	}
}

// The exit codes README documents: 0 answered, 1 failed, 2 usage or
// config error, 3 incomplete (with one line on stderr saying why).
func TestOneShotExitCodes(t *testing.T) {
	oneShotMock(t)
	filtered := filepath.Join(t.TempDir(), "filtered.sse")
	os.WriteFile(filtered, []byte(`data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"The first half"}}]}`+"\n\n"+
		`data: {"id":"c1","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":{},"finish_reason":"content_filter"}]}`+"\n\n"+
		"data: [DONE]\n\n"), 0o600)
	cases := []struct {
		name   string
		args   []string
		code   int
		stderr string
	}{
		{"answered", []string{"-m", "parley-mock-markdown"}, exitOK, ""},
		{"HTTP error", []string{"-m", "fault:401"}, exitError, "Incorrect API key"},
		{"stream error", []string{"-m", "fault:error-event"}, exitError, "parley: "},
		{"usage", []string{"--api", "soap"}, exitUsage, "soap"},
		{"max_output_tokens", []string{"-m", "fault:incomplete"}, exitIncomplete,
			"parley: the answer is incomplete: the model reached its output token limit (max_output_tokens)\n"},
		{"content filter", []string{"--replay", filtered, "--api", "chat"}, exitIncomplete,
			"parley: the answer is incomplete: the server's content filter stopped it\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			code := Execute(append([]string{"-p", "hi", "--no-save"}, tc.args...), strings.NewReader(""), &out, &errb)
			if code != tc.code || !strings.Contains(errb.String(), tc.stderr) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tc.code, errb.String(), tc.stderr)
			}
			if tc.code == exitIncomplete {
				if out.Len() == 0 || strings.Count(errb.String(), "\n") != 1 {
					t.Fatalf("an incomplete answer prints what arrived and one line on stderr: stdout %q stderr %q", out.String(), errb.String())
				}
			}
		})
	}
}

// A config file holding a key that others can read gets the chat's
// warning in -p too.
func TestOneShotWarnsOfAWorldReadableConfig(t *testing.T) {
	oneShotMock(t)
	cfg := writeConfig(t, "[providers.openai]\napi_key = \"sk-in-the-file-1234\"\n")
	if err := os.Chmod(cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "hi", "--no-save", "-m", "parley-mock-markdown", "--config", cfg}, strings.NewReader(""), &out, &errb)
	if code != exitOK || !strings.Contains(errb.String(), "parley: warning: ") || !strings.Contains(errb.String(), "api_key") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}
