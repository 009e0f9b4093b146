package mcp

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/tools"
)

// conn is one configured server across its sessions: the first, and one
// more after each failure, up to maxReconnects. Its fields below the line
// are guarded by c.mu.
type conn struct {
	c         *Clients
	srv       Server
	index     int
	firstDone chan struct{} // closed at the first outcome, for Wait
	firstOnce sync.Once

	state      State
	err        string
	sess       *session // the live session, when Ready
	gen        int      // counts sessions, so that news of an old one is ignored
	tools      []tools.Tool
	renames    []Rename
	problems   []string
	known      map[string]bool // every name a tool of this server was offered under
	reconnects int
	// reason is why it is Failed, in plain words (startError.reason);
	// retrying says RetryFailed started it, so failing again for the
	// same reason is not news.
	reason   string
	retrying bool
}

// connect starts the first session.
func (cn *conn) connect() { cn.establish(false, nil) }

// establish starts a session and lists its tools; the server is then Ready
// or Failed. again says it replaces one that was lost; then a failed start
// is tried again after each of the reconnect delays (a server that
// restarts is down for a moment), the server staying Down meanwhile.
func (cn *conn) establish(again bool, delays []time.Duration) {
	c := cn.c
	defer cn.firstOnce.Do(func() { close(cn.firstDone) })
	s, listed, err := startSession(c.ctx, cn, c.opts)
	for _, d := range delays {
		if err == nil || c.ctx.Err() != nil {
			break
		}
		slog.Info("mcp: starting again failed; trying once more", "server", cn.srv.Name, "in", d, "err", err)
		select {
		case <-time.After(d):
		case <-c.ctx.Done():
		}
		s, listed, err = startSession(c.ctx, cn, c.opts)
	}
	c.mu.Lock()
	if cn.state == Closed {
		c.mu.Unlock()
		if s != nil {
			s.close()
		}
		return
	}
	name := cn.srv.Name
	retrying := cn.retrying
	cn.retrying = false
	if err != nil {
		reason := "it did not start"
		if se := (*startError)(nil); errors.As(err, &se) {
			reason = se.reason
		}
		cn.state, cn.err = Failed, oneLine(err.Error())
		slog.Info("mcp: server failed", "server", name, "again", again, "err", cn.err)
		text := gaveUp(name, reason)
		if retrying && reason == cn.reason {
			text = "" // as it was: nothing new to tell
		}
		cn.reason = reason
		c.changedLocked(Event{Server: name, State: Failed, Text: text})
		c.mu.Unlock()
		return
	}
	cn.gen++
	gen := cn.gen
	cn.sess, cn.state, cn.err, cn.reason = s, Ready, "", ""
	cn.setToolsLocked(listed)
	what := "connected"
	if again {
		what = "reconnected"
	}
	c.changedLocked(Event{Server: name, State: Ready, Text: fmt.Sprintf("MCP server %s %s: %s", name, what, toolCount(len(cn.tools)))})
	c.mu.Unlock()
	c.wg.Go(func() { cn.watch(s, gen) })
	// A change told while the session started (the SDK calls the handler
	// as soon as it connects) may have come after the listing.
	s.mu.Lock()
	s.live = true
	pending := s.dirty
	s.dirty = false
	s.mu.Unlock()
	if pending {
		cn.toolsChanged(s)
	}
}

// watch waits for the session to end. An end Parley did not ask for (the
// process died, the HTTP server dropped the session) is a failure.
func (cn *conn) watch(s *session, gen int) {
	err := s.cs.Wait()
	cause := "its connection closed"
	switch {
	case s.lostCause() != "":
		cause = s.lostCause()
	case err != nil:
		cause = oneLine(err.Error())
	case s.child != nil:
		cause = s.child.exitReason()
	}
	cn.lost(gen, cause)
}

