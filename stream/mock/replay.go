package mock

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"os"
	"strings"
)

// loadReplay reads a recording for Options.Replay. Its errors are one
// sentence each, naming the file, for the user who gave it.
func (s *Server) loadReplay(path string) error {
	b, err := os.ReadFile(path)
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the replay file %s does not exist", path)
	case errors.As(err, &pe):
		return fmt.Errorf("the replay file %s cannot be read: %v", path, pe.Err)
	case err != nil:
		return fmt.Errorf("the replay file %s cannot be read: %v", path, err)
	case strings.TrimSpace(string(b)) == "":
		return fmt.Errorf("the replay file %s is empty", path)
	}
	s.replay = splitFrames(string(b))
	s.replayModel = recordedModel(s.replay)
	if !strings.Contains(string(b), "data:") {
		return fmt.Errorf("the replay file %s holds no server-sent events (no data: line)", path)
	}
	return nil
}

// recordedModel is the model a recording says answered: the first "model"
// of a Responses response object or a Chat chunk.
func recordedModel(frames []string) string {
	for _, f := range frames {
		for line := range strings.SplitSeq(f, "\n") {
			data, ok := strings.CutPrefix(strings.TrimRight(line, "\r"), "data:")
			if !ok {
				continue
			}
			var v struct {
				Model    string `json:"model"`
				Response *struct {
					Model string `json:"model"`
				} `json:"response"`
			}
			if json.Unmarshal([]byte(data), &v) != nil {
				continue
			}
			if v.Response != nil && v.Response.Model != "" {
				return v.Response.Model
			}
			if v.Model != "" {
				return v.Model
			}
		}
	}
	return ""
}

// ReplayModel is the model the Options.Replay recording says answered, so
// a client can name the same model as the replies ("" when it names none
// or there is no replay).
func (s *Server) ReplayModel() string { return s.replayModel }

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
