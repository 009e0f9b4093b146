package main

// End-to-end tests of the chat screen's interaction rules: where keys go,
// what the approval prompt shows and runs, session navigation, quitting.
// Each drives the real binary in a pseudo-terminal, as a user would.

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/ui/uitest"
)

// Keys as a terminal sends them.
const (
	keyEnter    = "\r"
	keyTab      = "\t"
	keyEsc      = "\x1b"
	keyCtrlB    = "\x02"
	keyCtrlC    = "\x03"
	keyCtrlN    = "\x0e"
	keyCtrlS    = "\x13"
	keyUp       = "\x1b[A"
	keyAltUp    = "\x1b[1;3A"
	keyAltDown  = "\x1b[1;3B"
	guardWait   = 700 * time.Millisecond // longer than the approval prompt's input guard
	mockKeyEnv  = "OPENAI_API_KEY=mock-key"
	mockBaseEnv = "OPENAI_BASE_URL="
)

// inputLine is the text in the input box, read from the screen.
func inputLine(s string) string {
	lines := strings.Split(s, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "╰") && i > 0 {
			return strings.TrimSpace(strings.Trim(strings.TrimSpace(lines[i-1]), "│"))
		}
	}
	return ""
}

// A search hit opens at the hit, and typing afterwards goes to the input:
// it never edits, regenerates or forks the message found.
func TestE2ESearchHitThenTyping(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--speed", "20")
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "--model", "parley-mock-1")
	tm.waitFor("● ready")
	for _, p := range []string{"show me some markdown", "show me some markdown again", "think about why the sky is blue"} {
		tm.send(p + keyEnter)
		tm.waitFor("● done")
		time.Sleep(200 * time.Millisecond)
	}
	tm.send(keyCtrlN)
	tm.waitFor("Type a prompt")
	tm.send(keyCtrlS)
	tm.waitFor("Sessions")
	tm.send(keyTab)
	tm.send("sky is blue")
	tm.waitFor("Search all messages", "show me some markdown · user")
	tm.send(keyEnter)
	s := tm.waitFor("Opened “show me some markdown”")
	if !strings.Contains(s, "think about why the sky is blue") {
		t.Errorf("the hit is not in view:\n%s", s)
	}
	tm.send("reply please")
	s = tm.waitFor("reply please")
	if got := inputLine(s); got != "reply please" {
		t.Errorf("input holds %q after typing, want %q:\n%s", got, "reply please", s)
	}
	if strings.Contains(s, "Editing an earlier prompt") {
		t.Errorf("typing started an edit:\n%s", s)
	}
}

// The approval prompt is readable at 80x24 and 60x20: the tool, its whole
// arguments and every choice; ctrl+b opens the sidebar at both widths.
func TestE2EApprovalOnSmallTerminals(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParleySized(t, bin, 80, 24, nil)
	tm.waitFor("demo backend")
	tm.send("use the calculator" + keyEnter)
	tm.waitFor("Run calculator?", `"expression": "(2+3)*4^2"`, "y allow once", "allow calculator for this session", "n deny")
	tm.send(keyCtrlB)
	tm.waitFor("Tool calls · 2", `"timezone": "Europe/Paris"`, "tools:")
	tm.send(keyCtrlB)
	tm.resize(60, 20)
	tm.waitFor("for your approval · tab reviews")
	tm.send(keyTab)
	tm.waitFor("Run calculator?", `"expression": "(2+3)*4^2"`, "y allow once", "deny", "back to the input")
	time.Sleep(guardWait)
	tm.send("y")
	tm.waitFor("Run clock?", `"timezone": "Europe/Paris"`)
	tm.send(keyCtrlB)
	tm.waitFor("clock function", "tools:")
}

