package mcp

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/mcp/mcptest"
	"github.com/parley-tui/parley/model/tools"
)

// echoBinary is testdata/echoserver, built once by TestMain.
var echoBinary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "parley-mcp-test-")
	if err != nil {
		panic(err)
	}
	echoBinary = filepath.Join(dir, "echoserver")
	build := exec.Command("go", "build", "-o", echoBinary, "./testdata/echoserver")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the echo server: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// serveHTTP serves the echo server over streamable HTTP; a request
// without the header X-Token: secret is refused.
func serveHTTP(t *testing.T) string {
	t.Helper()
	return mcptest.Serve(t, mcptest.HTTPOptions{Token: "secret"}).URL
}

// start starts the servers, waits for each to answer and offers their
// tools in a registry.
func start(t *testing.T, o Options, servers ...Server) (*Clients, *tools.Registry) {
	t.Helper()
	c := Start(context.Background(), servers, o)
	t.Cleanup(c.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.Wait(ctx); err != nil {
		t.Fatal(err)
	}
	reg := tools.NewRegistry()
	reg.AddSource(c)
	return c, reg
}

// await reads c's events until one satisfies ok, and returns it.
func await(t *testing.T, c *Clients, what string, ok func(Event) bool) Event {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case ev := <-c.Events():
			if ok(ev) {
				return ev
			}
		case <-timeout:
			t.Fatalf("no event: %s; status %+v", what, c.Status())
		}
	}
}

func problems(c *Clients) []string {
	var out []string
	for _, st := range c.Status() {
		if st.Err != "" {
			out = append(out, st.Name+": "+st.Err)
		}
		out = append(out, st.Problems...)
	}
	return out
}

func call(reg *tools.Registry, name, args string) tools.Result {
	return reg.Call(context.Background(), name, args)
}

