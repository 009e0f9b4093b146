package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

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
	h := sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return mcptest.EchoServer() }, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Token") != "secret" {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func connect(t *testing.T, servers ...Server) (*Clients, *tools.Registry) {
	t.Helper()
	c := Connect(context.Background(), servers, Options{})
	t.Cleanup(c.Close)
	var ts []tools.Tool
	for _, tool := range c.Tools {
		ts = append(ts, tool.Tool)
	}
	return c, tools.NewRegistry(ts...)
}

// Both transports offer the same tools, named SERVER__TOOL, with their
// descriptions and schemas, and run them.
func TestStdioAndHTTPServers(t *testing.T) {
	c, reg := connect(t,
		Server{Name: "local", Command: []string{echoBinary}},
		Server{Name: "remote", URL: serveHTTP(t), Headers: map[string]string{"X-Token": "secret"}},
	)
	if len(c.Problems) != 0 {
		t.Fatalf("problems: %q", c.Problems)
	}
	want := []string{"cwd", "dotted_name", "echo", "fail", "getenv", "picture", "pid", "sleep"}
	for _, server := range []string{"local", "remote"} {
		var names []string
		for _, tool := range c.Tools {
			if tool.Server == server {
				names = append(names, strings.TrimPrefix(tool.Spec.Name, server+"__"))
			}
		}
		slices.Sort(names)
		if !slices.Equal(names, want) {
			t.Errorf("%s offers %q, want %q", server, names, want)
		}
	}
	for _, server := range []string{"local", "remote"} {
		echo, ok := reg.Lookup(server + "__echo")
		if !ok {
			t.Fatalf("no %s__echo", server)
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
		if p := string(reg.Specs()[0].Parameters); !strings.Contains(p, `"properties":{}`) {
			t.Errorf("a tool without arguments: %s", p)
		}

		ctx := context.Background()
		if r := reg.Call(ctx, server+"__echo", `{"text":"hello \u001b]0;title\u0007"}`); r.Failed || r.Output != "hello \x1b]0;title\x07" {
			t.Errorf("%s echo: %+v", server, r)
		}
		if r := reg.Call(ctx, server+"__fail", `{}`); !r.Failed || r.Output != "it failed, as asked" {
			t.Errorf("%s fail: %+v", server, r)
		}
		if r := reg.Call(ctx, server+"__picture", ``); r.Failed || r.Output != "a picture:\n[image: image/png, 12 KB]" {
			t.Errorf("%s picture: %+v", server, r)
		}
		if r := reg.Call(ctx, server+"__dotted_name", `{}`); r.Failed || r.Output != "dotted" {
			t.Errorf("%s dotted.name: %+v", server, r)
		}
		if r := reg.Call(ctx, server+"__echo", `[1]`); !r.Failed || !strings.Contains(r.Output, "not a JSON object") {
			t.Errorf("%s bad arguments: %+v", server, r)
		}
		if r := reg.Call(ctx, server+"__echo", `{"text": 5}`); !r.Failed {
			t.Errorf("%s arguments the schema refuses: %+v", server, r)
		}
	}
}

// A stdio server runs in its directory with its environment added, and
// its output is capped.
func TestStdioServerSettings(t *testing.T) {
	dir := t.TempDir()
	_, reg := connect(t,
		Server{Name: "s", Command: []string{echoBinary}, Dir: dir, Env: []string{"ECHO_GREETING=hi"}},
		Server{Name: "capped", Command: []string{echoBinary}, MaxOutput: 10})
	ctx := context.Background()
	if r := reg.Call(ctx, "s__cwd", `{}`); r.Failed || r.Output != dir {
		t.Errorf("cwd: %+v, want %s", r, dir)
	}
	if r := reg.Call(ctx, "capped__echo", `{"text":"`+strings.Repeat("x", 100)+`"}`); r.Failed ||
		r.Output != "xxxxxxxxxx\n[output cut at 10 bytes; 90 more bytes were dropped]" {
		t.Errorf("capped: %+v", r)
	}
	if r := reg.Call(ctx, "s__getenv", `{"name":"ECHO_GREETING"}`); r.Output != "hi" {
		t.Errorf("env: %+v", r)
	}
	if r := reg.Call(ctx, "s__getenv", `{"name":"HOME"}`); r.Output != os.Getenv("HOME") {
		t.Errorf("Parley's own environment: %+v", r)
	}
}

// A cancel ends a slow call at once, and so does the server's timeout.
func TestCancelAndTimeout(t *testing.T) {
	url := serveHTTP(t)
	_, reg := connect(t,
		Server{Name: "local", Command: []string{echoBinary}},
		Server{Name: "remote", URL: url, Headers: map[string]string{"X-Token": "secret"}},
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
		if r := reg.Call(context.Background(), server+"__echo", `{"text":"still here"}`); r.Output != "still here" {
			t.Errorf("%s after a cancel: %+v", server, r)
		}
	}
	r := reg.Call(context.Background(), "quick__sleep", `{"seconds":30}`)
	if !r.Failed || r.Output != "The call timed out after 200ms." || r.Duration > 3*time.Second {
		t.Errorf("timeout: %+v", r)
	}
}

// A server that cannot start is a problem; the others still load.
func TestServersThatFail(t *testing.T) {
	start := time.Now()
	c := Connect(context.Background(), []Server{
		{Name: "missing", Command: []string{"/no/such/server"}},
		{Name: "exits", Command: []string{echoBinary}, Env: []string{"ECHO_MODE=exit"}},
		{Name: "hangs", Command: []string{echoBinary}, Env: []string{"ECHO_MODE=hang"}},
		{Name: "refused", URL: serveHTTP(t)},
		{Name: "nothing", URL: "http://127.0.0.1:1/mcp"},
		{Name: "good", Command: []string{echoBinary}},
	}, Options{StartTimeout: 500 * time.Millisecond})
	defer c.Close()
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("starting took %v", d)
	}
	want := []string{
		"MCP server missing failed to start: ",
		"MCP server exits failed to start: ",
		"MCP server hangs failed to start: did not answer within 500ms",
		"MCP server refused failed to start: ",
		"MCP server nothing failed to start: ",
	}
	if len(c.Problems) != len(want) {
		t.Fatalf("problems: %q", c.Problems)
	}
	for i, p := range c.Problems {
		if !strings.HasPrefix(p, want[i]) || strings.Contains(p, "\n") {
			t.Errorf("problem %d = %q, want it to start %q", i, p, want[i])
		}
	}
	if !strings.Contains(c.Problems[0], "/no/such/server") {
		t.Errorf("a missing command: %q", c.Problems[0])
	}
	if !strings.HasSuffix(c.Problems[1], "(it said: echo: no token configured)") {
		t.Errorf("a server that exits: %q", c.Problems[1])
	}
	if !strings.Contains(c.Problems[3], "Unauthorized") {
		t.Errorf("a refused server: %q", c.Problems[3])
	}
	if len(c.Tools) != 8 || c.Tools[0].Server != "good" {
		t.Errorf("the good server's tools: %d, %+v", len(c.Tools), c.Tools)
	}
}

