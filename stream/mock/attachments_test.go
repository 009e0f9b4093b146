package mock

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	convo "github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/attach/attachtest"
	"github.com/parley-tui/parley/stream"
)

func sum(data []byte) string {
	s := sha256.Sum256(data)
	return hex.EncodeToString(s[:])
}

// ask sends a prompt with files as Parley does (model.Conversation and
// stream.Client) and returns the reply's text.
func ask(t *testing.T, base string, api stream.API, prompt string, files map[string][]byte, order ...string) string {
	t.Helper()
	var atts []attach.Attachment
	for _, path := range order {
		a, err := attach.FromBytes(path, path[strings.LastIndexByte(path, '/')+1:], files[path], attach.Limits{})
		if err != nil {
			t.Fatal(err)
		}
		atts = append(atts, a)
	}
	var c convo.Conversation
	c.AddUser(prompt, time.Now(), atts...)
	s, err := stream.NewClient(stream.Config{BaseURL: base, API: api}).Stream(t.Context(), c.Request("parley-mock-1", "", nil))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	turn := stream.NewTurn()
	for {
		ch, err := s.Next()
		if err != nil {
			break
		}
		turn.Add(ch)
	}
	if turn.Status != stream.StatusCompleted {
		t.Fatalf("%s: the reply ended %s (%v)", api, turn.Status, turn.Error)
	}
	return turn.Text
}

// TestTheMockAnswersAboutAttachments: on both APIs the mock reads every
// kind Parley sends, says what each is in its reply, and keeps what it
// read in its request log.
func TestTheMockAnswersAboutAttachments(t *testing.T) {
	files := map[string][]byte{
		"docs/notes.txt": []byte("# Notes\nsecond\nthird\n"),
		"pic.png":        attachtest.PNG(3, 2),
		"photo.jpg":      attachtest.JPEG(8, 5),
		"anim.gif":       attachtest.GIF(4, 4),
		"shot.webp":      attachtest.WebP(7, 9),
		"report.pdf":     attachtest.PDF(2),
	}
	order := []string{"docs/notes.txt", "pic.png", "photo.jpg", "anim.gif", "shot.webp", "report.pdf"}
	want := []Attachment{
		{Kind: "text", Name: "docs/notes.txt", MIME: "text/plain", Lines: 3, Start: "# Notes", Size: len(files["docs/notes.txt"]), SHA256: sum(files["docs/notes.txt"])},
		{Kind: "image", Name: "pic.png", MIME: "image/png", DataURL: true, Width: 3, Height: 2},
		{Kind: "image", Name: "photo.jpg", MIME: "image/jpeg", DataURL: true, Width: 8, Height: 5},
		{Kind: "image", Name: "anim.gif", MIME: "image/gif", DataURL: true, Width: 4, Height: 4},
		{Kind: "image", Name: "shot.webp", MIME: "image/webp", DataURL: true, Width: 7, Height: 9},
		{Kind: "pdf", Name: "report.pdf", MIME: "application/pdf", DataURL: true, Pages: 2},
	}
	for i, path := range order[1:] {
		want[i+1].Size, want[i+1].SHA256 = len(files[path]), sum(files[path])
	}
	parts := map[stream.API][]string{
		stream.APIResponses: {"input_text", "input_image", "input_image", "input_image", "input_image", "input_file"},
		stream.APIChat:      {"text", "image_url", "image_url", "image_url", "image_url", "file"},
	}
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		s, base := startServer(t, Options{Instant: true})
		text := ask(t, base, api, "what are these?", files, order...)
		for _, line := range []string{
			"You asked: “what are these?”",
			"I received 6 attachments:",
			"- **docs/notes.txt**: a text file, 3 lines, 21 bytes, starting “# Notes”",
			"- **pic.png**: a PNG image, 3×2 pixels, ",
			"- **photo.jpg**: a JPEG image, 8×5 pixels, ",
			"- **anim.gif**: a GIF image, 4×4 pixels, ",
			"- **shot.webp**: a WebP image, 7×9 pixels, ",
			"- **report.pdf**: a PDF, 2 pages, ",
		} {
			if !strings.Contains(text, line) {
				t.Errorf("%s: the reply lacks %q:\n%s", api, line, text)
			}
		}
		got := s.Requests()[0].Attachments
		if len(got) != len(want) {
			t.Fatalf("%s: logged %d attachments: %+v", api, len(got), got)
		}
		for i := range want {
			w := want[i]
			w.Part = parts[api][i]
			if got[i] != w {
				t.Errorf("%s: attachment %d\n got %+v\nwant %+v", api, i, got[i], w)
			}
		}
	}
}

