package cli

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/model/mcp"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui"
	"github.com/parley-tui/parley/ui/sanitize"
)

// toolset is what a chat or a one-shot run offers the model: its tools,
// which calls need no approval, and the MCP servers behind some of them.
type toolset struct {
	// reg is nil when there is no tool at all, so requests offer none.
	reg    *tools.Registry
	policy *tools.Policy
	// clients are the MCP servers, connecting in the background; nil
	// when the config enables none.
	clients  *mcp.Clients
	settings *config.Settings
}

// setupTools gives the chat its tools (buildTools) and the config's
// pre-approvals without waiting for the MCP servers: they connect in the
// background and their tools are offered as each answers; the chat's
// status bar says they are connecting (ui.Deps.MCP). The returned function ends the MCP
// sessions, then prints to stderr, where it stays after the chat, what
// went wrong with them.
func setupTools(ctx context.Context, stderr io.Writer, deps *ui.Deps, s *config.Settings) func() {
	ts := buildTools(ctx, s, s.Demo, deps.Yolo)
	// The status bar says the servers are connecting, until they answer.
	deps.Tools, deps.Policy, deps.MCP = ts.reg, ts.policy, ts.clients
	return func() {
		problems := ts.problems()
		ts.close()
		for _, p := range problems {
			fmt.Fprintln(stderr, "parley: warning:", p)
		}
	}
}

// setupOneShotTools gives one-shot mode its tools: it needs them before
// its one request, so it waits for the MCP servers, within their start
// timeout, and prints what went wrong on stderr. The returned function
// ends the MCP sessions.
func setupOneShotTools(ctx context.Context, stderr io.Writer, s *config.Settings, yolo bool) (*tools.Registry, *tools.Policy, func()) {
	ts := buildTools(ctx, s, s.Demo, yolo)
	ts.wait(ctx, mcp.DefaultStartTimeout+time.Second)
	for _, p := range ts.problems() {
		fmt.Fprintln(stderr, "parley: warning:", p)
	}
	return ts.reg, ts.policy, ts.close
}

// buildTools makes the tools a chat offers: the demo backend's own (demo
// only), the config's command tools and its MCP servers' tools, which
// start connecting now. A config tool named like a demo tool replaces it.
// The policy approves every call under yolo, and the tools and servers
// the config approves.
func buildTools(ctx context.Context, s *config.Settings, demo, yolo bool) *toolset {
	ts := &toolset{policy: tools.NewPolicy(yolo), settings: s}
	var fixed []tools.Tool
	if demo {
		// The demo backend calls these, so the tool loop works with no key.
		fixed = append(fixed, tools.Demo(demoClock(os.Getenv))...)
	}
	for _, name := range slices.Sorted(maps.Keys(s.Tools)) {
		t := s.Tools[name]
		fixed = append(fixed, tools.Command(tools.CommandSpec{
			Spec:    stream.ToolSpec{Name: name, Description: t.Description, Parameters: t.Parameters},
			Argv:    toolArgv(t.Command),
			Dir:     toolPath(t.Dir),
			Timeout: t.Timeout, MaxOutput: t.MaxOutput, PassEnv: t.PassEnv, Env: toolEnv(t.Env),
		}))
		if t.Approve {
			ts.policy.ApproveTool(tools.Key{Tool: name})
		}
	}

	var servers []mcp.Server
	for _, name := range slices.Sorted(maps.Keys(s.MCP)) {
		m := s.MCP[name]
		if !m.Enabled {
			continue
		}
		servers = append(servers, mcp.Server{
			Name: name, Command: toolArgv(m.Command), PassEnv: m.PassEnv, Env: toolEnv(m.Env), Dir: toolPath(m.Dir),
			URL: m.URL, Headers: m.Headers, Roots: toolPaths(m.Roots), Timeout: m.Timeout,
		})
		if m.ApproveAll {
			ts.policy.ApproveServer(name)
		}
		for _, tool := range m.Approve {
			ts.policy.ApproveTool(tools.Key{Server: name, Tool: tool})
		}
	}
	if len(servers) > 0 {
		ts.clients = mcp.Start(ctx, servers, mcp.Options{})
	}
	if len(fixed) > 0 || ts.clients != nil {
		ts.reg = tools.NewRegistry(fixed...)
		if ts.clients != nil {
			ts.reg.AddSource(ts.clients)
		}
	}
	return ts
}

// wait waits for every MCP server to answer or fail, at most d.
func (ts *toolset) wait(ctx context.Context, d time.Duration) {
	if ts.clients == nil {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	_ = ts.clients.Wait(ctx)
}

// problems are one line each, made safe for the terminal (a server's
// words are untrusted text): a server that failed, a tool left out, an
// approval that names a tool its server does not offer. A problem of two
// servers (tools that share a name) is reported by both, and listed once.
func (ts *toolset) problems() []string {
	if ts.clients == nil {
		return nil
	}
	var out []string
	for _, st := range ts.clients.Status() {
		for _, p := range ts.serverProblems(st) {
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// serverProblems are one server's problems, as problems gives them.
func (ts *toolset) serverProblems(st mcp.Status) []string {
	var out []string
	switch st.State {
	case mcp.Failed:
		// The detail (a Go error chain, the server's last words) is in
		// the log and parley doctor.
		out = append(out, "MCP server "+st.Name+" is not running: "+st.Reason+" (parley doctor shows more)")
	case mcp.Connecting:
		out = append(out, "MCP server "+st.Name+" has not answered yet")
	}
	out = append(out, st.Problems...)
	if st.State == mcp.Ready {
		for _, want := range ts.settings.MCP[st.Name].Approve {
			if !slices.Contains(st.Tools, mcp.ToolName(st.Name, want)) {
				out = append(out, fmt.Sprintf("MCP server %s offers no tool %s to approve", st.Name, want))
			}
		}
	}
	for i, p := range out {
		out[i] = sanitize.Text(strings.Join(strings.Fields(p), " "))
	}
	return out
}

func (ts *toolset) close() {
	if ts.clients != nil {
		ts.clients.Close()
	}
}

// toolEnv turns a config's env table into KEY=value entries, sorted.
func toolEnv(env map[string]string) []string {
	var out []string
	for _, k := range slices.Sorted(maps.Keys(env)) {
		out = append(out, k+"="+env[k])
	}
	return out
}

// toolArgv expands a leading ~/ in the command, as a shell would.
func toolArgv(argv []string) []string {
	if len(argv) == 0 {
		return argv
	}
	return append([]string{toolPath(argv[0])}, argv[1:]...)
}

// toolPaths expands a leading ~/ in each path, keeping nil nil.
func toolPaths(paths []string) []string {
	if paths == nil {
		return nil
	}
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = toolPath(p)
	}
	return out
}

// toolPath expands a leading ~/ (or a lone ~) to the user's home directory.
func toolPath(p string) string {
	rest, ok := strings.CutPrefix(p, "~/")
	if !ok && p != "~" {
		return p
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return p
	}
	return filepath.Join(home, rest)
}

// demoClock is the demo clock tool's time: PARLEY_DEMO_NOW (RFC 3339) pins
// it, so recordings come out the same every time; otherwise the real time.
func demoClock(getenv func(string) string) func() time.Time {
	if t, err := time.Parse(time.RFC3339, getenv("PARLEY_DEMO_NOW")); err == nil {
		return func() time.Time { return t }
	}
	return time.Now
}
