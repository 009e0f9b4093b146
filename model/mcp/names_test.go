package mcp

import (
	"context"
	"slices"
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
)

// A name over 64 characters is shortened the same way every time, and two
// long names that start alike stay apart.
func TestToolName(t *testing.T) {
	if got := ToolName("gh", "create.issue"); got != "gh__create_issue" {
		t.Errorf("mapped %q", got)
	}
	long := strings.Repeat("x", 70)
	a, b := ToolName("srv", long+"_a"), ToolName("srv", long+"_b")
	if len(a) != MaxNameLen || len(b) != MaxNameLen || a == b || !strings.HasPrefix(a, "srv__xxx") || a != ToolName("srv", long+"_a") {
		t.Errorf("shortened %q and %q", a, b)
	}
	if n := ToolName(strings.Repeat("s", 64), "t"); len(n) != MaxNameLen {
		t.Errorf("a long server name: %q", n)
	}
}

// Tools are offered under their names; one whose name another of the same
// server's takes is left out, a long one is shortened and its mapping kept.
func TestOffer(t *testing.T) {
	long := strings.Repeat("y", 70)
	run := func(string) func(context.Context, string) tools.Result { return nil }
	ts, renames, problems := offer("srv", []*sdk.Tool{
		{Name: "a.b"}, {Name: "a_b"}, {Name: long}, {Name: "ok", InputSchema: map[string]any{"type": "object"}},
	}, run)
	var names []string
	for _, tool := range ts {
		names = append(names, tool.Spec.Name+"="+tool.Key.Tool)
	}
	short := ToolName("srv", long)
	if !slices.Equal(names, []string{"srv__a_b=a.b", short + "=" + long, "srv__ok=ok"}) {
		t.Errorf("names %q", names)
	}
	if !slices.Equal(renames, []Rename{{"srv__a_b", "a.b"}, {short, long}}) {
		t.Errorf("renames %+v", renames)
	}
	if len(problems) != 1 || problems[0] != "MCP server srv: tool a_b left out: its name is srv__a_b, as a.b's is" {
		t.Errorf("problems %q", problems)
	}
	if p := string(ts[2].Spec.Parameters); p != `{"properties":{},"type":"object"}` {
		t.Errorf("schema %s", p)
	}
}

// Two servers whose tools map to one name (a + _x and a_ + x both give
// a___x): neither tool is offered, and the error names both servers; a
// call to the name says so. When one server goes, the other's tool is
// offered again.
func TestNameClashAcrossServers(t *testing.T) {
	c := &Clients{changed: make(chan struct{}), events: make(chan Event, 8)}
	tool := func(server, name string) tools.Tool {
		return tools.Tool{Spec: stream.ToolSpec{Name: ToolName(server, name)}, Key: tools.Key{Server: server, Tool: name}}
	}
	a := &conn{c: c, srv: Server{Name: "a"}, state: Ready, tools: []tools.Tool{tool("a", "_x"), tool("a", "y")}}
	b := &conn{c: c, srv: Server{Name: "a_"}, state: Ready, tools: []tools.Tool{tool("a_", "x")}}
	c.conns = []*conn{a, b}
	c.mu.Lock()
	c.changedLocked(Event{})
	c.mu.Unlock()
	var offered []string
	for _, t := range c.Tools() {
		offered = append(offered, t.Spec.Name)
	}
	if !slices.Equal(offered, []string{"a__y"}) {
		t.Errorf("offered %q", offered)
	}
	const clash = "MCP servers a and a_ offer tools under the same name a___x, so none of them is offered: rename one of the servers in the config"
	if ev := <-c.Events(); ev.Text != clash {
		t.Errorf("event %+v", ev)
	}
	for _, st := range c.Status() {
		if !slices.Equal(st.Problems, []string{clash}) {
			t.Errorf("%s problems %q", st.Name, st.Problems)
		}
	}
	if got := c.Missing("a___x"); got != clash+"." {
		t.Errorf("missing %q", got)
	}
	c.mu.Lock()
	b.state, b.tools = Failed, nil
	c.changedLocked(Event{})
	c.mu.Unlock()
	if len(c.Tools()) != 2 || len(c.Status()[0].Problems) != 0 {
		t.Errorf("after a_ failed: %d tools, %+v", len(c.Tools()), c.Status())
	}
}
