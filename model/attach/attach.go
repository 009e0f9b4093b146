package attach

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"image"
	_ "image/gif" // image.DecodeConfig for each format we send
	_ "image/jpeg"
	_ "image/png"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	_ "golang.org/x/image/webp"
)

// Attachment is a file read, checked and ready to send. Data is what is
// sent; everything else is derived from it (and the path), so the store
// can keep Data once by SHA256 and FromBytes can rebuild the rest.
type Attachment struct {
	Name   string // base name, for a chip: "notes.txt"; "stdin" for "-"
	Path   string // as the user gave it; "-" for stdin
	Kind   Kind
	MIME   string // "text/plain; charset=utf-8", "image/png", "application/pdf"
	Size   int64  // len(Data)
	SHA256 string // hex, of Data
	Data   []byte // the file's bytes as read

	Lines  int // text: lines, as an editor numbers them
	Tokens int // estimated cost: text as Fenced, images by OpenAI's tile rule; 0 for PDFs (unknown)
	Width  int // images, in pixels
	Height int
}

// DataURL is the attachment as a data URL ("data:image/png;base64,..."),
// which is how images (input_image, image_url) and PDFs (file_data) go
// on the wire. Text is sent as Fenced text, not as a URL.
func (a Attachment) DataURL() string {
	mime, _, _ := strings.Cut(a.MIME, ";")
	return "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString(a.Data)
}

// Limits are the largest files accepted, in bytes, per kind. A zero field
// means the default.
type Limits struct {
	Text  int64
	Image int64
	PDF   int64
}

// The defaults follow OpenAI's documented limits: 20 MB per image (and
// 50 MB of images per request, see CheckRequest), 32 MB of PDF content
// per request. Text has no limit of its own but the context window: 1 MB
// is about 256k tokens, more than most models take.
const (
	DefaultTextLimit  = 1 << 20
	DefaultImageLimit = 20 << 20
	DefaultPDFLimit   = 32 << 20
)

// DefaultLimits are the limits a zero Limits stands for.
func DefaultLimits() Limits {
	return Limits{Text: DefaultTextLimit, Image: DefaultImageLimit, PDF: DefaultPDFLimit}
}

// For is the limit for one kind, the default when the field is zero.
func (l Limits) For(k Kind) int64 {
	d := DefaultLimits()
	switch k {
	case Image:
		return cmpOr(l.Image, d.Image)
	case PDF:
		return cmpOr(l.PDF, d.PDF)
	}
	return cmpOr(l.Text, d.Text)
}

func cmpOr(v, d int64) int64 {
	if v > 0 {
		return v
	}
	return d
}

// Largest is the highest of the limits: a file over it is refused
// whatever it turns out to be.
func (l Limits) Largest() int64 {
	return max(l.For(Text), l.For(Image), l.For(PDF))
}

var kindNames = map[Kind]string{Text: "text files", Image: "images", PDF: "PDFs"}

// Load reads the file at path (as the user typed it; "~/" is the home
// directory, "-" is standard input) and checks that it can be sent. Every
// error is an *Error whose message is a sentence for the user.
func Load(path string, lim Limits) (Attachment, error) {
	if path == "-" {
		return LoadReader(os.Stdin, "stdin", lim)
	}
	real := ExpandHome(path)
	fi, err := os.Stat(real)
	if err != nil {
		return Attachment{}, statError(path, real, err)
	}
	switch m := fi.Mode(); {
	case m.IsDir():
		return Attachment{}, newError(path, Directory, nil, "it is a directory; attach the files in it instead")
	case m&fs.ModeNamedPipe != 0:
		// A pipe, as from `-f <(git diff)`: read it like standard input.
	case !m.IsRegular():
		return Attachment{}, newError(path, NotRegular, nil, "it is not a regular file (a device or socket)")
	}
	f, err := os.Open(real)
	if err != nil {
		return Attachment{}, openError(path, err)
	}
	defer f.Close()
	size := int64(-1)
	if fi.Mode().IsRegular() {
		size = fi.Size()
	}
	return load(f, path, filepath.Base(real), size, lim)
}

// LoadReader reads an attachment from r, as Load does for a file: "-" (or
// a pipe) is read this way. name is what the chip shows ("stdin"). At
// most the limit for its kind, plus one byte, is read.
func LoadReader(r io.Reader, name string, lim Limits) (Attachment, error) {
	return load(r, "-", name, -1, lim)
}

