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

// setupTools gives the chat its tools (buildTools), the config's
// pre-approvals, and its problems: each printed to stderr, where it stays
// after the chat, and all put first in the start notice. The returned
// function ends the MCP sessions.
func setupTools(ctx context.Context, stderr io.Writer, deps *ui.Deps, s *config.Settings) func() {
	reg, approved, problems, closeFn := buildTools(ctx, s, s.Demo)
	deps.Tools, deps.Approved = reg, approved
	for _, p := range problems {
		fmt.Fprintln(stderr, "parley: warning:", p)
	}
	if len(problems) > 0 {
		deps.Notice = strings.Join(slices.DeleteFunc(append(problems, deps.Notice), func(s string) bool { return s == "" }), " · ")
	}
	return closeFn
}

// buildTools makes the tools a chat offers: the demo backend's own (demo
// only), the config's command tools and its MCP servers' tools, started
// now. A config tool named like a demo tool replaces it. approved names
// the tools the config pre-approves. problems are one line each (an MCP
// server that failed to start, an approval naming no tool), made safe for
// the terminal: a server's words are untrusted text. closeFn ends the MCP
// sessions and the servers Parley started. The registry is nil when there
// is no tool at all, so requests offer none.
func buildTools(ctx context.Context, s *config.Settings, demo bool) (reg *tools.Registry, approved map[string]bool, problems []string, closeFn func()) {
	var all []tools.Tool
	approved = map[string]bool{}
	if demo {
		// The demo backend calls these, so the tool loop works with no key.
		all = append(all, tools.Demo(demoClock(os.Getenv))...)
	}
	for _, name := range slices.Sorted(maps.Keys(s.Tools)) {
		t := s.Tools[name]
		all = append(all, tools.Command(tools.CommandSpec{
			Spec:    stream.ToolSpec{Name: name, Description: t.Description, Parameters: t.Parameters},
			Argv:    toolArgv(t.Command),
			Dir:     toolPath(t.Dir),
			Timeout: t.Timeout, MaxOutput: t.MaxOutput, Env: toolEnv(t.Env),
		}))
		if t.Approve {
			approved[name] = true
		}
	}

	var servers []mcp.Server
	for _, name := range slices.Sorted(maps.Keys(s.MCP)) {
		m := s.MCP[name]
		if !m.Enabled {
			continue
		}
		servers = append(servers, mcp.Server{
			Name: name, Command: toolArgv(m.Command), Env: toolEnv(m.Env), Dir: toolPath(m.Dir),
			URL: m.URL, Headers: m.Headers, Timeout: m.Timeout,
		})
	}
	clients := mcp.Connect(ctx, servers, mcp.Options{})
	problems = append(problems, clients.Problems...)
	offered := map[string][]string{}
	for _, t := range clients.Tools {
		all = append(all, t.Tool)
		offered[t.Server] = append(offered[t.Server], t.Name)
		if m := s.MCP[t.Server]; m.ApproveAll || slices.Contains(m.Approve, t.Name) {
			approved[t.Spec.Name] = true
		}
	}
	for _, name := range slices.Sorted(maps.Keys(offered)) {
		for _, want := range s.MCP[name].Approve {
			if !slices.Contains(offered[name], want) {
				problems = append(problems, fmt.Sprintf("MCP server %s offers no tool %s to approve", name, want))
			}
		}
	}
	for i, p := range problems {
		problems[i] = sanitize.Text(strings.Join(strings.Fields(p), " "))
	}
	if len(all) > 0 {
		reg = tools.NewRegistry(all...)
	}
	return reg, approved, problems, clients.Close
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

// toolPath expands a leading ~/ to the user's home directory.
func toolPath(p string) string {
	rest, ok := strings.CutPrefix(p, "~/")
	if !ok {
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
