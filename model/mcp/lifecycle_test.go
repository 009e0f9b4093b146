package mcp

import (
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/mcp/mcptest"
	"github.com/parley-tui/parley/stream"
)

// A stdio server that dies is started again: its tools go while it is
// down, come back with the new process, and the caller hears of both.
func TestStdioServerDiesAndRestarts(t *testing.T) {
	c, reg := start(t, Options{}, Server{Name: "s", Command: []string{echoBinary}})
	before := call(reg, "s__pid", `{}`).Output
	r := call(reg, "s__exit", `{}`)
	if !r.Failed || !strings.HasPrefix(r.Output, "Error: the MCP server s stopped during the call (") {
		t.Errorf("the call that ended it: %+v", r)
	}
	down := await(t, c, "s down", func(ev Event) bool { return ev.State == Down })
	if down.Text != "MCP server s stopped; Parley is starting it again" {
		t.Errorf("down: %q", down.Text)
	}
	up := await(t, c, "s back", func(ev Event) bool { return ev.State == Ready })
	if up.Text != "MCP server s reconnected: 16 tools" {
		t.Errorf("up: %q", up.Text)
	}
	if after := call(reg, "s__pid", `{}`); after.Failed || after.Output == before {
		t.Errorf("pid before %s, after %+v", before, after)
	}
}

// A server that cannot start again is failed: its tools are not offered,
// and a call to one says why instead of "connection closed".
func TestStdioServerThatCannotRestart(t *testing.T) {
	once := "ECHO_MODE=once:" + filepath.Join(t.TempDir(), "started")
	quick := Options{reconnectDelays: []time.Duration{10 * time.Millisecond}}
	c, reg := start(t, quick, Server{Name: "s", Command: []string{echoBinary}, Env: []string{once}}, Server{Name: "other", Command: []string{echoBinary}})
	call(reg, "s__exit", `{}`)
	ev := await(t, c, "s failed", func(ev Event) bool { return ev.State == Failed })
	if ev.Text != "MCP server s is not running: it exited as it started. Parley tries it again with your next prompt" {
		t.Errorf("event %q", ev.Text)
	}
	// The detail stays for doctor and the log.
	if st := c.Status()[0]; st.Reason != "it exited as it started" ||
		st.Err != "failed to start: connection closed: calling \"initialize\": client is closing: EOF (it said: echo: already started once)" {
		t.Errorf("status %+v", st)
	}
	if slices.ContainsFunc(reg.Specs(), func(s stream.ToolSpec) bool { return strings.HasPrefix(s.Name, "s__") }) || reg.Len() != 16 {
		t.Errorf("offered: %d tools", reg.Len())
	}
	if r := call(reg, "s__echo", `{"text":"x"}`); !r.Failed || !strings.HasPrefix(r.Output, "Error: the MCP server s is not running: failed to start") {
		t.Errorf("call: %+v", r)
	}
	if c.Reconnect("other") {
		t.Error("Reconnect started a server that runs")
	}
	// Once what was wrong is fixed, the user may ask for another try.
	if err := os.Remove(strings.TrimPrefix(once, "ECHO_MODE=once:")); err != nil {
		t.Fatal(err)
	}
	if !c.Reconnect("s") {
		t.Fatal("Reconnect did not start a failed server")
	}
	await(t, c, "s back", func(ev Event) bool { return ev.Text == "MCP server s reconnected: 16 tools" })
	if r := call(reg, "s__echo", `{"text":"back"}`); r.Output != "back" {
		t.Errorf("after Reconnect: %+v", r)
	}
}

// An HTTP server that is down for a moment, then back without its
// sessions: its tools go, Parley tries again until it answers, and they
// come back.
func TestHTTPServerDownThenBack(t *testing.T) {
	srv := mcptest.Serve(t, mcptest.HTTPOptions{})
	quick := Options{StartTimeout: 2 * time.Second, reconnectDelays: []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond, time.Second, time.Second}}
	c, reg := start(t, quick, Server{Name: "h", URL: srv.URL})
	srv.Down()
	if r := call(reg, "h__echo", `{"text":"x"}`); !r.Failed || !strings.HasPrefix(r.Output, "Error: the MCP server h ") {
		t.Errorf("a call while it is down: %+v", r)
	}
	await(t, c, "h down", func(ev Event) bool { return ev.State == Down })
	if reg.Len() != 0 {
		t.Errorf("%d tools offered while the server is down", reg.Len())
	}
	srv.Restart()
	await(t, c, "h back", func(ev Event) bool { return ev.Text == "MCP server h reconnected: 15 tools" })
	if r := call(reg, "h__echo", `{"text":"back"}`); r.Output != "back" {
		t.Errorf("after the server came back: %+v", r)
	}
}