// Typed prose never decides a call: "hello" and "can" typed while the
// prompt shows land in the input, and nothing runs.
func TestE2ETypingNeverDecides(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParley(t, bin, nil)
	tm.waitFor("demo backend")
	tm.send("use the calculator" + keyEnter)
	tm.waitFor("Run calculator?", "approval:")
	time.Sleep(guardWait)
	tm.send("hello")
	tm.send(" can")
	s := tm.waitFor("hello can")
	if got := inputLine(s); got != "hello can" {
		t.Errorf("input holds %q, want %q:\n%s", got, "hello can", s)
	}
	time.Sleep(300 * time.Millisecond)
	s = tm.screen()
	for _, bad := range []string{"⚙ calculator ✓", "⚙ clock", "denied", "auto-approved"} {
		if strings.Contains(s, bad) {
			t.Errorf("typing decided a call (%q):\n%s", bad, s)
		}
	}
	if !strings.Contains(s, "2 tool calls wait for your approval") {
		t.Errorf("the calls no longer wait:\n%s", s)
	}
}

// "Allow for the session" ends with the session, and the status bar says
// while it holds.
func TestE2ESessionApprovalEndsWithTheSession(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParley(t, bin, nil)
	tm.waitFor("demo backend")
	tm.send("use the calculator" + keyEnter)
	tm.waitFor("Run calculator?")
	time.Sleep(guardWait)
	tm.send("a")
	tm.waitFor("Run clock?")
	time.Sleep(guardWait)
	tm.send("a")
	tm.waitFor("● done parley-mock-1 · auto-approved: calculator, clock")
	tm.send(keyCtrlN)
	s := tm.waitFor("Try:")
	if strings.Contains(s, "auto-approved") {
		t.Errorf("a new session still auto-approves:\n%s", s)
	}
	tm.send("use the calculator" + keyEnter)
	tm.waitFor("Run calculator?")
}

// ctrl+c with a draft clears it (up brings it back); on an empty input it
// quits.
func TestE2ECtrlCKeepsTheDraft(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParley(t, bin, nil)
	tm.waitFor("demo backend")
	tm.send("a draft I spent time on")
	tm.waitFor("a draft I spent time on")
	tm.send(keyCtrlC)
	tm.waitFor("Draft cleared (↑ brings it back) · ctrl+c again quits")
	if tm.exited(300 * time.Millisecond) {
		t.Fatal("ctrl+c with a draft quit")
	}
	tm.send(keyUp)
	s := tm.waitFor("a draft I spent time on")
	if got := inputLine(s); got != "a draft I spent time on" {
		t.Errorf("up brought back %q", got)
	}
	tm.send(keyCtrlC)
	tm.waitFor("Draft cleared")
	tm.send(keyCtrlC)
	if !tm.exited(5 * time.Second) {
		t.Fatal("ctrl+c on an empty input did not quit")
	}
}

// Enter on a prompt that failed, given back to the input, replaces the
// failed turn: the prompt is never shown twice in the transcript.
func TestE2EEnterOnAFailedPrompt(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "--model", "fault:401")
	tm.waitFor("Ask anything")
	tm.send("please keep this prompt" + keyEnter)
	tm.waitFor("● error", "ctrl+r retries")
	tm.send(keyEnter)
	time.Sleep(500 * time.Millisecond)
	s := tm.waitFor("● error")
	if got := inputLine(s); got != "please keep this prompt" {
		t.Errorf("the prompt is not back in the input: %q", got)
	}
	if n := strings.Count(s, "please keep this prompt"); n != 2 { // the transcript's and the input's
		t.Errorf("the prompt shows %d times, want once in the transcript and once in the input:\n%s", n, s)
	}
}

// alt+up always goes to the older session, alt+down to the newer one, and
// past the newest to a blank new session, wherever one starts.
func TestE2ESessionSteps(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--speed", "20")
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "--model", "parley-mock-1")
	tm.waitFor("● ready")
	tm.send("first session" + keyEnter)
	tm.waitFor("● done")
	tm.send(keyCtrlN)
	tm.waitFor("Type a prompt")
	time.Sleep(50 * time.Millisecond)
	tm.send("second session" + keyEnter)
	tm.waitFor("● done")
	tm.send(keyCtrlN)
	tm.waitFor("Type a prompt")

	step := func(key, want string) {
		t.Helper()
		tm.send(key)
		tm.waitFor(want)
		time.Sleep(100 * time.Millisecond)
	}
	step(keyAltDown, "there is none newer") // from a new session
	step(keyAltUp, "Opened “second session”")
	step(keyAltUp, "Opened “first session”")
	step(keyAltUp, "This is the oldest session")
	step(keyAltDown, "Opened “second session”")
	tm.send(keyAltDown) // past the newest: a blank new session
	s := tm.waitFor("Type a prompt")
	if strings.Contains(s, "You") {
		t.Errorf("not a blank session:\n%s", s)
	}
	step(keyAltUp, "Opened “second session”")
}

