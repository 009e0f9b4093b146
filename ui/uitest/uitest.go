// Package uitest holds what the chat screen's tests share across packages
// (ui's own tests and the end-to-end tests of the binary): a server that
// streams without end, and a rebinding of every key.
package uitest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// Endless starts a loopback server that answers every request with a
// Responses stream of text deltas, written as fast as it can until the
// client goes away: the fastest stream a server can send. It returns the
// base URL; the server closes with the test.
func Endless(t testing.TB) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, `data: {"type":"response.created","response":{"id":"r","model":"m","status":"in_progress"}}`+"\n\n")
		delta := `data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":"more and more words, "}` + "\n\n"
		chunk := strings.Repeat(delta, 64)
		for r.Context().Err() == nil {
			if _, err := fmt.Fprint(w, chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// Rebound gives each binding name a key of its own that no default
// binding uses (alt+letters, alt+digits, alt and a punctuation mark,
// then ctrl+alt+letters), so a screen that still shows a default key name
// shows a stale one. A terminal sends each as ESC and the key (ctrl+alt:
// ESC and the control character); the marks left out start escape
// sequences after ESC ([ ] \ ^ _), are defaults (< > @) or read badly
// in a key name (+).
func Rebound(t testing.TB, names []string) map[string]string {
	t.Helper()
	var pool []string
	for c := 'a'; c <= 'z'; c++ {
		pool = append(pool, "alt+"+string(c))
	}
	for c := '0'; c <= '9'; c++ {
		pool = append(pool, "alt+"+string(c))
	}
	for _, c := range `!"#$%&'()*,-./:;=?{|}~` + "`" {
		pool = append(pool, "alt+"+string(c))
	}
	for c := 'a'; c <= 'z'; c++ {
		pool = append(pool, "ctrl+alt+"+string(c))
	}
	if len(names) > len(pool) {
		t.Fatalf("%d bindings, %d keys to give them", len(names), len(pool))
	}
	out := map[string]string{}
	for i, n := range names {
		out[n] = pool[i]
	}
	return out
}
