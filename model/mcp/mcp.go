// Package mcp offers the tools of MCP (Model Context Protocol) servers as
// tools.Tool values, through the official Go SDK: servers Parley starts and
// speaks to over stdio, and streamable HTTP servers. Their tools are listed
// once, at start, and named SERVER__TOOL. It knows nothing of the terminal.
package mcp

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
)

// DefaultStartTimeout bounds connecting to a server and listing its tools.
const DefaultStartTimeout = 10 * time.Second

// Separator joins a server's name and its tool's name: github__create_issue.
const Separator = "__"

// Server is one MCP server: a command Parley starts (stdio) or a URL
// (streamable HTTP).
type Server struct {
	Name string

	Command []string
	Env     []string // "KEY=value", added to Parley's environment
	Dir     string

	URL     string
	Headers map[string]string

	Timeout   time.Duration // bounds each call; 0 for none
	MaxOutput int           // bytes of a result sent back; 0 for tools.DefaultMaxOutput
}

// Options tune Connect; the zero value is fine.
type Options struct {
	StartTimeout time.Duration // DefaultStartTimeout when 0
	Version      string        // Parley's version, told to servers
}

// Tool is one tool a server offers, as Parley offers it to the model.
type Tool struct {
	tools.Tool        // named Server__Name, made safe for the model's API
	Server     string // the server's name from the config
	Name       string // the tool's name on the server
}

// Clients are the servers that started, and what went wrong with the rest.
type Clients struct {
	Tools []Tool // by server, in the order given, then as each listed them
	// Problems are one line each, for the status bar: a server that failed
	// to start or to list its tools, a tool left out.
	Problems []string
	sessions []*session
}

// Connect starts every server at once, each within the start timeout, and
// lists their tools. A server that fails is a problem; the others still
// work. Close ends every session, whatever Connect returned.
func Connect(ctx context.Context, servers []Server, o Options) *Clients {
	o.StartTimeout = cmp.Or(o.StartTimeout, DefaultStartTimeout)
	type outcome struct {
		s        *session
		tools    []Tool
		problems []string
	}
	results := make([]outcome, len(servers))
	var wg sync.WaitGroup
	for i, srv := range servers {
		wg.Go(func() {
			s, listed, err := start(ctx, srv, o)
			if err != nil {
				results[i].problems = []string{fmt.Sprintf("MCP server %s %v", srv.Name, err)}
				return
			}
			ts, problems := s.offer(srv, listed)
			results[i] = outcome{s, ts, problems}
		})
	}
	wg.Wait()
	c := &Clients{}
	for _, r := range results {
		if r.s != nil {
			c.sessions = append(c.sessions, r.s)
		}
		c.Tools = append(c.Tools, r.tools...)
		c.Problems = append(c.Problems, r.problems...)
	}
	return c
}

// Close ends every session at once and waits: stdio servers are asked to
// exit (their stdin closed), then killed, with whatever they started.
func (c *Clients) Close() {
	if c == nil {
		return
	}
	var wg sync.WaitGroup
	for _, s := range c.sessions {
		wg.Go(s.close)
	}
	wg.Wait()
	c.sessions = nil
}

// session is one connected server.
type session struct {
	name  string
	cs    *sdk.ClientSession
	child *child // nil for an HTTP server
}

// start connects to a server and lists its tools, within the start
// timeout. Its error reads after the server's name: "failed to start: ...".
func start(ctx context.Context, srv Server, o Options) (*session, []*sdk.Tool, error) {
	ctx, cancel := context.WithTimeout(ctx, o.StartTimeout)
	defer cancel()
	s := &session{name: srv.Name}
	var transport sdk.Transport
	if len(srv.Command) > 0 {
		s.child = newChild(srv)
		transport = s.child
	} else {
		transport = &sdk.StreamableClientTransport{
			Endpoint:   srv.URL,
			HTTPClient: &http.Client{Transport: headerTransport{srv.Headers, http.DefaultTransport}},
			// Tools are listed once; nothing the server pushes is read.
			DisableStandaloneSSE: true,
		}
	}
	// A server that hangs must not hold the start past its timeout: the
	// SDK would otherwise wait for it to exit after closing its stdin.
	stop := func() bool { return true }
	if s.child != nil {
		stop = context.AfterFunc(ctx, s.child.kill)
	}
	fail := func(what string, err error) (*session, []*sdk.Tool, error) {
		s.close()
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = fmt.Errorf("did not answer within %s", o.StartTimeout)
		}
		if s.child != nil {
			err = s.child.explain(err)
		}
		return nil, nil, fmt.Errorf("failed to %s: %s", what, oneLine(err.Error()))
	}
	client := sdk.NewClient(&sdk.Implementation{Name: "parley", Version: cmp.Or(o.Version, "dev")}, nil)
	cs, err := client.Connect(ctx, transport, nil)
	if err != nil {
		return fail("start", err)
	}
	s.cs = cs
	var listed []*sdk.Tool
	for t, err := range cs.Tools(ctx, nil) {
		if err != nil {
			return fail("list its tools", err)
		}
		listed = append(listed, t)
	}
	if !stop() {
		return fail("start", context.DeadlineExceeded)
	}
	return s, listed, nil
}

func (s *session) close() {
	if s.cs != nil {
		_ = s.cs.Close()
	}
	if s.child != nil {
		s.child.kill()
	}
}

