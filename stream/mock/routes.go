package mock

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
)

// streamRoutes are the streaming routes, by the API each speaks.
var streamRoutes = map[string]apiKind{"/v1/responses": apiResponses, "/v1/chat/completions": apiChat}

// serveHTTP logs every request, then routes it. It routes with a plain
// switch rather than http.ServeMux so that every error, 405 included, comes
// in OpenAI's JSON envelope.
func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	id, ok := s.enter()
	if !ok {
		writeError(w, errShuttingDown())
		return
	}
	defer s.inflight.Done()
	w.Header().Set("X-Request-Id", id)

	limit := s.opts.MaxBodyBytes
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	path := r.URL.Path
	api, streaming := streamRoutes[path]
	// A streaming request is read once, here, so the log keeps the
	// attachments it carried.
	var req request
	var parseErr error
	if streaming && err == nil && r.Method == http.MethodPost {
		req, parseErr = parseRequest(api, body)
	}
	s.log.add(r, body, req.attachments)
	if err != nil {
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			writeError(w, errTooLarge(limit))
		} else {
			writeError(w, errReadBody(err))
		}
		return
	}

	switch {
	case streaming:
		s.serveStreamRoute(w, r, api, req, parseErr)
	case path == "/v1/models":
		if r.Method != http.MethodGet {
			s.methodNotAllowed(w, r, http.MethodGet)
			return
		}
		if s.serveModelsHostile(w, r) {
			return
		}
		s.serveModels(w)
	case strings.HasPrefix(path, "/v1/models/") && len(path) > len("/v1/models/"):
		if r.Method != http.MethodGet {
			s.methodNotAllowed(w, r, http.MethodGet)
			return
		}
		serveModel(w, strings.TrimPrefix(path, "/v1/models/"))
	default:
		writeError(w, errNotFound(r.Method, path))
	}
}

func (s *Server) methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	writeError(w, errMethodNotAllowed(r.Method, r.URL.Path))
}

// serveStreamRoute answers POST /v1/responses and /v1/chat/completions:
// a replay, an HTTP error, or a scripted stream, possibly with a fault.
func (s *Server) serveStreamRoute(w http.ResponseWriter, r *http.Request, api apiKind, req request, parseErr error) {
	if r.Method != http.MethodPost {
		s.methodNotAllowed(w, r, http.MethodPost)
		return
	}
	if s.replay != nil {
		s.serveReplay(w, r)
		return
	}
	if parseErr != nil {
		writeError(w, errBadJSON(parseErr))
		return
	}
	if !req.stream {
		writeError(w, errNotStreaming())
		return
	}
	p, apiErr := s.plan(req, api)
	if apiErr != nil {
		writeError(w, *apiErr)
		return
	}
	switch p.fault {
	case faultEchoAuth:
		writeError(w, echoAuth(r.Header))
		return
	case faultEscapes:
		req.model = escapesModel
	}
	t := newTurn(p.n, req, p.reply, time.Now().Unix())
	if streamsItself(p.fault) {
		startSSE(w)
		if p.fault == faultEndless {
			s.writeEndless(r.Context(), w, api, t)
		} else {
			s.writeHugeLine(r.Context(), w, api, t)
		}
		return
	}
	var frames []frame
	var enc frameEncoder
	if api == apiChat {
		frames, enc = chatFrames(t, p.fault), chatEncoder{}
	} else {
		frames, enc = responsesFrames(t, p.fault), &responsesEncoder{}
	}
	if p.fault == faultDrop || p.fault == faultStall {
		frames = cutAfterTokens(frames, faultCutAfter)
	}
	pace := newPacer(s.opts, t.rng, s.done)
	startSSE(w)
	if !streamFrames(r.Context(), w, frames, enc, pace) {
		return
	}
	switch p.fault {
	case faultDrop:
		// Abort the connection: no terminal event, no end of the chunked
		// body, so the client reads an unexpected EOF.
		panic(http.ErrAbortHandler)
	case faultStall:
		pace.sleep(r.Context(), s.opts.StallAfter)
	}
}
