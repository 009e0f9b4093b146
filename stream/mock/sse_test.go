package mock

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// testFrame is one SSE frame as a client sees it.
type testFrame struct {
	event string
	data  string
}

// parseSSE is a deliberately small SSE reader for tests: it splits on blank
// lines, keeps event and data fields, and drops comments.
func parseSSE(t *testing.T, body []byte) []testFrame {
	t.Helper()
	var frames []testFrame
	var cur testFrame
	var data []string
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if line == "" {
			if data != nil {
				cur.data = strings.Join(data, "\n")
				frames = append(frames, cur)
			}
			cur, data = testFrame{}, nil
			continue
		}
		name, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch name {
		case "event":
			cur.event = value
		case "data":
			data = append(data, value)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("scan SSE: %v", err)
	}
	if data != nil {
		t.Fatalf("stream ends inside a frame: %q", data)
	}
	return frames
}

// decoded is a frame whose data is JSON.
type decoded struct {
	event string
	m     map[string]any
}

// jsonFrames decodes every frame's data, failing on frames that are not JSON
// (pass allowBroken to skip them and count them instead).
func jsonFrames(t *testing.T, frames []testFrame, allowBroken bool) (out []decoded, broken int) {
	t.Helper()
	for _, f := range frames {
		if f.data == "[DONE]" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(f.data), &m); err != nil {
			if !allowBroken {
				t.Fatalf("frame data is not JSON: %q: %v", f.data, err)
			}
			broken++
			continue
		}
		out = append(out, decoded{f.event, m})
	}
	return out, broken
}

// post sends a JSON body and returns the response with its body read.
func post(t *testing.T, url string, body any) (*http.Response, []byte) {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Post(url, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read body of %s: %v", url, err)
	}
	return resp, got
}

// startServer runs a mock server for one test and closes it afterwards.
func startServer(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	base, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, base
}

func str(m map[string]any, path ...string) string {
	v := dig(m, path...)
	s, _ := v.(string)
	return s
}

func num(m map[string]any, path ...string) float64 {
	v := dig(m, path...)
	f, _ := v.(float64)
	return f
}

// dig follows object keys (and decimal indexes into arrays).
func dig(v any, path ...string) any {
	for _, p := range path {
		switch x := v.(type) {
		case map[string]any:
			v = x[p]
		case []any:
			i := 0
			for _, c := range p {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}
