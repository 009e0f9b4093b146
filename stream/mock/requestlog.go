package mock

import (
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
}

// requestLog keeps the last maxLoggedRequests requests. It is safe for
// concurrent use.
type requestLog struct {
	mu      sync.Mutex
	entries []RecordedRequest // ring buffer once full
	next    int               // oldest entry, once full
}

func (l *requestLog) add(r *http.Request, body []byte) {
	rec := RecordedRequest{Method: r.Method, Path: r.URL.Path, Header: r.Header.Clone()}
	if len(body) > maxLoggedBody {
		body, rec.BodyTruncated = body[:maxLoggedBody], true
	}
	rec.Body = append([]byte(nil), body...)
	l.mu.Lock()
	defer l.mu.Unlock()
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
