package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/mcp/mcptest"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
	"github.com/parley-tui/parley/ui"
)

// toolScript writes an executable shell script and returns its path.
func toolScript(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tool.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// toolsConfig is a config file with command tools, an MCP server over
// HTTP (the SDK's handler, in-process), one that cannot start and one
// turned off.
func toolsConfig(t *testing.T) string {
	t.Helper()
	srv := mcptest.Serve(t, mcptest.HTTPOptions{})
	return writeConfig(t, `
[tools.calculator]
description = "Arithmetic, by a script."
command = ["`+toolScript(t, "printf 'calc got '; cat")+`"]
parameters = { type = "object", properties = { expression = { type = "string" } } }

[tools.shout]
command = ["`+toolScript(t, `tr a-z A-Z; echo "$SHOUT_SUFFIX"`)+`"]
env = { SHOUT_SUFFIX = "!" }
approve = true

[mcp.echo]
url = "`+srv.URL+`"
approve = ["echo", "nope"]

[mcp.broken]
command = ["/no/such/server"]

[mcp.off]
command = ["/no/such/server"]
enabled = false
`)
}

// buildToolsWaiting is buildTools, waiting for the MCP servers.
func buildToolsWaiting(t *testing.T, cfg string, demo bool) *toolset {
	t.Helper()
	st, err := loadSetup(chatFlags{config: cfg}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	ts := buildTools(context.Background(), st.settings, demo, false)
	t.Cleanup(ts.close)
	ts.wait(context.Background(), 20*time.Second)
	return ts
}

// The chat's tools come from the config: command tools, MCP tools named
// SERVER__TOOL, the demo's own (replaced by a config tool of the same
// name), with the config's approvals, and a server that cannot start
// reported while the rest load.
func TestBuildToolsFromConfig(t *testing.T) {
	ts := buildToolsWaiting(t, toolsConfig(t), true)
	reg := ts.reg
	var names []string
	for _, spec := range reg.Specs() {
		names = append(names, spec.Name)
	}
	for _, want := range []string{"calculator", "clock", "shout", "echo__echo", "echo__fail", "echo__sleep"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s in %q", want, names)
		}
	}
	if slices.ContainsFunc(names, func(n string) bool { return strings.HasPrefix(n, "off__") || strings.HasPrefix(n, "broken__") }) {
		t.Errorf("tools of a server that is off or broken: %q", names)
	}
	var byPolicy []string
	for _, name := range names {
		if ts.policy.Approved(reg, name) {
			byPolicy = append(byPolicy, name)
		}
	}
	if !slices.Equal(byPolicy, []string{"echo__echo", "shout"}) {
		t.Errorf("the policy approves %q", byPolicy)
	}
	problems := ts.problems()
	if len(problems) != 2 || problems[0] != "MCP server broken is not running: its command /no/such/server was not found (parley doctor shows more)" ||
		problems[1] != "MCP server echo offers no tool nope to approve" {
		t.Errorf("problems %q", problems)
	}

	ctx := context.Background()
	if r := reg.Call(ctx, "shout", `{"a":"b"}`); r.Failed || r.Output != "{\"A\":\"B\"}!\n" {
		t.Errorf("shout: %+v", r)
	}
	if r := reg.Call(ctx, "echo__echo", `{"text":"over HTTP"}`); r.Failed || r.Output != "over HTTP" {
		t.Errorf("echo: %+v", r)
	}
	if r := reg.Call(ctx, "echo__fail", `{}`); !r.Failed {
		t.Errorf("fail: %+v", r)
	}
}

// A server the config approves whole has every tool pre-approved by the
// policy, by server and tool, whatever it offers.
func TestApproveWholeServer(t *testing.T) {
	srv := mcptest.Serve(t, mcptest.HTTPOptions{})
	ts := buildToolsWaiting(t, writeConfig(t, "[mcp.all]\nurl = \""+srv.URL+"\"\napprove = true\n"), false)
	if !ts.policy.Approved(ts.reg, "all__fail") || !ts.policy.Approved(ts.reg, "all__echo") || ts.policy.Approved(ts.reg, "other__echo") {
		t.Errorf("policy: %v %v", ts.policy.Approved(ts.reg, "all__fail"), ts.policy.Approved(ts.reg, "other__echo"))
	}
}

// A command tool from the config sees the default set of variables and
// those its env names, never a provider key it does not name.
func TestConfigToolEnvironment(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "sk-sentinel-cli")
	t.Setenv("GITHUB_TOKEN", "ghp-wanted")
	ts := buildToolsWaiting(t, writeConfig(t, "[tools.env]\ncommand = [\"env\"]\nenv = [\"GITHUB_TOKEN\", \"FIXED=1\"]\n"), false)
	r := ts.reg.Call(context.Background(), "env", "{}")
	if r.Failed || !strings.Contains(r.Output, "GITHUB_TOKEN=ghp-wanted\n") || !strings.Contains(r.Output, "FIXED=1\n") ||
		strings.Contains(r.Output, "sk-sentinel") {
		t.Errorf("environment: %+v", r)
	}
}

