package attach

import (
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model/attach/attachtest"
)

// write creates name under dir with data and returns its path.
func write(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	return attachtest.Write(t, dir, name, data)
}

func pngBytes(t *testing.T, w, h int) []byte  { return attachtest.PNG(w, h) }
func jpegBytes(t *testing.T, w, h int) []byte { return attachtest.JPEG(w, h) }
func gifBytes(t *testing.T, w, h int) []byte  { return attachtest.GIF(w, h) }

// webpBytes is a lossless (VP8L) WebP header of w×h: what DecodeConfig
// reads. webp1x1 is a whole 1×1 WebP file.
func webpBytes(w, h int) []byte { return attachtest.WebP(w, h) }

var webp1x1, _ = base64.StdEncoding.DecodeString("UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==")

const minimalPDF = "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"

// wantProblem checks that err is an *Error with problem p whose message
// contains each of parts.
func wantProblem(t *testing.T, err error, p Problem, parts ...string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v (%T), want an *attach.Error with problem %s", err, err, p)
	}
	if e.Problem != p {
		t.Errorf("problem = %s, want %s (%v)", e.Problem, p, err)
	}
	for _, part := range parts {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not say %q", err, part)
		}
	}
}
