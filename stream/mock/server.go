package mock

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Options configures a Server. The zero value streams the scripts at
// realistic speed.
type Options struct {
	// Speed multiplies the pace: 1 (or 0) is realistic, about 70 tokens/s
	// after a 300-600 ms first-token delay; 2 is twice as fast.
	Speed float64
	// Instant turns pacing off entirely, for tests.
	Instant bool
	// Replay is the path of a recorded SSE body; when set, every streaming
	// request is answered with its bytes, frame by frame.
	Replay string
	// StallAfter is how long fault:stall keeps a connection silent before
	// giving up (default 5 minutes). Client disconnect and Close end it
	// sooner.
	StallAfter time.Duration
	// Fault, when set, is a fault KIND (as in "fault:KIND") that every
	// request gets whatever its model, /v1/models included where the
	// fault applies there (echo-auth, escapes).
	Fault string
	// RequestLog, when set, receives every request as a line of JSON:
	// its method, path, whole body and the attachments read from it
	// (never its headers, which hold the key). Writes are serialised.
	RequestLog io.Writer
	// MaxBodyBytes bounds a request body (default DefaultMaxBodyBytes);
	// a larger one gets 413.
	MaxBodyBytes int64
}

// DefaultMaxBodyBytes is a little over the most a client's attachments
// make one request: 50 MB of images and 32 MB of PDFs (OpenAI's limits),
// a third larger in base64.
const DefaultMaxBodyBytes = 128 << 20

const (
	defaultStallAfter = 5 * time.Minute
	// shutdownGrace bounds Close: handlers end at once when the server
	// closes, so this is only reached if one is stuck in a write.
	shutdownGrace = 2 * time.Second
)

// Server is the mock OpenAI server. Its methods are safe for concurrent use.
type Server struct {
	opts    Options
	scripts scriptBook
	replay  []string // frames of the replay file, if any
	// replayModel is the model the replay file names, listed by /v1/models.
	replayModel string
	handler     http.Handler
	// done is closed by Close; every pacing wait and stall watches it, so
	// in-flight streams end promptly instead of holding up shutdown.
	done     chan struct{}
	inflight sync.WaitGroup
	log      requestLog
	fault    *fault // Options.Fault, parsed

	mu        sync.Mutex // guards the fields below
	closed    bool
	httpSrv   *http.Server
	serveDone chan struct{}
	faultHits map[string]int // requests seen per fault model name, for xN
	cycle     int            // next script in the no-keyword rotation
	responses int            // streamed replies so far, for ids
	requests  int            // requests so far, for x-request-id
}

// New builds a server. It fails if Options are out of range or the Replay
// file cannot be read.
func New(opts Options) (*Server, error) {
	if math.IsNaN(opts.Speed) || math.IsInf(opts.Speed, 0) || opts.Speed < 0 {
		return nil, fmt.Errorf("mock: speed must be a positive number, got %v", opts.Speed)
	}
	if opts.Speed == 0 {
		opts.Speed = 1
	}
	if opts.StallAfter <= 0 {
		opts.StallAfter = defaultStallAfter
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	scripts, err := loadScripts()
	if err != nil {
		return nil, fmt.Errorf("mock: embedded scripts: %w", err)
	}
	s := &Server{opts: opts, scripts: scripts, done: make(chan struct{}), faultHits: map[string]int{}}
	s.log.out = opts.RequestLog
	if opts.Fault != "" {
		f, _, err := parseFault(faultPrefix + opts.Fault)
		if err != nil {
			return nil, fmt.Errorf("mock: %w", err)
		}
		s.fault = &f
	}
	if opts.Replay != "" {
		if err := s.loadReplay(opts.Replay); err != nil {
			return nil, err
		}
	}
	s.handler = http.HandlerFunc(s.serveHTTP)
	return s, nil
}

// Handler serves the API; it can be mounted on any server (httptest too).
// After Close it answers 503.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on addr (default "127.0.0.1:0") and serves in the
// background. It returns the base URL clients use, ending in "/v1".
func (s *Server) Start(addr string) (baseURL string, err error) {
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", errors.New("mock: server is closed")
	}
	if s.httpSrv != nil {
		return "", errors.New("mock: server already started")
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("mock: %w", err)
	}
	s.httpSrv = &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       time.Minute,
	}
	s.serveDone = make(chan struct{})
	go func(srv *http.Server, done chan<- struct{}) {
		defer close(done)
		srv.Serve(ln) // returns http.ErrServerClosed after Shutdown
	}(s.httpSrv, s.serveDone)
	return "http://" + ln.Addr().String() + "/v1", nil
}

// Close stops accepting requests, ends in-flight streams (they stop at their
// next frame or wait) and waits for every handler to return. It is safe to
// call more than once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	close(s.done)
	srv, serveDone := s.httpSrv, s.serveDone
	s.mu.Unlock()

	var err error
	if srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if err = srv.Shutdown(ctx); err != nil {
			srv.Close()
			err = fmt.Errorf("mock: shutdown: %w", err)
		}
		<-serveDone
	}
	s.inflight.Wait()
	return err
}

// Requests returns the last 100 requests received, oldest first.
func (s *Server) Requests() []RecordedRequest { return s.log.all() }

// enter registers an in-flight handler; false once the server is closed.
// Add happens under mu so it can never race with Close's Wait.
func (s *Server) enter() (requestID string, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", false
	}
	s.inflight.Add(1)
	s.requests++
	return "req_mock_" + strconv.Itoa(s.requests), true
}