// Both transports offer the same tools, named SERVER__TOOL, with their
// descriptions and schemas, and run them; results the model can use come
// back: errors marked, images as image parts.
func TestStdioAndHTTPServers(t *testing.T) {
	c, reg := start(t, Options{},
		Server{Name: "local", Command: []string{echoBinary}},
		Server{Name: "remote", URL: serveHTTP(t), Headers: map[string]string{"X-Token": "secret"}},
	)
	if p := problems(c); len(p) != 0 {
		t.Fatalf("problems: %q", p)
	}
	want := []string{"cwd", "dotted_name", "echo", "environ", "fail", "getenv", "grow", "picture", "pid", "progress", "resources", "roots", "sleep", "start-roots"}
	for _, st := range c.Status() {
		long := ToolName(st.Name, mcptest.LongName)
		var names []string
		for _, n := range st.Tools {
			if n != long {
				names = append(names, strings.TrimPrefix(n, st.Name+"__"))
			}
		}
		names = slices.DeleteFunc(names, func(n string) bool { return n == "exit" })
		slices.Sort(names)
		if st.State != Ready || !slices.Equal(names, want) || !slices.Contains(st.Tools, long) || len(long) != MaxNameLen {
			t.Errorf("%s: %s, offers %q, want %q and %s", st.Name, st.State, names, want, long)
		}
		want := []Rename{{Offered: long, Original: mcptest.LongName}, {Offered: st.Name + "__dotted_name", Original: "dotted.name"}}
		if !slices.Equal(st.Renames, want) {
			t.Errorf("%s renames %+v", st.Name, st.Renames)
		}
		if r := call(reg, long, `{}`); r.Output != "long" {
			t.Errorf("%s long: %+v", st.Name, r)
		}
	}
	for _, server := range []string{"local", "remote"} {
		echo, ok := reg.Lookup(server + "__echo")
		if !ok {
			t.Fatalf("no %s__echo", server)
		}
		if echo.Key != (tools.Key{Server: server, Tool: "echo"}) {
			t.Errorf("key %+v", echo.Key)
		}
		var schema struct {
			Type       string
			Properties map[string]struct{ Type, Description string }
			Required   []string
		}
		if err := json.Unmarshal(echo.Spec.Parameters, &schema); err != nil {
			t.Fatal(err)
		}
		if echo.Spec.Description != "Say the text back." || schema.Type != "object" ||
			schema.Properties["text"].Description != "what to say back" || !slices.Equal(schema.Required, []string{"text"}) {
			t.Errorf("%s echo: %q %s", server, echo.Spec.Description, echo.Spec.Parameters)
		}
		if pid, _ := reg.Lookup(server + "__pid"); !strings.Contains(string(pid.Spec.Parameters), `"properties":{}`) {
			t.Errorf("a tool without arguments: %s", pid.Spec.Parameters)
		}

		if r := call(reg, server+"__echo", `{"text":"hello \u001b]0;title\u0007"}`); r.Failed || r.Output != "hello \x1b]0;title\x07" {
			t.Errorf("%s echo: %+v", server, r)
		}
		if r := call(reg, server+"__fail", `{}`); !r.Failed || r.Output != "Error: it failed, as asked" {
			t.Errorf("%s fail: %+v", server, r)
		}
		r := call(reg, server+"__picture", ``)
		if r.Failed || r.Output != "a picture:\n[image: image/png, 12 KB]" || len(r.Parts) != 2 ||
			r.Parts[0].Kind != tools.PartText || r.Parts[0].Text != "a picture:" ||
			r.Parts[1].Kind != tools.PartImage || r.Parts[1].MIME != "image/png" || !slices.Equal(r.Parts[1].Data, mcptest.PNG(12*1024)) {
			t.Errorf("%s picture: failed %v, %q, %d parts", server, r.Failed, r.Output, len(r.Parts))
		}
		if r := call(reg, server+"__resources", `{}`); r.Failed || r.Parts != nil || r.Output != "[resource file:///notes.txt]\nthe notes\n"+
			"[resource file:///data.bin: application/octet-stream, 3 KB, not shown: binary content]\n"+
			"[audio: audio/wav, 100 B, not sent: Parley sends no audio to the model]\n[resource link: readme file:///README.md]" {
			t.Errorf("%s resources: %+v", server, r)
		}
		if r := call(reg, server+"__dotted_name", `{}`); r.Failed || r.Output != "dotted" {
			t.Errorf("%s dotted.name: %+v", server, r)
		}
		if r := call(reg, server+"__echo", `[1]`); !r.Failed || !strings.HasPrefix(r.Output, "Error: the arguments are not a JSON object") {
			t.Errorf("%s bad arguments: %+v", server, r)
		}
		if r := call(reg, server+"__echo", `{"text": 5}`); !r.Failed || !strings.HasPrefix(r.Output, "Error: ") {
			t.Errorf("%s arguments the schema refuses: %+v", server, r)
		}
	}
}

// A stdio server runs in its directory with the environment its config
// gives, and its output is capped.
func TestStdioServerSettings(t *testing.T) {
	dir := t.TempDir()
	_, reg := start(t, Options{},
		Server{Name: "s", Command: []string{echoBinary}, Dir: dir, Env: []string{"ECHO_GREETING=hi"}},
		Server{Name: "capped", Command: []string{echoBinary}, MaxOutput: 10})
	if r := call(reg, "s__cwd", `{}`); r.Failed || r.Output != dir {
		t.Errorf("cwd: %+v, want %s", r, dir)
	}
	if r := call(reg, "capped__echo", `{"text":"`+strings.Repeat("x", 100)+`"}`); r.Failed ||
		r.Output != "xxxxxxxxxx\n[output cut at 10 bytes; 90 more bytes were dropped]" {
		t.Errorf("capped: %+v", r)
	}
	if r := call(reg, "s__getenv", `{"name":"ECHO_GREETING"}`); r.Output != "hi" {
		t.Errorf("env: %+v", r)
	}
	if r := call(reg, "s__getenv", `{"name":"HOME"}`); r.Output != os.Getenv("HOME") {
		t.Errorf("Parley's HOME: %+v", r)
	}
}

