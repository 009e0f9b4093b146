package mock

import (
	"bufio"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestSplitFrames(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"data: a\n\ndata: b\n\n", 2},
		{"event: x\r\ndata: a\r\n\r\ndata: b\r\n\r\n", 2},
		{"\n\ndata: a\n\n\n\ndata: b\n\n\n", 2},
		{"data: a\n\ndata: [DONE]", 2},
		{": comment\n\ndata: a\n\n", 2},
	} {
		frames := splitFrames(tc.in)
		if len(frames) != tc.want || strings.Join(frames, "") != tc.in {
			t.Errorf("splitFrames(%q) = %q", tc.in, frames)
		}
	}
}

func TestReplay(t *testing.T) {
	recording := "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0}\n\n" +
		"event: response.output_text.delta\r\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hi\"}\r\n\r\n" +
		": a comment\n\n" +
		"data: [DONE]\n\n"
	path := filepath.Join(t.TempDir(), "rec.sse")
	if err := os.WriteFile(path, []byte(recording), 0o600); err != nil {
		t.Fatal(err)
	}
	s, base := startServer(t, Options{Instant: true, Replay: path})
	for _, p := range []string{"/responses", "/chat/completions"} {
		resp, body := post(t, base+p, map[string]any{"anything": "goes"})
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" || string(body) != recording {
			t.Errorf("%s: replay sent %d %q", p, resp.StatusCode, body)
		}
	}
	if len(s.Requests()) != 2 {
		t.Errorf("replayed requests not logged")
	}

	// Paced: frames arrive one by one, not all at once.
	_, base = startServer(t, Options{Speed: 1, Replay: path})
	start := time.Now()
	resp := openStream(t, base+"/responses", map[string]any{})
	br := bufio.NewReader(resp.Body)
	readUntil(t, br, "[DONE]")
	resp.Body.Close()
	if d := time.Since(start); d < 4*tokenInterval {
		t.Errorf("4 frames replayed in %v, want at least %v", d, 4*tokenInterval)
	}

	empty := filepath.Join(t.TempDir(), "empty.sse")
	os.WriteFile(empty, []byte("\n\n"), 0o600)
	if _, err := New(Options{Replay: empty}); err == nil {
		t.Error("New accepted an empty replay file")
	}
}

func TestReplayErrorsReadAsOneSentence(t *testing.T) {
	dir := t.TempDir()
	notSSE := filepath.Join(dir, "passwd")
	os.WriteFile(notSSE, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o600)
	empty := filepath.Join(dir, "empty.sse")
	os.WriteFile(empty, []byte("\n\n"), 0o600)
	for path, want := range map[string]string{
		filepath.Join(dir, "nosuch.sse"): "the replay file " + filepath.Join(dir, "nosuch.sse") + " does not exist",
		empty:                            "the replay file " + empty + " is empty",
		notSSE:                           "the replay file " + notSSE + " holds no server-sent events (no data: line)",
		dir:                              "the replay file " + dir + " cannot be read: is a directory",
	} {
		_, err := New(Options{Replay: path})
		if err == nil || err.Error() != want {
			t.Errorf("New(Replay: %s) = %v, want %q", path, err, want)
		}
	}
}

func TestReplayAnswersAsTheRecordedModel(t *testing.T) {
	for file, want := range map[string]string{
		"responses-text-1.sse":                  "gpt-4o-mini-2024-07-18",
		"chat-reasoning-content-deepseek-1.sse": "deepseek-reasoner",
	} {
		s, base := startServer(t, Options{Instant: true, Replay: filepath.Join("..", "..", "testdata", "streams", file)})
		if got := s.ReplayModel(); got != want {
			t.Errorf("%s: ReplayModel = %q, want %q", file, got, want)
		}
		resp, err := http.Get(base + "/models")
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || !strings.Contains(string(body), `"id":"`+want+`"`) {
			t.Errorf("%s: /models = %s, want the recorded model listed", file, body)
		}
	}
}
