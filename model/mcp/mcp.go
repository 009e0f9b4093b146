// Package mcp offers the tools of MCP (Model Context Protocol) servers as
// a tools.Source, through the official Go SDK: servers Parley starts and
// speaks to over stdio, and streamable HTTP servers.
//
//	c := mcp.Start(ctx, servers, mcp.Options{})   // returns at once
//	defer c.Close()
//	reg.AddSource(c)                               // tools appear as servers answer
//	for ev := range c.Events() { ... }             // "MCP server x connected: 8 tools"
//
// Each server connects in the background; its tools are offered, named
// SERVER__TOOL (see ToolName), once it has listed them, and listed again
// when it says they changed. A server that dies or loses its session is
// reconnected once per failure (a new session, its tools listed again);
// while it is down its tools are not offered and a call to one says why.
// A server that fails is tried again at RetryFailed (the chat's next
// prompt); its events say why in plain words (Status.Err keeps the
// detail).
// Calls carry a progress token, and the server's progress reaches the
// caller of tools.Registry.CallProgress. Servers may ask for the client's
// roots: the working directory unless the config names others.
// It knows nothing of the terminal: the words in events and statuses come
// partly from servers and must be sanitised before they are shown.
package mcp

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/parley-tui/parley/model/tools"
)

// DefaultStartTimeout bounds connecting to a server and listing its tools.
const DefaultStartTimeout = 10 * time.Second

// maxReconnects bounds the reconnects of one server in one run, so that a
// server that dies as soon as it starts is not started for ever.
const maxReconnects = 3

// Server is one MCP server: a command Parley starts (stdio) or a URL
// (streamable HTTP).
type Server struct {
	Name string

	Command []string
	// The server's environment is proc.Environ's: a small default set
	// from Parley's, the variables PassEnv names, and Env (KEY=value).
	PassEnv []string
	Env     []string
	Dir     string

	URL     string
	Headers map[string]string

	// Roots are the directories the server may ask for (roots/list);
	// nil means Options.Dir, empty means none (the capability is then
	// not advertised).
	Roots []string

	Timeout   time.Duration // bounds each call; 0 for none
	MaxOutput int           // bytes of a result's text sent back; 0 for tools.DefaultMaxOutput
}

// Options tune Start; the zero value is fine.
type Options struct {
	StartTimeout time.Duration // DefaultStartTimeout when 0
	Version      string        // Parley's version, told to servers
	// Dir is the root a server gets when its config names none: the
	// working directory when empty.
	Dir string

	// reconnectDelays are the waits between the tries to start a lost
	// server again; defaultReconnectDelays unless a test shortens them.
	reconnectDelays []time.Duration
}

// defaultReconnectDelays are the waits before the second and later tries
// to start a server again after it was lost: about 15 s in all, the time
// an HTTP server may take to restart.
var defaultReconnectDelays = []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}

// State is where a server is.
type State int

const (
	Connecting State = iota // starting, or listing its tools
	Ready                   // its tools are offered
	Failed                  // it could not start (or start again): its tools are not offered
	Down                    // it stopped; Parley is starting it again
	Closed                  // Close ended it
)

var stateNames = [...]string{"connecting", "ready", "failed", "down", "closed"}

func (s State) String() string { return stateNames[s] }

// Event is news of one server, for the status bar and the log.
type Event struct {
	Server string
	State  State
	// Text says what happened in one line: "MCP server files connected:
	// 14 tools". Words from the server (its error) are in it: sanitise it.
	Text string
}

// Status is one server as it is now.
type Status struct {
	Name  string
	State State
	Tools []string // the names its tools are offered under, when Ready
	// Err says why it is Failed or Down; the server's own words are in it.
	// Reason says why it is Failed in a few plain words ("its command x
	// was not found"), for a user who needs no Go error chain.
	Err, Reason string
	// Renames are the tools offered under another name than
	// SERVER__TOOL; Problems are tools left out, each in one line.
	Renames  []Rename
	Problems []string
}

