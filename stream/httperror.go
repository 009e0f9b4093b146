package stream

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// maxErrorBody bounds how much of an error reply is read.
const maxErrorBody = 64 << 10

// maxMessage bounds each of a server's words in an error (its message,
// code, type, param) as Parley shows them: a real message is a sentence
// or three, and a screen or a terminal line has no room for pages.
const maxMessage = 1 << 10

// cut shortens s to at most n bytes, at a character boundary, with "…".
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	i := n
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}

// httpError turns a non-2xx reply into an Error carrying the server's own
// message, redacted by r. The body is read (bounded) and closed.
func (r redactor) httpError(resp *http.Response, now time.Time) *Error {
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var env struct {
		Error json.RawMessage `json:"error"`
		// Some servers (Ollama, llama.cpp) put the message at the top.
		Message string `json:"message"`
		Detail  string `json:"detail"`
	}
	e := &Error{HTTPStatus: resp.StatusCode, Code: CodeHTTP}
	if json.Unmarshal(raw, &env) == nil {
		var w wireError
		switch {
		case len(env.Error) > 0 && env.Error[0] == '{' && json.Unmarshal(env.Error, &w) == nil:
			e = wireErrorToError(&w, resp.StatusCode)
		case len(env.Error) > 0 && env.Error[0] == '"':
			e.Message = rawString(env.Error)
		case env.Message != "":
			e.Message = env.Message
		case env.Detail != "":
			e.Message = env.Detail
		}
	}
	if e.Message == "" || e.Message == "The server reported an error without a message." {
		// Redacted before it is cut, so a secret the server echoed
		// where the cut falls cannot show in part.
		text := cut(r.text(strings.TrimSpace(string(raw))), 300)
		if text == "" {
			text = http.StatusText(resp.StatusCode)
		}
		e.Message = fmt.Sprintf("The server answered %d: %s", resp.StatusCode, text)
	}
	if e.Code == "" {
		e.Code = CodeHTTP
	}
	e.RetryAfter = retryAfter(resp.Header, now)
	e.Retryable = retryableStatus(resp.StatusCode) && !fatalCodes[e.Code]
	if v := resp.Header.Get("x-should-retry"); v == "true" || v == "false" {
		e.Retryable = v == "true" && !fatalCodes[e.Code]
	}
	return e
}

// retryableStatus is the set the issue and the OpenAI SDKs agree on. 400,
// 401, 403 and 404 are the caller's to fix; another attempt cannot help.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway,
		http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// retryAfter reads retry-after-ms, then Retry-After (seconds or an HTTP
// date). Zero means the server did not say.
func retryAfter(h http.Header, now time.Time) time.Duration {
	if v := h.Get("retry-after-ms"); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := h.Get("Retry-After")
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil && s > 0 {
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}
