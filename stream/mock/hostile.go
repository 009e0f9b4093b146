package mock

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// The hostile faults: a server doing what it must never be able to do to
// a client. Their replies and writers are here; the package comment says
// what each sends.

// escapes is every kind of terminal control a server might smuggle in: an
// OSC 0 window title, an OSC 52 clipboard write ("rm -rf ~"), an OSC 8
// hyperlink, CSI screen clears and cursor moves, the end of bracketed
// paste, a C1 CSI, and BEL.
const escapes = "\x1b]0;pwned-title\x07" + "\x1b]52;c;cm0gLXJmIH4=\x07" +
	"\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\" + "\x1b[2J\x1b[H\x1b[5A" +
	"\x1b[201~" + "\u009b31m" + "\x07"

const (
	escapesCode    = "server_error"
	escapesMessage = "The server failed " + escapes + "(mock fault:escapes)"
	// escapesModel is the model a fault:escapes stream says answered, and
	// an id /v1/models lists under Options.Fault "escapes".
	escapesModel = "parley-mock" + escapes
	// hugeLineBytes is the size of fault:hugeline's one line.
	hugeLineBytes = 200 << 20
)

// streamsItself says whether a fault writes its own stream instead of
// frames built from a reply.
func streamsItself(kind string) bool { return kind == faultEndless || kind == faultHugeLine }

// hostileReply is what a hostile fault says; ok is false for other kinds.
func hostileReply(kind string, req request) (reply, bool) {
	name := "echo"
	if len(req.toolNames) > 0 {
		name = req.toolNames[0]
	}
	switch kind {
	case faultArgsChanged:
		return reply{text: "Let me run that.", calls: []toolCall{{name: name,
			arguments: `{"msg": "hello"}`, final: `{"msg": "rm -rf ~ EXECUTED-FINAL"}`}}}, true
	case faultReusedIDs:
		return reply{fixedIDs: true, calls: []toolCall{
			{name: name, arguments: `{"msg": "first"}`},
			{name: name, arguments: `{"msg": "second, same ids"}`},
		}}, true
	case faultEscapes:
		args, _ := json.Marshal(map[string]string{"msg": "args " + escapes})
		return reply{
			summary:   []string{"Reasoning " + escapes},
			text:      "Text " + escapes + " end.",
			citations: []citation{{url: "https://example.com/" + escapes, title: "Title " + escapes}},
			calls:     []toolCall{{name: name + escapes, arguments: string(args)}},
		}, true
	}
	return reply{}, false
}

// echoAuth is fault:echo-auth's 401: its message repeats the request's
// headers, Authorization included, as a careless server's might.
func echoAuth(h http.Header) apiError {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	slices.Sort(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k + ": " + strings.Join(h[k], ", ") + "; ")
	}
	return apiError{status: http.StatusUnauthorized, typ: "invalid_request_error", code: "invalid_api_key",
		message: "Incorrect API key provided. Your request had " + b.String() + "(mock fault:echo-auth)"}
}

// writeEndless sends a reply that never ends, as fast as the connection
// takes it, until the client leaves or the server closes.
func (s *Server) writeEndless(ctx context.Context, w http.ResponseWriter, api apiKind, t turn) {
	rc := http.NewResponseController(w)
	var head, unit []byte
	const piece = "All work and no play makes a stream that never ends. "
	if api == apiChat {
		unit = sseFrame("", []byte(`{"id":"chatcmpl-mock-endless","object":"chat.completion.chunk","model":"`+t.req.model+`","choices":[{"index":0,"delta":{"content":"`+piece+`"},"finish_reason":null}]}`))
	} else {
		head = append(sseFrame("response.created", []byte(`{"type":"response.created","response":{"id":"resp_mock_endless","model":"`+t.req.model+`","status":"in_progress","output":[]}}`)),
			sseFrame("response.output_item.added", []byte(`{"type":"response.output_item.added","output_index":0,"item":{"id":"msg_mock_endless","type":"message","status":"in_progress","role":"assistant","content":[]}}`))...)
		unit = sseFrame("response.output_text.delta", []byte(`{"type":"response.output_text.delta","item_id":"msg_mock_endless","output_index":0,"content_index":0,"delta":"`+piece+`"}`))
	}
	batch := append([]byte(nil), head...)
	for range 64 {
		batch = append(batch, unit...)
	}
	for first := true; ; first = false {
		if !first {
			batch = batch[len(head):]
			head = nil
		}
		if _, err := w.Write(batch); err != nil || rc.Flush() != nil {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-s.done:
			return
		default:
		}
	}
}

// writeHugeLine sends one 200 MB SSE line, a text delta, then the end of
// the reply; written in pieces, never held whole.
func (s *Server) writeHugeLine(ctx context.Context, w http.ResponseWriter, api apiKind, t turn) {
	rc := http.NewResponseController(w)
	write := func(b []byte) bool {
		_, err := w.Write(b)
		return err == nil && rc.Flush() == nil && ctx.Err() == nil && !s.shuttingDown()
	}
	var open, end []byte
	if api == apiChat {
		open = []byte(`data: {"id":"chatcmpl-mock-huge","object":"chat.completion.chunk","model":"` + t.req.model + `","choices":[{"index":0,"delta":{"content":"`)
		end = []byte(`"},"finish_reason":null}]}` + "\n\n" + `data: {"id":"chatcmpl-mock-huge","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}` + "\n\ndata: [DONE]\n\n")
	} else {
		if !write(sseFrame("response.created", []byte(`{"type":"response.created","response":{"id":"resp_mock_huge","model":"`+t.req.model+`","status":"in_progress","output":[]}}`))) {
			return
		}
		open = []byte("event: response.output_text.delta\ndata: " + `{"type":"response.output_text.delta","item_id":"msg_mock_huge","output_index":0,"content_index":0,"delta":"`)
		end = append([]byte(`"}`+"\n\n"), sseFrame("response.completed", []byte(`{"type":"response.completed","response":{"id":"resp_mock_huge","model":"`+t.req.model+`","status":"completed","output":[]}}`))...)
	}
	if !write(open) {
		return
	}
	chunk := []byte(strings.Repeat("A", 64<<10))
	for sent := 0; sent < hugeLineBytes; sent += len(chunk) {
		if !write(chunk) {
			return
		}
	}
	write(end)
}

// shuttingDown says whether Close has begun.
func (s *Server) shuttingDown() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// serveModelsHostile answers /v1/models under a server-wide hostile
// fault; ok is false when the fault does not touch /models.
func (s *Server) serveModelsHostile(w http.ResponseWriter, r *http.Request) bool {
	switch s.opts.Fault {
	case faultEchoAuth:
		writeError(w, echoAuth(r.Header))
	case faultEscapes:
		writeJSON(w, http.StatusOK, object{{"object", "list"}, {"data", []modelObject{model(defaultModel), model(escapesModel)}}})
	default:
		return false
	}
	return true
}
