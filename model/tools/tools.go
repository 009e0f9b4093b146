// Package tools runs the calls a model makes: local commands declared in
// the config, the demo backend's built-in tools, and MCP servers' tools
// (model/mcp turns those into Tool values).
// It knows nothing of the terminal; the UI asks for approval and shows
// progress, and hands approved calls here to run off its goroutine.
package tools

import (
	"context"
	"sort"
	"time"

	"github.com/parley-tui/parley/stream"
)

// Result is what a call produced. Output goes back to the model either way;
// Failed marks a non-zero exit, a timeout, a cancel or a bad argument.
type Result struct {
	Output   string
	Failed   bool
	Duration time.Duration
}

// Tool is one callable tool.
type Tool struct {
	Spec stream.ToolSpec
	// Run must honour ctx: a cancel ends the call promptly.
	Run func(ctx context.Context, args string) Result
}

// Registry is the set of tools offered to the model, by name.
type Registry struct {
	tools map[string]Tool
}

// NewRegistry makes a registry; a later tool with a taken name wins.
func NewRegistry(ts ...Tool) *Registry {
	r := &Registry{tools: map[string]Tool{}}
	for _, t := range ts {
		r.tools[t.Spec.Name] = t
	}
	return r
}

// Specs are the tools as the request declares them, sorted by name so the
// request is stable.
func (r *Registry) Specs() []stream.ToolSpec {
	if r == nil {
		return nil
	}
	out := make([]stream.ToolSpec, 0, len(r.tools))
	for _, t := range r.tools {
		out = append(out, t.Spec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a tool.
func (r *Registry) Lookup(name string) (Tool, bool) {
	if r == nil {
		return Tool{}, false
	}
	t, ok := r.tools[name]
	return t, ok
}

// Len is the number of tools.
func (r *Registry) Len() int {
	if r == nil {
		return 0
	}
	return len(r.tools)
}

// Call runs a named tool and times it. An unknown name is a failed call
// whose output tells the model so, rather than an error that ends the turn.
func (r *Registry) Call(ctx context.Context, name, args string) Result {
	start := time.Now()
	t, ok := r.Lookup(name)
	var res Result
	if !ok {
		res = Result{Output: "There is no tool named " + name + ".", Failed: true}
	} else {
		res = t.Run(ctx, args)
	}
	if ctx.Err() != nil && !res.Failed {
		res = Result{Output: "The call was cancelled.", Failed: true}
	}
	res.Duration = time.Since(start)
	return res
}