// A stdio server gets the default set of variables and those its config
// names, never a provider key it did not ask for.
func TestStdioServerEnvironment(t *testing.T) {
	t.Setenv("OPENAI_API_KEY", "sk-sentinel-5678")
	t.Setenv("GITHUB_TOKEN", "ghp-wanted")
	t.Setenv("UNRELATED", "x")
	_, reg := start(t, Options{},
		Server{Name: "s", Command: []string{echoBinary}, PassEnv: []string{"GITHUB_TOKEN"}, Env: []string{"FIXED=1"}},
		Server{Name: "named", Command: []string{echoBinary}, PassEnv: []string{"OPENAI_API_KEY"}})
	r := call(reg, "s__environ", `{}`)
	env := strings.Split(r.Output, "\n")
	for _, want := range []string{"GITHUB_TOKEN=ghp-wanted", "FIXED=1", "PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")} {
		if !slices.Contains(env, want) {
			t.Errorf("no %s in %q", want, env)
		}
	}
	if strings.Contains(r.Output, "sk-sentinel") || strings.Contains(r.Output, "UNRELATED") {
		t.Errorf("the environment leaked: %q", env)
	}
	if r := call(reg, "named__getenv", `{"name":"OPENAI_API_KEY"}`); r.Output != "sk-sentinel-5678" {
		t.Errorf("a key the config names: %+v", r)
	}
}

// A cancel ends a slow call at once, and so does the server's timeout.
func TestCancelAndTimeout(t *testing.T) {
	_, reg := start(t, Options{},
		Server{Name: "local", Command: []string{echoBinary}},
		Server{Name: "remote", URL: serveHTTP(t), Headers: map[string]string{"X-Token": "secret"}},
		Server{Name: "quick", Command: []string{echoBinary}, Timeout: 200 * time.Millisecond},
	)
	for _, server := range []string{"local", "remote"} {
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(100*time.Millisecond, cancel)
		r := reg.Call(ctx, server+"__sleep", `{"seconds":30}`)
		if !r.Failed || r.Output != "The call was cancelled." || r.Duration > 3*time.Second {
			t.Errorf("%s cancel: %+v", server, r)
		}
		// The session still works.
		if r := call(reg, server+"__echo", `{"text":"still here"}`); r.Output != "still here" {
			t.Errorf("%s after a cancel: %+v", server, r)
		}
	}
	r := call(reg, "quick__sleep", `{"seconds":30}`)
	if !r.Failed || r.Output != "Error: the call timed out after 200ms." || r.Duration > 3*time.Second {
		t.Errorf("timeout: %+v", r)
	}
}

// A server that cannot start fails on its own; the others still load.
func TestServersThatFail(t *testing.T) {
	begin := time.Now()
	c, reg := start(t, Options{StartTimeout: 500 * time.Millisecond},
		Server{Name: "missing", Command: []string{"/no/such/server"}},
		Server{Name: "exits", Command: []string{echoBinary}, Env: []string{"ECHO_MODE=exit"}},
		Server{Name: "hangs", Command: []string{echoBinary}, Env: []string{"ECHO_MODE=hang"}},
		Server{Name: "refused", URL: serveHTTP(t)},
		Server{Name: "nothing", URL: "http://127.0.0.1:1/mcp"},
		Server{Name: "good", Command: []string{echoBinary}},
	)
	if d := time.Since(begin); d > 3*time.Second {
		t.Errorf("starting took %v", d)
	}
	want := map[string]string{
		"missing": "failed to start: ",
		"exits":   "failed to start: ",
		"hangs":   "failed to start: did not answer within 500ms",
		"refused": "failed to start: ",
		"nothing": "failed to start: ",
	}
	for _, st := range c.Status() {
		if st.Name == "good" {
			if st.State != Ready || len(st.Tools) != 16 {
				t.Errorf("good: %+v", st)
			}
			continue
		}
		if st.State != Failed || !strings.HasPrefix(st.Err, want[st.Name]) || strings.Contains(st.Err, "\n") {
			t.Errorf("%s: %s %q, want it to start %q", st.Name, st.State, st.Err, want[st.Name])
		}
	}
	st := c.Status()
	if !strings.Contains(st[0].Err, "/no/such/server") {
		t.Errorf("a missing command: %q", st[0].Err)
	}
	if !strings.HasSuffix(st[1].Err, "(it said: echo: no token configured)") {
		t.Errorf("a server that exits: %q", st[1].Err)
	}
	if !strings.Contains(st[3].Err, "Unauthorized") {
		t.Errorf("a refused server: %q", st[3].Err)
	}
	if r := call(reg, "exits__echo", `{}`); !r.Failed || !strings.HasPrefix(r.Output, "Error: the MCP server exits is not running: failed to start") {
		t.Errorf("a call to a failed server's tool: %+v", r)
	}
}

