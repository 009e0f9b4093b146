package attach

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

func TestLoadText(t *testing.T) {
	dir := t.TempDir()
	content := "package main\n\nfunc main() {}\n"
	p := write(t, dir, "src/main.go", []byte(content))
	a, err := Load(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(content))
	if a.Kind != Text || a.MIME != "text/plain; charset=utf-8" || a.Name != "main.go" || a.Path != p ||
		a.Size != int64(len(content)) || a.SHA256 != hex.EncodeToString(sum[:]) || a.Lines != 3 || string(a.Data) != content {
		t.Errorf("got %+v", a)
	}
	want := "File: " + filepath.ToSlash(p) + "\n```go\n" + content + "```\n"
	if got := a.Fenced(); got != want {
		t.Errorf("Fenced() =\n%s\nwant\n%s", got, want)
	}
	if a.Tokens != EstimateTokens(want) || a.Tokens == 0 {
		t.Errorf("Tokens = %d, want the estimate of the fenced text, %d", a.Tokens, EstimateTokens(want))
	}
}

func TestLoadEachImageFormat(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		name, mime string
		data       []byte
		w, h       int
	}{
		{"shot.png", "image/png", pngBytes(t, 30, 20), 30, 20},
		{"photo.jpg", "image/jpeg", jpegBytes(t, 17, 9), 17, 9},
		{"anim.gif", "image/gif", gifBytes(t, 5, 40), 5, 40},
		{"pic.webp", "image/webp", webpBytes(300, 200), 300, 200},
		{"dot.webp", "image/webp", webp1x1, 1, 1},
		// The content decides, not the name.
		{"really-a-png.jpg", "image/png", pngBytes(t, 2, 3), 2, 3},
		{"no-extension", "image/png", pngBytes(t, 4, 4), 4, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Load(write(t, dir, tc.name, tc.data), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if a.Kind != Image || a.MIME != tc.mime || a.Width != tc.w || a.Height != tc.h || a.Size != int64(len(tc.data)) {
				t.Errorf("got kind %s, %s, %d×%d, %d bytes", a.Kind, a.MIME, a.Width, a.Height, a.Size)
			}
			if a.Fenced() != "" || a.Lines != 0 {
				t.Errorf("an image has no fenced text or lines: %q, %d", a.Fenced(), a.Lines)
			}
			if !strings.HasPrefix(a.DataURL(), "data:"+tc.mime+";base64,") {
				t.Errorf("DataURL() = %.40s...", a.DataURL())
			}
		})
	}
}