// setupTools does not wait for the MCP servers: the chat starts while a
// server hangs, the start notice says they are connecting, and closing
// prints what went wrong to stderr, where it stays after the chat.
func TestSetupToolsDoesNotWait(t *testing.T) {
	hang := toolScript(t, "sleep 30")
	cfg := writeConfig(t, "[mcp.hangs]\ncommand = [\""+hang+"\"]\n[mcp.broken]\ncommand = [\"/no/such/server\"]\n")
	st, err := loadSetup(chatFlags{config: cfg}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	deps := ui.Deps{Notice: "Replaying x.sse for every prompt", Yolo: true}
	begin := time.Now()
	closeFn := setupTools(context.Background(), &stderr, &deps, st.settings)
	if d := time.Since(begin); d > time.Second {
		t.Errorf("setupTools took %v", d)
	}
	if deps.Tools == nil || deps.Policy == nil || !deps.Policy.Yolo() {
		t.Errorf("deps: %+v", deps)
	}
	if deps.MCP == nil || len(deps.MCP.Status()) != 2 || deps.Notice != "Replaying x.sse for every prompt" {
		t.Errorf("MCP %v, notice %q", deps.MCP, deps.Notice)
	}
	time.Sleep(200 * time.Millisecond) // broken fails at once
	closeFn()
	if got := stderr.String(); !strings.Contains(got, "parley: warning: MCP server broken is not running: its command /no/such/server was not found") ||
		!strings.Contains(got, "parley: warning: MCP server hangs has not answered yet") {
		t.Errorf("stderr %q", got)
	}

	// No config and no demo: no tools, no notice.
	deps = ui.Deps{}
	st, err = loadSetup(chatFlags{api: "chat", baseURL: "http://localhost:1/v1", model: "m"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	setupTools(context.Background(), io.Discard, &deps, st.settings)()
	if deps.Tools != nil || deps.Notice != "" {
		t.Errorf("no tools: %+v", deps)
	}
}

// One-shot mode waits for its servers, which it needs, and says on stderr
// what went wrong.
func TestSetupOneShotToolsWaits(t *testing.T) {
	st, err := loadSetup(chatFlags{config: toolsConfig(t)}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	reg, policy, closeFn := setupOneShotTools(context.Background(), &stderr, st.settings, false)
	defer closeFn()
	if _, ok := reg.Lookup("echo__echo"); !ok || !policy.Approved(reg, "shout") || policy.Approved(reg, "calculator") {
		t.Errorf("tools %d, policy %+v", reg.Len(), policy)
	}
	if n := strings.Count(stderr.String(), "parley: warning: MCP server "); n != 2 {
		t.Errorf("stderr %q", stderr.String())
	}
}

// A server's words do not reach the terminal with the problem: it says
// what happened in plain words (its words are in doctor's detail).
func TestToolProblemsSanitised(t *testing.T) {
	cfg := writeConfig(t, "[mcp.evil]\ncommand = [\""+toolScript(t, `printf 'bad \033]0;title\007\n' >&2; exit 1`)+"\"]\n")
	problems := buildToolsWaiting(t, cfg, false).problems()
	if len(problems) != 1 || problems[0] != "MCP server evil is not running: it exited as it started (parley doctor shows more)" {
		t.Errorf("problems %q", problems)
	}
}

// The mock server calls the tools a request offers named calculator or
// clock: the config's calculator script runs and the answer quotes it.
func TestConfigToolAgainstMock(t *testing.T) {
	reg := buildToolsWaiting(t, toolsConfig(t), true).reg
	srv, err := mock.New(mock.Options{Instant: true})
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	c := stream.NewClient(stream.Config{BaseURL: url})
	ask := func(in []stream.InputItem) *stream.Turn {
		s, err := c.Stream(context.Background(), stream.Request{Model: "parley-mock-tools", Tools: reg.Specs(), Input: in})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		turn := stream.NewTurn()
		for {
			ch, err := s.Next()
			if errors.Is(err, io.EOF) {
				return turn
			}
			if err != nil {
				t.Fatal(err)
			}
			turn.Add(ch)
		}
	}
	in := []stream.InputItem{{Role: "user", Text: "calculate something"}}
	turn := ask(in)
	if len(turn.ToolCalls) != 2 {
		t.Fatalf("calls %+v", turn.ToolCalls)
	}
	in = append(in, stream.InputItem{Role: "assistant", Items: turn.Items})
	for _, call := range turn.ToolCalls {
		r := reg.Call(context.Background(), call.Name, call.Arguments)
		if r.Failed {
			t.Fatalf("%s: %+v", call.Name, r)
		}
		in = append(in, stream.InputItem{Role: "tool", CallID: call.CallID, Text: r.Output})
	}
	answer := ask(in)
	if !strings.Contains(answer.Text, `> calc got {"expression":"(2+3)*4^2"}`) {
		t.Errorf("answer %q", answer.Text)
	}
}

func TestDemoClockPinnedForRecordings(t *testing.T) {
	at := demoClock(func(string) string { return "2026-11-25T09:30:00Z" })()
	if at.Format(time.RFC3339) != "2026-11-25T09:30:00Z" {
		t.Fatalf("pinned clock = %v", at)
	}
	if now := demoClock(func(string) string { return "" })(); time.Since(now) > time.Minute {
		t.Fatalf("unpinned clock = %v", now)
	}
}
