package tools

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
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
	if r := fail.Run(context.Background(), "{}"); !r.Failed || !strings.Contains(r.Output, "status 3") || !strings.Contains(r.Output, "oops") {
		t.Fatalf("failing command: %+v", r)
	}
	big := Command(CommandSpec{Argv: []string{script(t, `head -c 100000 /dev/zero | tr '\0' x`)}, MaxOutput: 1000})
	r := big.Run(context.Background(), "{}")
	if r.Failed || !strings.Contains(r.Output, "[output cut at 1000 bytes; 99000 more bytes were dropped]") {
		t.Fatalf("capped output: failed=%v %q", r.Failed, r.Output[max(0, len(r.Output)-80):])
	}
	missing := Command(CommandSpec{Argv: []string{"/no/such/tool"}})
	if r := missing.Run(context.Background(), "{}"); !r.Failed || !strings.Contains(r.Output, "could not run") {
		t.Fatalf("missing command: %+v", r)
	}
}

func TestCommandToolTimeoutKillsChildren(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "survived")
	// The child sleeps then writes a marker: if the process group were not
	// killed, the marker would appear after the timeout.
	tool := Command(CommandSpec{Argv: []string{script(t, "(sleep 1; touch "+marker+") & sleep 5")}, Timeout: 200 * time.Millisecond})
	res := tool.Run(context.Background(), "{}")
	if !res.Failed || !strings.Contains(res.Output, "timed out after 200ms") {
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
