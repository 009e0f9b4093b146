package attach

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// Problem says what kind of thing went wrong, for callers that react to
// one (the UI keeps the draft in every case; a test checks which).
type Problem string

const (
	Missing     Problem = "missing"     // no such file, or a link to nothing
	Directory   Problem = "directory"   // a directory, not a file
	NotRegular  Problem = "not-regular" // a device or a socket
	Binary      Problem = "binary"      // neither text, nor an image or PDF we can send
	TooLarge    Problem = "too-large"   // over the limit for its kind
	Unreadable  Problem = "unreadable"  // permission denied or an I/O error
	SymlinkLoop Problem = "symlink-loop"
	Encoding    Problem = "encoding"    // text, but not UTF-8
	Damaged     Problem = "damaged"     // an image whose header does not decode
	Unsupported Problem = "unsupported" // this server or model cannot take it
	TooMany     Problem = "too-many"    // the request's attachments together are over a limit
)

// Error is why a file cannot be attached or sent. Error() is one sentence
// for the user ("cannot attach notes.txt: it is a directory; attach the
// files in it instead"); Detail is the same without the name, for a UI
// that shows the name beside it; Err is the cause, for the log.
type Error struct {
	Path    string // as the user gave it
	Problem Problem
	Detail  string
	Err     error
}

func (e *Error) Error() string {
	verb := "attach"
	if e.Problem == Unsupported || e.Problem == TooMany {
		verb = "send"
	}
	name := Display(e.Path)
	if e.Path == "-" {
		name = "standard input"
	}
	return "cannot " + verb + " " + name + ": " + e.Detail
}

func (e *Error) Unwrap() error { return e.Err }

// Is lets errors.Is(err, &attach.Error{Problem: attach.TooLarge}) match
// on the problem alone.
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Path == "" && t.Detail == "" && t.Problem == e.Problem
}

// ProblemOf is the problem of an *Error in err's chain, or "".
func ProblemOf(err error) Problem {
	var e *Error
	if errors.As(err, &e) {
		return e.Problem
	}
	return ""
}

func newError(path string, p Problem, cause error, format string, args ...any) *Error {
	return &Error{Path: path, Problem: p, Detail: fmt.Sprintf(format, args...), Err: cause}
}

// Display is a path as it may be shown: as it is, unless it holds control
// characters or other invisible runes (a file name can hold an escape
// sequence), then quoted Go-style so nothing reaches the terminal raw.
func Display(path string) string {
	if path == "" {
		return `""`
	}
	for _, r := range path {
		if !unicode.IsGraphic(r) || r == unicode.ReplacementChar {
			return strconv.Quote(path)
		}
	}
	return path
}

// Size formats a byte count for people: "512 B", "1.5 KB", "20 MB"
// (decimal-free for round values, 1024-based as the limits are).
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	v, suffix := float64(n)/unit, "KB"
	for _, s := range []string{"MB", "GB", "TB"} {
		if v < unit {
			break
		}
		v, suffix = v/unit, s
	}
	if v >= 100 {
		return fmt.Sprintf("%.0f %s", v, suffix)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", v), ".0") + " " + suffix
}
