package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/parley-tui/parley/model/mcp"
	"github.com/parley-tui/parley/ui/sanitize"
)

// checkMCPServers starts every MCP server the config enables, all at once,
// waits for each to list its tools (within the start timeout) and reports
// each: its tools, the names Parley offers them under where those differ
// from the server's, the tools it leaves out, an approval that names no
// tool, a variable env passes that is not set; or why it failed. The
// servers are closed before it returns.
func checkMCPServers(ctx context.Context, o doctorOptions, st *setup) []finding {
	s := st.settings
	ts := buildTools(ctx, s, false, false)
	defer ts.close()
	begin := time.Now()
	ts.wait(ctx, mcp.DefaultStartTimeout+time.Second)
	took := time.Since(begin).Round(10 * time.Millisecond)

	var out []finding
	for _, name := range slices.Sorted(maps.Keys(s.MCP)) {
		if !s.MCP[name].Enabled {
			out = append(out, finding{level: levelSkip, what: "MCP server " + name, reason: "enabled = false in the config"})
		}
	}
	if ts.clients == nil {
		return out
	}
	for _, status := range ts.clients.Status() {
		m := s.MCP[status.Name]
		what := "MCP server " + status.Name
		where := "command " + strings.Join(m.Command, " ")
		if m.URL != "" {
			where = m.URL
		}
		switch status.State {
		case mcp.Ready:
			f := ok(fmt.Sprintf("%s (%s): %d %s", what, sanitize.Text(where), len(status.Tools), plural(len(status.Tools), "tool")))
			for _, r := range status.Renames {
				f.details = append(f.details, sanitize.Text(fmt.Sprintf("%s is offered as %s", oneLineText(r.Original), r.Offered)))
			}
			for _, p := range ts.serverProblems(status) {
				f.level = levelWarn
				f.details = append(f.details, p)
			}
			if unset := unsetEnv(o, m.PassEnv); len(unset) > 0 {
				f.level = levelWarn
				f.details = append(f.details, unset...)
			}
			if f.level == levelWarn {
				f.fix = "parley config edit: see [mcp." + status.Name + "]"
			}
			out = append(out, f)
		default:
			reason := status.Err
			if status.State == mcp.Connecting {
				reason = fmt.Sprintf("did not answer within %s", took)
			}
			f := finding{level: levelFail, what: what + " (" + sanitize.Text(where) + ")", reason: sanitize.Text(oneLineText(reason)),
				details: unsetEnv(o, m.PassEnv)}
			if m.URL != "" {
				f.fix = "check its url and headers in the config, and that the server is up"
			} else {
				f.fix = "run its command by hand to see it start; it gets only HOME, PATH, SHELL, TERM, USER, " +
					"the locale and TMPDIR from Parley's environment, and the variables env names"
			}
			out = append(out, f)
		}
	}
	return out
}

// unsetEnv names the variables env passes that Parley's environment lacks.
func unsetEnv(o doctorOptions, pass []string) []string {
	var out []string
	for _, v := range pass {
		if o.getenv(v) == "" {
			out = append(out, "env passes "+v+", which is not set in Parley's environment")
		}
	}
	return out
}

func oneLineText(s string) string { return strings.Join(strings.Fields(s), " ") }
