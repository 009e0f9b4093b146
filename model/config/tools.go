package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/BurntSushi/toml"
)

// DefaultToolTimeout bounds one call of a command tool or an MCP server's
// tool when the file sets no timeout.
const DefaultToolTimeout = time.Minute

// Tool is a local command the model may call: a [tools.NAME] table. The
// call's arguments go to the command's stdin as JSON; its stdout is the
// result.
type Tool struct {
	Description string
	// Parameters is the JSON schema of the arguments; an object schema
	// without properties when the file gives none.
	Parameters json.RawMessage
	// Command is the argv, run without a shell: a user who wants one
	// writes ["sh", "-c", "..."].
	Command   []string
	Dir       string
	Timeout   time.Duration // DefaultToolTimeout when the file sets none
	MaxOutput int           // bytes of output sent back; 0 for the default
	Approve   bool          // runs without asking
	// The command gets a small default set of Parley's environment
	// variables (HOME, PATH, the locale...), those PassEnv names, and Env.
	// env = ["GITHUB_TOKEN", "PAGER=cat"] sets both; env = { PAGER = "cat" }
	// sets Env.
	PassEnv []string
	Env     map[string]string
}

// MCPServer is an MCP server whose tools the model may call, offered as
// NAME__TOOL: an [mcp.NAME] table. It is either a command Parley starts
// and speaks to over stdio, or a streamable HTTP server at URL.
type MCPServer struct {
	Command []string
	// The server's environment, as a command tool's (see Tool.PassEnv).
	PassEnv []string
	Env     map[string]string
	Dir     string

	URL     string
	Headers map[string]string

	// ApproveAll pre-approves every tool of the server; Approve names the
	// ones pre-approved, as the server names them.
	ApproveAll bool
	Approve    []string
	Timeout    time.Duration // per call; DefaultToolTimeout when unset
	Enabled    bool          // true unless the file says enabled = false
	// Roots are the directories the server may ask for, ~/ expanded by
	// the caller: nil when unset (the working directory), empty when the
	// file says roots = [] (none).
	Roots []string
}

// toolTOML and mcpTOML are the tables as decoded. Parameters and approve
// take more than one shape, so they stay Primitive until their TOML type
// is known; timeouts stay strings so a bad one is reported in the file's
// words.
type toolTOML struct {
	Description string         `toml:"description"`
	Parameters  toml.Primitive `toml:"parameters"`
	Command     []string       `toml:"command"`
	Dir         string         `toml:"dir"`
	Timeout     string         `toml:"timeout"`
	MaxOutput   int            `toml:"max_output"`
	Approve     bool           `toml:"approve"`
	Env         toml.Primitive `toml:"env"`
}

type mcpTOML struct {
	Command []string          `toml:"command"`
	Env     toml.Primitive    `toml:"env"`
	Dir     string            `toml:"dir"`
	URL     string            `toml:"url"`
	Headers map[string]string `toml:"headers"`
	Approve toml.Primitive    `toml:"approve"`
	Timeout string            `toml:"timeout"`
	Enabled *bool             `toml:"enabled"`
	Roots   []string          `toml:"roots"`
}

var (
	toolKeys = []string{"description", "parameters", "command", "dir", "timeout", "max_output", "approve", "env"}
	mcpKeys  = []string{"command", "env", "dir", "url", "headers", "approve", "timeout", "enabled", "roots"}
	// toolName is what the OpenAI and Chat Completions APIs accept as a
	// function's name.
	toolName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)
)

// checkToolShapes reports values of [tools] and [mcp] tables that have the
// wrong TOML type where more than one is allowed.
func checkToolShapes(md *toml.MetaData, raw *fileTOML) error {
	for _, name := range sortedKeys(raw.Tools) {
		switch v := probeKey(md, raw.Tools[name].Parameters, "tools", name, "parameters").(type) {
		case nil, string, map[string]any:
		default:
			return shapeError{[]string{"tools", name, "parameters"},
				"expected the JSON schema of the arguments, as a table or a JSON string, got " + goTypeName(fmt.Sprintf("%T", v))}
		}
		if err := checkEnvShape(md, raw.Tools[name].Env, "tools", name); err != nil {
			return err
		}
	}
	for _, name := range sortedKeys(raw.MCP) {
		if err := checkEnvShape(md, raw.MCP[name].Env, "mcp", name); err != nil {
			return err
		}
		switch v := probeKey(md, raw.MCP[name].Approve, "mcp", name, "approve").(type) {
		case nil, bool:
		case []any:
			for _, item := range v {
				if _, ok := item.(string); !ok {
					return shapeError{[]string{"mcp", name, "approve"}, "expected a list of tool names, got " + goTypeName(fmt.Sprintf("%T", item)) + " in it"}
				}
			}
		default:
			return shapeError{[]string{"mcp", name, "approve"}, "expected true, false or a list of tool names, got " + goTypeName(fmt.Sprintf("%T", v))}
		}
	}
	return nil
}

