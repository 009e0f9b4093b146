package mcptest

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/jsonrpc"
	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// HTTPOptions tune Serve; the zero value serves EchoServer as the SDK does.
type HTTPOptions struct {
	// Token, when set, is required as the X-Token header; a request
	// without it gets 401.
	Token string
	// Legacy refuses server/discover, so that clients fall back to the
	// initialize handshake of protocol 2025-11-25, where a server sends
	// requests of its own (roots/list) to the client, as most servers in
	// use still do.
	Legacy bool
	// OldSessionStatus is the answer, after Restart, to a request that
	// names a session of before: 0 for the SDK's own (404), 400 for the
	// TypeScript SDK's "Bad Request: No valid session ID provided".
	OldSessionStatus int
}

// HTTPServer is EchoServer over streamable HTTP on loopback.
type HTTPServer struct {
	URL string
	srv *httptest.Server

	mu      sync.Mutex
	handler http.Handler
	down    bool            // connections are dropped unanswered
	live    map[string]bool // sessions the handler made
	old     map[string]bool // sessions made before the last Restart
}

// Serve serves EchoServer over streamable HTTP until the test ends.
func Serve(t testing.TB, o HTTPOptions) *HTTPServer {
	t.Helper()
	s := &HTTPServer{handler: newHandler(), live: map[string]bool{}, old: map[string]bool{}}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if o.Token != "" && r.Header.Get("X-Token") != o.Token {
			http.Error(w, "no token", http.StatusUnauthorized)
			return
		}
		if o.Legacy && refuseDiscover(w, r) {
			return
		}
		s.mu.Lock()
		h, old, down := s.handler, s.old[r.Header.Get("Mcp-Session-Id")], s.down
		s.mu.Unlock()
		if down {
			if conn, _, err := http.NewResponseController(w).Hijack(); err == nil {
				conn.Close()
			}
			return
		}
		if old && o.OldSessionStatus == http.StatusBadRequest {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(`{"jsonrpc":"2.0","error":{"code":-32000,"message":"Bad Request: No valid session ID provided"},"id":null}`))
			return
		}
		h.ServeHTTP(sessionRecorder{w, s}, r)
	}))
	s.URL = s.srv.URL
	t.Cleanup(s.srv.Close)
	return s
}

// Restart drops every session and connection, as a server that restarts
// does: a client's next request names a session the server does not know.
func (s *HTTPServer) Restart() {
	s.mu.Lock()
	s.down = false
	s.handler = newHandler()
	for id := range s.live {
		s.old[id] = true
	}
	clear(s.live)
	s.mu.Unlock()
	s.srv.CloseClientConnections()
}

// Down makes the server drop every connection unanswered, as one that is
// down would; Restart brings it back up, without its sessions.
func (s *HTTPServer) Down() {
	s.mu.Lock()
	s.down = true
	s.mu.Unlock()
	s.srv.CloseClientConnections()
}

// sessionRecorder notes the sessions the handler makes.
type sessionRecorder struct {
	http.ResponseWriter
	s *HTTPServer
}

func (w sessionRecorder) record() {
	if id := w.Header().Get("Mcp-Session-Id"); id != "" {
		w.s.mu.Lock()
		w.s.live[id] = true
		w.s.mu.Unlock()
	}
}

func (w sessionRecorder) WriteHeader(code int) {
	w.record()
	w.ResponseWriter.WriteHeader(code)
}

func (w sessionRecorder) Write(p []byte) (int, error) {
	w.record()
	return w.ResponseWriter.Write(p)
}

func (w sessionRecorder) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// Flush keeps the SSE streams streaming.
func (w sessionRecorder) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func newHandler() http.Handler {
	return sdk.NewStreamableHTTPHandler(func(*http.Request) *sdk.Server { return EchoServer() }, nil)
}

// refuseDiscover answers a POSTed server/discover with "method not found",
// as a server of the older protocol would, and reports that it did.
func refuseDiscover(w http.ResponseWriter, r *http.Request) bool {
	if r.Method != http.MethodPost {
		return false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return true
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	msg, err := jsonrpc.DecodeMessage(body)
	req, ok := msg.(*jsonrpc.Request)
	if err != nil || !ok || req.Method != "server/discover" {
		return false
	}
	data, _ := jsonrpc.EncodeMessage(&jsonrpc.Response{ID: req.ID, Error: &jsonrpc.Error{Code: jsonrpc.CodeMethodNotFound, Message: "method not found"}})
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(data)
	return true
}

// LegacyTransport is t with server/discover refused, as Legacy does over
// HTTP: for a stdio server of the older protocol.
func LegacyTransport(t sdk.Transport) sdk.Transport { return legacyTransport{t} }

type legacyTransport struct{ sdk.Transport }

func (l legacyTransport) Connect(ctx context.Context) (sdk.Connection, error) {
	c, err := l.Transport.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return legacyConn{c}, nil
}

type legacyConn struct{ sdk.Connection }

func (l legacyConn) Read(ctx context.Context) (jsonrpc.Message, error) {
	for {
		msg, err := l.Connection.Read(ctx)
		req, ok := msg.(*jsonrpc.Request)
		if err != nil || !ok || req.Method != "server/discover" {
			return msg, err
		}
		refusal := &jsonrpc.Response{ID: req.ID, Error: &jsonrpc.Error{Code: jsonrpc.CodeMethodNotFound, Message: "method not found"}}
		if err := l.Connection.Write(ctx, refusal); err != nil {
			return nil, err
		}
	}
}
