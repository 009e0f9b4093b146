package stream

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Config says where and how to reach a server.
type Config struct {
	// BaseURL ends before the endpoint, e.g. https://api.openai.com/v1.
	BaseURL string
	// APIKey is sent as a bearer token; empty sends none (local servers).
	APIKey string
	// AuthHeader, when set, carries the key as that header's whole value
	// instead of "Authorization: Bearer" (Azure's "api-key").
	AuthHeader string
	API        API // APIResponses (default) or APIChat
	// Header and Query are added to every request (Azure's api-key header
	// and api-version parameter, OpenRouter's attribution headers...).
	Header http.Header
	Query  url.Values

	HTTPClient *http.Client
	Logger     *slog.Logger

	// StallTimeout ends a stream that sends no bytes for this long. Zero
	// means DefaultStallTimeout; negative waits for ever.
	StallTimeout time.Duration
	// MaxRetries bounds retries before the first event. Zero means
	// DefaultMaxRetries; negative disables retries.
	MaxRetries int
	// RetryBase is the first backoff step (doubling, with jitter, up to
	// RetryMax). MaxRetryAfter caps how long a server may ask us to wait:
	// past it the error is returned at once, for the user to decide.
	RetryBase, RetryMax, MaxRetryAfter time.Duration
	// OnRetry, if set, hears about each retry before its wait, for a
	// status line such as "HTTP 429 · retry 1 of 3 in 2 s".
	OnRetry func(Retry)

	// MaxEventBytes bounds one SSE line or event; a server that sends a
	// bigger one gets its reply cut with an event_too_large error. Zero
	// means DefaultMaxEventBytes; negative means no limit.
	MaxEventBytes int
	// MaxReplyBytes bounds one reply's text, reasoning and tool arguments;
	// past it the reply ends with a reply_too_large error and status
	// incomplete, keeping what came. What the stream hands out with them
	// has a bound proportional to it (WithMaxReplyBytes). Zero means
	// DefaultMaxReplyBytes; negative means no limit.
	MaxReplyBytes int
	// Redact, if set, scrubs every message that came from a server (HTTP
	// error bodies, stream error events, response.failed, /models answers)
	// before it is kept in an Error or returned; Parley passes
	// logging.Redact. Whatever it does, the key and the configured header
	// values are masked by value.
	Redact func(string) string
	// UserAgent is sent with every request; empty means DefaultUserAgent().
	UserAgent string
}

// Retry tells OnRetry about a retry about to wait.
type Retry struct {
	Attempt int           // this retry's number, from 1
	Max     int           // how many retries there can be
	Wait    time.Duration // the wait before it
	// Reason is short, for a status line: "HTTP 429", "connection
	// refused", "no data for 2m0s".
	Reason string
	Err    *Error // the failure being retried
}

// Defaults for Config's zero values.
const (
	DefaultStallTimeout  = 120 * time.Second
	DefaultMaxRetries    = 3
	DefaultRetryBase     = 500 * time.Millisecond
	DefaultRetryMax      = 8 * time.Second
	DefaultMaxRetryAfter = 60 * time.Second
)

// Client sends requests to one server. It is safe for concurrent use.
type Client struct {
	cfg    Config
	redact redactor
}