// invalidName matches what a function name may not hold in the model APIs.
var invalidName = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// offer turns the server's tools into Parley's, named SERVER__TOOL with
// characters the model APIs refuse (MCP allows dots) made underscores.
func (s *session) offer(srv Server, listed []*sdk.Tool) ([]Tool, []string) {
	var out []Tool
	var problems []string
	taken := map[string]string{}
	for _, t := range listed {
		name := srv.Name + Separator + invalidName.ReplaceAllString(t.Name, "_")
		if len(name) > 64 {
			problems = append(problems, fmt.Sprintf("MCP server %s: tool %s left out: %s is longer than the 64 characters models accept",
				srv.Name, oneLine(t.Name), name))
			continue
		}
		if other, ok := taken[name]; ok {
			problems = append(problems, fmt.Sprintf("MCP server %s: tool %s left out: its name is %s, as %s's is",
				srv.Name, oneLine(t.Name), name, oneLine(other)))
			continue
		}
		taken[name] = t.Name
		spec := stream.ToolSpec{Name: name, Description: cmp.Or(t.Description, t.Title), Parameters: inputSchema(t.InputSchema)}
		out = append(out, Tool{Server: srv.Name, Name: t.Name, Tool: tools.Tool{Spec: spec, Run: s.caller(t.Name, srv.Timeout, srv.MaxOutput)}})
	}
	return out, problems
}

// inputSchema is a tool's input schema as JSON. An object schema without
// properties gets an empty set: some model APIs refuse one without.
func inputSchema(schema any) json.RawMessage {
	m, ok := schema.(map[string]any)
	if !ok {
		if data, err := json.Marshal(schema); err == nil && schema != nil {
			return data
		}
		return json.RawMessage(`{"type":"object","properties":{}}`)
	}
	if _, has := m["properties"]; !has && m["type"] == "object" {
		m["properties"] = map[string]any{}
	}
	data, err := json.Marshal(m)
	if err != nil {
		return json.RawMessage(`{"type":"object","properties":{}}`)
	}
	return data
}

// caller runs one tool of the session. A cancel ends the call at once
// (the SDK tells the server); an error result is a failed call.
func (s *session) caller(name string, timeout time.Duration, maxOutput int) func(context.Context, string) tools.Result {
	return func(ctx context.Context, args string) tools.Result {
		if strings.TrimSpace(args) == "" {
			args = "{}"
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(args), &obj); err != nil {
			return tools.Result{Output: "The arguments are not a JSON object: " + err.Error(), Failed: true}
		}
		if timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		res, err := s.cs.CallTool(ctx, &sdk.CallToolParams{Name: name, Arguments: json.RawMessage(args)})
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			return tools.Result{Output: fmt.Sprintf("The call timed out after %s.", timeout), Failed: true}
		case ctx.Err() != nil:
			return tools.Result{Output: "The call was cancelled.", Failed: true}
		case err != nil:
			return tools.Result{Output: "The MCP server " + s.name + " could not run the call: " + err.Error(), Failed: true}
		case res.NeedsInput():
			return tools.Result{Output: "The MCP server asked for more input, which Parley cannot give.", Failed: true}
		}
		return tools.Result{Output: tools.Cap(Text(res), maxOutput), Failed: res.IsError}
	}
}

// child is a stdio server: the SDK's command transport, with the process
// in a group of its own so that its children end with it, and the tail of
// its stderr kept to explain a failed start.
type child struct {
	sdk.CommandTransport
	stderr *tailBuffer

	mu  sync.Mutex
	pid int // the process group, once started
}

func newChild(srv Server) *child {
	cmd := exec.Command(srv.Command[0], srv.Command[1:]...)
	cmd.Dir = srv.Dir
	cmd.Env = append(os.Environ(), srv.Env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	// Its stderr must not reach the terminal the TUI draws on.
	stderr := &tailBuffer{max: 2048}
	cmd.Stderr = stderr
	// A grandchild holding stderr open must not hold Wait.
	cmd.WaitDelay = time.Second
	return &child{
		CommandTransport: sdk.CommandTransport{Command: cmd, TerminateDuration: 2 * time.Second},
		stderr:           stderr,
	}
}

// Connect starts the process and remembers its group.
func (c *child) Connect(ctx context.Context) (sdk.Connection, error) {
	conn, err := c.CommandTransport.Connect(ctx)
	if err == nil {
		c.mu.Lock()
		c.pid = c.Command.Process.Pid
		c.mu.Unlock()
	}
	return conn, err
}

// kill ends the process group: the server and whatever it started.
func (c *child) kill() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.pid > 0 {
		_ = syscall.Kill(-c.pid, syscall.SIGKILL)
	}
}

// explain adds the last line the server wrote to stderr to err.
func (c *child) explain(err error) error {
	if line := lastLine(c.stderr.String()); line != "" {
		return fmt.Errorf("%w (it said: %s)", err, line)
	}
	return err
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// oneLine keeps a message to one line, for the status bar.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// headerTransport adds the configured headers to every request.
type headerTransport struct {
	headers map[string]string
	next    http.RoundTripper
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if len(h.headers) > 0 {
		r = r.Clone(r.Context())
		for k, v := range h.headers {
			r.Header.Set(k, v)
		}
	}
	return h.next.RoundTrip(r)
}
