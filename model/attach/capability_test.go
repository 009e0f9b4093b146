package attach

import (
	"testing"
)

func TestCheck(t *testing.T) {
	text := Attachment{Path: "notes.txt", Kind: Text}
	img := Attachment{Path: "shot.png", Kind: Image}
	pdf := Attachment{Path: "docs/report.pdf", Kind: PDF}
	yes, no := true, false
	openai := Target{API: "responses", BaseURL: "https://api.openai.com/v1", Provider: "openai", Model: "gpt-5"}
	ollama := Target{API: "chat", BaseURL: "http://localhost:11434/v1", Provider: "ollama", Model: "llama3.2", Vision: VisionOf(&no)}
	for _, tc := range []struct {
		name   string
		target Target
		a      Attachment
		want   string // "" for no error
	}{
		{"text anywhere", ollama, text, ""},
		{"image, vision unknown", openai, img, ""},
		{"image, vision known", Target{API: "chat", Vision: VisionOf(&yes)}, img, ""},
		{"image, no vision", ollama, img,
			"cannot send shot.png: the model llama3.2 cannot see images; pick a model with vision, or remove the image"},
		{"image, no vision, no model name", Target{Vision: VisionNo}, img, "cannot send shot.png: this model cannot see images; pick a model with vision, or remove the image"},
		{"PDF on the Responses API", openai, pdf, ""},
		{"PDF on a Responses server we do not know", Target{API: "responses", BaseURL: "http://localhost:9999/v1"}, pdf, ""},
		{"PDF to Ollama's Chat API", ollama, pdf,
			"cannot send docs/report.pdf: this Chat Completions server (ollama at localhost:11434) cannot take a PDF; use a Responses API provider (--api responses), or attach the document as text"},
		{"PDF to a Chat server by hand", Target{API: "chat", BaseURL: "http://127.0.0.1:8000/v1"}, pdf,
			"cannot send docs/report.pdf: this Chat Completions server (127.0.0.1:8000) cannot take a PDF; use a Responses API provider (--api responses), or attach the document as text"},
		{"PDF to a Chat server with no URL", Target{API: "chat"}, pdf,
			"cannot send docs/report.pdf: this Chat Completions server cannot take a PDF; use a Responses API provider (--api responses), or attach the document as text"},
		{"PDF to OpenAI's Chat API", Target{API: "chat", BaseURL: "https://api.openai.com/v1"}, pdf, ""},
		{"PDF to a Chat server said to take one", Target{API: "chat", BaseURL: "http://127.0.0.1:8000/v1", ChatPDF: true}, pdf, ""},
		{"PDF to OpenRouter", Target{API: "chat", BaseURL: "https://openrouter.ai/api/v1", Provider: "openrouter"}, pdf, ""},
		{"a host that only ends like OpenAI's", Target{API: "chat", BaseURL: "https://evilapi.openai.com.example/v1"}, pdf, "cannot take a PDF"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.target.Check(tc.a)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("refused: %v", err)
			case tc.want != "" && err == nil:
				t.Errorf("accepted, want %q", tc.want)
			case tc.want != "":
				wantProblem(t, err, Unsupported, tc.want)
			}
		})
	}
}

func TestCheckRequest(t *testing.T) {
	target := Target{API: "responses"}
	many := make([]Attachment, MaxImagesPerRequest+1)
	for i := range many {
		many[i] = Attachment{Path: "i.png", Kind: Image, Size: 10}
	}
	wantProblem(t, target.CheckRequest(many), TooMany, "cannot send 501 images: a request can carry at most 500")
	if err := target.CheckRequest(many[:MaxImagesPerRequest]); err != nil {
		t.Errorf("500 images: %v", err)
	}
	heavy := []Attachment{{Kind: Image, Size: 20 << 20}, {Kind: Image, Size: 20 << 20}, {Kind: Image, Size: 11 << 20}}
	wantProblem(t, target.CheckRequest(heavy), TooMany, "cannot send 51 MB of images: a request can carry at most 50 MB of images")
	pdfs := []Attachment{{Kind: PDF, Size: 20 << 20}, {Kind: PDF, Size: 13 << 20}}
	wantProblem(t, target.CheckRequest(pdfs), TooMany, "33 MB of PDFs")
	// One refused attachment refuses the request.
	mixed := []Attachment{{Kind: Text}, {Path: "a.pdf", Kind: PDF}}
	wantProblem(t, Target{API: "chat"}.CheckRequest(mixed), Unsupported, "cannot send a.pdf")
}

func TestVisionOf(t *testing.T) {
	yes, no := true, false
	if VisionOf(nil) != VisionUnknown || VisionOf(&yes) != VisionYes || VisionOf(&no) != VisionNo {
		t.Error("VisionOf")
	}
}
