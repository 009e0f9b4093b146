package main

// End-to-end: the trust rules of issue 10 against `parley mock-server`'s
// hostile faults, on the real binary as a user runs it. What the user
// approves is what runs; typed text never decides a call; secrets are
// never shown; a stream without end is stopped with memory to spare and
// keys that act at once. (The terminal rules are in
// e2e_trust_terminal_test.go; servers that lie in ways the mock does not
// are in e2e_trust_liar_test.go.)

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Secrets a hostile server echoes: a key that looks like no provider's
// (only its registration can catch it), and a header value under a name
// that does not say it is secret.
const (
	sentinelKey    = "plain-secret-value-77"
	sentinelHeader = "custom-header-secret-42"
)

// assertNoSecret fails when s shows a sentinel, or a piece of one.
func assertNoSecret(t *testing.T, what, s string) {
	t.Helper()
	for _, secret := range []string{sentinelKey, sentinelHeader} {
		for _, piece := range []string{secret, secret[:len(secret)/2], secret[len(secret)/2:]} {
			if i := strings.Index(s, piece); i >= 0 {
				t.Errorf("%s shows %q (of a secret): %q", what, piece, s[max(0, i-80):min(len(s), i+len(piece)+80)])
				break
			}
		}
	}
}

// fault:echo-auth answers every request, /v1/models included, with a 401
// whose message repeats the request's headers. The key and a configured
// header's value never show: not on the chat screen, -p's stderr,
// `parley models` (table or JSON), `parley doctor`, nor in the --debug log.
func TestE2ETrustEchoedSecretsAreNeverShown(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant", "--fault", "echo-auth")
	cfg := writeE2EConfig(t, `provider = "hostile"
[providers.hostile]
api = "responses"
base_url = "`+url+`"
api_key_env = "HOSTILE_KEY"
headers = { X-Custom-Auth = "`+sentinelHeader+`" }
`)
	state := t.TempDir()
	env := []string{"HOSTILE_KEY=" + sentinelKey, "XDG_STATE_HOME=" + state}
	common := []string{"--config", cfg, "-m", "m", "--no-save", "--debug"}

	tm := startParley(t, bin, env, common...)
	tm.waitFor("Ask anything")
	tm.send("hello" + keyEnter)
	s := tm.waitFor("● error", "Incorrect API key provided")
	if strings.Count(s, "[REDACTED]") < 2 {
		t.Errorf("the key and the header are not both masked:\n%s", s)
	}
	assertNoSecret(t, "the chat", s)
	assertNoSecret(t, "the chat's output", tm.output())

	for _, args := range [][]string{
		append([]string{"-p", "hello"}, common...),
		{"models", "--config", cfg},
		{"models", "--json", "--all", "--config", cfg},
		{"doctor", "--config", cfg},
		{"doctor", "--keys", "-v", "--config", cfg},
	} {
		code, stdout, stderr, _ := runParley(t, bin, run{env: env}, args...)
		if !strings.Contains(stdout+stderr, "Incorrect API key provided") {
			t.Errorf("%v: exit %d, the server's message is not shown:\n%s%s", args, code, stdout, stderr)
		}
		assertNoSecret(t, fmt.Sprint(args), stdout+stderr)
	}

	log, err := os.ReadFile(filepath.Join(state, "parley", "parley.log"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(log), "X-Custom-Auth") {
		t.Errorf("the --debug log does not trace the request's headers:\n%.2000s", log)
	}
	assertNoSecret(t, "the --debug log", string(log))
}

// echoTool is a config with one command tool, echo, that appends the
// arguments it receives to a file and says ok; approve is its approval.
func echoTool(t *testing.T, approve bool) (cfg, received string) {
	t.Helper()
	received = filepath.Join(t.TempDir(), "received")
	return writeE2EConfig(t, fmt.Sprintf(`[tools.echo]
description = "Echo a message."
command = ["sh", "-c", "cat >> %s; echo >> %s; echo ok"]
parameters = { type = "object", properties = { msg = { type = "string" } } }
approve = %v
`, received, received, approve)), received
}

// waitForFile waits until path holds a whole record (echoTool ends each
// with a newline, in a second write: reading between the two would see
// half of it, and the second write would land after the test moved on),
// and returns it.
func waitForFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		if data, _ := os.ReadFile(path); bytes.HasSuffix(data, []byte("\n")) {
			return string(data)
		}
		if time.Now().After(deadline) {
			t.Fatalf("nothing reached %s", path)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fault:args-changed streams a call's arguments as {"msg": "hello"} and
// ends them, on the Responses API, as {"msg": "rm -rf ~ EXECUTED-FINAL"};
// on the Chat API it sends the changed fragment after the finish. The
// approval shows what will run, byte for byte, and says when it changed;
// y runs exactly that. -p runs only an approved call, with the final
// arguments, and runs nothing it was not allowed to.
func TestE2ETrustArgsChanged(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	env := []string{mockKeyEnv, mockBaseEnv + url}
	const streamed, final = `{"msg": "hello"}`, `{"msg": "rm -rf ~ EXECUTED-FINAL"}`
	for _, c := range []struct {
		api, shown string
		changed    bool
	}{
		{"responses", final, true},
		{"chat", streamed, false}, // a fragment after the finish changes nothing
	} {
		t.Run(c.api, func(t *testing.T) {
			cfg, received := echoTool(t, false)
			tm := startParley(t, bin, env, "--config", cfg, "--api", c.api, "-m", "fault:args-changed", "--no-save")
			tm.waitFor("Ask anything")
			tm.send("run it" + keyEnter)
			s := tm.waitFor("Run echo?", strings.TrimSuffix(strings.TrimPrefix(c.shown, "{"), "}"), "y allow once")
			if said := strings.Contains(s, "final arguments differ"); said != c.changed {
				t.Errorf("the prompt says the arguments changed: %v, want %v:\n%s", said, c.changed, s)
			}
			if c.changed && strings.Contains(s, `"msg": "hello"`) {
				t.Errorf("the streamed arguments still show:\n%s", s)
			}
			time.Sleep(guardWait)
			tm.send("y")
			if got := waitForFile(t, received); got != c.shown+"\n" {
				t.Errorf("the tool received %q, the prompt showed %q", got, c.shown)
			}

			// -p: not approved, nothing runs and stderr names the call as
			// it would have run.
			os.Remove(received)
			code, _, stderr, _ := runParley(t, bin, run{env: env}, "-p", "run it", "--config", cfg, "--api", c.api,
				"-m", "fault:args-changed", "--no-save", "--max-steps", "1")
			if _, err := os.Stat(received); err == nil || !strings.Contains(stderr, "parley: denied echo "+c.shown+": ") {
				t.Errorf("-p ran a call it was not allowed to (exit %d, stderr %q)", code, stderr)
			}
			// Approved: it runs the final arguments, once.
			cfg, received = echoTool(t, true)
			code, _, stderr, _ = runParley(t, bin, run{env: env}, "-p", "run it", "--config", cfg, "--api", c.api,
				"-m", "fault:args-changed", "--no-save", "--max-steps", "1")
			if got, _ := os.ReadFile(received); string(got) != c.shown+"\n" {
				t.Errorf("-p with echo approved: the tool received %q, want %q (exit %d, stderr %q)", got, c.shown+"\n", code, stderr)
			}
		})
	}
}

// waitForPrompt waits until the approval prompt (the box at the left edge,
// above the input) shows every string.
func (tm *term) waitForPrompt(wants ...string) {
	tm.t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		var box strings.Builder
		for line := range strings.Lines(tm.screen()) {
			if strings.HasPrefix(line, "│") {
				box.WriteString(line)
			}
		}
		missing := ""
		for _, w := range wants {
			if !strings.Contains(box.String(), w) {
				missing = w
			}
		}
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("the approval prompt never showed %q:\n%s", missing, tm.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// callsAndOutputs lists the last request's function calls (call id and
// arguments) and outputs (by call id), in order.
func callsAndOutputs(t *testing.T, body map[string]any) (calls, outputs []string) {
	t.Helper()
	for _, it := range body["input"].([]any) {
		item, _ := it.(map[string]any)
		switch item["type"] {
		case "function_call":
			calls = append(calls, fmt.Sprint(item["call_id"], " ", item["arguments"]))
		case "function_call_output":
			outputs = append(outputs, fmt.Sprint(item["call_id"], " ", item["output"]))
		}
	}
	return calls, outputs
}

// fault:reused-ids sends two calls under one item id and call id, in
// every reply. Each is asked about with its own arguments and runs with
// them, and the next request carries each call once, with its output.
func TestE2ETrustReusedIDsRunWhatTheyShow(t *testing.T) {
	bin := parleyBinary(t)
	srv, env := recordingServer(t)
	cfg, received := echoTool(t, false)
	tm := startParley(t, bin, env, "--config", cfg, "-m", "fault:reused-ids", "--no-save")
	tm.waitFor("Ask anything")
	tm.send("run them" + keyEnter)
	for _, args := range []string{`"msg": "first"`, `"msg": "second, same ids"`, `"msg": "first"`} {
		tm.waitForPrompt("Run echo?", args)
		if len(srv.Requests()) == 2 {
			break // the next reply's first call
		}
		time.Sleep(guardWait)
		tm.send("y")
	}
	got, _ := os.ReadFile(received)
	if want := `{"msg": "first"}` + "\n" + `{"msg": "second, same ids"}` + "\n"; string(got) != want {
		t.Errorf("the tool received %q, want %q", got, want)
	}
	calls, outputs := callsAndOutputs(t, lastBody(t, srv))
	wantCalls := []string{`call_mock_reused {"msg": "first"}`, `call_mock_reused {"msg": "second, same ids"}`}
	if fmt.Sprint(calls) != fmt.Sprint(wantCalls) || fmt.Sprint(outputs) != fmt.Sprint([]string{"call_mock_reused ok\n", "call_mock_reused ok\n"}) {
		t.Errorf("the next request sent calls %q with outputs %q; want %q, each with its output", calls, outputs, wantCalls)
	}
}

// Each call of a reply that reuses ids has one card, which says the
// arguments changed only when they did.
func TestE2ETrustReusedIDsMakeOneCardPerCall(t *testing.T) {
	t.Skip("known bug, see the hardening report: ui/chat's startTools looks calls up by item id, finds the second call for the first, and shows three cards")
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	cfg, _ := echoTool(t, false)
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "--config", cfg, "-m", "fault:reused-ids", "--no-save")
	tm.waitFor("Ask anything")
	tm.send("run them" + keyEnter)
	s := tm.waitFor("Run echo?", "● needs approval")
	for _, bad := range []string{"Tool calls · 3", "not run", "differ"} {
		if strings.Contains(s, bad) {
			t.Errorf("the screen shows %q for two calls whose arguments never changed:\n%s", bad, s)
		}
	}
	if !strings.Contains(s, "Tool calls · 2") {
		t.Errorf("want a card per call:\n%s", s)
	}
}

// Typed prose never decides a call and is never lost: words full of the
// approval's letters (y, a, n), typed while the prompt is up or while the
// calls arrive, all land in the draft; tab then opens the prompt over the
// draft, and deciding there leaves the draft as it was.
func TestE2ETrustProseNeverDecides(t *testing.T) {
	bin := parleyBinary(t)
	decided := []string{"⚙ calculator ✓", "⚙ clock", "denied", "auto-approved", "● running"}
	check := func(tm *term, typed string) {
		t.Helper()
		s := tm.waitFor(strings.TrimSpace(typed[max(0, len(typed)-20):]))
		time.Sleep(300 * time.Millisecond)
		s = tm.screen()
		if got := inputLine(s); got != strings.TrimSpace(typed) {
			t.Errorf("the draft is %q, want %q:\n%s", got, strings.TrimSpace(typed), s)
		}
		for _, bad := range decided {
			if strings.Contains(s, bad) {
				t.Errorf("typing decided a call (%q):\n%s", bad, s)
			}
		}
	}

	// The prompt is up and focused: the first letter that is no choice
	// takes the keys to the input.
	tm := startParley(t, bin, nil, "--no-save")
	tm.waitFor("demo backend")
	tm.send("use the calculator" + keyEnter)
	tm.waitFor("Run calculator?", "approval:")
	time.Sleep(guardWait)
	typed := "hello can any yes no"
	tm.send(typed)
	check(tm, typed)

	// Typing while the calls arrive: a key at a time, through the moment
	// the prompt appears and on.
	tm = startParley(t, bin, nil, "--no-save")
	tm.waitFor("demo backend")
	tm.send("use the calculator" + keyEnter)
	var b strings.Builder
	for after := -1; after < 30 && b.Len() < 300; {
		c := "any yes no "[b.Len()%11]
		tm.send(string(c))
		b.WriteByte(c)
		time.Sleep(30 * time.Millisecond)
		if after < 0 && strings.Contains(tm.screen(), "wait for your approval") {
			after = 0
		} else if after >= 0 {
			after++
		}
	}
	if b.Len() >= 300 {
		t.Fatalf("the calls never came:\n%s", tm.screen())
	}
	typed = b.String()
	check(tm, typed)

	// tab opens the prompt; y decides; the draft stays.
	tm.send(keyTab)
	tm.waitFor("Run calculator?")
	time.Sleep(guardWait)
	tm.send("y")
	tm.waitFor("Run clock?")
	time.Sleep(guardWait)
	tm.send("n")
	s := tm.waitFor("⚙ calculator ✓", "⚙ clock ⊘ denied", "● done")
	if got := inputLine(s); got != strings.TrimSpace(typed) {
		t.Errorf("after deciding, the draft is %q, want %q", got, strings.TrimSpace(typed))
	}
}

// cancelLatency sends keys (the last one timed) and returns how long the
// screen took to say the reply was cancelled.
func (tm *term) cancelLatency(keys ...string) time.Duration {
	tm.t.Helper()
	var start time.Time
	for i, k := range keys {
		if i > 0 {
			time.Sleep(150 * time.Millisecond) // two presses, not alt+esc
		}
		start = time.Now()
		tm.send(k)
	}
	for !strings.Contains(tm.screen(), "● cancelled") {
		if time.Since(start) > 10*time.Second {
			tm.t.Fatalf("%q did not cancel the reply:\n%s", keys, tm.screen())
		}
		time.Sleep(time.Millisecond)
	}
	return time.Since(start)
}

// watchPeakRSS polls the process's peak memory until the screen shows
// every string, and returns the peak and the time it took.
func (tm *term) watchPeakRSS(within time.Duration, wants ...string) (peakMiB float64, took time.Duration) {
	tm.t.Helper()
	start := time.Now()
	for {
		if mib, ok := livePeakRSS(tm.cmd.Process.Pid); ok {
			peakMiB = mib
		}
		s := tm.screen()
		all := true
		for _, w := range wants {
			all = all && strings.Contains(s, w)
		}
		if all {
			return peakMiB, time.Since(start)
		}
		if time.Since(start) > within {
			tm.t.Fatalf("after %v (peak RSS %.0f MiB) the screen does not show %q:\n%s", within, peakMiB, wants, s)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// fault:endless streams text at full speed and never ends. In the chat,
// esc esc and ctrl+c cancel it at once (each latency is printed: this
// machine is shared, so only a generous bound is asserted), and left
// alone it stops at the reply limit with a clear error, the text kept and
// the process's peak memory under 300 MiB. The limit is 2 MiB, not the
// default 4, to keep the test short: the chat takes about 90 KB/s of one
// never-ending paragraph (the default's peak, 185 MiB with the session saved, is measured by
// hand in docs/PERFORMANCE.md).
func TestE2ETrustEndlessStreamInTheChat(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin)
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "-m", "fault:endless", "--no-save", "--max-reply-size", "2MiB")
	tm.waitFor("Ask anything")
	for _, keys := range [][]string{{keyEsc, keyEsc}, {keyCtrlC}} {
		tm.send("never stop" + keyEnter)
		tm.waitFor("● streaming", "All work and no play")
		time.Sleep(time.Second) // at full speed
		took := tm.cancelLatency(keys...)
		t.Logf("fault:endless: %q cancelled the reply on screen %v after the key", keys, took.Round(time.Millisecond))
		if took > 5*time.Second {
			t.Errorf("%q took %v to cancel", keys, took)
		}
		if tm.exited(100 * time.Millisecond) {
			t.Fatalf("%q quit the app", keys)
		}
	}
	tm.send("never stop" + keyEnter)
	tm.waitFor("● streaming")
	peak, took := tm.watchPeakRSS(3*time.Minute, "● error", "limit for one reply")
	t.Logf("fault:endless: stopped by the reply limit after %v; peak RSS %.0f MiB", took.Round(100*time.Millisecond), peak)
	if peak > 300 {
		t.Errorf("peak RSS %.0f MiB, want under 300", peak)
	}
	s := tm.screen()
	if !strings.Contains(s, "All work and no play") || !strings.Contains(s, "Parley's limit for one") {
		t.Errorf("the text or the limit's message is not on screen:\n%s", s)
	}
}

// fault:hugeline sends a 200 MB line: the chat stops at the event limit
// with a clear error, its memory far below the line's size.
func TestE2ETrustHugeLineInTheChat(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "-m", "fault:hugeline", "--no-save")
	tm.waitFor("Ask anything")
	tm.send("one long line" + keyEnter)
	peak, took := tm.watchPeakRSS(time.Minute, "● error", "event_too_large")
	t.Logf("fault:hugeline: stopped by the event limit after %v; peak RSS %.0f MiB", took.Round(100*time.Millisecond), peak)
	if peak > 300 {
		t.Errorf("peak RSS %.0f MiB, want under 300", peak)
	}
	if s := tm.screen(); !strings.Contains(s, "larger than 4 MiB") {
		t.Errorf("the limit's message is not on screen:\n%s", s)
	}
}

// echoServer builds model/mcp's test MCP server and returns its path.
func echoServer(t *testing.T) string {
	t.Helper()
	echo := filepath.Join(t.TempDir(), "echoserver")
	if out, err := exec.Command("go", "build", "-o", echo, "./model/mcp/testdata/echoserver").CombinedOutput(); err != nil {
		t.Fatalf("building the echo server: %v\n%s", err, out)
	}
	return echo
}

// collidingServers is a config of two MCP servers whose tools map to one
// name: a + _x and a_ + x both give a___x.
func collidingServers(t *testing.T) string {
	t.Helper()
	echo := echoServer(t)
	return writeE2EConfig(t, fmt.Sprintf(`[mcp.a]
command = [%q]
env = ["ECHO_EXTRA_TOOL=_x"]

[mcp.a_]
command = [%q]
env = ["ECHO_EXTRA_TOOL=x"]
`, echo, echo))
}

const mcpClash = "MCP servers a and a_ offer tools under the same name a___x, so none of them is offered"

// Two MCP servers whose tools share a name offer neither: -p and doctor
// say so, naming both servers, and so does the chat when it ends.
func TestE2ETrustMCPNameCollision(t *testing.T) {
	bin := parleyBinary(t)
	cfg := collidingServers(t)

	url := startMockServer(t, bin, "--instant")
	_, _, stderr, _ := runParley(t, bin, run{env: []string{mockKeyEnv, mockBaseEnv + url}}, "-p", "hello", "--config", cfg, "--no-save")
	if strings.Count(stderr, mcpClash) != 1 {
		t.Errorf("-p should say once that the names clash; stderr:\n%s", stderr)
	}
	_, stdout, _, _ := runParley(t, bin, run{}, "doctor", "--config", cfg)
	if !strings.Contains(stdout, mcpClash) {
		t.Errorf("doctor does not report the clash:\n%s", stdout)
	}
	tm := startParley(t, bin, nil, "--config", cfg, "--no-save")
	tm.waitFor("Ask anything")
	time.Sleep(2 * time.Second) // the servers answer
	tm.send(keyCtrlC)
	tm.exit()
	if raw := tm.output(); !strings.Contains(raw, "parley: warning: "+mcpClash) {
		t.Errorf("the chat did not say the names clash when it ended:\n%q", raw[max(0, len(raw)-600):])
	}
}

// The chat says so while it runs, where the user wonders why a tool is
// missing.
func TestE2ETrustMCPNameCollisionInTheChat(t *testing.T) {
	t.Skip("known bug, see the hardening report: the chat never shows MCP events (a clash, a failed or lost server) while it runs; they reach stderr after it ends")
	bin := parleyBinary(t)
	tm := startParley(t, bin, nil, "--config", collidingServers(t), "--no-save")
	tm.waitFor("MCP servers a and a_ offer tools under the same name a___x")
}

// A command tool sees the provider key only when its env names it: the
// same tool, with and without the name, on the mock's tool model.
func TestE2ETrustToolSeesTheKeyOnlyWhenNamed(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	for _, c := range []struct{ env, want string }{
		{`[]`, "seen:end"},
		{`["OPENAI_API_KEY"]`, "seen:OPENAI_API_KEY=" + sentinelKey + " end"},
	} {
		cfg := writeE2EConfig(t, `[tools.calculator]
command = ["sh", "-c", "printf 'seen:'; env | grep '^OPENAI_API_KEY=' | tr '\\n' ' '; echo end"]
env = `+c.env+`
approve = true
`)
		code, stdout, stderr, _ := runParley(t, bin, run{env: []string{"OPENAI_API_KEY=" + sentinelKey, mockBaseEnv + url}},
			"-p", "calculate something", "--config", cfg, "-m", "parley-mock-tools", "--no-save")
		if !strings.Contains(stdout, c.want) {
			t.Errorf("env = %s: want the tool to print %q; exit %d\n%s%s", c.env, c.want, code, stdout, stderr)
		}
	}
}
