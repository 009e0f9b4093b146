package model

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/attach/attachtest"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/spectest"
)

// file builds an attachment as attach.Load would from a file at path
// ("-" is standard input).
func file(t *testing.T, path string, data []byte) attach.Attachment {
	t.Helper()
	name := path[strings.LastIndexByte(path, '/')+1:]
	if path == "-" {
		name = "stdin"
	}
	a, err := attach.FromBytes(path, name, data, attach.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// everyKind is one attachment of each kind and image format.
func everyKind(t *testing.T) []attach.Attachment {
	return []attach.Attachment{
		file(t, "docs/notes.txt", []byte("first line\nsecond line\n")),
		file(t, "main.go", []byte("package main\n\nfunc main() {}\n")),
		file(t, "pic.png", attachtest.PNG(3, 2)),
		file(t, "photo.jpg", attachtest.JPEG(4, 4)),
		file(t, "anim.gif", attachtest.GIF(2, 2)),
		file(t, "shot.webp", attachtest.WebP(5, 7)),
		file(t, "report.pdf", attachtest.PDF(2)),
	}
}

// body is the JSON body a client for api sends for req, decoded.
func body(t *testing.T, api stream.API, baseURL string, req stream.Request) (raw []byte, decoded map[string]any) {
	t.Helper()
	raw, err := stream.NewClient(stream.Config{BaseURL: baseURL, API: api}).Body(req)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &decoded); err != nil {
		t.Fatal(err)
	}
	return raw, decoded
}

func dataURL(mime string, data []byte) string {
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(data)
}

// lastUserContent is the content of the last message of a body.
func lastUserContent(t *testing.T, api stream.API, b map[string]any) any {
	t.Helper()
	key := "input"
	if api == stream.APIChat {
		key = "messages"
	}
	msgs, _ := b[key].([]any)
	if len(msgs) == 0 {
		t.Fatalf("no %s in %v", key, b)
	}
	return msgs[len(msgs)-1].(map[string]any)["content"]
}

// TestEachKindOnEachAPI: text files join the prompt fenced with their
// path; images go as image parts with a data URL of their own type; a PDF
// as a file part with its name and a PDF data URL. On both APIs.
func TestEachKindOnEachAPI(t *testing.T) {
	atts := everyKind(t)
	var c Conversation
	c.AddUser("what are these?", time.Now(), atts...)
	req := c.Request("gpt-5", "", nil)
	wantText := "what are these?\n\n" +
		"File: docs/notes.txt\n```\nfirst line\nsecond line\n```\n\n" +
		"File: main.go\n```go\npackage main\n\nfunc main() {}\n```\n"
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		_, b := body(t, api, "https://api.openai.com/v1", req)
		parts, ok := lastUserContent(t, api, b).([]any)
		if !ok || len(parts) != 10 {
			t.Fatalf("%s: content = %v, want the text, four named images and a PDF", api, lastUserContent(t, api, b))
		}
		get := func(i int) map[string]any { return parts[i].(map[string]any) }
		textType := map[stream.API]string{stream.APIResponses: "input_text", stream.APIChat: "text"}[api]
		for i, name := range []string{"pic.png", "photo.jpg", "anim.gif", "shot.webp"} {
			if p := get(2*i + 1); p["type"] != textType || p["text"] != "Image: "+name {
				t.Errorf("%s: part %d = %v, want the line naming %s", api, 2*i+1, p, name)
			}
		}
		if api == stream.APIResponses {
			if p := get(0); p["type"] != "input_text" || p["text"] != wantText {
				t.Errorf("responses text part = %q, want %q", p["text"], wantText)
			}
			for i, mime := range []string{"image/png", "image/jpeg", "image/gif", "image/webp"} {
				if p := get(2*i + 2); p["type"] != "input_image" || p["image_url"] != dataURL(mime, atts[i+2].Data) {
					t.Errorf("responses part %d = %.80v, want an input_image of %s", 2*i+2, p, mime)
				}
			}
			if p := get(9); p["type"] != "input_file" || p["filename"] != "report.pdf" || p["file_data"] != dataURL("application/pdf", atts[6].Data) {
				t.Errorf("responses PDF part = %.120v", p)
			}
			continue
		}
		if p := get(0); p["type"] != "text" || p["text"] != wantText {
			t.Errorf("chat text part = %q, want %q", p["text"], wantText)
		}
		for i, mime := range []string{"image/png", "image/jpeg", "image/gif", "image/webp"} {
			p := get(2*i + 2)
			url, _ := p["image_url"].(map[string]any)
			if p["type"] != "image_url" || url["url"] != dataURL(mime, atts[i+2].Data) {
				t.Errorf("chat part %d = %.80v, want an image_url of %s", 2*i+2, p, mime)
			}
		}
		p := get(9)
		f, _ := p["file"].(map[string]any)
		if p["type"] != "file" || f["filename"] != "report.pdf" || f["file_data"] != dataURL("application/pdf", atts[6].Data) {
			t.Errorf("chat PDF part = %.120v", p)
		}
	}
}

