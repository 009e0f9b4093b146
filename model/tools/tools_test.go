package tools

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/stream"
)

func TestCalculator(t *testing.T) {
	calc := calculator()
	cases := map[string]string{
		"2+3*4": "14", "(2+3)*4^2": "80", "-3 + +5": "2", "2^3^2": "512", "7/2": "3.5", "1.5*4": "6",
	}
	for expr, want := range cases {
		args, _ := json.Marshal(map[string]string{"expression": expr})
		if r := calc.Run(context.Background(), string(args)); r.Failed || r.Output != want {
			t.Errorf("%s = %+v, want %s", expr, r, want)
		}
	}
	for _, bad := range []string{"2+", "1/0", "(1", "2 $ 3", strings.Repeat("(", 500) + "1"} {
		args, _ := json.Marshal(map[string]string{"expression": bad})
		if r := calc.Run(context.Background(), string(args)); !r.Failed || r.Output == "" {
			t.Errorf("%q should fail with a reason: %+v", bad, r)
		}
	}
	if r := calc.Run(context.Background(), `not json`); !r.Failed {
		t.Error("bad arguments must fail")
	}
}

func TestClock(t *testing.T) {
	at := time.Date(2026, 11, 25, 23, 30, 0, 0, time.UTC)
	c := clock(func() time.Time { return at })
	if r := c.Run(context.Background(), `{"timezone":"Asia/Tokyo"}`); r.Failed || r.Output != "Thursday 26 November 2026, 08:30 JST" {
		t.Fatalf("Tokyo: %+v", r)
	}
	if r := c.Run(context.Background(), `{}`); r.Output != "Wednesday 25 November 2026, 23:30 UTC" {
		t.Fatalf("UTC: %+v", r)
	}
	if r := c.Run(context.Background(), `{"timezone":"Mars/Olympus"}`); !r.Failed {
		t.Fatalf("unknown zone: %+v", r)
	}
}

func script(t *testing.T, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "tool.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCommandToolGetsArgumentsOnStdin(t *testing.T) {
	tool := Command(CommandSpec{Spec: stream.ToolSpec{Name: "echo"}, Argv: []string{script(t, `cat; echo " done"`)}})
	r := tool.Run(context.Background(), `{"x":1}`)
	if r.Failed || r.Output != "{\"x\":1} done\n" {
		t.Fatalf("result = %+v", r)
	}
}

func TestCommandToolFailureAndCap(t *testing.T) {
	fail := Command(CommandSpec{Argv: []string{script(t, `echo oops >&2; exit 3`)}})
	if r := fail.Run(context.Background(), "{}"); !r.Failed || r.Output != "Error: the command exited with status 3.\noops\n" {
		t.Fatalf("failing command: %+v", r)
	}
	big := Command(CommandSpec{Argv: []string{script(t, `head -c 100000 /dev/zero | tr '\0' x`)}, MaxOutput: 1000})
	r := big.Run(context.Background(), "{}")
	if r.Failed || !strings.Contains(r.Output, "[output cut at 1000 bytes; 99000 more bytes were dropped]") {
		t.Fatalf("capped output: failed=%v %q", r.Failed, r.Output[max(0, len(r.Output)-80):])
	}
	missing := Command(CommandSpec{Argv: []string{"/no/such/tool"}})
	if r := missing.Run(context.Background(), "{}"); !r.Failed || !strings.HasPrefix(r.Output, "Error: the command could not run") {
		t.Fatalf("missing command: %+v", r)
	}
}

func TestCommandToolTimeoutKillsChildren(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "survived")
	// The child sleeps then writes a marker: if the process group were not
	// killed, the marker would appear after the timeout.
	tool := Command(CommandSpec{Argv: []string{script(t, "(sleep 1; touch "+marker+") & sleep 5")}, Timeout: 200 * time.Millisecond})
	res := tool.Run(context.Background(), "{}")
	if !res.Failed || !strings.HasPrefix(res.Output, "Error: the command timed out after 200ms") {
		t.Fatalf("timeout: %+v", res)
	}
	time.Sleep(1500 * time.Millisecond)
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("the command's child outlived the timeout")
	}
}

