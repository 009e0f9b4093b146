package logging

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// maxErrorPeek bounds how much of an error reply is read for the log.
const maxErrorPeek = 64 << 10

// Transport wraps base (http.DefaultTransport when nil) so that requests
// are logged: failures at info level (the server's message and its
// x-request-id, or why the server could not be reached); and at debug
// level every request (method, URL, headers, body size) and response
// (status, headers, time taken). Credentials are masked before the logger
// sees them, and log's handler scrubs again.
func Transport(base http.RoundTripper, log *slog.Logger) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	return &transport{base: base, log: log}
}

type transport struct {
	base http.RoundTripper
	log  *slog.Logger
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	debug := t.log.Enabled(ctx, slog.LevelDebug)
	url := RedactURL(req.URL)
	if debug {
		t.log.DebugContext(ctx, "http request", "method", req.Method, "url", url,
			slog.Any("header", HeaderAttrsValue(req.Header)), "body_bytes", req.ContentLength)
	}
	start := time.Now()
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		level := slog.LevelInfo
		if errors.Is(err, context.Canceled) {
			level = slog.LevelDebug // the user cancelled: not a failure
		}
		t.log.Log(ctx, level, "request failed", "method", req.Method, "url", url, "error", err)
		return nil, err
	}
	if debug {
		t.log.DebugContext(ctx, "http response", "method", req.Method, "url", url, "status", resp.StatusCode,
			slog.Any("header", HeaderAttrsValue(resp.Header)), "elapsed", time.Since(start).Round(time.Millisecond))
	}
	if resp.StatusCode >= 400 {
		t.log.InfoContext(ctx, "request failed", "method", req.Method, "url", url, "status", resp.StatusCode,
			"message", peekMessage(resp), "request_id", resp.Header.Get("x-request-id"))
	}
	return resp, nil
}

// HeaderAttrsValue is HeaderAttrs as one group value.
func HeaderAttrsValue(h http.Header) slog.Value { return slog.GroupValue(HeaderAttrs(h)...) }

// peekMessage reads the start of an error reply for the server's message
// and puts it back, so the caller reads the whole body as sent.
func peekMessage(resp *http.Response) string {
	if resp.Body == nil {
		return ""
	}
	head, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorPeek))
	resp.Body = struct {
		io.Reader
		io.Closer
	}{io.MultiReader(bytes.NewReader(head), resp.Body), resp.Body}
	var env struct {
		Error   json.RawMessage `json:"error"`
		Message string          `json:"message"`
		Detail  string          `json:"detail"`
	}
	if json.Unmarshal(head, &env) == nil {
		var inner struct {
			Message string `json:"message"`
		}
		var s string
		switch {
		case json.Unmarshal(env.Error, &inner) == nil && inner.Message != "":
			return inner.Message
		case json.Unmarshal(env.Error, &s) == nil && s != "":
			return s
		case env.Message != "":
			return env.Message
		case env.Detail != "":
			return env.Detail
		}
	}
	text := strings.TrimSpace(string(head))
	if len(text) > 300 {
		text = text[:300] + "…"
	}
	return text
}
