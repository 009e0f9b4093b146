package attach

import (
	"fmt"
	"net/url"
	"strings"
)

// Vision is what the presets know of a model's sight.
type Vision int8

const (
	VisionUnknown Vision = iota // not in the presets: let the server decide
	VisionYes
	VisionNo
)

// VisionOf turns a preset's optional flag into a Vision.
func VisionOf(known *bool) Vision {
	switch {
	case known == nil:
		return VisionUnknown
	case *known:
		return VisionYes
	}
	return VisionNo
}

// Target is where a request goes, as far as attachments care.
type Target struct {
	API      string // "responses" or "chat"
	BaseURL  string // the server, e.g. http://localhost:11434/v1
	Provider string // the preset or config provider's name, "" when none
	Model    string
	Vision   Vision
	// ChatPDF says the server takes a PDF as a Chat Completions "file"
	// part whatever its host: Parley's demo backend does, and a config
	// override may say so of a server we do not know.
	ChatPDF bool
}

// Both APIs carry images as data URLs (input_image, image_url) and the
// Responses API carries PDFs (input_file). Of Chat Completions servers,
// OpenAI's own and OpenRouter's take a PDF as a "file" content part;
// vLLM, Ollama, llama.cpp, LM Studio, Groq and DeepSeek do not.
var pdfChatHosts = []string{"api.openai.com", "openrouter.ai"}

// The request-wide limits OpenAI documents for images.
const (
	MaxImageBytesPerRequest = 50 << 20
	MaxImagesPerRequest     = 500
)

// Check says whether a can be sent to t, before anything is: an *Error
// with Problem Unsupported when not, nil when it can (or when only the
// server can tell).
func (t Target) Check(a Attachment) error {
	switch a.Kind {
	case Image:
		if t.Vision == VisionNo {
			return newError(a.Label(), Unsupported, nil,
				"%s cannot see images; pick a model with vision, or remove the image", t.modelName())
		}
	case PDF:
		if t.chat() && !t.takesPDFOverChat() {
			return newError(a.Label(), Unsupported, nil,
				"%s cannot take a PDF; use a Responses API provider (--api responses), or attach the document as text", t.serverName())
		}
	}
	return nil
}

// CheckRequest checks every attachment in one request, the history's
// included (each turn re-sends them), and the limits on them together.
func (t Target) CheckRequest(atts []Attachment) error {
	var images int
	var imageBytes, pdfBytes int64
	for _, a := range atts {
		if err := t.Check(a); err != nil {
			return err
		}
		switch a.Kind {
		case Image:
			images++
			imageBytes += a.Size
		case PDF:
			pdfBytes += a.Size
		}
	}
	switch {
	case images > MaxImagesPerRequest:
		return &Error{Path: fmt.Sprintf("%d images", images), Problem: TooMany,
			Detail: fmt.Sprintf("a request can carry at most %d; start a new session or remove some", MaxImagesPerRequest)}
	case imageBytes > MaxImageBytesPerRequest:
		return &Error{Path: fmt.Sprintf("%s of images", Size(imageBytes)), Problem: TooMany,
			Detail: fmt.Sprintf("a request can carry at most %s of images; start a new session or remove some", Size(MaxImageBytesPerRequest))}
	case pdfBytes > DefaultPDFLimit:
		return &Error{Path: fmt.Sprintf("%s of PDFs", Size(pdfBytes)), Problem: TooMany,
			Detail: fmt.Sprintf("a request can carry at most %s of PDFs; start a new session or remove some", Size(DefaultPDFLimit))}
	}
	return nil
}

func (t Target) chat() bool { return strings.EqualFold(t.API, "chat") }

func (t Target) host() string {
	u, err := url.Parse(t.BaseURL)
	if err != nil {
		return ""
	}
	return strings.ToLower(u.Hostname())
}

func (t Target) takesPDFOverChat() bool {
	if t.ChatPDF {
		return true
	}
	h := t.host()
	for _, known := range pdfChatHosts {
		if h == known || strings.HasSuffix(h, "."+known) {
			return true
		}
	}
	return false
}

func (t Target) modelName() string {
	if t.Model == "" {
		return "this model"
	}
	return "the model " + Display(t.Model)
}

// serverName names the server for an error: "this Chat Completions
// server (ollama at localhost:11434)".
func (t Target) serverName() string {
	var where []string
	if t.Provider != "" {
		where = append(where, Display(t.Provider))
	}
	if u, err := url.Parse(t.BaseURL); err == nil && u.Host != "" {
		where = append(where, Display(u.Host))
	}
	if len(where) == 0 {
		return "this Chat Completions server"
	}
	return "this Chat Completions server (" + strings.Join(where, " at ") + ")"
}