// lost handles the end of session gen: its tools are no longer offered,
// and, unless the server has been restarted too often, a new session
// starts. It runs on the session's watch goroutine.
func (cn *conn) lost(gen int, cause string) {
	c := cn.c
	c.mu.Lock()
	if cn.gen != gen || cn.state != Ready {
		c.mu.Unlock()
		return
	}
	old := cn.sess
	cn.sess, cn.tools = nil, nil
	name := cn.srv.Name
	slog.Info("mcp: server stopped", "server", name, "cause", cause)
	if cn.reconnects >= maxReconnects {
		cn.state, cn.err = Failed, fmt.Sprintf("%s; not started again after %d restarts", cause, maxReconnects)
		cn.reason = fmt.Sprintf("it stopped %d times", maxReconnects+1)
		c.changedLocked(Event{Server: name, State: Failed, Text: gaveUp(name, cn.reason)})
		c.mu.Unlock()
		old.close()
		return
	}
	cn.reconnects++
	cn.state, cn.err = Down, cause
	c.changedLocked(Event{Server: name, State: Down, Text: fmt.Sprintf("MCP server %s stopped; Parley is starting it again", name)})
	c.mu.Unlock()
	old.close()
	cn.establish(true, cn.c.opts.reconnectDelays)
}

// toolsChanged lists the session's tools again, after the server said
// they changed. Notifications that arrive while it lists make one more
// listing, not one each: a server cannot pile up work. One that arrives
// before the session is offered waits for it (see establish).
func (cn *conn) toolsChanged(s *session) {
	s.mu.Lock()
	if !s.live || s.relisting {
		s.dirty = true
		s.mu.Unlock()
		return
	}
	s.relisting = true
	s.mu.Unlock()
	go func() {
		for {
			ctx, cancel := context.WithTimeout(cn.c.ctx, cn.c.opts.StartTimeout)
			listed, err := s.list(ctx)
			cancel()
			cn.relisted(s, listed, err)
			s.mu.Lock()
			if !s.dirty {
				s.relisting = false
				s.mu.Unlock()
				return
			}
			s.dirty = false
			s.mu.Unlock()
		}
	}()
}

func (cn *conn) relisted(s *session, listed []*sdk.Tool, err error) {
	c := cn.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if cn.sess != s || cn.state != Ready {
		return
	}
	name := cn.srv.Name
	if err != nil {
		slog.Warn("mcp: listing changed tools failed", "server", name, "err", err)
		return
	}
	before := toolNames(cn.tools)
	cn.setToolsLocked(listed)
	text := fmt.Sprintf("MCP server %s changed its tools: %s", name, toolCount(len(cn.tools)))
	if slices.Equal(before, toolNames(cn.tools)) {
		text = "" // new descriptions or schemas: nothing to tell
	}
	c.changedLocked(Event{Server: name, State: Ready, Text: text})
}

func toolNames(ts []tools.Tool) []string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = t.Spec.Name
	}
	slices.Sort(names)
	return names
}

// setToolsLocked offers the tools the server listed.
func (cn *conn) setToolsLocked(listed []*sdk.Tool) {
	cn.tools, cn.renames, cn.problems = offer(cn.srv.Name, listed, cn.caller)
	if cn.known == nil {
		cn.known = map[string]bool{}
	}
	for _, t := range cn.tools {
		cn.known[t.Spec.Name] = true
	}
	for _, r := range cn.renames {
		slog.Info("mcp: tool offered under another name", "server", cn.srv.Name, "tool", r.Original, "as", r.Offered)
	}
}

// current is the live session and its generation, or nil when the server
// is not Ready.
func (cn *conn) current() (*session, int) {
	cn.c.mu.Lock()
	defer cn.c.mu.Unlock()
	if cn.state != Ready {
		return nil, cn.gen
	}
	return cn.sess, cn.gen
}

// awaitSession waits, within the start timeout, for a session newer than
// gen, or for the server to fail: the reconnect a lost session started.
func (cn *conn) awaitSession(ctx context.Context, gen int) *session {
	ctx, cancel := context.WithTimeout(ctx, cn.c.opts.StartTimeout+time.Second)
	defer cancel()
	for {
		cn.c.mu.Lock()
		s, state, now, changed := cn.sess, cn.state, cn.gen, cn.c.changed
		cn.c.mu.Unlock()
		switch {
		case state == Ready && now > gen:
			return s
		case state == Failed || state == Closed:
			return nil
		}
		select {
		case <-changed:
		case <-ctx.Done():
			return nil
		}
	}
}

func toolCount(n int) string {
	if n == 1 {
		return "1 tool"
	}
	return fmt.Sprintf("%d tools", n)
}