func TestCommandToolCancel(t *testing.T) {
	tool := Command(CommandSpec{Spec: stream.ToolSpec{Name: "slow"}, Argv: []string{script(t, "sleep 10")}})
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(100 * time.Millisecond); cancel() }()
	r := NewRegistry(tool).Call(ctx, "slow", "{}")
	if !r.Failed || r.Output != "The call was cancelled." || r.Duration > 3*time.Second {
		t.Fatalf("cancel: %+v", r)
	}
}

func TestRegistry(t *testing.T) {
	r := NewRegistry(Demo(time.Now)...)
	specs := r.Specs()
	if len(specs) != 2 || specs[0].Name != "calculator" || specs[1].Name != "clock" {
		t.Fatalf("specs = %+v", specs)
	}
	if res := r.Call(context.Background(), "nope", "{}"); !res.Failed || !strings.Contains(res.Output, "no tool named nope") {
		t.Fatalf("unknown tool: %+v", res)
	}
	var nilReg *Registry
	if nilReg.Specs() != nil || nilReg.Len() != 0 {
		t.Fatal("a nil registry offers nothing")
	}
}

func TestCap(t *testing.T) {
	if got := Cap("hello", 10); got != "hello" {
		t.Errorf("short: %q", got)
	}
	if got := Cap("hello world", 5); got != "hello\n[output cut at 5 bytes; 6 more bytes were dropped]" {
		t.Errorf("long: %q", got)
	}
	if got := Cap(strings.Repeat("x", DefaultMaxOutput+1), 0); !strings.HasSuffix(got, "; 1 more bytes were dropped]") {
		t.Errorf("default cap: %q", got[len(got)-60:])
	}
}

// A command tool sees the default set of variables, those its config
// names or sets, and never a provider key it did not ask for.
func TestCommandToolEnvironment(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "sk-sentinel-1234")
	t.Setenv("GITHUB_TOKEN", "ghp-wanted")
	t.Setenv("UNRELATED", "x")
	tool := Command(CommandSpec{Argv: []string{"env"}, PassEnv: []string{"GITHUB_TOKEN"}, Env: []string{"FIXED=1"}})
	r := tool.Run(context.Background(), "{}")
	if r.Failed {
		t.Fatal(r.Output)
	}
	env := strings.Split(strings.TrimSpace(r.Output), "\n")
	for _, want := range []string{"GITHUB_TOKEN=ghp-wanted", "FIXED=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")} {
		if !slices.Contains(env, want) {
			t.Errorf("no %s in %q", want, env)
		}
	}
	if strings.Contains(r.Output, "sk-sentinel") || strings.Contains(r.Output, "UNRELATED") {
		t.Errorf("the environment leaked: %q", env)
	}
	named := Command(CommandSpec{Argv: []string{"env"}, PassEnv: []string{"OPENAI_API_KEY"}})
	if r := named.Run(context.Background(), "{}"); !strings.Contains(r.Output, "OPENAI_API_KEY=sk-sentinel-1234") {
		t.Errorf("a key the config names: %q", r.Output)
	}
}

// source is a Source whose tools the test changes.
type source struct {
	tools []Tool
	why   map[string]string
}

func (s *source) Tools() []Tool              { return s.tools }
func (s *source) Missing(name string) string { return s.why[name] }

func TestRegistrySources(t *testing.T) {
	echo := func(name string, key Key) Tool {
		return Tool{Spec: stream.ToolSpec{Name: name}, Key: key, Run: func(_ context.Context, args string) Result {
			return Result{Output: name + " " + args}
		}}
	}
	src := &source{why: map[string]string{"srv__gone": "the MCP server srv is not running."}}
	r := NewRegistry(echo("calculator", Key{}))
	r.AddSource(src)
	if r.Len() != 1 {
		t.Fatalf("len %d", r.Len())
	}
	src.tools = []Tool{echo("srv__echo", Key{"srv", "echo"}), echo("calculator", Key{"srv", "calculator"})}
	if specs := r.Specs(); len(specs) != 2 || specs[0].Name != "calculator" || specs[1].Name != "srv__echo" {
		t.Fatalf("specs %+v", specs)
	}
	if k := r.Key("calculator"); k != (Key{Tool: "calculator"}) {
		t.Errorf("a fixed tool wins: %+v", k)
	}
	if k := r.Key("srv__echo"); k != (Key{"srv", "echo"}) || k.String() != "srv echo" {
		t.Errorf("key %+v", k)
	}
	if res := r.Call(context.Background(), "srv__echo", "{}"); res.Output != "srv__echo {}" {
		t.Errorf("call %+v", res)
	}
	if res := r.Call(context.Background(), "srv__gone", "{}"); !res.Failed || res.Output != "Error: the MCP server srv is not running." {
		t.Errorf("missing %+v", res)
	}
}