// An HTTP server that restarts forgets Parley's session: the next call
// gets a new session and goes through, whether the server answers the old
// session id with 404 (the Go SDK) or 400 (the TypeScript SDK).
func TestHTTPServerRestarts(t *testing.T) {
	for _, status := range []int{0, http.StatusBadRequest} {
		srv := mcptest.Serve(t, mcptest.HTTPOptions{OldSessionStatus: status})
		c, reg := start(t, Options{}, Server{Name: "h", URL: srv.URL})
		if r := call(reg, "h__echo", `{"text":"before"}`); r.Output != "before" {
			t.Fatalf("before: %+v", r)
		}
		srv.Restart()
		if r := call(reg, "h__echo", `{"text":"after"}`); r.Failed || r.Output != "after" {
			t.Errorf("%d: after the restart: %+v", status, r)
		}
		await(t, c, "reconnected", func(ev Event) bool { return ev.Text == "MCP server h reconnected: 15 tools" })
		if r := call(reg, "h__echo", `{"text":"again"}`); r.Output != "again" {
			t.Errorf("%d: again: %+v", status, r)
		}
	}
}

// A server that says its tools changed has them listed again.
func TestToolsListChanged(t *testing.T) {
	c, reg := start(t, Options{}, Server{Name: "local", Command: []string{echoBinary}}, Server{Name: "remote", URL: mcptest.Serve(t, mcptest.HTTPOptions{}).URL})
	for _, server := range []string{"local", "remote"} {
		if _, ok := reg.Lookup(server + "__extra"); ok {
			t.Fatal("extra before grow")
		}
		if r := call(reg, server+"__grow", `{}`); r.Output != "grown" {
			t.Fatalf("grow: %+v", r)
		}
		ev := await(t, c, server+" changed", func(ev Event) bool { return ev.Server == server && strings.Contains(ev.Text, "changed its tools") })
		if !strings.HasSuffix(ev.Text, "tools") {
			t.Errorf("event %q", ev.Text)
		}
		if r := call(reg, server+"__extra", `{}`); r.Output != "extra" {
			t.Errorf("%s extra: %+v", server, r)
		}
	}
}

// A server that failed is tried again, quietly, at RetryFailed (the chat's
// next prompt): failing again for the same reason says nothing new, and
// once what was wrong is fixed it reconnects and says so.
func TestRetryFailed(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "started")
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c, reg := start(t, Options{}, Server{Name: "s", Command: []string{echoBinary}, Env: []string{"ECHO_MODE=once:" + marker}})
	if st := c.Status()[0]; st.State != Failed || st.Reason != "it exited as it started" {
		t.Fatalf("status %+v", st)
	}
	await(t, c, "s failed", func(ev Event) bool {
		return ev.Text == "MCP server s is not running: it exited as it started. Parley tries it again with your next prompt"
	})
	reg.RetryFailed()
	if st := c.Status()[0]; st.State != Connecting {
		t.Fatalf("RetryFailed did not start it again: %+v", st)
	}
	for deadline := time.Now().Add(30 * time.Second); c.Status()[0].State != Failed; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("the retry never ended: %+v", c.Status()[0])
		}
	}
	select {
	case ev := <-c.Events():
		t.Errorf("failing again for the same reason told %+v", ev)
	case <-time.After(200 * time.Millisecond):
	}
	os.Remove(marker)
	reg.RetryFailed()
	await(t, c, "s back", func(ev Event) bool { return ev.Text == "MCP server s reconnected: 16 tools" })
	if r := call(reg, "s__echo", `{"text":"back"}`); r.Output != "back" {
		t.Errorf("after RetryFailed: %+v", r)
	}
}

// Why a server did not start, in plain words.
func TestPlainReason(t *testing.T) {
	c, _ := start(t, Options{},
		Server{Name: "missing", Command: []string{"/no/such/server"}},
		Server{Name: "refused", URL: "http://127.0.0.1:9/mcp"},
	)
	for _, st := range c.Status() {
		want := map[string]string{"missing": "its command /no/such/server was not found", "refused": "nothing answers at 127.0.0.1:9"}[st.Name]
		if st.State != Failed || st.Reason != want || st.Err == "" {
			t.Errorf("%s: %+v, want reason %q", st.Name, st, want)
		}
	}
}
