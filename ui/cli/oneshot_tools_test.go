package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model/store"
)

// calcConfig is a config whose command tool "calculator" prints 80 (the
// mock's tools script calls a tool of that name when one is offered).
func calcConfig(t *testing.T, approve bool) string {
	t.Helper()
	a := ""
	if approve {
		a = "approve = true"
	}
	return writeConfig(t, `
[tools.calculator]
description = "Arithmetic."
command = ["sh", "-c", "cat >/dev/null; echo 80"]
parameters = { type = "object", properties = { expression = { type = "string" } } }
`+a+"\n")
}

// Today -p offers no tools: "use the calculator" prints nothing and exits
// 0. Now the demo tools are offered and, with --yolo, run; the model's
// answer quotes their results.
func TestOneShotYoloRunsTheDemoToolsAndAnswers(t *testing.T) {
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "use the calculator", "--yolo", "--no-save"}, strings.NewReader(""), &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	if !strings.Contains(out.String(), "> 80") || strings.Contains(errb.String(), "denied") {
		t.Fatalf("the calculator's result is not in the answer:\nstdout %q\nstderr %q", out.String(), errb.String())
	}
}

// A call that is not pre-approved is denied: stderr names it and says how
// to allow it, the model is told, and its answer is printed.
func TestOneShotDeniesCallsNotPreApproved(t *testing.T) {
	srv := oneShotMock(t)
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "use the calculator", "--config", calcConfig(t, false), "--no-save"}, strings.NewReader(""), &out, &errb)
	if code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	want := `parley: denied calculator {"expression":"(2+3)*4^2"}: -p runs only pre-approved tools; ` +
		`to allow it, set approve = true under [tools.calculator] in the config, or pass --yolo`
	if !strings.Contains(errb.String(), want) {
		t.Fatalf("stderr %q\nwant %q", errb.String(), want)
	}
	if !strings.Contains(out.String(), "not pre-approved") {
		t.Fatalf("the answer does not quote the denial: %q", out.String())
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || !strings.Contains(string(reqs[1].Body), `"type":"function_call_output"`) ||
		!strings.Contains(string(reqs[1].Body), "not pre-approved") {
		t.Fatalf("the model was not told of the denial: %d requests", len(reqs))
	}
}

// A tool the config pre-approves runs, and the session holds the call
// with its result, as a chat would save it.
func TestOneShotRunsPreApprovedToolsAndSavesTheResults(t *testing.T) {
	oneShotMock(t)
	db := filepath.Join(t.TempDir(), "s.db")
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "use the calculator", "--config", calcConfig(t, true), "--db", db}, strings.NewReader(""), &out, &errb)
	if code != exitOK || !strings.Contains(out.String(), "> 80") {
		t.Fatalf("exit %d\nstdout %q\nstderr %q", code, out.String(), errb.String())
	}
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	sess, err := st.LastSession(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	_, msgs, err := st.LoadSession(context.Background(), sess.ID)
	if err != nil {
		t.Fatal(err)
	}
	var calls, answers int
	for _, m := range msgs {
		for _, c := range m.ToolCalls {
			calls++
			if c.Name != "calculator" || strings.TrimSpace(c.Output) != "80" || c.Status != "done" {
				t.Errorf("saved call %+v", c)
			}
		}
		if m.Role == "assistant" && strings.Contains(m.Text, "> 80") {
			answers++
		}
	}
	if calls != 1 || answers != 1 {
		t.Fatalf("saved %d calls and %d answers quoting the result, want 1 and 1: %+v", calls, answers, msgs)
	}
}

// --max-steps bounds the tool rounds; stopping short of an answer is an
// incomplete answer, not a silent success.
func TestOneShotStopsAfterMaxSteps(t *testing.T) {
	oneShotMock(t)
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "use the calculator", "--config", calcConfig(t, true), "--no-save", "--max-steps", "1"},
		strings.NewReader(""), &out, &errb)
	if code != exitIncomplete || !strings.Contains(errb.String(), "stopped after 1 tool round (--max-steps)") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// A reply that is empty, or only calls tools that are not offered (no
// demo backend, none configured), is not an answer: -p says so and exits
// 3, never 0 with nothing printed.
func TestOneShotNeverExitsZeroWithNothingPrinted(t *testing.T) {
	empty := filepath.Join(t.TempDir(), "empty.sse")
	os.WriteFile(empty, []byte("event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"r1\",\"status\":\"in_progress\",\"output\":[]}}\n\n"+
		"event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"r1\",\"status\":\"completed\",\"output\":[]}}\n\n"), 0o600)
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "review this", "--replay", empty, "--no-save"}, strings.NewReader(""), &out, &errb)
	if code != exitIncomplete || out.Len() != 0 || !strings.Contains(errb.String(), "the model's reply was empty") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}

	oneShotMock(t)
	out.Reset()
	errb.Reset()
	code = Execute([]string{"-p", "review this", "-m", "parley-mock-tools", "--no-save"}, strings.NewReader("commit abc\n"), &out, &errb)
	if code != exitIncomplete || !strings.Contains(errb.String(), "the model called get_weather, but no tools are offered") {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out.String(), errb.String())
	}
}