func TestPolicy(t *testing.T) {
	run := func(context.Context, string) Result { return Result{} }
	src := &source{tools: []Tool{
		{Spec: stream.ToolSpec{Name: "a___x"}, Key: Key{"a", "_x"}, Run: run},
		{Spec: stream.ToolSpec{Name: "gh__issue"}, Key: Key{"gh", "issue"}, Run: run},
		{Spec: stream.ToolSpec{Name: "gh__pr"}, Key: Key{"gh", "pr"}, Run: run},
	}}
	reg := NewRegistry(Demo(time.Now)...)
	reg.AddSource(src)
	p := NewPolicy(false)
	p.ApproveTool(Key{Tool: "clock"})
	p.ApproveTool(Key{"gh", "issue"})
	approved := func() []string {
		var out []string
		for _, s := range reg.Specs() {
			if p.Approved(reg, s.Name) {
				out = append(out, s.Name)
			}
		}
		return out
	}
	if got := approved(); !slices.Equal(got, []string{"clock", "gh__issue"}) {
		t.Errorf("config approvals: %q", got)
	}
	p.ApproveServer("a")
	p.AllowForSession(reg.Key("calculator"))
	if got := approved(); !slices.Equal(got, []string{"a___x", "calculator", "clock", "gh__issue"}) {
		t.Errorf("with a server and a session approval: %q", got)
	}
	if got := p.SessionAllowed(); !slices.Equal(got, []Key{{Tool: "calculator"}}) {
		t.Errorf("session %+v", got)
	}
	// The name a_ + __ + x gives the same string, but it is another
	// server's tool: the approval of a's _x does not carry over.
	src.tools[0] = Tool{Spec: stream.ToolSpec{Name: "a___x"}, Key: Key{"a_", "x"}, Run: run}
	if p.Approved(reg, "a___x") {
		t.Error("an approval moved with the name to another server's tool")
	}
	p.ForgetSession()
	if got := approved(); !slices.Equal(got, []string{"clock", "gh__issue"}) {
		t.Errorf("after ForgetSession: %q", got)
	}
	if p.Approved(reg, "no_such_tool") || p.Approved(reg, "gh__gone") {
		t.Error("a tool not offered is approved")
	}
	yolo := NewPolicy(true)
	if !yolo.Approved(reg, "gh__pr") || !yolo.Yolo() || !yolo.Approved(reg, "anything") {
		t.Error("yolo approves everything")
	}
	var none *Policy
	if none.Approved(reg, "clock") || none.SessionAllowed() != nil {
		t.Error("a nil policy approves nothing")
	}
}

func TestCallProgress(t *testing.T) {
	slow := Tool{Spec: stream.ToolSpec{Name: "slow"}, Run: func(ctx context.Context, _ string) Result {
		if !WantsProgress(ctx) {
			return Result{Output: "nobody asked"}
		}
		for i := 1; i <= 3; i++ {
			ReportProgress(ctx, Progress{Progress: float64(i), Total: 3, Message: "step"})
		}
		return Result{Output: "done"}
	}}
	reg := NewRegistry(slow)
	var got []Progress
	if r := reg.CallProgress(context.Background(), "slow", "{}", func(p Progress) { got = append(got, p) }); r.Output != "done" {
		t.Fatalf("result %+v", r)
	}
	if len(got) != 3 || got[2] != (Progress{3, 3, "step"}) {
		t.Errorf("progress %+v", got)
	}
	if r := reg.Call(context.Background(), "slow", "{}"); r.Output != "nobody asked" {
		t.Errorf("without progress: %+v", r)
	}
}
