package config

import (
	"encoding/json"
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

const toolsFile = `[tools.grep]
description = "Search the project."
command = ["sh", "-c", 'git grep -n -e "$(jq -r .pattern)"']
dir = "/src/project"
timeout = "30s"
max_output = 4096
approve = true
env = { LC_ALL = "C" }
parameters = { type = "object", properties = { pattern = { type = "string" } }, required = ["pattern"] }

[tools.date]
command = ["date"]
parameters = '{"type": "object", "properties": {}}'

[tools.tree]
command = ["tree"]
[tools.tree.parameters]
type = "object"
[tools.tree.parameters.properties.depth]
type = "integer"
minimum = 1

[mcp.files]
command = ["npx", "-y", "@modelcontextprotocol/server-filesystem", "/src"]
env = { NODE_OPTIONS = "--no-warnings" }
dir = "/tmp"
approve = ["read_file", "list_directory"]

[mcp.github]
url = "https://api.githubcopilot.com/mcp/"
headers = { Authorization = "Bearer x" }
approve = true
timeout = "2m"
enabled = false
`

func TestParseTools(t *testing.T) {
	f, err := Parse("c.toml", []byte(toolsFile))
	if err != nil {
		t.Fatal(err)
	}
	g := f.Tools["grep"]
	if g.Description != "Search the project." || !slices.Equal(g.Command, []string{"sh", "-c", `git grep -n -e "$(jq -r .pattern)"`}) ||
		g.Dir != "/src/project" || g.Timeout != 30*time.Second || g.MaxOutput != 4096 || !g.Approve || g.Env["LC_ALL"] != "C" {
		t.Errorf("grep %+v", g)
	}
	for name, want := range map[string]string{
		"grep": `{"properties":{"pattern":{"type":"string"}},"required":["pattern"],"type":"object"}`,
		"date": `{"type":"object","properties":{}}`,
		"tree": `{"properties":{"depth":{"minimum":1,"type":"integer"}},"type":"object"}`,
	} {
		if got := string(f.Tools[name].Parameters); got != want {
			t.Errorf("%s parameters %s, want %s", name, got, want)
		}
	}
	if d := f.Tools["date"]; d.Timeout != DefaultToolTimeout || d.Approve || d.MaxOutput != 0 {
		t.Errorf("defaults %+v", d)
	}
	fs := f.MCP["files"]
	if fs.Command[0] != "npx" || fs.Env["NODE_OPTIONS"] != "--no-warnings" || fs.Dir != "/tmp" || fs.ApproveAll ||
		!slices.Equal(fs.Approve, []string{"read_file", "list_directory"}) || fs.Timeout != DefaultToolTimeout || !fs.Enabled {
		t.Errorf("files %+v", fs)
	}
	gh := f.MCP["github"]
	if gh.URL != "https://api.githubcopilot.com/mcp/" || gh.Headers["Authorization"] != "Bearer x" || !gh.ApproveAll ||
		gh.Timeout != 2*time.Minute || gh.Enabled {
		t.Errorf("github %+v", gh)
	}
	if got := f.Where("mcp", "github", "timeout"); got != "c.toml:33" {
		t.Errorf("Where = %s", got)
	}
	s, err := Resolve(f, Flags{}, env(nil))
	if err != nil || !maps.EqualFunc(s.Tools, f.Tools, func(a, b Tool) bool { return a.Dir == b.Dir }) || len(s.MCP) != 2 {
		t.Errorf("settings: %+v (%v)", s, err)
	}
	var schema map[string]any
	if err := json.Unmarshal(f.Tools["grep"].Parameters, &schema); err != nil {
		t.Error(err)
	}
}

// Every error in a [tools] or [mcp] table, exactly.
func TestParseToolErrors(t *testing.T) {
	const cmd = "command = [\"x\"]\n"
	for _, c := range []struct{ src, want string }{
		// Types.
		{"[tools.a]\ncommand = \"a b\"\n", `c.toml:2: tools.a.command: expected a list such as ["my-tool", "--flag"], run without a shell, got a string`},
		{"[tools.a]\n" + cmd + "timeout = 30\n", `c.toml:3: tools.a.timeout: expected a duration such as "30s" or "2m", got an integer`},
		{"[mcp.a]\n" + cmd + "timeout = 30\n", `c.toml:3: mcp.a.timeout: expected a duration such as "30s" or "2m", got an integer`},
		{"[tools.a]\n" + cmd + "parameters = 3\n", "c.toml:3: tools.a.parameters: expected the JSON schema of the arguments, as a table or a JSON string, got an integer"},
		{"[tools.a]\n" + cmd + "approve = \"yes\"\n", "c.toml:3: tools.a.approve: expected true or false, got a string"},
		{"[tools.a]\n" + cmd + "max_output = \"64k\"\n", "c.toml:3: tools.a.max_output: expected a whole number, got a string"},
		{"[tools.a]\n" + cmd + "env = \"A=1\"\n", `c.toml:3: tools.a.env: expected a list of variables to pass, such as ["GITHUB_TOKEN", "PAGER=cat"], or a table of values, got a string`},
		{"[mcp.a]\n" + cmd + "env = [\"A\", 1]\n", `c.toml:3: mcp.a.env: expected a list of variables to pass, such as ["GITHUB_TOKEN", "PAGER=cat"], or a table of values, got an integer in the list`},
		{"[tools.a]\n" + cmd + "env = { A = 1 }\n", "c.toml:3: tools.a.env.A: expected a string, got an integer"},
		{"[mcp.a]\n" + cmd + "roots = \"/src\"\n", "c.toml:3: mcp.a.roots: expected a list, got a string"},
		{"[mcp.a]\nurl = \"http://h/\"\nheaders = 1\n", "c.toml:3: mcp.a.headers: expected a table, got an integer"},
		{"[mcp.a]\n" + cmd + "approve = \"all\"\n", "c.toml:3: mcp.a.approve: expected true, false or a list of tool names, got a string"},
		{"[mcp.a]\n" + cmd + "approve = [\"x\", 1]\n", "c.toml:3: mcp.a.approve: expected a list of tool names, got an integer in it"},
		{"[mcp.a]\n" + cmd + "enabled = \"no\"\n", "c.toml:3: mcp.a.enabled: expected true or false, got a string"},
		{"tools = 1\n", "c.toml:1: tools: expected a table, got an integer"},
		{"[mcp]\na = 1\n", "c.toml:2: mcp.a: expected a table, got an integer"},
		// Unknown keys.
		{"[tools.a]\n" + cmd + "timout = \"1s\"\n",
			"c.toml:3: tools.a.timout: unknown key (did you mean timeout?); expected one of description, parameters, command, dir, timeout, max_output, approve, env"},
		{"[mcp.a]\n" + cmd + "args = [\"y\"]\n",
			"c.toml:3: mcp.a.args: unknown key; expected one of command, env, dir, url, headers, approve, timeout, enabled, roots"},
		// Values.
		{"[tools.a]\ndescription = \"d\"\n", `c.toml:1: tools.a: expected a command: a list such as ["my-tool", "--flag"], run without a shell`},
		{"[tools.a]\ncommand = []\n", `c.toml:2: tools.a.command: expected a command: a list such as ["my-tool", "--flag"], run without a shell`},
		{"[tools.a]\ncommand = [\" \", \"x\"]\n", `c.toml:2: tools.a.command: expected a command: a list such as ["my-tool", "--flag"], run without a shell`},
		{"[tools.\"my tool\"]\n" + cmd, `c.toml:1: tools."my tool": expected a name of at most 64 letters, digits, _ and -, as models require of tool names, got "my tool"`},
		{"[tools.a__b]\n" + cmd, "c.toml:1: tools.a__b: expected a name without __, which Parley puts between an MCP server's name and its tools' names"},
		{"[mcp.gh__x]\n" + cmd, "c.toml:1: mcp.gh__x: expected a name without __, which Parley puts between an MCP server's name and its tools' names"},
		{"[tools.a]\n" + cmd + "timeout = \"soon\"\n", `c.toml:3: tools.a.timeout: expected a duration such as "30s" or "2m", got "soon"`},
		{"[tools.a]\n" + cmd + "timeout = \"30\"\n", `c.toml:3: tools.a.timeout: expected a duration such as "30s" or "2m", got "30"`},
		{"[mcp.a]\n" + cmd + "timeout = \"-1s\"\n", `c.toml:3: mcp.a.timeout: expected a duration greater than zero, such as "30s", got "-1s"`},
		{"[tools.a]\n" + cmd + "max_output = 0\n", "c.toml:3: tools.a.max_output: expected a number of bytes greater than 0, got 0"},
		{"[tools.a]\n" + cmd + "parameters = '{\"type\": '\n",
			"c.toml:3: tools.a.parameters: expected the JSON schema of the arguments as a JSON object, but it does not parse: unexpected end of JSON input"},
		{"[tools.a]\n" + cmd + "parameters = '[1]'\n",
			"c.toml:3: tools.a.parameters: expected the JSON schema of the arguments as a JSON object, but it does not parse: json: cannot unmarshal array into Go value of type map[string]interface {}"},
		{"[tools.a]\n" + cmd + "parameters = { type = \"string\" }\n", `c.toml:3: tools.a.parameters: expected a schema of type "object" (the arguments are an object), got type string`},
		{"[tools.a]\n" + cmd + "env = { \"MY-VAR\" = \"1\" }\n", "c.toml:3: tools.a.env.MY-VAR: expected the name of an environment variable, such as MY_TOKEN"},
		{"[tools.a]\n" + cmd + "env = [\"GITHUB-TOKEN\"]\n", `c.toml:3: tools.a.env: expected names of environment variables, such as GITHUB_TOKEN, or NAME=value, got "GITHUB-TOKEN"`},
		{"[tools.a]\n" + cmd + "env = [\"=x\"]\n", `c.toml:3: tools.a.env: expected names of environment variables, such as GITHUB_TOKEN, or NAME=value, got "=x"`},
		{"[mcp.a]\n" + cmd + "roots = [\"/src\", \"src\"]\n", `c.toml:3: mcp.a.roots: expected absolute directories or ones under ~/, such as "~/src/project", got "src"`},
		{"[mcp.a]\n", "c.toml:1: mcp.a: expected command (a server Parley starts, speaking over stdio) or url (a streamable HTTP server)"},
		{"[mcp.a]\n" + cmd + "url = \"http://h/\"\n",
			"c.toml:3: mcp.a.url: expected command or url, not both: command starts a server that speaks over stdio, url reaches one over HTTP"},
		{"[mcp.a]\nurl = \"localhost:8080/mcp\"\n", `c.toml:2: mcp.a.url: expected an http:// or https:// URL, got "localhost:8080/mcp"`},
		{"[mcp.a]\nurl = \"http://h/\"\nenv = { A = \"1\" }\n", "c.toml:3: mcp.a.env: expected env only with command: a url server runs elsewhere"},
		{"[mcp.a]\nurl = \"http://h/\"\ndir = \"/tmp\"\n", "c.toml:3: mcp.a.dir: expected dir only with command: a url server runs elsewhere"},
		{"[mcp.a]\n" + cmd + "headers = { X-A = \"1\" }\n", "c.toml:3: mcp.a.headers: expected headers only with url; a command server takes env"},
		{"[mcp.a]\nurl = \"http://h/\"\nheaders = { \"a b\" = \"1\" }\n", `c.toml:3: mcp.a.headers."a b": expected a header name of letters, digits and -`},
		{"[mcp.a]\nurl = \"http://h/\"\nheaders = { X-A = \"1\\n2\" }\n", "c.toml:3: mcp.a.headers.X-A: expected a header value without control characters"},
		{"[mcp.a]\n" + cmd + "approve = [\"\"]\n", "c.toml:3: mcp.a.approve: expected tool names, got an empty one"},
	} {
		f, err := Parse("c.toml", []byte(c.src))
		if err == nil {
			t.Errorf("%q: no error, want %s", c.src, c.want)
			continue
		}
		var ce *Error
		if f != nil || !errors.As(err, &ce) {
			t.Errorf("%q: %T, File %v", c.src, err, f != nil)
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, err, c.want)
		}
	}
}

