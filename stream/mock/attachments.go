package mock

import (
	"bytes"
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"image"
	_ "image/gif" // image.DecodeConfig for every format the APIs take
	_ "image/jpeg"
	_ "image/png"
	"regexp"
	"strings"

	_ "golang.org/x/image/webp"
)

// Attachment is a file a request carried in its last user message, as
// the mock read it: a text file fenced in the prompt ("File: path" then a
// code fence, as Parley sends one), an image (input_image, image_url) or
// a file (input_file, file) sent as a data URL.
type Attachment struct {
	// Part is the wire's part type: "input_text" or "text" for a fenced
	// file, "input_image", "image_url", "input_file" or "file".
	Part string `json:"part"`
	Kind string `json:"kind"` // "text", "image", "pdf" or "file"
	// Name is the fenced file's path, a file's filename, or the name a
	// text part just before an image gave it ("Image: pic.png"); "" when
	// the request gave none.
	Name string `json:"name,omitempty"`
	// MIME is the data URL's type; "text/plain" for a fenced file; ""
	// when an image came as a plain URL rather than a data URL.
	MIME string `json:"mime,omitempty"`
	// DataURL says the bytes came inline, as a base64 data URL.
	DataURL bool   `json:"data_url,omitempty"`
	Size    int    `json:"size"`             // bytes, decoded
	SHA256  string `json:"sha256,omitempty"` // hex, of the bytes
	Lines   int    `json:"lines,omitempty"`  // text: lines, as an editor numbers them
	Start   string `json:"start,omitempty"`  // text: its first non-blank line, cut at 80 bytes
	// Width and Height are an image's size in pixels, when its header
	// decodes; Pages a PDF's page count, when it is cheap to find.
	Width  int `json:"width,omitempty"`
	Height int `json:"height,omitempty"`
	Pages  int `json:"pages,omitempty"`
}

// userContent reads a user message's content, a string or a list of
// parts, into its text (fenced files taken out) and its attachments.
func userContent(raw json.RawMessage) (string, []Attachment) {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return fencedFiles(s, "input_text")
	}
	var parts []struct {
		Type     string          `json:"type"`
		Text     string          `json:"text"`
		ImageURL json.RawMessage `json:"image_url"` // Responses: a string; Chat: {"url": ...}
		Filename string          `json:"filename"`
		FileData string          `json:"file_data"`
		File     *struct {
			Filename string `json:"filename"`
			FileData string `json:"file_data"`
		} `json:"file"`
	}
	if json.Unmarshal(raw, &parts) != nil {
		return "", nil
	}
	var texts []string
	var atts []Attachment
	imageName := "" // from an "Image: name" line just before an image
	for _, p := range parts {
		switch p.Type {
		case "input_text", "text":
			if name, ok := strings.CutPrefix(p.Text, "Image: "); ok && !strings.Contains(name, "\n") {
				imageName = name
				continue
			}
			text, files := fencedFiles(p.Text, p.Type)
			if text != "" {
				texts = append(texts, text)
			}
			atts = append(atts, files...)
		case "input_image", "image_url":
			atts = append(atts, fromURL(p.Type, imageURL(p.ImageURL), imageName))
		case "input_file":
			atts = append(atts, fromURL(p.Type, p.FileData, p.Filename))
		case "file":
			if p.File != nil {
				atts = append(atts, fromURL(p.Type, p.File.FileData, p.File.Filename))
			}
		}
		if p.Type != "input_text" && p.Type != "text" {
			imageName = ""
		}
	}
	return strings.Join(texts, "\n"), atts
}

// imageURL is an image part's URL: a string on the Responses API, an
// object with "url" on Chat Completions.
func imageURL(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var o struct {
		URL string `json:"url"`
	}
	_ = json.Unmarshal(raw, &o)
	return o.URL
}

// fromURL reads an image or file part whose bytes came as url, a data
// URL: their type, size and hash, and for an image its size in pixels,
// for a PDF its pages.
func fromURL(part, url, name string) Attachment {
	a := Attachment{Part: part, Kind: "file", Name: name}
	if part == "input_image" || part == "image_url" {
		a.Kind = "image"
	}
	rest, ok := strings.CutPrefix(url, "data:")
	meta, payload, found := strings.Cut(rest, ",")
	if !ok || !found || !strings.HasSuffix(meta, ";base64") {
		return a
	}
	data, err := base64.StdEncoding.DecodeString(payload)
	if err != nil {
		return a
	}
	a.MIME, a.DataURL = strings.TrimSuffix(meta, ";base64"), true
	a.measure(data)
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		a.Width, a.Height = cfg.Width, cfg.Height
	}
	if a.Kind == "file" && (a.MIME == "application/pdf" || bytes.HasPrefix(data, []byte("%PDF-"))) {
		a.Kind = "pdf"
		a.Pages = len(pdfPage.FindAll(data, -1))
	}
	return a
}

