package stream_test

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-tui/parley/stream"
)

// The fuzz targets below keep their checked-in seeds in
// testdata/fuzz/<FuzzName>/; the recordings are added as seeds too.

// fuzzDecode decodes body and checks what must hold for any input: no
// panic, an end, exactly one done choice and it is last, each choice with
// its payload, every choice accepted by a Turn, and sane counts.
func fuzzDecode(t *testing.T, body []byte, api stream.API) []stream.Choice {
	t.Helper()
	d := stream.NewDecoder(bytes.NewReader(body), api)
	defer d.Close()
	turn := stream.NewTurn()
	// No input byte yields more than a couple of choices; past this bound
	// the decoder would be producing choices out of nothing.
	limit := 2*len(body) + 16
	var cs []stream.Choice
	for {
		c, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("api %s: Next: %v", api, err)
		}
		cs = append(cs, c)
		if len(cs) > limit {
			t.Fatalf("api %s: more than %d choices from %d bytes: the decoder does not terminate", api, limit, len(body))
		}
		turn.Add(c)
	}
	if err := checkChoices(cs); err != nil {
		t.Fatalf("api %s: %v", api, err)
	}
	if _, err := d.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("api %s: Next after the end = %v, want io.EOF", api, err)
	}
	if s := d.Stats(); s.Unknown < 0 || s.Malformed < 0 || s.Unknown+s.Malformed > s.Total {
		t.Fatalf("api %s: Stats %+v do not add up", api, s)
	}
	if turn.Status == "" {
		t.Fatalf("api %s: turn without a status", api)
	}
	return cs
}

// addRecordings seeds f with every recording, or with each of its frames'
// data when frames is true.
func addRecordings(f *testing.F, prefix string, frames bool) {
	paths, err := filepath.Glob(filepath.Join(recordings, prefix+"*.sse"))
	if err != nil || len(paths) == 0 {
		f.Fatalf("no recordings matching %s*.sse: %v", prefix, err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if !frames {
			f.Add(b)
			continue
		}
		for _, line := range strings.Split(string(b), "\n") {
			if data, ok := strings.CutPrefix(line, "data: "); ok {
				f.Add([]byte(data))
			}
		}
	}
}

// asFrame turns arbitrary bytes into the data of one SSE frame: each line
// becomes a `data:` line, which the decoder joins back with "\n". So the
// frame's data is the input with its line breaks made "\n", and no input
// can end the frame early.
func asFrame(data []byte) string {
	s := strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(string(data))
	return "data: " + strings.ReplaceAll(s, "\n", "\ndata: ") + "\n\n"
}

func FuzzDecoder(f *testing.F) {
	addRecordings(f, "", false)
	f.Add([]byte(sse(created, completed)))
	f.Add([]byte("data: [DONE]\n\n"))
	f.Add([]byte("event: error\ndata: {\"error\":{\"code\":429}}\n\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, api := range []stream.API{stream.APIAuto, stream.APIResponses, stream.APIChat} {
			fuzzDecode(t, body, api)
		}
	})
}

// responsesPreamble opens one item of each kind, so a fuzzed event can
// refer to items the decoder already knows.
var responsesPreamble = sse(
	created,
	ev("response.output_item.added", `"output_index":0,"item":{"id":"msg_1","type":"message","content":[]}`),
	ev("response.output_item.added", `"output_index":1,"item":{"id":"fc_1","type":"function_call","call_id":"call_1","name":"f","arguments":""}`),
	ev("response.output_item.added", `"output_index":2,"item":{"id":"ws_1","type":"web_search_call","status":"in_progress"}`),
	ev("response.output_item.added", `"output_index":3,"item":{"id":"rs_1","type":"reasoning","summary":[]}`),
	ev("response.output_text.delta", `"item_id":"msg_1","output_index":0,"content_index":0,"delta":"Hel"`),
)

func FuzzResponsesEvent(f *testing.F) {
	addRecordings(f, "responses-", true)
	f.Add([]byte(`{"type":"response.output_text.done","item_id":"msg_1","content_index":0,"text":"Hello"}`))
	f.Add([]byte(`{"type":"error","code":"x","message":"y"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		body := []byte(responsesPreamble + asFrame(data) + sse(completed))
		cs := fuzzDecode(t, body, stream.APIResponses)
		// What came before the fuzzed frame is never taken back.
		if len(cs) < 4 || describe(cs[0]) != metaLine || cs[3].Delta != "Hel" {
			t.Fatalf("the preamble's choices are gone: %v", describeAll(cs))
		}
		fuzzDecode(t, body, stream.APIAuto)
	})
}

func FuzzChatChunk(f *testing.F) {
	addRecordings(f, "chat-", true)
	f.Add([]byte(chunk(delta(`{"tool_calls":[{"index":3,"function":{"arguments":"{"}}]}`, ""))))
	f.Add([]byte(`{"error":{"code":500,"message":"boom"}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		body := []byte(sse(chunk(delta(`{"role":"assistant","content":"Hi"}`, ""))) + asFrame(data) +
			sse(chunk(delta(`{}`, "stop")), "[DONE]"))
		cs := fuzzDecode(t, body, stream.APIChat)
		if len(cs) < 3 || describe(cs[0]) != chatMeta || cs[1].Delta != "Hi" {
			t.Fatalf("the first chunk's choices are gone: %v", describeAll(cs))
		}
		fuzzDecode(t, body, stream.APIAuto)
	})
}