// load reads r: the first bytes decide the kind, the kind the limit; a
// file over it (size, when known) is refused before the rest is read.
func load(r io.Reader, path, name string, size int64, lim Limits) (Attachment, error) {
	head := make([]byte, sniffLen)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return Attachment{}, readError(path, err)
	}
	head = head[:n]
	v := classify(head, n < sniffLen)
	if v.kind == "" {
		return Attachment{}, newError(path, v.problem, nil, "%s", v.detail)
	}
	limit := lim.For(v.kind)
	if size > limit {
		return Attachment{}, tooLarge(path, v.kind, size, limit)
	}
	rest, err := io.ReadAll(io.LimitReader(r, limit+1-int64(n)))
	if err != nil {
		return Attachment{}, readError(path, err)
	}
	data := append(head, rest...)
	if int64(len(data)) > limit {
		return Attachment{}, tooLarge(path, v.kind, size, limit)
	}
	return build(path, name, data, lim)
}

// FromBytes builds an attachment from bytes already read, such as ones
// kept by the store, with the same checks Load makes.
func FromBytes(path, name string, data []byte, lim Limits) (Attachment, error) {
	return build(path, name, data, lim)
}

func build(path, name string, data []byte, lim Limits) (Attachment, error) {
	v := classify(data, true)
	if v.kind == "" {
		return Attachment{}, newError(path, v.problem, nil, "%s", v.detail)
	}
	if limit := lim.For(v.kind); int64(len(data)) > limit {
		return Attachment{}, tooLarge(path, v.kind, int64(len(data)), limit)
	}
	sum := sha256.Sum256(data)
	a := Attachment{
		Name: name, Path: path, Kind: v.kind, MIME: v.mime,
		Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:]), Data: data,
	}
	switch a.Kind {
	case Text:
		a.Lines = countLines(data)
		a.Tokens = EstimateTokens(a.Fenced())
	case Image:
		cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
		if err != nil {
			return Attachment{}, newError(path, Damaged, err, "it starts like a %s image but its header is damaged (%v)", strings.ToUpper(strings.TrimPrefix(a.MIME, "image/")), err)
		}
		if cfg.Width <= 0 || cfg.Height <= 0 {
			return Attachment{}, newError(path, Damaged, nil, "it is a %s image of %d×%d pixels, which no model can look at", strings.ToUpper(strings.TrimPrefix(a.MIME, "image/")), cfg.Width, cfg.Height)
		}
		a.Width, a.Height = cfg.Width, cfg.Height
		a.Tokens = imageTokens(a.Width, a.Height)
	}
	return a, nil
}

func tooLarge(path string, k Kind, size, limit int64) error {
	if size < 0 {
		return newError(path, TooLarge, nil, "it is over the %s limit for %s", Size(limit), kindNames[k])
	}
	return newError(path, TooLarge, nil, "it is %s, over the %s limit for %s", Size(size), Size(limit), kindNames[k])
}

// statError explains why path (expanded to real) could not be found.
func statError(path, real string, err error) error {
	switch {
	case errors.Is(err, syscall.ELOOP):
		return newError(path, SymlinkLoop, err, "it is a symbolic link that loops back on itself")
	case errors.Is(err, fs.ErrNotExist) || errors.Is(err, syscall.ENOTDIR):
		if fi, lerr := os.Lstat(real); lerr == nil && fi.Mode()&fs.ModeSymlink != 0 {
			target, _ := os.Readlink(real)
			return newError(path, Missing, err, "it is a symbolic link to %s, which does not exist", Display(target))
		}
		return newError(path, Missing, err, "there is no such file")
	case errors.Is(err, fs.ErrPermission):
		return newError(path, Unreadable, err, "you do not have permission to read it")
	}
	return newError(path, Unreadable, err, "it could not be read (%s)", cause(err))
}

func openError(path string, err error) error {
	if errors.Is(err, fs.ErrPermission) {
		return newError(path, Unreadable, err, "you do not have permission to read it")
	}
	return newError(path, Unreadable, err, "it could not be opened (%s)", cause(err))
}

func readError(path string, err error) error {
	return newError(path, Unreadable, err, "reading it failed (%s)", cause(err))
}

// cause is an OS error without the path it repeats ("permission denied").
func cause(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// ExpandHome turns a leading "~/" (or a lone "~") into the home directory,
// as a shell would have if the path had not been quoted.
func ExpandHome(path string) string {
	if path != "~" && !strings.HasPrefix(path, "~/") && !strings.HasPrefix(path, `~\`) {
		return path
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return path
	}
	return filepath.Join(home, path[1:])
}