// Clients are the configured servers, connecting, connected or not. Its
// methods are safe for concurrent use.
type Clients struct {
	opts   Options
	ctx    context.Context // ends at Close: bounds every start
	cancel context.CancelFunc
	events chan Event
	wg     sync.WaitGroup // the goroutines that connect and watch
	calls  progressRoutes

	mu      sync.Mutex
	conns   []*conn
	offered []tools.Tool        // every Ready server's tools, collisions left out
	clashes map[string][]string // a name offered by more than one server -> the servers
	changed chan struct{}       // closed and replaced at every state change
}

// Start connects to every server in the background and returns at once.
// Close ends every session, whatever state it is in.
func Start(ctx context.Context, servers []Server, o Options) *Clients {
	o.StartTimeout = cmp.Or(o.StartTimeout, DefaultStartTimeout)
	if o.reconnectDelays == nil {
		o.reconnectDelays = defaultReconnectDelays
	}
	c := &Clients{opts: o, events: make(chan Event, 64), changed: make(chan struct{})}
	c.ctx, c.cancel = context.WithCancel(context.WithoutCancel(ctx))
	for i, srv := range servers {
		cn := &conn{c: c, srv: srv, index: i, state: Connecting, firstDone: make(chan struct{})}
		c.conns = append(c.conns, cn)
	}
	for _, cn := range c.conns {
		c.wg.Go(cn.connect)
	}
	return c
}

// Events are the servers' news as it happens. It is never closed; events
// are dropped when nobody reads them (Status is always current).
func (c *Clients) Events() <-chan Event { return c.events }

// Wait returns once every server has connected or failed at least once,
// or when ctx ends: for one-shot mode and doctor, which need the tools.
func (c *Clients) Wait(ctx context.Context) error {
	for _, cn := range c.conns {
		select {
		case <-cn.firstDone:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return nil
}

// Connecting is how many servers have not answered yet (at start or
// after a failure).
func (c *Clients) Connecting() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, cn := range c.conns {
		if cn.state == Connecting || cn.state == Down {
			n++
		}
	}
	return n
}

// Status is every server, in the order given to Start.
func (c *Clients) Status() []Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]Status, 0, len(c.conns))
	for _, cn := range c.conns {
		st := Status{Name: cn.srv.Name, State: cn.state, Err: cn.err, Renames: cn.renames, Problems: slices.Clone(cn.problems)}
		if cn.state == Failed {
			st.Reason = cn.reason
		}
		if cn.state == Ready {
			for _, t := range cn.tools {
				if _, clash := c.clashes[t.Spec.Name]; !clash {
					st.Tools = append(st.Tools, t.Spec.Name)
				}
			}
		}
		for _, name := range sortedClashes(c.clashes) {
			if slices.Contains(c.clashes[name], cn.srv.Name) {
				st.Problems = append(st.Problems, clashText(name, c.clashes[name]))
			}
		}
		out = append(out, st)
	}
	return out
}

// Tools are the tools of every Ready server, for tools.Registry.
func (c *Clients) Tools() []tools.Tool {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.offered
}

// Missing says why a tool of one of these servers is not offered now.
func (c *Clients) Missing(name string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if servers, ok := c.clashes[name]; ok {
		return clashText(name, servers) + "."
	}
	for _, cn := range c.conns {
		if !cn.known[name] && !strings.HasPrefix(name, cn.srv.Name+Separator) {
			continue
		}
		switch cn.state {
		case Connecting:
			return fmt.Sprintf("the MCP server %s is still starting; try again in a moment.", cn.srv.Name)
		case Down:
			return fmt.Sprintf("the MCP server %s stopped (%s); Parley is starting it again.", cn.srv.Name, cn.err)
		case Failed:
			return fmt.Sprintf("the MCP server %s is not running: %s.", cn.srv.Name, cn.err)
		case Closed:
			return fmt.Sprintf("the MCP server %s was closed.", cn.srv.Name)
		case Ready:
			if cn.known[name] {
				return fmt.Sprintf("the MCP server %s no longer offers this tool.", cn.srv.Name)
			}
		}
	}
	return ""
}