// Start returns at once: the tools of a server that answers are offered
// while another still starts, and the caller hears of each outcome.
func TestStartInBackground(t *testing.T) {
	begin := time.Now()
	c := Start(context.Background(), []Server{
		{Name: "hangs", Command: []string{echoBinary}, Env: []string{"ECHO_MODE=hang"}},
		{Name: "good", Command: []string{echoBinary}},
	}, Options{StartTimeout: 5 * time.Second})
	defer c.Close()
	if d := time.Since(begin); d > 500*time.Millisecond {
		t.Errorf("Start took %v", d)
	}
	reg := tools.NewRegistry()
	reg.AddSource(c)
	ev := await(t, c, "good connected", func(ev Event) bool { return ev.Server == "good" })
	if ev.State != Ready || ev.Text != "MCP server good connected: 16 tools" {
		t.Errorf("event %+v", ev)
	}
	if c.Connecting() != 1 || reg.Len() != 16 {
		t.Errorf("connecting %d, tools %d", c.Connecting(), reg.Len())
	}
	if r := call(reg, "hangs__echo", `{}`); r.Output != "Error: the MCP server hangs is still starting; try again in a moment." {
		t.Errorf("a call to a tool of a server still starting: %+v", r)
	}
	ev = await(t, c, "hangs failed", func(ev Event) bool { return ev.Server == "hangs" })
	if ev.State != Failed || ev.Text != "MCP server hangs is not running: it did not answer in time. Parley tries it again with your next prompt" || c.Connecting() != 0 {
		t.Errorf("event %+v", ev)
	}
}

// After Close, no stdio server is left running, and Close does not wait
// for a server that hangs.
func TestCloseEndsChildren(t *testing.T) {
	c, reg := start(t, Options{}, Server{Name: "a", Command: []string{echoBinary}}, Server{Name: "b", Command: []string{echoBinary}})
	var pids []int
	for _, name := range []string{"a__pid", "b__pid"} {
		pid, err := strconv.Atoi(call(reg, name, "{}").Output)
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, pid)
	}
	hanging := Start(context.Background(), []Server{{Name: "h", Command: []string{echoBinary}, Env: []string{"ECHO_MODE=hang"}}}, Options{})
	begin := time.Now()
	c.Close()
	hanging.Close()
	if d := time.Since(begin); d > 3*time.Second {
		t.Errorf("closing took %v", d)
	}
	for _, pid := range pids {
		if !gone(pid) {
			t.Errorf("server %d is still there after Close", pid)
		}
	}
	if reg.Len() != 0 || c.Status()[0].State != Closed {
		t.Errorf("after Close: %d tools, %+v", reg.Len(), c.Status())
	}
	c.Close() // twice is fine
	var none *Clients
	none.Close()
}

// Close ends the calls in flight at once rather than waiting for them
// (the SDK's Close waits for every call it has sent).
func TestCloseEndsCallsInFlight(t *testing.T) {
	c, reg := start(t, Options{}, Server{Name: "local", Command: []string{echoBinary}}, Server{Name: "remote", URL: mcptest.Serve(t, mcptest.HTTPOptions{}).URL})
	results := make(chan tools.Result, 2)
	for _, server := range []string{"local", "remote"} {
		go func() { results <- call(reg, server+"__sleep", `{"seconds":5}`) }()
	}
	time.Sleep(300 * time.Millisecond) // the calls are sent
	begin := time.Now()
	c.Close()
	if d := time.Since(begin); d > 3*time.Second {
		t.Errorf("Close took %v", d)
	}
	for range 2 {
		if r := <-results; r.Output != "The call was cancelled." {
			t.Errorf("a call in flight: %+v", r)
		}
	}
}