// TestTextOnlyAttachmentsStayPlainText: a message with text files only
// is a plain string, which Chat servers that take no list of parts read.
func TestTextOnlyAttachmentsStayPlainText(t *testing.T) {
	var c Conversation
	c.AddUser("summarise", time.Now(), file(t, "notes.md", []byte("- a\n- b")))
	c.AddUser("", time.Now(), file(t, "-", []byte("piped\n")))
	req := c.Request("deepseek-chat", "", nil)
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		_, b := body(t, api, "https://api.deepseek.com/v1", req)
		if got := lastUserContent(t, api, b); got != "File: stdin\n```\npiped\n```\n" {
			t.Errorf("%s: stdin alone = %q", api, got)
		}
	}
	if got := req.Input[0].Text; got != "summarise\n\nFile: notes.md\n```markdown\n- a\n- b\n```\n" || len(req.Input[0].Parts) != 0 {
		t.Errorf("text file = %q, parts %v", got, req.Input[0].Parts)
	}
}

// TestAttachmentsAreSharedNotCopied: a request points at the message's
// bytes, so a 20 MB image is held once however many turns re-send it.
func TestAttachmentsAreSharedNotCopied(t *testing.T) {
	img := file(t, "pic.png", attachtest.PNG(64, 64))
	var c Conversation
	c.AddUser("look", time.Now(), img)
	for range 3 {
		p := c.Request("m", "", nil).Input[0].Parts[1]
		if &p.Data[0] != &img.Data[0] {
			t.Fatal("the request copied the image's bytes")
		}
	}
}

// TestAStdinPDFIsNamedAsAPDF: servers tell a file's type by its name.
func TestAStdinPDFIsNamedAsAPDF(t *testing.T) {
	var c Conversation
	c.AddUser("read", time.Now(), file(t, "stdin", attachtest.PDF(1)))
	if got := c.Request("m", "", nil).Input[0].Parts[0].Filename; got != "stdin.pdf" {
		t.Errorf("filename = %q", got)
	}
}

// TestAttachmentBodiesFollowTheSpec validates bodies with every kind of
// attachment, new and in the history, against OpenAI's OpenAPI document,
// for each API.
func TestAttachmentBodiesFollowTheSpec(t *testing.T) {
	v := spectest.Load(t)
	atts := everyKind(t)
	var c Conversation
	now := time.Now()
	c.AddUser("what are these?", now, atts...)
	r := c.AddAssistant("gpt-5", "", now)
	r.Turn.Add(stream.Choice{Kind: stream.KindText, Delta: "Two files, four images and a PDF."})
	r.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}})
	c.AddUser("and this one alone?", now, atts[2])
	c.AddUser("", now, atts[6])
	c.AddUser("only text", now, atts[0])
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		raw, _ := body(t, api, "https://api.openai.com/v1", c.Request("gpt-5", "", nil))
		if api == stream.APIChat {
			v.Chat(t, "chat with attachments", raw)
		} else {
			v.Responses(t, "responses with attachments", raw)
		}
	}
}

