package mock

import (
	"math/rand/v2"
	"net/http"
	"strings"
)

// splitFrames cuts a recorded SSE body into frames, each ending after its
// blank line (LF or CRLF). Stray blank lines go with the frame after them
// (the last frame at the end of the body), so the frames concatenate to the
// input exactly.
func splitFrames(body string) []string {
	var frames []string
	start, hasContent := 0, false
	for i := 0; i < len(body); {
		end := len(body)
		if nl := strings.IndexByte(body[i:], '\n'); nl >= 0 {
			end = i + nl + 1
		}
		blank := strings.TrimRight(body[i:end], "\r\n") == ""
		i = end
		switch {
		case !blank:
			hasContent = true
		case hasContent:
			frames = append(frames, body[start:i])
			start, hasContent = i, false
		}
	}
	if start < len(body) {
		if !hasContent && len(frames) > 0 {
			frames[len(frames)-1] += body[start:]
		} else {
			frames = append(frames, body[start:])
		}
	}
	return frames
}

// serveReplay streams the recording verbatim, one frame per token interval.
func (s *Server) serveReplay(w http.ResponseWriter, r *http.Request) {
	frames := make([]frame, len(s.replay))
	for i, raw := range s.replay {
		frames[i] = frame{raw: raw, tokens: 1}
	}
	rng := rand.New(rand.NewPCG(1, 2))
	startSSE(w)
	streamFrames(r.Context(), w, frames, chatEncoder{}, newPacer(s.opts, rng, s.done))
}