// toolHinted are the tool keys whose expected form a type error spells out.
var toolHinted = regexp.MustCompile(`^(tools|mcp)\..+\.(command|timeout)$`)

// toolTypeHint says what a [tools] or [mcp] value whose TOML type is wrong
// should look like, or "" to leave the message to the library's words.
func toolTypeHint(key string) string {
	switch m := toolHinted.FindStringSubmatch(key); {
	case m == nil:
		return ""
	case m[2] == "command":
		return `a list such as ["my-tool", "--flag"], run without a shell`
	}
	return `a duration such as "30s" or "2m"`
}

// probeKey is probe for a value that may be absent.
func probeKey(md *toml.MetaData, p toml.Primitive, key ...string) any {
	if !md.IsDefined(key...) {
		return nil
	}
	return probe(md, p)
}

// inParameters says an undecoded key lies inside a tool's parameters: the
// schema is read whole, as JSON, so its keys are not unknown.
func inParameters(k toml.Key) bool {
	return len(k) > 3 && k[0] == "tools" && k[2] == "parameters"
}

// loadTools converts the [tools] and [mcp] tables into f.Tools and f.MCP,
// reporting every value that does not convert or cannot work.
func (f *File) loadTools(md *toml.MetaData, raw *fileTOML) []Problem {
	var out []Problem
	bad := func(key []string, format string, args ...any) {
		out = append(out, Problem{Line: f.line(key...), Key: toml.Key(key).String(), Msg: fmt.Sprintf(format, args...)})
	}
	if raw.Tools != nil {
		f.Tools = map[string]Tool{}
	}
	for _, name := range sortedKeys(raw.Tools) {
		r := raw.Tools[name]
		at := func(key ...string) []string { return append([]string{"tools", name}, key...) }
		checkToolName(at(), name, bad)
		t := Tool{Description: r.Description, Command: r.Command, Dir: r.Dir, MaxOutput: r.MaxOutput, Approve: r.Approve}
		t.PassEnv, t.Env = envSpec(md, r.Env, at("env"), bad)
		t.Parameters = schema(md, r.Parameters, at("parameters"), bad)
		checkCommand(at("command"), r.Command, md.IsDefined(at("command")...), bad)
		t.Timeout = f.timeout(at("timeout"), r.Timeout, bad)
		if md.IsDefined(at("max_output")...) && r.MaxOutput <= 0 {
			bad(at("max_output"), "expected a number of bytes greater than 0, got %d", r.MaxOutput)
		}
		f.Tools[name] = t
	}

	if raw.MCP != nil {
		f.MCP = map[string]MCPServer{}
	}
	for _, name := range sortedKeys(raw.MCP) {
		r := raw.MCP[name]
		at := func(key ...string) []string { return append([]string{"mcp", name}, key...) }
		checkToolName(at(), name, bad)
		s := MCPServer{Command: r.Command, Dir: r.Dir, URL: r.URL, Headers: r.Headers, Enabled: r.Enabled == nil || *r.Enabled}
		s.PassEnv, s.Env = envSpec(md, r.Env, at("env"), bad)
		if md.IsDefined(at("roots")...) {
			s.Roots = append([]string{}, r.Roots...)
			checkRoots(at("roots"), r.Roots, bad)
		}
		command, url := md.IsDefined(at("command")...), md.IsDefined(at("url")...)
		switch {
		case command && url:
			bad(at("url"), "expected command or url, not both: command starts a server that speaks over stdio, url reaches one over HTTP")
		case !command && !url:
			bad(at(), "expected command (a server Parley starts, speaking over stdio) or url (a streamable HTTP server)")
		case command:
			checkCommand(at("command"), r.Command, true, bad)
			if r.Headers != nil {
				bad(at("headers"), "expected headers only with url; a command server takes env")
			}
		case url:
			if err := checkURL(r.URL); err != nil {
				bad(at("url"), "%v", err)
			}
			for _, k := range []string{"env", "dir"} {
				if md.IsDefined(at(k)...) {
					bad(at(k), "expected %s only with command: a url server runs elsewhere", k)
				}
			}
		}
		checkHeaders(at("headers"), r.Headers, bad)
		switch v := probeKey(md, r.Approve, at("approve")...).(type) {
		case bool:
			s.ApproveAll = v
			_ = md.PrimitiveDecode(r.Approve, &v) // marks it decoded
		case []any:
			_ = md.PrimitiveDecode(r.Approve, &s.Approve)
			for _, tool := range s.Approve {
				if strings.TrimSpace(tool) == "" {
					bad(at("approve"), "expected tool names, got an empty one")
				}
			}
		}
		s.Timeout = f.timeout(at("timeout"), r.Timeout, bad)
		f.MCP[name] = s
	}
	return out
}

