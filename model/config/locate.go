package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// keyLines maps every key and table header of a TOML document to the line
// that defines it, keyed as toml.Key.String() spells the path
// ("providers.ollama.api", `models."llama3.2"`). BurntSushi/toml keeps key
// positions to itself (only its ParseError carries a line), so unknown keys
// and values that fail validation are located by this skim of the source.
//
// It runs only on documents the library has parsed, so it may skip what it
// does not follow; a key it misses is reported without a line.
func keyLines(src string) map[string]int {
	s := &skimmer{src: src, line: 1, lines: map[string]int{}}
	var table []string
	for {
		s.skipBlank(true)
		if s.eof() {
			return s.lines
		}
		if s.peek() == '[' {
			table = s.header()
			continue
		}
		if !s.keyval(table) {
			s.skipLine()
		}
	}
}

type skimmer struct {
	src   string
	i     int
	line  int
	lines map[string]int
	// mute > 0 inside arrays: the keys of tables in arrays are not located.
	mute int
}

func (s *skimmer) eof() bool  { return s.i >= len(s.src) }
func (s *skimmer) peek() byte { return s.src[s.i] }

func (s *skimmer) next() byte {
	c := s.src[s.i]
	s.i++
	if c == '\n' {
		s.line++
	}
	return c
}

func (s *skimmer) record(path []string, line int) {
	if s.mute > 0 {
		return
	}
	k := toml.Key(path).String()
	if _, ok := s.lines[k]; !ok {
		s.lines[k] = line
	}
}

// skipBlank skips spaces and comments, and newlines too when newlines is set.
func (s *skimmer) skipBlank(newlines bool) {
	for !s.eof() {
		switch c := s.peek(); {
		case c == ' ' || c == '\t' || c == '\r':
			s.next()
		case c == '\n' && newlines:
			s.next()
		case c == '#':
			for !s.eof() && s.peek() != '\n' {
				s.next()
			}
		default:
			return
		}
	}
}

func (s *skimmer) skipLine() {
	for !s.eof() && s.next() != '\n' {
	}
}

// header reads "[a.b]" or "[[a.b]]" and returns the table's path.
func (s *skimmer) header() []string {
	line := s.line
	s.next()
	if !s.eof() && s.peek() == '[' {
		s.next()
	}
	path := s.key()
	s.skipLine()
	if path != nil {
		s.record(path, line)
	}
	return path
}

// keyval reads "key = value" under table and records the key, its
// dotted prefixes and the keys of inline tables in the value.
func (s *skimmer) keyval(table []string) bool {
	line := s.line
	k := s.key()
	if k == nil || s.eof() || s.peek() != '=' {
		return false
	}
	s.next()
	path := append(append([]string{}, table...), k...)
	for i := len(table) + 1; i <= len(path); i++ {
		s.record(path[:i], line)
	}
	s.skipBlank(false)
	s.value(path)
	return true
}

// key reads a dotted key of bare, "basic" and 'literal' parts.
func (s *skimmer) key() []string {
	var parts []string
	for {
		s.skipBlank(false)
		if s.eof() {
			return nil
		}
		var part string
		switch s.peek() {
		case '"':
			raw := s.quoted('"')
			p, err := strconv.Unquote(raw)
			if err != nil { // a TOML escape Go does not know; close enough
				p = strings.Trim(raw, `"`)
			}
			part = p
		case '\'':
			part = strings.Trim(s.quoted('\''), "'")
		default:
			start := s.i
			for !s.eof() && isBare(s.peek()) {
				s.next()
			}
			if s.i == start {
				return nil
			}
			part = s.src[start:s.i]
		}
		parts = append(parts, part)
		s.skipBlank(false)
		if s.eof() || s.peek() != '.' {
			return parts
		}
		s.next()
	}
}

func isBare(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

// quoted reads a one-line string opened by q and returns it with its quotes.
func (s *skimmer) quoted(q byte) string {
	start := s.i
	s.next()
	for !s.eof() {
		c := s.next()
		if c == '\\' && q == '"' && !s.eof() {
			s.next()
			continue
		}
		if c == q || c == '\n' {
			break
		}
	}
	return s.src[start:s.i]
}

// value skips one value, recording the keys of inline tables under path.
func (s *skimmer) value(path []string) {
	if s.eof() {
		return
	}
	switch s.peek() {
	case '"', '\'':
		q := s.peek()
		if strings.HasPrefix(s.src[s.i:], strings.Repeat(string(q), 3)) {
			s.multiline(q)
			return
		}
		s.quoted(q)
	case '[':
		s.next()
		for {
			s.skipBlank(true)
			if s.eof() {
				return
			}
			if c := s.peek(); c == ']' {
				s.next()
				return
			} else if c == ',' {
				s.next()
				continue
			}
			s.mute++
			s.value(path)
			s.mute--
		}
	case '{':
		s.next()
		for {
			s.skipBlank(false)
			if s.eof() {
				return
			}
			if c := s.peek(); c == '}' {
				s.next()
				return
			} else if c == ',' {
				s.next()
				continue
			}
			if !s.keyval(path) {
				s.skipLine()
				return
			}
		}
	default:
		for !s.eof() && !strings.ContainsRune(",]}\n#", rune(s.peek())) {
			s.next()
		}
	}
}

// multiline skips a multi-line string: basic (three double quotes) or
// literal (three single quotes), as q says.
func (s *skimmer) multiline(q byte) {
	delim := strings.Repeat(string(q), 3)
	for range 3 {
		s.next()
	}
	for !s.eof() {
		if q == '"' && s.peek() == '\\' {
			s.next()
			if !s.eof() {
				s.next()
			}
			continue
		}
		if strings.HasPrefix(s.src[s.i:], delim) {
			for range 3 {
				s.next()
			}
			// Up to two more quotes may belong to the string itself.
			for n := 0; n < 2 && !s.eof() && s.peek() == q; n++ {
				s.next()
			}
			return
		}
		s.next()
	}
}

// line is where a key is defined, 0 when unknown. A table made only by
// deeper headers ([a.b.c] makes a and a.b) is placed at its first key.
func (f *File) line(key ...string) int {
	if f == nil || len(key) == 0 {
		return 0
	}
	k := toml.Key(key).String()
	if n, ok := f.lines[k]; ok {
		return n
	}
	first := 0
	for other, n := range f.lines {
		if strings.HasPrefix(other, k+".") && (first == 0 || n < first) {
			first = n
		}
	}
	return first
}

// Where is "path:line" for a key of the file, or the path alone when the
// line is unknown.
func (f *File) Where(key ...string) string {
	if n := f.line(key...); n > 0 {
		return fmt.Sprintf("%s:%d", f.Path, n)
	}
	return f.Path
}

// BindingKey is the key path of a [keys] entry, as the file wrote it, for
// Errorf.
func (f *File) BindingKey(name string) []string {
	if k, ok := f.bindings[name]; ok {
		return k
	}
	return []string{"keys", name}
}
