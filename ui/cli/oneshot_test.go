package cli

import (
	"bytes"
	"encoding/json"
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
