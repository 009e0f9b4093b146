package cli

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/mcp"
	"github.com/parley-tui/parley/model/mcp/mcptest"
)

// Doctor starts each MCP server the config enables, lists its tools and
// reports it: the tools offered under another name, an approval naming
// no tool, a variable env passes that is unset; a server that fails, with
// how to find out why; one turned off, skipped.
func TestDoctorChecksMCPServers(t *testing.T) {
	srv := mcptest.Serve(t, mcptest.HTTPOptions{})
	cfg := writeConfig(t, fmt.Sprintf(`[mcp.echo]
url = %q
approve = ["echo", "nope"]

[mcp.plain]
url = %q

[mcp.tok]
command = ["%s"]
env = ["PARLEY_TEST_UNSET_TOKEN"]

[mcp.broken]
command = ["/no/such/server"]

[mcp.off]
command = ["/no/such/server"]
enabled = false
`, srv.URL, srv.URL, toolScript(t, `echo "tok: no token" >&2; exit 1`)))
	var out bytes.Buffer
	failed := runDoctor(context.Background(), &out, doctorOptions{
		flags: chatFlags{config: cfg}, getenv: env(map[string]string{"XDG_STATE_HOME": t.TempDir()}),
		term: &fakeTerm{}, reachTimeout: time.Second,
	})
	text := out.String()
	for _, want := range []string{
		"skip MCP server off: enabled = false in the config\n",
		"FAIL MCP server broken (command /no/such/server): failed to start: ",
		"     fix: run its command by hand to see it start; it gets only HOME, PATH, SHELL, TERM, USER, the locale and TMPDIR from Parley's environment, and the variables env names\n",
		"warn MCP server echo (" + srv.URL + "): 15 tools\n     " + mcptest.LongName + " is offered as " + mcp.ToolName("echo", mcptest.LongName) +
			"\n     dotted.name is offered as echo__dotted_name\n     MCP server echo offers no tool nope to approve\n     fix: parley config edit: see [mcp.echo]\n",
		"ok   MCP server plain (" + srv.URL + "): 15 tools\n     " + mcptest.LongName + " is offered as " + mcp.ToolName("plain", mcptest.LongName) +
			"\n     dotted.name is offered as plain__dotted_name\n",
		"(it said: tok: no token)\n     env passes PARLEY_TEST_UNSET_TOKEN, which is not set in Parley's environment\n",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in:\n%s", want, text)
		}
	}
	if failed != 2 {
		t.Errorf("failed %d, want 2 (broken, tok)", failed)
	}
}