// After Close, no stdio server is left running.
func TestCloseEndsChildren(t *testing.T) {
	c := Connect(context.Background(), []Server{{Name: "a", Command: []string{echoBinary}}, {Name: "b", Command: []string{echoBinary}}}, Options{})
	var pids []int
	for _, tool := range c.Tools {
		if tool.Name == "pid" {
			r := tool.Run(context.Background(), "{}")
			pid, err := strconv.Atoi(r.Output)
			if err != nil {
				t.Fatalf("pid: %+v", r)
			}
			pids = append(pids, pid)
		}
	}
	if len(pids) != 2 {
		t.Fatalf("pids %v, problems %q", pids, c.Problems)
	}
	start := time.Now()
	c.Close()
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("closing took %v", d)
	}
	for _, pid := range pids {
		if err := syscall.Kill(pid, 0); !errors.Is(err, syscall.ESRCH) {
			t.Errorf("server %d is still there after Close (%v)", pid, err)
		}
	}
	c.Close() // twice is fine
	var none *Clients
	none.Close()
}

func TestText(t *testing.T) {
	size := int64(3)
	for _, c := range []struct {
		content []sdk.Content
		want    string
	}{
		{[]sdk.Content{&sdk.TextContent{Text: "a"}, &sdk.TextContent{Text: "b"}}, "a\nb"},
		{[]sdk.Content{&sdk.ImageContent{MIMEType: "image/jpeg", Data: make([]byte, 300)}}, "[image: image/jpeg, 300 B]"},
		{[]sdk.Content{&sdk.AudioContent{MIMEType: "audio/wav", Data: make([]byte, 3<<20+1<<19)}}, "[audio: audio/wav, 3.5 MB]"},
		{[]sdk.Content{&sdk.ResourceLink{Name: "readme", URI: "file:///r.md", Size: &size}}, "[resource link: readme file:///r.md]"},
		{[]sdk.Content{&sdk.EmbeddedResource{Resource: &sdk.ResourceContents{URI: "file:///a.txt", Text: "hello"}}}, "[resource file:///a.txt]\nhello"},
		{[]sdk.Content{&sdk.EmbeddedResource{Resource: &sdk.ResourceContents{URI: "file:///a.bin", Blob: make([]byte, 2048)}}},
			"[resource file:///a.bin: unknown type, 2 KB]"},
	} {
		if got := Text(&sdk.CallToolResult{Content: c.content}); got != c.want {
			t.Errorf("got %q, want %q", got, c.want)
		}
	}
	structured := &sdk.CallToolResult{StructuredContent: map[string]any{"n": 1}}
	if got := Text(structured); got != `{"n":1}` {
		t.Errorf("structured: %q", got)
	}
}

// Names the model APIs refuse are mapped or left out, with a problem.
func TestToolNames(t *testing.T) {
	s := &session{name: "srv"}
	long := strings.Repeat("x", 60)
	ts, problems := s.offer(Server{Name: "srv"}, []*sdk.Tool{
		{Name: "a.b"}, {Name: "a_b"}, {Name: long}, {Name: "ok", InputSchema: map[string]any{"type": "object"}},
	})
	var names []string
	for _, tool := range ts {
		names = append(names, tool.Spec.Name+"="+tool.Name)
	}
	if !slices.Equal(names, []string{"srv__a_b=a.b", "srv__ok=ok"}) {
		t.Errorf("names %q", names)
	}
	if len(problems) != 2 || problems[0] != "MCP server srv: tool a_b left out: its name is srv__a_b, as a.b's is" ||
		!strings.Contains(problems[1], "longer than the 64 characters models accept") {
		t.Errorf("problems %q", problems)
	}
	if p := string(ts[1].Spec.Parameters); p != `{"properties":{},"type":"object"}` {
		t.Errorf("schema %s", p)
	}
}