func TestCatalogVision(t *testing.T) {
	c := NewCatalog(nil)
	for m, want := range map[string]attach.Vision{
		"gpt-5-mini": attach.VisionYes, "gpt-4o-2024-08-06": attach.VisionYes, "openai/gpt-4.1": attach.VisionYes,
		"o3-mini": attach.VisionNo, "gpt-3.5-turbo-0125": attach.VisionNo, "deepseek-chat": attach.VisionNo,
		"gpt-4-turbo-2024-04-09": attach.VisionYes, "gpt-4-0613": attach.VisionNo,
		"llama3.2": attach.VisionUnknown, "parley-mock-1": attach.VisionUnknown,
	} {
		if got := c.Vision(m); got != want {
			t.Errorf("Vision(%s) = %v, want %v", m, got, want)
		}
	}
	yes := true
	if got := NewCatalog(map[string]ModelInfo{"llava": {Vision: &yes}}).Vision("llava-13b"); got != attach.VisionYes {
		t.Errorf("a config entry's vision = %v", got)
	}
}

func TestCheckSend(t *testing.T) {
	cat := NewCatalog(nil)
	img := file(t, "pic.png", attachtest.PNG(2, 2))
	pdf := file(t, "docs/report.pdf", attachtest.PDF(1))
	text := file(t, "notes.txt", []byte("hi\n"))
	openai := func(model string) attach.Target {
		return attach.Target{API: "responses", BaseURL: "https://api.openai.com/v1", Model: model, Vision: cat.Vision(model)}
	}
	ollama := attach.Target{API: "chat", BaseURL: "http://localhost:11434/v1", Provider: "ollama", Model: "llava", Vision: cat.Vision("llava")}

	var c Conversation
	for _, tc := range []struct {
		name   string
		target attach.Target
		next   []attach.Attachment
		want   string
	}{
		{"everything to gpt-5", openai("gpt-5"), []attach.Attachment{img, pdf, text}, ""},
		{"an image to a blind model", openai("o3-mini"), []attach.Attachment{text, img},
			"cannot send pic.png: the model o3-mini cannot see images; pick a model with vision, or remove the image"},
		{"a PDF to Ollama", ollama, []attach.Attachment{pdf},
			"cannot send docs/report.pdf: this Chat Completions server (ollama at localhost:11434) cannot take a PDF; use a Responses API provider (--api responses), or attach the document as text"},
		{"an image to a model nobody knows", ollama, []attach.Attachment{img}, ""},
	} {
		err := c.CheckSend(tc.target, tc.next)
		if got := errString(err); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
		if tc.want != "" && attach.ProblemOf(err) != attach.Unsupported {
			t.Errorf("%s: problem %q", tc.name, attach.ProblemOf(err))
		}
	}

	// An image in the history: a blind model refuses the next prompt,
	// which carries it again, and says what helps.
	c.AddUser("look", time.Now(), img)
	err := c.CheckSend(openai("o3-mini"), nil)
	if want := "cannot send pic.png: the model o3-mini cannot see images; it was sent earlier in this session and every request sends it again: switch back to a model or server that takes it, or start a new session"; errString(err) != want {
		t.Errorf("history: %q\nwant %q", errString(err), want)
	}
	// A failed prompt is not sent again, nor are its files.
	c.Messages[0].Failed = true
	if err := c.CheckSend(openai("o3-mini"), nil); err != nil {
		t.Errorf("a failed prompt's image still counts: %v", err)
	}

	// The history and the new files count together against the limits.
	var big Conversation
	huge := img
	huge.Size = 30 << 20
	big.AddUser("one", time.Now(), huge)
	if err := big.CheckSend(openai("gpt-5"), []attach.Attachment{huge}); !errors.Is(err, &attach.Error{Problem: attach.TooMany}) {
		t.Errorf("60 MB of images across two prompts = %v, want too-many", err)
	}
	if err := big.CheckSend(openai("gpt-5"), nil); err != nil {
		t.Errorf("30 MB of images = %v", err)
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