// staleKeys are default key names, which a screen whose every binding was
// rebound to alt and ctrl+alt keys must not show.
var staleKeys = regexp.MustCompile(`(^|[^a-z+])(shift\+|ctrl\+[a-z]|esc|enter|tab|pgup|pgdown|f1)\b`)

// rebound is a config file that rebinds every binding to a key of its
// own (uitest.Rebound), with what a test needs to press those keys and to
// read screens that must name them.
type rebound struct {
	t     *testing.T
	path  string            // the config file
	bound map[string]string // binding name -> its key
}

func newRebound(t *testing.T) *rebound {
	t.Helper()
	names := keymap.DefaultKeyMap().Names()
	bound := uitest.Rebound(t, names)
	var cfg strings.Builder
	cfg.WriteString("[keys]\n")
	for _, n := range names {
		fmt.Fprintf(&cfg, "%q = [%q]\n", n, bound[n])
	}
	path := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(path, []byte(cfg.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	return &rebound{t: t, path: path, bound: bound}
}

// seq is what a terminal sends for a binding's alt or ctrl+alt key.
func (r *rebound) seq(name string) string {
	k := r.bound[name]
	if c, ok := strings.CutPrefix(k, "ctrl+alt+"); ok {
		return "\x1b" + string(rune(c[0]-'a'+1))
	}
	return "\x1b" + strings.TrimPrefix(k, "alt+")
}

// look waits for wants and fails the test for every default key name on
// the screen.
func (r *rebound) look(tm *term, wants ...string) string {
	r.t.Helper()
	s := tm.waitFor(wants...)
	for _, line := range strings.Split(s, "\n") {
		if m := staleKeys.FindString(strings.ReplaceAll(line, "ctrl+alt+", "")); m != "" {
			r.t.Errorf("stale key name %q in %q", strings.TrimSpace(m), line)
		}
	}
	return s
}

// Every binding rebound in the config: the screens name the new keys, no
// default one, and the keys they name work.
func TestE2ERebindEveryAction(t *testing.T) {
	bin := parleyBinary(t)
	r := newRebound(t)
	bound, seq, look := r.bound, r.seq, r.look
	tm := startParley(t, bin, nil, "--config", r.path)
	look(tm, "demo backend", bound["global.help"]+" shows every key", "("+bound["input.send"]+" to send)")
	tm.send(seq("global.help"))
	look(tm, "Keys", bound["global.retry"], "retry failed prompt")
	tm.send(seq("overlay.close"))
	tm.waitFor("Try:")
	tm.send("use the calculator")
	tm.send(seq("input.send"))
	look(tm, "Run calculator?", bound["approval.allow"]+" allow once", bound["approval.deny"]+" deny")
	time.Sleep(guardWait)
	tm.send(seq("approval.allow"))
	look(tm, "Run clock?")
	time.Sleep(guardWait)
	tm.send(seq("approval.deny"))
	look(tm, "⚙ clock ⊘ denied", "Thanks, I have the tool results")
	tm.send(seq("global.focus_next"))
	look(tm, "transcript: "+bound["transcript.copy_message"]+" copy")
	tm.send(seq("transcript.copy_message"))
	look(tm, "Copied the reply")
}

// responsesServer answers each request with the next of the given SSE
// bodies (the last one again once they run out).
func responsesServer(t *testing.T, bodies ...string) (string, *atomic.Int32) {
	t.Helper()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int(n.Add(1)) - 1
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, bodies[min(i, len(bodies)-1)])
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

// sse writes Responses API events as a server sends them.
func sse(events ...string) string {
	var b strings.Builder
	b.WriteString(`data: {"type":"response.created","response":{"id":"r","model":"m","status":"in_progress"}}` + "\n\n")
	for _, e := range events {
		b.WriteString("data: " + e + "\n\n")
	}
	b.WriteString(`data: {"type":"response.completed","response":{"id":"r","model":"m","status":"completed"}}` + "\n\n")
	return b.String()
}

// functionCall is a call whose arguments stream as streamed and end as
// final: a hostile server can make them differ.
func functionCall(id, callID, streamed, final string) []string {
	q := func(s string) string { return fmt.Sprintf("%q", s) }
	return []string{
		`{"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"` + id + `","call_id":"` + callID + `","name":"echo","arguments":""}}`,
		`{"type":"response.function_call_arguments.delta","item_id":"` + id + `","output_index":0,"delta":` + q(streamed) + `}`,
		`{"type":"response.function_call_arguments.done","item_id":"` + id + `","output_index":0,"arguments":` + q(final) + `}`,
		`{"type":"response.output_item.done","output_index":0,"item":{"type":"function_call","id":"` + id + `","call_id":"` + callID + `","name":"echo","arguments":` + q(final) + `,"status":"completed"}}`,
	}
}

// What the approval prompt shows is what runs: when a server's final
// arguments differ from what streamed, the prompt shows the final ones and
// says so, and the tool gets exactly them. A call that reuses an earlier
// call's ids is a new call, asked about again.
func TestE2EApprovalShowsWhatRuns(t *testing.T) {
	bin := parleyBinary(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "args")
	final := `{"msg": "rm -rf ~ EXECUTED-FINAL"}`
	url, _ := responsesServer(t,
		sse(functionCall("fc_1", "call_1", `{"msg": "hello"}`, final)...),
		sse(functionCall("fc_1", "call_1", `{"msg": "second"}`, `{"msg": "second"}`)...),
		sse(`{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"All done."}`))
	cfg := fmt.Sprintf(`[tools.echo]
description = "Echo a message."
command = ["sh", "-c", "cat >> %s; echo >> %s; echo ok"]
parameters = { type = "object", properties = { msg = { type = "string" } } }
`, out, out)
	path := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "--config", path, "--model", "m")
	tm.waitFor("Ask anything")
	tm.send("say hello" + keyEnter)
	s := tm.waitFor("Run echo?", "EXECUTED-FINAL", "final arguments differ")
	if strings.Contains(s, `"msg": "hello"`) {
		t.Errorf("the streamed arguments still show:\n%s", s)
	}
	time.Sleep(guardWait)
	tm.send("y")
	tm.waitFor("Run echo?", `"msg": "second"`, "Tool calls · 2")
	time.Sleep(guardWait)
	tm.send("y")
	tm.waitFor("All done.")
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if want := final + "\n" + `{"msg": "second"}` + "\n"; string(got) != want {
		t.Errorf("the tool received %q, want %q", got, want)
	}
}

// esc esc and ctrl+c stop a reply at once, however fast the server sends:
// keys never wait behind stream work. The latency is printed, not
// asserted (this machine is shared).
func TestE2ECancelUnderAnEndlessStream(t *testing.T) {
	bin := parleyBinary(t)
	url := uitest.Endless(t)
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "--model", "m", "--no-save")
	tm.waitFor("Ask anything")
	for _, c := range []struct {
		name string
		keys []string
	}{{"ctrl+c", []string{keyCtrlC}}, {"esc esc", []string{keyEsc, keyEsc}}} {
		tm.send("go on forever" + keyEnter)
		tm.waitFor("● streaming", "more and more words")
		time.Sleep(time.Second) // let the stream run at full speed
		start := time.Now()
		for i, k := range c.keys {
			if i > 0 {
				time.Sleep(150 * time.Millisecond) // two presses, not alt+esc
				start = time.Now()
			}
			tm.send(k)
		}
		for !strings.Contains(tm.screen(), "● cancelled") {
			if time.Since(start) > 15*time.Second {
				t.Fatalf("%s did not cancel:\n%s", c.name, tm.screen())
			}
			time.Sleep(2 * time.Millisecond)
		}
		t.Logf("%s under an endless stream: cancelled on screen %v after the last key was sent", c.name, time.Since(start).Round(time.Millisecond))
		if tm.exited(200 * time.Millisecond) {
			t.Fatalf("%s quit the app", c.name)
		}
	}
}
