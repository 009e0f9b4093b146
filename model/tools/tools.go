// Package tools runs the calls a model makes: local commands declared in
// the config, the demo backend's built-in tools, and MCP servers' tools
// (model/mcp offers those as a Source).
// It knows nothing of the terminal; the UI asks for approval (Policy says
// which calls need none) and shows progress, and hands approved calls here
// to run off its goroutine.
package tools

import (
	"context"
	"sort"
	"strings"
	"time"

	"github.com/parley-tui/parley/stream"
)

// Result is what a call produced. Output goes back to the model either way:
// it is the whole result as text, and a failed call's Output says so in
// its first words ("Error: ...", which Registry.Call adds where a tool did
// not, or "The call was cancelled."), since the model APIs carry no
// failure flag. Failed marks a non-zero exit, an
// error the tool reported, a timeout, a cancel or a bad argument.
type Result struct {
	Output string
	// Parts is the result as content parts, set only when it holds an
	// image: where the request can carry images in a tool's output, send
	// Parts; elsewhere send Output, which describes each image in a line.
	Parts    []Part
	Failed   bool
	Duration time.Duration
}

// Cancelled is the output of a call that a cancel ended.
const Cancelled = "The call was cancelled."

// PartKind says what a Part holds.
type PartKind int

const (
	PartText PartKind = iota
	PartImage
)

// Part is one piece of a result: text, or an image's bytes and MIME type
// (image/png, image/jpeg, image/gif or image/webp, the types the model
// APIs take).
type Part struct {
	Kind PartKind
	Text string
	MIME string
	Data []byte
}

// Progress is a running call's report: Progress so far out of Total (0
// when unknown) and a message. It comes from the tool: untrusted text.
type Progress struct {
	Progress, Total float64
	Message         string
}

// Key names a tool for approval: the MCP server and the tool's own name
// there, or a local tool's name with Server empty. Two servers' tools
// never share a key, whatever names they are offered under.
type Key struct {
	Server, Tool string
}

// String reads "calculator" or "github create_issue".
func (k Key) String() string {
	if k.Server == "" {
		return k.Tool
	}
	return k.Server + " " + k.Tool
}

// Tool is one callable tool.
type Tool struct {
	Spec stream.ToolSpec
	// Key is the MCP server and tool name; zero for a local tool, whose
	// key is its Spec.Name.
	Key Key
	// Run must honour ctx: a cancel ends the call promptly. It reports
	// progress, when it has any, to ReportProgress(ctx, ...).
	Run func(ctx context.Context, args string) Result
}

// ApprovalKey is the tool's Key, or its name for a local tool.
func (t Tool) ApprovalKey() Key {
	if t.Key == (Key{}) {
		return Key{Tool: t.Spec.Name}
	}
	return t.Key
}

// Source offers tools that come and go, such as an MCP server's: the
// registry asks it each time. Its methods must be safe for concurrent use.
type Source interface {
	// Tools are the tools available now.
	Tools() []Tool
	// Missing explains why a tool of this name is not available now
	// ("the MCP server x is still starting"), or returns "" when the
	// source knows nothing of the name.
	Missing(name string) string
}

// Retrier is a Source that can try again what failed (an MCP server that
// would not start), when the user next asks for a reply.
type Retrier interface {
	RetryFailed()
}

// Registry is the set of tools offered to the model, by name: fixed tools,
// and those of its sources as they are at each request. Build it before
// sharing it; then it is safe for concurrent use.
type Registry struct {
	tools   map[string]Tool
	sources []Source
}

// NewRegistry makes a registry; a later tool with a taken name wins.
func NewRegistry(ts ...Tool) *Registry {
	r := &Registry{tools: map[string]Tool{}}
	for _, t := range ts {
		r.tools[t.Spec.Name] = t
	}
	return r
}

// AddSource adds tools that come and go. A fixed tool wins over a
// source's tool of the same name.
func (r *Registry) AddSource(s Source) {
	r.sources = append(r.sources, s)
}

// RetryFailed asks every source that can to try again what failed; it
// returns at once (the sources retry in the background).
func (r *Registry) RetryFailed() {
	if r == nil {
		return
	}
	for _, s := range r.sources {
		if rt, ok := s.(Retrier); ok {
			rt.RetryFailed()
		}
	}
}

// all is every tool available now, by name.
func (r *Registry) all() map[string]Tool {
	out := make(map[string]Tool, len(r.tools))
	for _, s := range r.sources {
		for _, t := range s.Tools() {
			out[t.Spec.Name] = t
		}
	}
	for name, t := range r.tools {
		out[name] = t
	}
	return out
}

// Specs are the tools available now as the request declares them, sorted
// by name so the request is stable.
func (r *Registry) Specs() []stream.ToolSpec {
	if r == nil {
		return nil
	}
	all := r.all()
	out := make([]stream.ToolSpec, 0, len(all))
	for _, t := range all {
		out = append(out, t.Spec)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Lookup finds a tool available now.
func (r *Registry) Lookup(name string) (Tool, bool) {
	if r == nil {
		return Tool{}, false
	}
	if t, ok := r.tools[name]; ok {
		return t, true
	}
	for _, s := range r.sources {
		for _, t := range s.Tools() {
			if t.Spec.Name == name {
				return t, true
			}
		}
	}
	return Tool{}, false
}

// Key is the approval key of the tool offered as name: its server and its
// own name for an MCP tool, the name itself for a local or unknown one.
func (r *Registry) Key(name string) Key {
	if t, ok := r.Lookup(name); ok {
		return t.ApprovalKey()
	}
	return Key{Tool: name}
}

// Len is the number of tools available now.
func (r *Registry) Len() int {
	if r == nil {
		return 0
	}
	return len(r.all())
}

// Call runs a named tool and times it. An unknown or unavailable name is a
// failed call whose output tells the model why, rather than an error that
// ends the turn.
func (r *Registry) Call(ctx context.Context, name, args string) Result {
	start := time.Now()
	var res Result
	if t, ok := r.Lookup(name); ok {
		res = t.Run(ctx, args)
	} else {
		res = Result{Output: r.missing(name), Failed: true}
	}
	switch {
	case ctx.Err() != nil && !res.Failed:
		res = Result{Output: Cancelled, Failed: true}
	case res.Failed && res.Output != Cancelled && !strings.HasPrefix(res.Output, "Error"):
		res.Output = "Error: " + res.Output
	}
	res.Duration = time.Since(start)
	return res
}

// CallProgress is Call, with progress reported to progress as the tool
// sends it, from the goroutine that receives it. progress must not block;
// it is not called once CallProgress has returned.
func (r *Registry) CallProgress(ctx context.Context, name, args string, progress func(Progress)) Result {
	ctx, stop := withProgress(ctx, progress)
	defer stop()
	return r.Call(ctx, name, args)
}

func (r *Registry) missing(name string) string {
	if r != nil {
		for _, s := range r.sources {
			if why := s.Missing(name); why != "" {
				return "Error: " + why
			}
		}
	}
	return "Error: there is no tool named " + name + "."
}
