package main

// End-to-end: tools and MCP servers as a user meets them, with the real
// binary: what a tool sees of the environment, a chat that opens while an
// MCP server is still starting, and parley doctor checking MCP servers.

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// writeE2EConfig writes a config file and returns its path.
func writeE2EConfig(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// A command tool gets the variables its config names and never the
// provider key Parley runs with: the card shows which of the three the
// tool saw.
func TestE2EToolSeesOnlyTheEnvironmentItNames(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin)
	cfg := writeE2EConfig(t, `[tools.calculator]
command = ["sh", "-c", "printf 'seen:'; env | grep -E '^(OPENAI_API_KEY|GITHUB_TOKEN|PARLEY_E2E_OTHER)=' | sed 's/=.*//' | sort | tr '\\n' ' '; echo end"]
env = ["GITHUB_TOKEN"]
approve = true
`)
	tm := startParley(t, bin, []string{"OPENAI_API_KEY=sk-e2e-sentinel-0000", "OPENAI_BASE_URL=" + url,
		"GITHUB_TOKEN=ghp-e2e", "PARLEY_E2E_OTHER=x"}, "--config", cfg, "--model", "parley-mock-tools")
	tm.waitFor("Ask anything")
	tm.send("calculate something\r")
	s := tm.waitFor("seen:GITHUB_TOKEN end", "● done")
	if strings.Contains(s, "OPENAI_API_KEY") || strings.Contains(s, "PARLEY_E2E_OTHER") {
		t.Errorf("the tool saw more than it named:\n%s", s)
	}
}

// The chat opens while an MCP server has not answered: it connects in the
// background, and the status bar says so.
func TestE2EChatOpensWhileAnMCPServerStarts(t *testing.T) {
	bin := parleyBinary(t)
	cfg := writeE2EConfig(t, "[mcp.slow]\ncommand = [\"sh\", \"-c\", \"sleep 30\"]\n")
	tm := startParley(t, bin, nil, "--config", cfg)
	tm.waitFor("demo backend", "connecting to 1 MCP server")
}

// parley doctor starts each MCP server and reports its tools, with the
// name a long one is offered under, and a server that cannot start.
func TestE2EDoctorChecksMCPServers(t *testing.T) {
	bin := parleyBinary(t)
	echo := filepath.Join(t.TempDir(), "echoserver")
	if out, err := exec.Command("go", "build", "-o", echo, "./model/mcp/testdata/echoserver").CombinedOutput(); err != nil {
		t.Fatalf("building the echo server: %v\n%s", err, out)
	}
	cfg := writeE2EConfig(t, "[mcp.echo]\ncommand = [\""+echo+"\"]\n\n[mcp.broken]\ncommand = [\""+echo+"\"]\nenv = [\"ECHO_MODE=exit\"]\n")
	cmd := exec.Command(bin, "doctor", "--config", cfg)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("doctor exited 0 with a broken server:\n%s", out)
	}
	for _, want := range []string{
		"ok   MCP server echo (command " + echo + "): 16 tools\n",
		"     describe_the_current_weather_conditions_for_a_city_in_great_detail is offered as echo__describe_the_current_weather_conditions_for_a_cit_",
		"FAIL MCP server broken (command " + echo + "): failed to start: ",
		"(it said: echo: no token configured)",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}