// A key or token in a tool's environment or an MCP server's headers is a
// key in the file, as a provider's is.
func TestToolSecretsWarned(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.toml")
	src := "[tools.a]\ncommand = [\"a\"]\nenv = { GITHUB_TOKEN = \"ghp\", LC_ALL = \"C\" }\n" +
		"[mcp.b]\nurl = \"http://h/\"\nheaders = { Authorization = \"Bearer x\" }\n"
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	_, warnings, err := Load(path)
	if err != nil || len(warnings) != 1 ||
		!strings.Contains(warnings[0], "(tools.a.env.GITHUB_TOKEN at line 3, mcp.b.headers.Authorization at line 6)") ||
		strings.Contains(warnings[0], "LC_ALL") || strings.Contains(warnings[0], "ghp") {
		t.Errorf("warnings %q (%v)", warnings, err)
	}
}

// env takes a list of names to pass (and NAME=value entries) as well as a
// table of values; an MCP server takes roots, [] for none.
func TestToolEnvAndRoots(t *testing.T) {
	f, err := Parse("c.toml", []byte(`[tools.gh]
command = ["gh"]
env = ["GITHUB_TOKEN", "PAGER=cat", "EMPTY="]

[mcp.files]
command = ["x"]
env = ["NODE_OPTIONS=--no-warnings", "HTTPS_PROXY"]
roots = ["~/src", "/tmp"]

[mcp.remote]
url = "http://h/"
roots = []

[mcp.plain]
command = ["y"]
env = { A = "1" }
`))
	if err != nil {
		t.Fatal(err)
	}
	gh := f.Tools["gh"]
	if !slices.Equal(gh.PassEnv, []string{"GITHUB_TOKEN"}) || !maps.Equal(gh.Env, map[string]string{"PAGER": "cat", "EMPTY": ""}) {
		t.Errorf("gh: pass %q, set %q", gh.PassEnv, gh.Env)
	}
	files := f.MCP["files"]
	if !slices.Equal(files.PassEnv, []string{"HTTPS_PROXY"}) || files.Env["NODE_OPTIONS"] != "--no-warnings" ||
		!slices.Equal(files.Roots, []string{"~/src", "/tmp"}) {
		t.Errorf("files %+v", files)
	}
	if r := f.MCP["remote"].Roots; r == nil || len(r) != 0 {
		t.Errorf("roots = [] is none: %#v", r)
	}
	if p := f.MCP["plain"]; p.Roots != nil || p.PassEnv != nil || p.Env["A"] != "1" {
		t.Errorf("plain %+v", p)
	}
}