func TestLoadPDF(t *testing.T) {
	a, err := Load(write(t, t.TempDir(), "report.pdf", []byte(minimalPDF)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != PDF || a.MIME != "application/pdf" || a.Tokens != 0 {
		t.Errorf("got %s %s tokens %d", a.Kind, a.MIME, a.Tokens)
	}
	if want := "data:application/pdf;base64,JVBERi0x"; !strings.HasPrefix(a.DataURL(), want) {
		t.Errorf("DataURL() = %.40s, want it to start %s", a.DataURL(), want)
	}
}

// Text that mentions a PDF header is text.
func TestLoadTextAboutPDFs(t *testing.T) {
	a, err := Load(write(t, t.TempDir(), "notes.md", []byte("A PDF starts with %PDF-1.7 and ends with %%EOF.\n")), Limits{})
	if err != nil || a.Kind != Text {
		t.Errorf("got %s, %v", a.Kind, err)
	}
}

func TestLoadEmptyAndBOMText(t *testing.T) {
	dir := t.TempDir()
	a, err := Load(write(t, dir, "empty.txt", nil), Limits{})
	if err != nil || a.Kind != Text || a.Lines != 0 {
		t.Fatalf("empty file: %+v, %v", a, err)
	}
	a, err = Load(write(t, dir, "bom.txt", []byte(utf8BOM+"héllo\nworld")), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Lines != 2 || strings.Contains(a.Fenced(), utf8BOM) || !strings.Contains(a.Fenced(), "héllo\nworld\n```") {
		t.Errorf("UTF-8 with a BOM: lines %d, fenced %q", a.Lines, a.Fenced())
	}
}

func TestLoadReaderIsStdin(t *testing.T) {
	a, err := LoadReader(strings.NewReader("one\ntwo\n"), "stdin", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Path != "-" || a.Name != "stdin" || a.Lines != 2 || a.Label() != "stdin" ||
		!strings.HasPrefix(a.Fenced(), "File: stdin\n```\none\n") {
		t.Errorf("got %+v, fenced %q", a, a.Fenced())
	}
	_, err = LoadReader(strings.NewReader(strings.Repeat("x", 101)), "stdin", Limits{Text: 100})
	wantProblem(t, err, TooLarge, "cannot attach standard input: it is over the 100 B limit for text files")
}

func TestLoadHome(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	write(t, home, "notes.txt", []byte("hi\n"))
	a, err := Load("~/notes.txt", Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Path != "~/notes.txt" || a.Label() != "~/notes.txt" || a.Name != "notes.txt" {
		t.Errorf("path %q label %q name %q", a.Path, a.Label(), a.Name)
	}
}

func TestLimits(t *testing.T) {
	dir := t.TempDir()
	lim := Limits{Text: 10, Image: 200, PDF: 300}
	// At the limit is fine; one byte over is not.
	if _, err := Load(write(t, dir, "ten.txt", []byte("0123456789")), lim); err != nil {
		t.Errorf("a file at the limit: %v", err)
	}
	_, err := Load(write(t, dir, "eleven.txt", []byte("0123456789a")), lim)
	wantProblem(t, err, TooLarge, "eleven.txt: it is 11 B, over the 10 B limit for text files")

	big := pngBytes(t, 200, 200)
	_, err = Load(write(t, dir, "big.png", big), Limits{Image: int64(len(big)) - 1})
	wantProblem(t, err, TooLarge, "limit for images")
	if _, err := Load(write(t, dir, "ok.png", big), Limits{Image: int64(len(big))}); err != nil {
		t.Errorf("image at its limit: %v", err)
	}
	_, err = Load(write(t, dir, "big.pdf", []byte(minimalPDF+strings.Repeat("%pad\n", 100))), lim)
	wantProblem(t, err, TooLarge, "over the 300 B limit for PDFs")

	// The limits are per kind: a 150-byte image is fine under a 10-byte text limit.
	if _, err := Load(write(t, dir, "small.png", pngBytes(t, 1, 1)), lim); err != nil {
		t.Errorf("small image: %v", err)
	}
	// A file far over every limit is refused from its size, before it is read.
	huge := filepath.Join(dir, "huge.log")
	f, _ := os.Create(huge)
	f.WriteString(strings.Repeat("a log line\n", 1000))
	f.Truncate(3 << 30)
	f.Close()
	_, err = Load(huge, Limits{})
	wantProblem(t, err, TooLarge, "it is 3 GB, over the 1 MB limit for text files")
}

func TestDefaultLimits(t *testing.T) {
	var zero Limits
	if zero.For(Text) != 1<<20 || zero.For(Image) != 20<<20 || zero.For(PDF) != 32<<20 {
		t.Errorf("defaults: %d %d %d", zero.For(Text), zero.For(Image), zero.For(PDF))
	}
	if zero.Largest() != 32<<20 || (Limits{Text: 40 << 20}).Largest() != 40<<20 {
		t.Error("Largest")
	}
	if (Limits{Image: 5}).For(Image) != 5 {
		t.Error("a set limit is not used")
	}
}

func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	loop := filepath.Join(dir, "loop")
	os.Symlink("loop2", loop)
	os.Symlink("loop", filepath.Join(dir, "loop2"))
	self := filepath.Join(dir, "self")
	os.Symlink("self", self)
	dangling := filepath.Join(dir, "dangling")
	os.Symlink("gone.txt", dangling)
	os.Mkdir(filepath.Join(dir, "src"), 0o755)

	for _, tc := range []struct {
		name  string
		path  string
		p     Problem
		parts []string
	}{
		{"missing", filepath.Join(dir, "nope.txt"), Missing, []string{"nope.txt: there is no such file"}},
		{"below a file", write(t, dir, "f.txt", []byte("x")) + "/x", Missing, []string{"no such file"}},
		{"dangling link", dangling, Missing, []string{"it is a symbolic link to gone.txt, which does not exist"}},
		{"directory", filepath.Join(dir, "src"), Directory, []string{"src: it is a directory; attach the files in it instead"}},
		{"link loop", loop, SymlinkLoop, []string{"it is a symbolic link that loops back on itself"}},
		{"self link", self, SymlinkLoop, []string{"loops back"}},
		{"device", "/dev/null", NotRegular, []string{"/dev/null: it is not a regular file"}},
		{"ELF binary", write(t, dir, "app", append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 100)...)), Binary,
			[]string{"it is a binary file, not text, an image (PNG, JPEG, WebP, GIF) or a PDF"}},
		{"zip", write(t, dir, "a.zip", append([]byte("PK\x03\x04\x14\x00\x00\x00"), make([]byte, 50)...)), Binary,
			[]string{"a binary file (application/zip)"}},
		{"random bytes without NULs", write(t, dir, "noise.bin", noise(4000)), Binary, []string{"binary file"}},
		{"HEIC", write(t, dir, "IMG_1.heic", []byte("\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic")), Binary,
			[]string{"it is a HEIC image, and only PNG, JPEG, WebP and GIF images can be sent; convert it to PNG first"}},
		{"TIFF", write(t, dir, "scan.tiff", []byte("II*\x00\x08\x00\x00\x00\x00\x00")), Binary, []string{"TIFF image"}},
		{"damaged PNG", write(t, dir, "broken.png", []byte("\x89PNG\r\n\x1a\nnot really")), Damaged,
			[]string{"it starts like a PNG image but its header is damaged"}},
		{"image of no pixels", write(t, dir, "flat.gif", []byte("GIF89a\x80\x20\x00\x00\x00\x7f$0001G\xc20\xaa\xaa")), Damaged,
			[]string{"flat.gif: it is a GIF image of 8320×0 pixels, which no model can look at"}},
		{"unreadable /proc file", "/proc/self/mem", Unreadable, []string{"reading it failed (input/output error)"}},
		{"control characters in the name", filepath.Join(dir, "bad\x1b[31mname"), Missing, []string{`"` + dir + `/bad\x1b[31mname"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := Load(tc.path, Limits{})
			if err == nil {
				t.Fatalf("loaded %+v", a)
			}
			wantProblem(t, err, tc.p, tc.parts...)
			if !strings.HasPrefix(err.Error(), "cannot attach ") {
				t.Errorf("error %q does not say what failed", err)
			}
		})
	}
}

// noise is bytes no text file holds, without NULs (so only the control
// characters and invalid UTF-8 give it away).
func noise(n int) []byte {
	b := make([]byte, n)
	x := uint32(2463534242)
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x%255) + 1
	}
	return b
}

func TestPermissionDenied(t *testing.T) {
	// Root reads anything, so the mapping is checked on the errors the
	// OS gives; and on the file system itself when not root.
	cause := &fs.PathError{Op: "open", Path: "secret", Err: syscall.EACCES}
	wantProblem(t, openError("secret", cause), Unreadable, "cannot attach secret: you do not have permission to read it")
	wantProblem(t, statError("secret", "secret", cause), Unreadable, "you do not have permission")
	wantProblem(t, statError("x", "x", &fs.PathError{Op: "stat", Path: "x", Err: syscall.EIO}), Unreadable, "it could not be read (input/output error)")
	if os.Geteuid() == 0 {
		return
	}
	p := write(t, t.TempDir(), "secret.txt", []byte("x"))
	os.Chmod(p, 0)
	_, err := Load(p, Limits{})
	wantProblem(t, err, Unreadable, "you do not have permission to read it")
}

func TestErrorIs(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "x"), Limits{})
	if !errors.Is(err, &Error{Problem: Missing}) || errors.Is(err, &Error{Problem: Binary}) {
		t.Errorf("errors.Is on the problem: %v", err)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("the cause is lost")
	}
	if ProblemOf(err) != Missing || ProblemOf(errors.New("x")) != "" {
		t.Error("ProblemOf")
	}
}

func TestFromBytesRebuildsTheSame(t *testing.T) {
	p := write(t, t.TempDir(), "shot.png", pngBytes(t, 9, 7))
	a, err := Load(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := FromBytes(a.Path, a.Name, a.Data, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a.SHA256 != b.SHA256 || a.Width != b.Width || a.Kind != b.Kind || a.Tokens != b.Tokens || a.Name != b.Name {
		t.Errorf("Load %+v, FromBytes %+v", a, b)
	}
	if _, err := FromBytes("x.bin", "x.bin", []byte{0, 1, 2, 3}, Limits{}); ProblemOf(err) != Binary {
		t.Errorf("FromBytes binary: %v", err)
	}
}
