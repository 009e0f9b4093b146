package mcp

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/url"
	"os/exec"
	"strings"
	"syscall"
)

// startError is why a server did not start: Error is the whole chain,
// for doctor and the log; reason says it in a few plain words, for the
// chat, where a Go error chain ("connection closed: calling
// "initialize": client is closing: EOF") tells a user nothing.
type startError struct {
	what   string // "start", "list its tools"
	err    error
	reason string
}

func (e *startError) Error() string {
	return fmt.Sprintf("failed to %s: %s", e.what, oneLine(e.err.Error()))
}

func (e *startError) Unwrap() error { return e.err }

// plainReason says why srv did not start, from err, in words a user can
// act on; timedOut says the start timeout ran out.
func plainReason(srv Server, err error, timedOut bool) string {
	var dns *net.DNSError
	switch {
	case timedOut:
		return "it did not answer in time"
	case errors.Is(err, exec.ErrNotFound) || len(srv.Command) > 0 && errors.Is(err, fs.ErrNotExist):
		return "its command " + srv.Command[0] + " was not found"
	case len(srv.Command) > 0 && errors.Is(err, fs.ErrPermission):
		return "its command " + srv.Command[0] + " may not be run"
	case len(srv.Command) > 0 && (errors.Is(err, io.EOF) || strings.Contains(err.Error(), "connection closed")):
		return "it exited as it started"
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(err.Error(), "connection refused"):
		return "nothing answers at " + host(srv.URL)
	case errors.As(err, &dns):
		return "the host " + dns.Name + " was not found"
	case errors.Is(err, context.DeadlineExceeded):
		return "it did not answer in time"
	case srv.URL != "":
		return host(srv.URL) + " did not answer as an MCP server"
	}
	return "it did not answer as an MCP server"
}

// host is a URL's host and port, or the URL if it has none.
func host(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// gaveUp is the chat's sentence for a server Parley stopped trying: why
// in plain words, and when it is tried again (RetryFailed).
func gaveUp(name, reason string) string {
	return fmt.Sprintf("MCP server %s is not running: %s. Parley tries it again with your next prompt", name, reason)
}
