package attach

import (
	"net/url"
	"strings"
)

// Bounds on what PastedPaths looks at: a paste longer than this is text.
const (
	maxPasteLen   = 32 << 10
	maxPastePaths = 100
)

// PastedPaths recognises a paste that is nothing but paths to files, as
// terminals paste them when files are dropped on them, and returns the
// paths (unquoted and unescaped, ready for Load); nil when the paste is
// anything else, which the input then takes as text. It understands
//
//	/home/me/notes.txt                  plain, even with spaces, one per line
//	'/home/me/my notes.txt'             quoted (GNOME Terminal, Konsole)
//	/Users/me/my\ notes.txt             backslash-escaped (Terminal.app, iTerm2, WezTerm)
//	"C:\Users\me\my notes.txt"          double-quoted (Windows Terminal)
//	file:///home/me/my%20notes.txt      URIs (text/uri-list)
//
// and several of these separated by spaces or newlines. Each must look
// like a path (absolute, ~/, ./, ../ or with a separator in it) and
// exist as exists (usually Exists) decides, or the paste is text.
func PastedPaths(text string, exists func(path string) bool) []string {
	text = strings.TrimSpace(text)
	if text == "" || len(text) > maxPasteLen {
		return nil
	}
	var paths []string
	for line := range strings.SplitSeq(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		found, ok := lineOfPaths(line, exists)
		if !ok {
			return nil
		}
		paths = append(paths, found...)
		if len(paths) > maxPastePaths {
			return nil
		}
	}
	return paths
}

// lineOfPaths reads one line of a paste: words that are each a path, or
// else the whole line as one unquoted path with spaces in it, as some
// terminals paste a single file.
func lineOfPaths(line string, exists func(string) bool) ([]string, bool) {
	if words, ok := shellWords(line); ok && len(words) <= maxPastePaths {
		var out []string
		for _, w := range words {
			p, ok := pastedPath(w, exists)
			if !ok {
				out = nil
				break
			}
			out = append(out, p)
		}
		if out != nil {
			return out, true
		}
	}
	if p := fromURI(line); looksLikePath(p) && exists(p) {
		return []string{p}, true
	}
	return nil, false
}

// pastedPath is the path a word names: its unescaped value, else the word
// as typed (a Windows path's backslashes are not escapes).
func pastedPath(w word, exists func(string) bool) (string, bool) {
	for _, p := range []string{fromURI(w.value), w.raw} {
		if looksLikePath(p) && exists(p) {
			return p, true
		}
	}
	return "", false
}

// fromURI is the path of a file:// URI on this machine, else s as it is.
func fromURI(s string) string {
	if !strings.HasPrefix(strings.ToLower(s), "file://") {
		return s
	}
	u, err := url.Parse(s)
	if err != nil || u.Host != "" && !strings.EqualFold(u.Host, "localhost") {
		return s
	}
	p := u.Path
	// file:///C:/x is the Windows path C:/x.
	if len(p) > 3 && p[0] == '/' && p[2] == ':' && isDriveLetter(p[1]) {
		p = p[1:]
	}
	return p
}

func isDriveLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// looksLikePath keeps a pasted word such as "README" (which may happen
// to name a file) from turning into an attachment: terminals paste
// absolute paths when files are dropped.
func looksLikePath(p string) bool {
	switch {
	case p == "":
		return false
	case strings.HasPrefix(p, "/"), strings.HasPrefix(p, "~/"), strings.HasPrefix(p, "./"), strings.HasPrefix(p, "../"),
		strings.HasPrefix(p, `\\`), strings.Contains(p, "/"):
		return true
	}
	return len(p) > 2 && isDriveLetter(p[0]) && p[1] == ':' && (p[2] == '\\' || p[2] == '/')
}

// word is one word of a line split as a POSIX shell would: value with
// quotes and escapes removed, raw as typed.
type word struct{ value, raw string }

// shellWords splits line into words; false when a quote is not closed.
func shellWords(line string) ([]word, bool) {
	var words []word
	var b strings.Builder
	start, in := -1, false
	flush := func(end int) {
		if in {
			words = append(words, word{b.String(), line[start:end]})
			b.Reset()
			in = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		if c == ' ' || c == '\t' {
			flush(i)
			continue
		}
		if !in {
			start, in = i, true
		}
		switch c {
		case '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				return nil, false
			}
			b.WriteString(line[i+1 : i+1+end])
			i += end + 1
		case '"':
			v, next, ok := quoted(line, i)
			if !ok {
				return nil, false
			}
			b.WriteString(v)
			i = next - 1
		case '\\':
			if i+1 < len(line) {
				i++
			}
			b.WriteByte(line[i])
		default:
			b.WriteByte(c)
		}
	}
	flush(len(line))
	return words, true
}
