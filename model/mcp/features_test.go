package mcp

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/mcp/mcptest"
	"github.com/parley-tui/parley/model/tools"
)

// A call made with CallProgress carries a progress token, and the server's
// progress (progress, total, message) reaches the caller while the call
// runs; a call made without asks for none.
func TestProgress(t *testing.T) {
	_, reg := start(t, Options{},
		Server{Name: "local", Command: []string{echoBinary}},
		Server{Name: "remote", URL: serveHTTP(t), Headers: map[string]string{"X-Token": "secret"}})
	for _, server := range []string{"local", "remote"} {
		got := make(chan tools.Progress, 10)
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan tools.Result)
		go func() {
			done <- reg.CallProgress(ctx, server+"__progress", `{"steps":3,"hold":true}`, func(p tools.Progress) { got <- p })
		}()
		for i := 1; i <= 3; i++ {
			select {
			case p := <-got:
				want := tools.Progress{Progress: float64(i), Total: 3, Message: "step " + strconv.Itoa(i) + " of 3"}
				if p != want {
					t.Errorf("%s progress %d: %+v, want %+v", server, i, p, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s: no progress %d", server, i)
			}
		}
		cancel()
		if r := <-done; r.Output != "The call was cancelled." {
			t.Errorf("%s: %+v", server, r)
		}
		if r := call(reg, server+"__progress", `{"steps":2}`); r.Output != "done after 2 steps (token sent: false)" {
			t.Errorf("%s without progress: %+v", server, r)
		}
	}
}

// A server may ask for the client's roots: the working directory unless
// the config names others, over stdio and over HTTP, in a call or (as
// most servers do) as soon as the session begins, which over HTTP needs
// the standalone SSE stream.
func TestRoots(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	a, b := t.TempDir(), t.TempDir()
	http := mcptest.Serve(t, mcptest.HTTPOptions{})
	legacy := mcptest.Serve(t, mcptest.HTTPOptions{Legacy: true})
	_, reg := start(t, Options{},
		Server{Name: "stdio", Command: []string{echoBinary}},
		Server{Name: "old", Command: []string{echoBinary}, Env: []string{"ECHO_MODE=legacy"}, Roots: []string{a, b}},
		Server{Name: "http", URL: http.URL, Roots: []string{a}},
		Server{Name: "legacy", URL: legacy.URL},
		Server{Name: "none", URL: http.URL, Roots: []string{}},
	)
	for _, c := range []struct{ tool, want string }{
		{"stdio__roots", FileURI(wd)},
		{"old__roots", FileURI(a) + "\n" + FileURI(b)},
		{"old__start-roots", FileURI(a) + "\n" + FileURI(b)},
		{"http__roots", FileURI(a)},
		{"http__start-roots", FileURI(a)},
		{"legacy__roots", FileURI(wd)},
		{"legacy__start-roots", FileURI(wd)},
	} {
		if r := call(reg, c.tool, `{}`); r.Failed || r.Output != c.want {
			t.Errorf("%s: %+v, want %q", c.tool, r, c.want)
		}
	}
	if r := call(reg, "none__roots", `{}`); r.Output != "" {
		t.Errorf("a server with no roots got some: %+v", r)
	}
	if !strings.HasPrefix(FileURI(filepath.Join(wd, "a b")), "file:///") || !strings.HasSuffix(FileURI(filepath.Join(wd, "a b")), "/a%20b") {
		t.Errorf("FileURI %q", FileURI(filepath.Join(wd, "a b")))
	}
}