// TestOnlyTheLastPromptsFilesAreAnswered: a later prompt without files
// gets a script, though the history re-sends the earlier ones.
func TestOnlyTheLastPromptsFilesAreAnswered(t *testing.T) {
	img, _ := attach.FromBytes("pic.png", "pic.png", attachtest.PNG(2, 2), attach.Limits{})
	var c convo.Conversation
	c.AddUser("look", time.Now(), img)
	r := c.AddAssistant("parley-mock-1", "", time.Now())
	r.Turn.Add(stream.Choice{Kind: stream.KindText, Delta: "An image."})
	r.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}})
	c.AddUser("show me a table", time.Now())
	body, err := stream.NewClient(stream.Config{API: stream.APIChat}).Body(c.Request("parley-mock-1", "", nil))
	if err != nil {
		t.Fatal(err)
	}
	req, err := parseRequest(apiChat, body)
	if err != nil || len(req.attachments) != 0 || req.lastUser != "show me a table" {
		t.Errorf("parsed %q with %d attachments, %v", req.lastUser, len(req.attachments), err)
	}
}

func TestFencedFiles(t *testing.T) {
	tricky := "a fence inside:\n```go\nx\n```\nend\n"
	a, _ := attach.FromBytes("README.md", "README.md", []byte(tricky), attach.Limits{})
	empty, _ := attach.FromBytes("empty.txt", "empty.txt", nil, attach.Limits{})
	prompt := "compare these\n\n" + a.Fenced() + "\n" + empty.Fenced() + "\nthanks"
	text, atts := fencedFiles(prompt, "text")
	if text != "compare these\n\nthanks" {
		t.Errorf("text left = %q", text)
	}
	if len(atts) != 2 || atts[0].Name != "README.md" || atts[0].Lines != 5 || atts[0].Size != len(tricky) ||
		atts[1].Name != "empty.txt" || atts[1].Lines != 0 || atts[1].Size != 0 {
		t.Errorf("files = %+v", atts)
	}
	// Text that only looks like the start of a file, never closed, stays text.
	if text, atts := fencedFiles("File: x\n```\nnot closed", "text"); len(atts) != 0 || text != "File: x\n```\nnot closed" {
		t.Errorf("an open fence: %q %+v", text, atts)
	}
}

func TestImagesByLinkAndUnnamed(t *testing.T) {
	raw := json.RawMessage(`[{"type":"input_text","text":"what?"},` +
		`{"type":"input_image","image_url":"https://example.com/a.png","detail":"auto"},` +
		`{"type":"input_image","image_url":"data:image/png;base64,bm90IGFuIGltYWdl","detail":"auto"}]`)
	text, atts := userContent(raw)
	if text != "what?" || len(atts) != 2 {
		t.Fatalf("%q %+v", text, atts)
	}
	r := attachmentReply(text, atts).text
	for _, want := range []string{
		"- **image 1**: an image sent by link, not inline, which the demo backend does not fetch",
		"- **image 2**: an image (image/png) whose header I could not read, 12 bytes",
	} {
		if !strings.Contains(r, want) {
			t.Errorf("reply lacks %q:\n%s", want, r)
		}
	}
}

// TestRequestLogFile: Options.RequestLog gets each request as a JSON
// line with its whole body and attachments, and never its headers.
func TestRequestLogFile(t *testing.T) {
	f, err := os.Create(filepath.Join(t.TempDir(), "requests.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	_, base := startServer(t, Options{Instant: true, RequestLog: f})
	pic := attachtest.PNG(2, 3)
	ask(t, base, stream.APIResponses, "hi", map[string][]byte{"pic.png": pic}, "pic.png")
	// The line is written before the reply starts, so it is there now.
	out, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	var lines []map[string]any
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("not a JSON line: %v: %s", err, sc.Bytes())
		}
		lines = append(lines, l)
	}
	if len(lines) != 1 {
		t.Fatalf("%d lines", len(lines))
	}
	l := lines[0]
	body, _ := l["body"].(map[string]any)
	atts, _ := l["attachments"].([]any)
	if l["method"] != "POST" || l["path"] != "/v1/responses" || body["model"] != "parley-mock-1" || len(atts) != 1 {
		t.Errorf("line = %.300v", l)
	}
	if a, _ := atts[0].(map[string]any); a["sha256"] != sum(pic) || a["width"] != 2.0 || a["kind"] != "image" || a["name"] != "pic.png" {
		t.Errorf("attachment = %v", a)
	}
	if bytes.Contains(out, []byte("Authorization")) || bytes.Contains(out, []byte("Bearer")) {
		t.Errorf("the log holds a header: %.300s", out)
	}
}
