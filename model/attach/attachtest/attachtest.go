// Package attachtest makes the files attachment tests need, in memory:
// real images of a given size in each format the APIs take, and PDFs with
// a given number of pages. Tests of package attach, the conversation, the
// mock server and the command line share them:
//
//	os.WriteFile(filepath.Join(dir, "pic.png"), attachtest.PNG(3, 2), 0o644)
package attachtest

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// picture is a w×h two-colour image: small to encode, valid in every format.
func picture(w, h int) image.Image {
	img := image.NewPaletted(image.Rect(0, 0, w, h), []color.Color{color.White, color.Black})
	img.SetColorIndex(0, 0, 1)
	return img
}

// encode runs an encoder that cannot fail on an in-memory image.
func encode(f func(*bytes.Buffer) error) []byte {
	var b bytes.Buffer
	if err := f(&b); err != nil {
		panic("attachtest: " + err.Error())
	}
	return b.Bytes()
}

// PNG is a w×h PNG file.
func PNG(w, h int) []byte {
	return encode(func(b *bytes.Buffer) error { return png.Encode(b, picture(w, h)) })
}

// JPEG is a w×h JPEG file.
func JPEG(w, h int) []byte {
	return encode(func(b *bytes.Buffer) error { return jpeg.Encode(b, picture(w, h), nil) })
}

// GIF is a w×h GIF file.
func GIF(w, h int) []byte {
	return encode(func(b *bytes.Buffer) error { return gif.Encode(b, picture(w, h), nil) })
}

// WebP is a lossless (VP8L) WebP header of w×h: all that a decoder reads
// to learn the size (the standard library has no WebP encoder).
func WebP(w, h int) []byte {
	bits := uint32(w-1) | uint32(h-1)<<14 | 1<<28
	payload := append([]byte{0x2f}, binary.LittleEndian.AppendUint32(nil, bits)...)
	payload = append(payload, 0, 0, 0) // padding the decoder never reads
	var b bytes.Buffer
	b.WriteString("RIFF")
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(4+8+len(payload))))
	b.WriteString("WEBPVP8L")
	b.Write(binary.LittleEndian.AppendUint32(nil, uint32(len(payload))))
	b.Write(payload)
	return b.Bytes()
}

// PDF is a PDF of n empty pages, its objects written plainly (not in
// compressed object streams), as simple writers do.
func PDF(n int) []byte {
	var b strings.Builder
	b.WriteString("%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n")
	kids := make([]string, n)
	for i := range n {
		kids[i] = fmt.Sprintf("%d 0 R", i+3)
	}
	fmt.Fprintf(&b, "2 0 obj << /Type /Pages /Kids [%s] /Count %d >> endobj\n", strings.Join(kids, " "), n)
	for i := range n {
		fmt.Fprintf(&b, "%d 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >> endobj\n", i+3)
	}
	b.WriteString("trailer << /Root 1 0 R >>\n%%EOF\n")
	return []byte(b.String())
}

// Write creates name (which may hold folders) under dir with data and
// returns its path.
func Write(t testing.TB, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}
