package mock

import (
	"context"
	"net/http"
)

// startSSE sends the headers of a streaming reply.
func startSSE(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-cache")
	h.Set("X-Accel-Buffering", "no") // keep reverse proxies from buffering the stream
	w.WriteHeader(http.StatusOK)
}

// streamFrames paces, encodes and writes frames, flushing after each so the
// client sees every frame when it is due. It returns false when the stream
// was cut short: the client left, the server is closing, or a write failed.
func streamFrames(ctx context.Context, w http.ResponseWriter, frames []frame, enc frameEncoder, p pacer) bool {
	rc := http.NewResponseController(w)
	for _, f := range frames {
		if !p.before(ctx, f) {
			return false
		}
		b, err := enc.encode(f)
		if err != nil {
			return false
		}
		if _, err := w.Write(b); err != nil {
			return false
		}
		if err := rc.Flush(); err != nil {
			return false
		}
	}
	return true
}