// checkToolName checks a [tools] or [mcp] table's name: a tool's name, or
// the start of its tools' names, goes to the model as a function name.
func checkToolName(key []string, name string, bad func([]string, string, ...any)) {
	switch {
	case !toolName.MatchString(name):
		bad(key, "expected a name of at most 64 letters, digits, _ and -, as models require of tool names, got %q", name)
	case strings.Contains(name, "__"):
		bad(key, "expected a name without __, which Parley puts between an MCP server's name and its tools' names")
	}
}

func checkCommand(key []string, argv []string, defined bool, bad func([]string, string, ...any)) {
	if len(argv) == 0 || strings.TrimSpace(argv[0]) == "" {
		if !defined {
			key = key[:len(key)-1]
		}
		bad(key, `expected a command: a list such as ["my-tool", "--flag"], run without a shell`)
	}
}

// schema reads a tool's parameters, a table or a JSON string, as JSON.
func schema(md *toml.MetaData, p toml.Primitive, key []string, bad func([]string, string, ...any)) json.RawMessage {
	var data []byte
	switch v := probeKey(md, p, key...).(type) {
	case nil:
		return json.RawMessage(`{"type":"object","properties":{}}`)
	case string:
		_ = md.PrimitiveDecode(p, &v) // marks it decoded
		data = []byte(v)
	case map[string]any:
		var err error
		if data, err = json.Marshal(v); err != nil {
			bad(key, "expected a JSON schema, but it %v", err)
			return nil
		}
	}
	var schema map[string]any
	if err := json.Unmarshal(data, &schema); err != nil {
		bad(key, "expected the JSON schema of the arguments as a JSON object, but it does not parse: %v", err)
		return nil
	}
	if t, ok := schema["type"]; ok && t != "object" {
		bad(key, `expected a schema of type "object" (the arguments are an object), got type %v`, t)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		return data
	}
	return compact.Bytes()
}

// timeout parses a duration such as "30s"; an empty one is the default.
func (f *File) timeout(key []string, s string, bad func([]string, string, ...any)) time.Duration {
	if s == "" {
		return DefaultToolTimeout
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		bad(key, `expected a duration such as "30s" or "2m", got %q`, s)
	case d <= 0:
		bad(key, `expected a duration greater than zero, such as "30s", got %q`, s)
	}
	return d
}

func checkHeaders(key []string, headers map[string]string, bad func([]string, string, ...any)) {
	for _, h := range sortedKeys(headers) {
		switch v := headers[h]; {
		case !headerName.MatchString(h):
			bad(append(slices.Clip(key), h), "expected a header name of letters, digits and -")
		case strings.ContainsFunc(v, isControl):
			bad(append(slices.Clip(key), h), "expected a header value without control characters")
		}
	}
}

// toolSecrets names the tool and MCP settings that hold a credential, for
// the permission warning: headers and environment variables named like one.
func (f *File) toolSecrets() []string {
	var where []string
	for _, name := range sortedKeys(f.Tools) {
		for _, k := range sortedKeys(f.Tools[name].Env) {
			if f.Tools[name].Env[k] != "" && secretNames.MatchString(k) {
				where = append(where, f.describe("tools", name, "env", k))
			}
		}
	}
	for _, name := range sortedKeys(f.MCP) {
		s := f.MCP[name]
		for _, k := range sortedKeys(s.Env) {
			if s.Env[k] != "" && secretNames.MatchString(k) {
				where = append(where, f.describe("mcp", name, "env", k))
			}
		}
		for _, h := range sortedKeys(s.Headers) {
			if s.Headers[h] != "" && secretNames.MatchString(h) {
				where = append(where, f.describe("mcp", name, "headers", h))
			}
		}
	}
	return where
}
