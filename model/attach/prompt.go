package attach

import (
	"io/fs"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Ref is an @path reference in a prompt.
type Ref struct {
	Start, End int    // byte offsets of the whole reference in the prompt: "@", quotes and escapes included
	Path       string // the path it names, unquoted and unescaped
}

// refOpeners are the characters after which an "@" may start a reference,
// besides white space and the start of the prompt: "(see @notes.txt)".
// Anything else before it ("bob@example.com", "a@b") leaves it alone.
const refOpeners = "([{<,;"

// refClosers are stripped from the end of an unquoted reference when the
// path with them does not exist: "look at @main.go." names main.go.
const refClosers = ".,;:!?)]}>'\"`"

// FindRefs finds the @path references in a prompt that name a file, as
// exists (usually Exists) decides. A reference is "@" at the start of a
// word followed by a path: plain (@notes.txt), with backslash-escaped
// spaces (@my\ notes.txt) or quoted (@"my notes.txt", @'my notes.txt';
// in double quotes \" and \\ are escapes). "@" words that name no file
// and e-mail addresses are not references.
func FindRefs(prompt string, exists func(path string) bool) []Ref {
	var refs []Ref
	for i := 0; i < len(prompt); i++ {
		if prompt[i] != '@' || !refMayStart(prompt, i) {
			continue
		}
		if r, ok := parseRef(prompt, i, exists); ok {
			refs = append(refs, r)
			i = r.End - 1
		}
	}
	return refs
}

func refMayStart(s string, at int) bool {
	if at == 0 {
		return true
	}
	r, _ := utf8.DecodeLastRuneInString(s[:at])
	return unicode.IsSpace(r) || strings.ContainsRune(refOpeners, r)
}

func parseRef(s string, at int, exists func(string) bool) (Ref, bool) {
	j := at + 1
	if j >= len(s) {
		return Ref{}, false
	}
	if q := s[j]; q == '"' || q == '\'' {
		path, end, ok := quoted(s, j)
		if !ok || path == "" || !exists(path) {
			return Ref{}, false
		}
		return Ref{Start: at, End: end, Path: path}, true
	}
	var b strings.Builder
	k := j
	for k < len(s) {
		r, size := utf8.DecodeRuneInString(s[k:])
		if r == '\\' && k+1 < len(s) && s[k+1] == ' ' {
			b.WriteByte(' ')
			k += 2
			continue
		}
		if unicode.IsSpace(r) {
			break
		}
		b.WriteString(s[k : k+size])
		k += size
	}
	path, end := b.String(), k
	for path != "" {
		if exists(path) {
			return Ref{Start: at, End: end, Path: path}, true
		}
		last := path[len(path)-1]
		if !strings.ContainsRune(refClosers, rune(last)) || path[len(path)-1:] != s[end-1:end] {
			break
		}
		path, end = path[:len(path)-1], end-1
	}
	return Ref{}, false
}

// quoted reads a quoted string starting at s[open]: its value, the
// offset after the closing quote, and false when it is not closed. In
// double quotes a backslash escapes a quote or a backslash.
func quoted(s string, open int) (string, int, bool) {
	q := s[open]
	var b strings.Builder
	for k := open + 1; k < len(s); k++ {
		c := s[k]
		switch {
		case c == q:
			return b.String(), k + 1, true
		case q == '"' && c == '\\' && k+1 < len(s) && (s[k+1] == '"' || s[k+1] == '\\'):
			b.WriteByte(s[k+1])
			k++
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, false
}

// maxPathLen bounds what Exists asks the file system about.
const maxPathLen = 4096

// Exists reports whether path ("~/" expanded) names something Load
// should be asked about: a file, or a symbolic link that cannot be
// followed (Load then says why). Directories do not count, so "@home" in
// a prompt stays a word when there is a directory called home.
func Exists(path string) bool {
	if path == "" || len(path) > maxPathLen || strings.IndexByte(path, 0) >= 0 {
		return false
	}
	p := ExpandHome(path)
	li, err := os.Lstat(p)
	if err != nil {
		return false
	}
	fi, err := os.Stat(p)
	if err != nil {
		return li.Mode()&fs.ModeSymlink != 0
	}
	return !fi.IsDir()
}
