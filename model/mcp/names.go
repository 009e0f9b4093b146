package mcp

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"regexp"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
)

// Separator joins a server's name and its tool's name: github__create_issue.
const Separator = "__"

// MaxNameLen is the longest function name the model APIs accept.
const MaxNameLen = 64

// invalidName matches what a function name may not hold in the model APIs.
var invalidName = regexp.MustCompile(`[^A-Za-z0-9_-]`)

// ToolName is the name a server's tool is offered under: SERVER__TOOL,
// with characters the model APIs refuse (MCP allows dots) made
// underscores. A name longer than MaxNameLen is cut and ends with a hash
// of the server's and the tool's names, so the same tool always gets the
// same name and two long names that start alike still differ.
func ToolName(server, tool string) string {
	name := server + Separator + invalidName.ReplaceAllString(tool, "_")
	if len(name) <= MaxNameLen {
		return name
	}
	sum := sha256.Sum256([]byte(server + "\x00" + tool))
	hash := hex.EncodeToString(sum[:4])
	return name[:MaxNameLen-len(hash)-1] + "_" + hash
}

// Rename is a tool offered under a name other than SERVER__TOOL as the
// server spells it: shortened, or with characters the APIs refuse mapped.
type Rename struct {
	Offered, Original string
}

// offer turns a server's tools into Parley's: named by ToolName, run by
// call. A tool whose name another of the same server's tools already maps
// to ("a.b" and "a_b") is left out, with a problem.
func offer(server string, listed []*sdk.Tool, run func(tool string) func(context.Context, string) tools.Result) (out []tools.Tool, renames []Rename, problems []string) {
	taken := map[string]string{}
	for _, t := range listed {
		name := ToolName(server, t.Name)
		if other, ok := taken[name]; ok {
			problems = append(problems, fmt.Sprintf("MCP server %s: tool %s left out: its name is %s, as %s's is",
				server, oneLine(t.Name), name, oneLine(other)))
			continue
		}
		taken[name] = t.Name
		if name != server+Separator+t.Name {
			renames = append(renames, Rename{Offered: name, Original: t.Name})
		}
		spec := stream.ToolSpec{Name: name, Description: cmp.Or(t.Description, t.Title), Parameters: inputSchema(t.InputSchema)}
		out = append(out, tools.Tool{Spec: spec, Key: tools.Key{Server: server, Tool: t.Name}, Run: run(t.Name)})
	}
	return out, renames, problems
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