// NewClient fills in defaults.
func NewClient(cfg Config) *Client {
	if cfg.API == "" || cfg.API == APIAuto {
		cfg.API = APIResponses
	}
	if cfg.HTTPClient == nil {
		cfg.HTTPClient = http.DefaultClient
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.StallTimeout == 0 {
		cfg.StallTimeout = DefaultStallTimeout
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.RetryBase <= 0 {
		cfg.RetryBase = DefaultRetryBase
	}
	if cfg.RetryMax <= 0 {
		cfg.RetryMax = DefaultRetryMax
	}
	if cfg.MaxRetryAfter <= 0 {
		cfg.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if cfg.MaxEventBytes == 0 {
		cfg.MaxEventBytes = DefaultMaxEventBytes
	}
	if cfg.MaxReplyBytes == 0 {
		cfg.MaxReplyBytes = DefaultMaxReplyBytes
	}
	if cfg.UserAgent == "" {
		cfg.UserAgent = DefaultUserAgent()
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Client{cfg: cfg, redact: newRedactor(cfg.Redact, cfg.APIKey, cfg.Header)}
}

// Endpoint is the URL requests go to.
func (c *Client) Endpoint() string {
	path := "/responses"
	if c.cfg.API == APIChat {
		path = "/chat/completions"
	}
	u := c.cfg.BaseURL + path
	if len(c.cfg.Query) > 0 {
		u += "?" + c.cfg.Query.Encode()
	}
	return u
}

// Stream is a reply being received. Next yields its choices, the last one
// KindDone; Close (or cancelling the context given to Client.Stream) ends
// it early. RequestID is the server's x-request-id, for bug reports.
type Stream struct {
	dec       *Decoder
	first     *Choice
	RequestID string
}

// Next returns the next choice, io.EOF after the last.
func (s *Stream) Next() (Choice, error) {
	if s.first != nil {
		c := *s.first
		s.first = nil
		return c, nil
	}
	return s.dec.Next()
}

// TryNext returns the next choice if it arrived already, and ok false
// without waiting for the network otherwise (see Decoder.TryNext).
func (s *Stream) TryNext() (c Choice, ok bool, err error) {
	if s.first != nil {
		c, err := s.Next()
		return c, true, err
	}
	return s.dec.TryNext()
}

// Close releases the connection. Safe from any goroutine, more than once.
func (s *Stream) Close() error { return s.dec.Close() }

// Stats reports the frames seen so far.
func (s *Stream) Stats() Stats { return s.dec.Stats() }

// Stream sends req and returns the reply once its first event has arrived.
// Failures before that (HTTP errors, refused connections, a stream cut
// before any event) are retried with backoff where another attempt can
// help, then returned as *Error. After the first event, failures arrive
// as choices and what came before them stays valid.
func (c *Client) Stream(ctx context.Context, req Request) (*Stream, error) {
	body, e := c.Body(req)
	if e != nil {
		return nil, e
	}
	for attempt := 0; ; attempt++ {
		s, e := c.attempt(ctx, body)
		if e == nil {
			return s, nil
		}
		e = c.redact.error(e)
		if ctx.Err() != nil {
			return nil, &Error{Code: CodeCancelled, Message: "Cancelled before the reply started.", Cause: ctx.Err()}
		}
		if !e.Retryable || c.cfg.MaxRetries < 0 || attempt >= c.cfg.MaxRetries {
			return nil, e
		}
		wait := c.backoff(attempt, e)
		if wait < 0 {
			return nil, e // the server asked for longer than we are willing to wait
		}
		c.cfg.Logger.Info("retrying request", "attempt", attempt+1, "wait", wait, "error", e.Error())
		if c.cfg.OnRetry != nil {
			c.cfg.OnRetry(Retry{Attempt: attempt + 1, Max: c.cfg.MaxRetries, Wait: wait, Reason: c.retryReason(e), Err: e})
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, &Error{Code: CodeCancelled, Message: "Cancelled while waiting to retry.", Cause: ctx.Err()}
		case <-t.C:
		}
	}
}

// backoff is the wait before retry number attempt+1: the server's
// Retry-After when it gave one, else exponential with jitter. Negative
// means do not retry.
func (c *Client) backoff(attempt int, e *Error) time.Duration {
	if e.RetryAfter > 0 {
		if e.RetryAfter > c.cfg.MaxRetryAfter {
			return -1
		}
		return e.RetryAfter
	}
	d := c.cfg.RetryBase << attempt
	if d > c.cfg.RetryMax || d <= 0 {
		d = c.cfg.RetryMax
	}
	// Jitter in [d/2, d) keeps many clients from retrying in step.
	return d/2 + time.Duration(rand.Int64N(int64(d/2)+1))
}

// attempt makes one request and waits for its first choice.
func (c *Client) attempt(ctx context.Context, body []byte) (*Stream, *Error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Endpoint(), bytes.NewReader(body))
	if err != nil {
		return nil, &Error{Code: "bad_request", Message: "Invalid server address: " + err.Error(), Cause: err}
	}
	hreq.Header.Set("Content-Type", "application/json")
	hreq.Header.Set("Accept", "text/event-stream")
	resp, e := c.do(hreq)
	if e != nil {
		return nil, e
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt == "application/json" {
		// A server that ignored stream:true, or an error dressed as 200.
		e := c.redact.httpError(resp, time.Now())
		e.Code, e.Retryable = CodeBadReply, false
		e.Message = "The server replied with JSON instead of an event stream: " + e.Message
		return nil, e
	}
	var stall time.Duration
	if c.cfg.StallTimeout > 0 {
		stall = c.cfg.StallTimeout
	}
	dec := NewDecoder(resp.Body, c.cfg.API, WithStallTimeout(stall), WithLogger(c.cfg.Logger), withContext(ctx),
		withRedactor(c.redact), WithMaxEventBytes(c.cfg.MaxEventBytes), WithMaxReplyBytes(c.cfg.MaxReplyBytes))
	s := &Stream{dec: dec, RequestID: resp.Header.Get("x-request-id")}
	first, err := dec.Next()
	if err != nil { // cannot happen: a decoder always ends with a Done choice
		dec.Close()
		return nil, &Error{Code: CodeTruncated, Retryable: true, Message: "The reply was empty.", Cause: err}
	}
	if first.Kind == KindError && dec.Stats().Total == 0 && first.Err.Retryable {
		// Nothing arrived before the break: safe to try again.
		dec.Close()
		return nil, first.Err
	}
	s.first = &first
	return s, nil
}

// retryReason says in a few words why a request is retried.
func (c *Client) retryReason(e *Error) string {
	switch {
	case e.HTTPStatus != 0:
		return "HTTP " + strconv.Itoa(e.HTTPStatus)
	case e.Code == CodeConnection:
		switch {
		case errors.Is(e.Cause, syscall.ECONNREFUSED):
			return "connection refused"
		case errors.Is(e.Cause, syscall.ECONNRESET):
			return "connection reset"
		case isTimeout(e.Cause):
			return "connection timed out"
		}
		var dnsErr *net.DNSError
		if errors.As(e.Cause, &dnsErr) {
			return "host not found"
		}
		return "connection failed"
	case e.Code == CodeStalled:
		return "no data for " + c.cfg.StallTimeout.String()
	case e.Code == CodeTruncated, e.Code == CodeDropped:
		return "stream cut before it began"
	case e.Code != "":
		return e.Code
	}
	return "error"
}

func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.As(err, &t) && t.Timeout()
}

func hostOf(u *url.URL) string {
	if u.Host != "" {
		return u.Host
	}
	return u.String()
}

// errText drops the "Post \"url\": " prefix net/http puts on errors.
func errText(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, io.EOF) {
		return "the connection closed"
	}
	return err.Error()
}

// do sends a request with the configured headers and key. A reply that is
// not 2xx becomes an *Error with the server's message.
func (c *Client) do(req *http.Request) (*http.Response, *Error) {
	for k, vs := range c.cfg.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", c.cfg.UserAgent)
	}
	switch {
	case c.cfg.APIKey == "":
	case c.cfg.AuthHeader != "":
		req.Header.Set(c.cfg.AuthHeader, c.cfg.APIKey)
	default:
		req.Header.Set("Authorization", "Bearer "+c.cfg.APIKey)
	}
	c.cfg.Logger.Debug("request", "method", req.Method, "url", req.URL.Redacted())
	resp, err := c.cfg.HTTPClient.Do(req)
	if err != nil {
		return nil, &Error{Code: CodeConnection, Retryable: true, Cause: err,
			Message: "Could not reach " + hostOf(req.URL) + ": " + errText(err)}
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, c.redact.httpError(resp, time.Now())
	}
	return resp, nil
}