func (a *Attachment) measure(data []byte) {
	sum := sha256.Sum256(data)
	a.Size, a.SHA256 = len(data), hex.EncodeToString(sum[:])
}

// pdfPage finds a PDF's page objects when they are written plainly; in
// compressed object streams they cannot be counted without inflating
// them, and the reply then gives the size alone.
var pdfPage = regexp.MustCompile(`/Type\s*/Page\b`)

// fence is a fenced file in a prompt: "File: path", then a fence of three
// or more backticks with an optional language, the content, and the same
// fence alone on a line.
var fence = regexp.MustCompile("(?m)^File: (.+)\n(`{3,})[^`\n]*\n")

// fencedFiles takes the fenced files out of a prompt's text: what is left
// is what the user typed.
func fencedFiles(text, part string) (string, []Attachment) {
	var atts []Attachment
	var rest strings.Builder
	for {
		m := fence.FindStringSubmatchIndex(text)
		if m == nil {
			break
		}
		ticks := text[m[4]:m[5]]
		body := text[m[1]:]
		end := closingFence(body, ticks)
		if end < 0 {
			break
		}
		content := body[:end]
		a := Attachment{Part: part, Kind: "text", Name: text[m[2]:m[3]], MIME: "text/plain"}
		a.measure([]byte(content))
		a.Lines = strings.Count(content, "\n")
		a.Start = firstLine(content)
		atts = append(atts, a)
		rest.WriteString(text[:m[0]])
		text = strings.TrimPrefix(body[end+len(ticks):], "\n")
	}
	rest.WriteString(text)
	return strings.TrimSpace(blankLines.ReplaceAllString(rest.String(), "\n\n")), atts
}

// blankLines are the runs of blank lines the files leave behind.
var blankLines = regexp.MustCompile(`\n{3,}`)

// closingFence is where the line that is exactly ticks starts in body,
// or -1.
func closingFence(body, ticks string) int {
	for i := 0; i <= len(body); {
		line, _, _ := strings.Cut(body[i:], "\n")
		if line == ticks {
			return i
		}
		next := strings.IndexByte(body[i:], '\n')
		if next < 0 {
			return -1
		}
		i += next + 1
	}
	return -1
}

func firstLine(s string) string {
	for line := range strings.SplitSeq(s, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			return truncateUTF8(line, 80)
		}
	}
	return ""
}

// imageFormats names image types as people write them.
var imageFormats = map[string]string{"image/png": "PNG", "image/jpeg": "JPEG", "image/gif": "GIF", "image/webp": "WebP"}

// attachmentReply answers a prompt that came with files: what each one
// is, as far as the mock can measure it, so a client's attachments can
// be tried end to end without a model.
func attachmentReply(prompt string, atts []Attachment) reply {
	var b strings.Builder
	if prompt != "" {
		fmt.Fprintf(&b, "You asked: “%s”\n\n", truncateUTF8(prompt, maxQuotedOutput))
	}
	fmt.Fprintf(&b, "I received %d %s:\n\n", len(atts), plural(len(atts), "attachment"))
	images := 0
	for _, a := range atts {
		name := a.Name
		if a.Kind == "image" {
			images++
			if name == "" {
				name = fmt.Sprintf("image %d", images)
			}
		}
		if name == "" {
			name = "a file without a name"
		}
		fmt.Fprintf(&b, "- **%s**: %s\n", name, describe(a))
	}
	b.WriteString("\nThis is Parley's demo backend: it measures what it is sent, it does not read it.")
	return reply{text: b.String()}
}

// describe says what an attachment is: "a text file, 3 lines, 42 bytes,
// starting “# Notes”", "a PNG image, 3×2 pixels, 70 bytes".
func describe(a Attachment) string {
	size := fmt.Sprintf("%d %s", a.Size, plural(a.Size, "byte"))
	switch {
	case a.Kind == "text":
		s := fmt.Sprintf("a text file, %d %s, %s", a.Lines, plural(a.Lines, "line"), size)
		if a.Start != "" {
			s += ", starting “" + a.Start + "”"
		}
		return s
	case !a.DataURL && a.Kind == "image":
		return "an image sent by link, not inline, which the demo backend does not fetch"
	case !a.DataURL:
		return "a file whose data is not a base64 data URL"
	case a.Kind == "image" && a.Width > 0:
		return fmt.Sprintf("a %s image, %d×%d pixels, %s", cmp.Or(imageFormats[a.MIME], a.MIME), a.Width, a.Height, size)
	case a.Kind == "image":
		return fmt.Sprintf("an image (%s) whose header I could not read, %s", a.MIME, size)
	case a.Kind == "pdf" && a.Pages > 0:
		return fmt.Sprintf("a PDF, %d %s, %s", a.Pages, plural(a.Pages, "page"), size)
	case a.Kind == "pdf":
		return "a PDF, " + size
	}
	return fmt.Sprintf("a file (%s), %s", a.MIME, size)
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
