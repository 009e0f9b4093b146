package mcp

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/proc"
)

// session is one connection to a server.
type session struct {
	cs    *sdk.ClientSession
	child *child // nil for an HTTP server
	http  bool

	mu        sync.Mutex
	live      bool   // offered: before, a change of tools waits (dirty)
	relisting bool   // toolsChanged is listing
	dirty     bool   // and was told again meanwhile
	lost      string // why a call gave the session up, for watch to tell
	closeOnce sync.Once
}

// startSession connects to cn's server and lists its tools, within the
// start timeout. Its error is a *startError, which reads after the
// server's name: "failed to start: ...".
func startSession(ctx context.Context, cn *conn, o Options) (*session, []*sdk.Tool, error) {
	srv := cn.srv
	ctx, cancel := context.WithTimeout(ctx, o.StartTimeout)
	defer cancel()
	s := &session{}
	var transport sdk.Transport
	if len(srv.Command) > 0 {
		s.child = newChild(srv)
		transport = s.child
	} else {
		s.http = true
		// The standalone SSE stream stays on: over it the server sends
		// what is not an answer to a call of Parley's, such as
		// roots/list at start and notifications/tools/list_changed.
		transport = &sdk.StreamableClientTransport{
			Endpoint:   srv.URL,
			HTTPClient: &http.Client{Transport: headerTransport{srv.Headers, http.DefaultTransport}},
			// Two tries (about 3 s) before the session is lost, not the
			// SDK's five (about 20 s): a server that went away is noticed,
			// and reconnected, sooner.
			MaxRetries: 2,
		}
	}
	// A server that hangs must not hold the start past its timeout: the
	// SDK would otherwise wait for it to exit after closing its stdin.
	stop := func() bool { return true }
	if s.child != nil {
		stop = context.AfterFunc(ctx, s.child.kill)
	}
	fail := func(what string, err error) (*session, []*sdk.Tool, error) {
		s.close()
		timedOut := errors.Is(ctx.Err(), context.DeadlineExceeded)
		reason := plainReason(srv, err, timedOut)
		if timedOut {
			err = fmt.Errorf("did not answer within %s", o.StartTimeout)
		}
		if s.child != nil {
			err = s.child.explain(err)
		}
		return nil, nil, &startError{what: what, err: err, reason: reason}
	}
	roots, err := rootsFor(srv, o)
	if err != nil {
		return fail("start", err)
	}
	opts := &sdk.ClientOptions{
		ProgressNotificationHandler: cn.c.calls.deliver,
		ToolListChangedHandler:      func(context.Context, *sdk.ToolListChangedRequest) { cn.toolsChanged(s) },
	}
	if len(roots) == 0 {
		opts.Capabilities = &sdk.ClientCapabilities{} // no roots to offer: do not say there are
	}
	client := sdk.NewClient(&sdk.Implementation{Name: "parley", Version: cmp.Or(o.Version, "dev")}, opts)
	client.AddRoots(roots...)
	cs, err := client.Connect(ctx, transport, nil)
	if err != nil {
		return fail("start", err)
	}
	s.cs = cs
	listed, err := s.list(ctx)
	if err != nil {
		return fail("list its tools", err)
	}
	if !stop() {
		return fail("start", context.DeadlineExceeded)
	}
	return s, listed, nil
}

// list lists every tool the server offers.
func (s *session) list(ctx context.Context) ([]*sdk.Tool, error) {
	var listed []*sdk.Tool
	for t, err := range s.cs.Tools(ctx, nil) {
		if err != nil {
			return nil, err
		}
		listed = append(listed, t)
	}
	return listed, nil
}

// giveUp ends a session a call found broken, saying why.
func (s *session) giveUp(cause error) {
	s.mu.Lock()
	s.lost = oneLine(cause.Error())
	s.mu.Unlock()
	s.close()
}

// lostCause is why a call gave the session up, or "".
func (s *session) lostCause() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.lost
}

// close ends the session: an HTTP session is deleted, a stdio server's
// stdin closed, then the server and what it started killed.
func (s *session) close() {
	s.closeOnce.Do(func() {
		if s.cs != nil {
			_ = s.cs.Close()
		}
		if s.child != nil {
			s.child.kill()
		}
	})
}

// rootsFor is the server's roots as file URIs: its own, or Options.Dir, or
// the working directory.
func rootsFor(srv Server, o Options) ([]*sdk.Root, error) {
	dirs := srv.Roots
	if dirs == nil {
		dir := o.Dir
		if dir == "" {
			wd, err := os.Getwd()
			if err != nil {
				return nil, fmt.Errorf("finding the working directory for its root: %w", err)
			}
			dir = wd
		}
		dirs = []string{dir}
	}
	out := make([]*sdk.Root, 0, len(dirs))
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, err
		}
		out = append(out, &sdk.Root{URI: FileURI(abs), Name: filepath.Base(abs)})
	}
	return out, nil
}

// FileURI is an absolute path as a file:// URI (file:///C:/x on Windows).
func FileURI(abs string) string {
	p := filepath.ToSlash(abs)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// child is a stdio server: the SDK's command transport, with the process
// in a group of its own so that its children end with it, and the tail of
// its stderr kept to explain a failure.
type child struct {
	sdk.CommandTransport
	stderr *tailBuffer
	group  *proc.Group
}

func newChild(srv Server) *child {
	cmd := exec.Command(srv.Command[0], srv.Command[1:]...)
	cmd.Dir = srv.Dir
	cmd.Env = proc.Environ(os.Environ(), srv.PassEnv, srv.Env)
	// Its stderr must not reach the terminal the TUI draws on.
	stderr := &tailBuffer{max: 2048}
	cmd.Stderr = stderr
	// A grandchild holding stderr open must not hold Wait.
	cmd.WaitDelay = time.Second
	return &child{
		CommandTransport: sdk.CommandTransport{Command: cmd, TerminateDuration: 2 * time.Second},
		stderr:           stderr,
		group:            proc.NewGroup(cmd),
	}
}

// Connect starts the process and puts it in its group.
func (c *child) Connect(ctx context.Context) (sdk.Connection, error) {
	conn, err := c.CommandTransport.Connect(ctx)
	if err == nil {
		c.group.Started()
	}
	return conn, err
}

// kill ends the process group: the server and whatever it started.
func (c *child) kill() { c.group.Kill() }

// explain adds the last line the server wrote to stderr to err.
func (c *child) explain(err error) error {
	if line := lastLine(c.stderr.String()); line != "" {
		return fmt.Errorf("%w (it said: %s)", err, line)
	}
	return err
}

// exitReason says how the process ended, for a server that stopped. (Its
// exit status is not known yet: the SDK waits for the process later.)
func (c *child) exitReason() string {
	return c.explain(errors.New("its process ended")).Error()
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.buf)
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// deleteTimeout bounds the DELETE that ends an HTTP session. It is a
// courtesy: a server that first waits for the calls it still runs (the Go
// SDK's does) must not hold Parley's exit for long.
const deleteTimeout = time.Second

// headerTransport adds the configured headers to every request.
type headerTransport struct {
	headers map[string]string
	next    http.RoundTripper
}

func (h headerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Method == http.MethodDelete {
		ctx, cancel := context.WithTimeout(r.Context(), deleteTimeout)
		defer cancel()
		r = r.WithContext(ctx)
	}
	if len(h.headers) > 0 {
		r = r.Clone(r.Context())
		for k, v := range h.headers {
			r.Header.Set(k, v)
		}
	}
	return h.next.RoundTrip(r)
}