// Reconnect starts a server that failed again, for a user who fixed what
// was wrong (or started the server). It reports false when the server is
// not Failed.
func (c *Clients) Reconnect(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cn := range c.conns {
		if cn.srv.Name == name && cn.state == Failed {
			cn.state, cn.err = Connecting, ""
			c.changedLocked(Event{Server: name, State: Connecting, Text: "MCP server " + name + ": connecting again"})
			c.wg.Go(func() { cn.establish(true, nil) })
			return true
		}
	}
	return false
}

// RetryFailed starts every server that failed again, in the background:
// the chat calls it when the user sends a prompt, as the notice of a
// failure says ("Parley tries it again with your next prompt"), so a
// server fixed or started since is picked up without a restart. It is
// quiet: a server that starts says it reconnected; one that fails again
// for the same reason says nothing more.
func (c *Clients) RetryFailed() {
	if c == nil {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cn := range c.conns {
		if cn.state == Failed {
			cn.state, cn.err, cn.retrying, cn.reconnects = Connecting, "", true, 0
			c.changedLocked(Event{Server: cn.srv.Name, State: Connecting})
			c.wg.Go(func() { cn.establish(true, nil) })
		}
	}
}

// Close ends every session at once and waits: stdio servers are asked to
// exit (their stdin closed), then killed, with whatever they started.
func (c *Clients) Close() {
	if c == nil {
		return
	}
	c.cancel()
	c.mu.Lock()
	var sessions []*session
	for _, cn := range c.conns {
		if cn.sess != nil {
			sessions = append(sessions, cn.sess)
			cn.sess = nil
		}
		cn.state, cn.tools = Closed, nil
	}
	c.offered = nil
	c.mu.Unlock()
	var wg sync.WaitGroup
	for _, s := range sessions {
		wg.Go(s.close)
	}
	wg.Wait()
	c.wg.Wait()
}

// changedLocked recomputes the offered tools after a server's state or
// tools changed, wakes whoever waits for a change and reports ev. A name
// two servers' tools map to (a + _x and a_ + x both give a___x) is offered
// by neither: approving or running it could reach the wrong one.
func (c *Clients) changedLocked(ev Event) {
	byName := map[string][]string{}
	for _, cn := range c.conns {
		if cn.state == Ready {
			for _, t := range cn.tools {
				byName[t.Spec.Name] = append(byName[t.Spec.Name], cn.srv.Name)
			}
		}
	}
	clashes := map[string][]string{}
	var offered []tools.Tool
	for _, cn := range c.conns {
		if cn.state != Ready {
			continue
		}
		for _, t := range cn.tools {
			if len(byName[t.Spec.Name]) > 1 {
				clashes[t.Spec.Name] = byName[t.Spec.Name]
				continue
			}
			offered = append(offered, t)
		}
	}
	for _, name := range sortedClashes(clashes) {
		if _, known := c.clashes[name]; !known {
			c.sendLocked(Event{Server: clashes[name][1], State: Ready, Text: clashText(name, clashes[name])})
		}
	}
	c.offered, c.clashes = offered, clashes
	close(c.changed)
	c.changed = make(chan struct{})
	c.sendLocked(ev)
}

func (c *Clients) sendLocked(ev Event) {
	if ev.Text == "" {
		return
	}
	slog.Info("mcp: " + ev.Text)
	select {
	case c.events <- ev:
	default:
	}
}

func clashText(name string, servers []string) string {
	return fmt.Sprintf("MCP servers %s offer tools under the same name %s, so none of them is offered: rename one of the servers in the config",
		strings.Join(servers, " and "), name)
}

func sortedClashes(m map[string][]string) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// oneLine keeps a message to one line, for the status bar.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
