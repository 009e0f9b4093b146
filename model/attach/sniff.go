package attach

import (
	"bytes"
	"net/http"
	"strings"
)

// Kind is what an attachment is sent as. Its value is stored with a
// session, so it never changes spelling.
type Kind string

const (
	Text  Kind = "text"  // UTF-8 text, sent fenced inside the prompt
	Image Kind = "image" // PNG, JPEG, WebP or GIF, sent as a data URL
	PDF   Kind = "pdf"   // sent as a file (input_file with file_data)
)

// sniffLen is how much of a file decides its kind before the rest is read.
const sniffLen = 8 << 10

// verdict is what the content of a file makes it.
type verdict struct {
	kind Kind   // "" when it cannot be sent
	mime string // of what it is, even when refused ("application/zip")
	// why, when kind is "": the rest of "cannot attach x: ..."
	problem Problem
	detail  string
}

// images are the formats the APIs take, by their first bytes. The
// order matters only in that each test is exact.
var images = []struct {
	mime  string
	match func([]byte) bool
}{
	{"image/png", func(b []byte) bool { return bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")) }},
	{"image/jpeg", func(b []byte) bool { return bytes.HasPrefix(b, []byte("\xff\xd8\xff")) }},
	{"image/gif", func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("GIF87a")) || bytes.HasPrefix(b, []byte("GIF89a"))
	}},
	{"image/webp", func(b []byte) bool {
		return len(b) >= 12 && string(b[:4]) == "RIFF" && string(b[8:12]) == "WEBP"
	}},
}

// otherImages are image formats people try that the APIs refuse, named
// so the error can say "a HEIC image" and how to fix it.
var otherImages = []struct {
	name  string
	match func([]byte) bool
}{
	{"HEIC", func(b []byte) bool { return ftyp(b, "heic", "heix", "mif1", "msf1", "hevc") }},
	{"AVIF", func(b []byte) bool { return ftyp(b, "avif", "avis") }},
	{"TIFF", func(b []byte) bool {
		return bytes.HasPrefix(b, []byte("II*\x00")) || bytes.HasPrefix(b, []byte("MM\x00*"))
	}},
	{"BMP", func(b []byte) bool { return len(b) >= 26 && string(b[:2]) == "BM" && b[14] >= 12 && b[15] == 0 }},
	{"ICO", func(b []byte) bool { return bytes.HasPrefix(b, []byte("\x00\x00\x01\x00")) && len(b) > 6 && b[4] > 0 }},
	{"Photoshop", func(b []byte) bool { return bytes.HasPrefix(b, []byte("8BPS")) }},
}

// ftyp reports an ISO media file (HEIF, AVIF) whose major brand is one of brands.
func ftyp(b []byte, brands ...string) bool {
	if len(b) < 12 || string(b[4:8]) != "ftyp" {
		return false
	}
	for _, br := range brands {
		if string(b[8:12]) == br {
			return true
		}
	}
	return false
}

// classify decides what data is. data is the whole file when complete,
// else its first bytes (a multi-byte character may be cut at the end).
func classify(data []byte, complete bool) verdict {
	for _, im := range images {
		if im.match(data) {
			return verdict{kind: Image, mime: im.mime}
		}
	}
	// Readers accept a PDF header anywhere in the first KB, but text that
	// mentions one is far more common than a PDF with junk before it.
	if bytes.HasPrefix(data, []byte("%PDF-")) {
		return verdict{kind: PDF, mime: "application/pdf"}
	}
	t := checkText(data, complete)
	switch {
	case t.ok:
		return verdict{kind: Text, mime: textMIME}
	case t.encoding != "":
		return verdict{mime: "text/plain", problem: Encoding, detail: t.encoding}
	}
	for _, im := range otherImages {
		if im.match(data) {
			return verdict{mime: "image/" + strings.ToLower(im.name), problem: Binary,
				detail: "it is a " + im.name + " image, and only PNG, JPEG, WebP and GIF images can be sent; convert it to PNG first"}
		}
	}
	mime := http.DetectContentType(data)
	what := "it is a binary file"
	if m, _, _ := strings.Cut(mime, ";"); m != "application/octet-stream" && !strings.HasPrefix(m, "text/") {
		what += " (" + m + ")"
	}
	return verdict{mime: mime, problem: Binary,
		detail: what + ", not text, an image (PNG, JPEG, WebP, GIF) or a PDF"}
}

const textMIME = "text/plain; charset=utf-8"

// Sniff tells from the first bytes of a file (head, which may end in the
// middle of a character) whether it would be attached as text, an image
// or a PDF. Text in another encoding than UTF-8 counts as Text: Load
// then says what the encoding is, which beats hiding the file. ok is
// false for binary files. The file finder uses it to skip them.
func Sniff(head []byte) (kind Kind, ok bool) {
	v := classify(head, false)
	if v.problem == Encoding {
		return Text, true
	}
	return v.kind, v.kind != ""
}
