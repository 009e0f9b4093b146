package stream

import (
	"encoding/base64"
	"strings"
)

// PartType says what a Part holds.
type PartType string

const (
	PartText  PartType = "text"
	PartImage PartType = "image" // Data is the image, MIME its type (image/png...)
	PartFile  PartType = "file"  // Data is the file, MIME its type, Filename its name
)

// Part is one piece of content beyond plain text: in a user message (text,
// images, files) or in a tool result (text and images). Images and files
// travel inline, as data URLs, so nothing is uploaded first. On the
// Responses API they become input_text, input_image and input_file; on
// Chat Completions text, image_url and file parts.
type Part struct {
	Type     PartType
	Text     string
	MIME     string
	Data     []byte
	Filename string
}

// dataURL is the part's bytes as a data: URL.
func (p Part) dataURL() string {
	mime := p.MIME
	if mime == "" {
		mime = "application/octet-stream"
	}
	var b strings.Builder
	b.Grow(len("data:;base64,") + len(mime) + base64.StdEncoding.EncodedLen(len(p.Data)))
	b.WriteString("data:" + mime + ";base64,")
	b.WriteString(base64.StdEncoding.EncodeToString(p.Data))
	return b.String()
}

// withText puts text, when set, before the parts.
func withText(text string, parts []Part) []Part {
	if text == "" {
		return parts
	}
	return append([]Part{{Type: PartText, Text: text}}, parts...)
}

// responsesParts is a content list of the Responses API (a message's
// content, or a function call output).
func responsesParts(text string, parts []Part) []map[string]any {
	var out []map[string]any
	for _, p := range withText(text, parts) {
		switch p.Type {
		case PartImage:
			out = append(out, map[string]any{"type": "input_image", "image_url": p.dataURL(), "detail": "auto"})
		case PartFile:
			out = append(out, map[string]any{"type": "input_file", "filename": orString(p.Filename, "file"), "file_data": p.dataURL()})
		default:
			out = append(out, map[string]any{"type": "input_text", "text": p.Text})
		}
	}
	return out
}

// chatParts is a user message's content on Chat Completions.
func chatParts(text string, parts []Part) []map[string]any {
	var out []map[string]any
	for _, p := range withText(text, parts) {
		switch p.Type {
		case PartImage:
			out = append(out, map[string]any{"type": "image_url", "image_url": map[string]any{"url": p.dataURL()}})
		case PartFile:
			out = append(out, map[string]any{"type": "file", "file": map[string]any{"filename": orString(p.Filename, "file"), "file_data": p.dataURL()}})
		default:
			out = append(out, map[string]any{"type": "text", "text": p.Text})
		}
	}
	return out
}

// chatToolOutput is a tool message's content on Chat Completions, which
// takes text only: other parts become a note, so the model knows they
// were there.
func chatToolOutput(text string, parts []Part) string {
	if len(parts) == 0 {
		return text
	}
	var b strings.Builder
	for _, p := range withText(text, parts) {
		if b.Len() > 0 {
			b.WriteString("\n")
		}
		switch p.Type {
		case PartText:
			b.WriteString(p.Text)
		default:
			b.WriteString("[" + string(p.Type) + " " + orString(p.Filename, p.MIME) + " left out: Chat Completions tool results carry text only]")
		}
	}
	return b.String()
}
