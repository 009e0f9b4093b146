package mock

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
)

// Bounds on the request log, so a long-running demo server or a test that
// sends big bodies cannot grow memory without limit.
const (
	maxLoggedRequests = 100
	maxLoggedBody     = 1 << 20
)

// RecordedRequest is one request as the server received it, for tests to
// assert what a client sent.
type RecordedRequest struct {
	Method string
	Path   string
	Header http.Header
	// Body holds at most the first 1 MiB of the body; BodyTruncated says
	// whether there was more.
	Body          []byte
	BodyTruncated bool
	// Attachments are the files the last user message of a streaming
	// request carried, read from the whole body even when Body is cut.
	Attachments []Attachment
}

// requestLog keeps the last maxLoggedRequests requests. It is safe for
// concurrent use.
type requestLog struct {
	mu      sync.Mutex
	entries []RecordedRequest // ring buffer once full
	next    int               // oldest entry, once full
	out     io.Writer         // Options.RequestLog, or nil
}

// loggedLine is one request as Options.RequestLog receives it: never a
// header, since the Authorization header holds a key.
type loggedLine struct {
	Method      string       `json:"method"`
	Path        string       `json:"path"`
	Body        any          `json:"body"` // the JSON body as it came, else a string
	Attachments []Attachment `json:"attachments,omitempty"`
}

func (l *requestLog) add(r *http.Request, body []byte, atts []Attachment) {
	rec := RecordedRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone(), Attachments: atts}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.out != nil {
		line := loggedLine{Method: rec.Method, Path: rec.Path, Body: string(body), Attachments: atts}
		if json.Valid(body) {
			line.Body = json.RawMessage(body)
		}
		if b, err := json.Marshal(line); err == nil {
			l.out.Write(append(b, '\n'))
		}
	}
	if len(body) > maxLoggedBody {
		body, rec.BodyTruncated = body[:maxLoggedBody], true
	}
	rec.Body = append([]byte(nil), body...)
	if len(l.entries) < maxLoggedRequests {
		l.entries = append(l.entries, rec)
		return
	}
	l.entries[l.next] = rec
	l.next = (l.next + 1) % maxLoggedRequests
}

// all returns the entries oldest first. Entries are never changed after
// they are added, so sharing their slices with the caller is safe.
func (l *requestLog) all() []RecordedRequest {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]RecordedRequest, 0, len(l.entries))
	out = append(out, l.entries[l.next:]...)
	return append(out, l.entries[:l.next]...)
}
