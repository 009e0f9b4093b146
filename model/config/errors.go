package config

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Problem is one thing wrong in a config file.
type Problem struct {
	Line int    // 1-based; 0 when unknown
	Key  string // the key's dotted path, e.g. providers.ollama.api; may be empty
	Msg  string // what is wrong and what was expected
}

// Error is every problem found in one config file. It prints one line per
// problem: "path:line: key: message".
type Error struct {
	Path     string
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		var b strings.Builder
		b.WriteString(e.Path)
		if p.Line > 0 {
			fmt.Fprintf(&b, ":%d", p.Line)
		}
		if p.Key != "" {
			b.WriteString(": " + p.Key)
		}
		b.WriteString(": " + p.Msg)
		lines[i] = b.String()
	}
	return strings.Join(lines, "\n")
}

// Errorf reports a problem with the value at key, in the same form as
// Load's errors ("config.toml:12: keys.global.quit: ..."). Packages that
// check values this one keeps as strings (key names, colours) use it.
func (f *File) Errorf(key []string, format string, args ...any) error {
	return &Error{Path: f.Path, Problems: []Problem{{
		Line: f.line(key...), Key: toml.Key(key).String(), Msg: fmt.Sprintf(format, args...),
	}}}
}

// tomlTypeName names a MetaData.Type for people.
func tomlTypeName(t string) string {
	switch t {
	case "String":
		return "a string"
	case "Integer":
		return "an integer"
	case "Float":
		return "a number"
	case "Bool":
		return "a boolean"
	case "Array":
		return "a list"
	case "Hash":
		return "a table"
	case "Datetime", "DatetimeLocal", "DateLocal", "TimeLocal":
		return "a date"
	}
	return strings.ToLower(t)
}

// The library's type errors, which it returns as plain text:
// toml: line 3 (last key "providers.x.api"): incompatible types: TOML
// value has type int64; destination has type string.
var (
	libKeyError  = regexp.MustCompile(`^toml: (?:line (\d+) )?\(last key "((?:[^"\\]|\\.)*)"\): (.*)$`)
	libTypeError = regexp.MustCompile(`^incompatible types: TOML value has type (.+); destination has type (.+)$`)
	libTableType = regexp.MustCompile(`^type mismatch for .+: expected table but found (.+)$`)
	libBareValue = regexp.MustCompile(`^expected value but found "([^"]*)" instead$`)
)

// libraryProblem turns a decoding error from BurntSushi/toml into a
// Problem: its ParseError carries the line, its type errors the line and
// key in their text, which is reworded to say what was expected.
func (f *File) libraryProblem(err error) Problem {
	var se shapeError
	if errors.As(err, &se) {
		return Problem{Line: f.line(se.key...), Key: toml.Key(se.key).String(), Msg: se.msg}
	}
	var pe toml.ParseError
	if errors.As(err, &pe) {
		msg := pe.Message
		if m := libBareValue.FindStringSubmatch(msg); m != nil {
			msg = fmt.Sprintf("expected a value, got %s: a string needs quotes, as in \"%s\"", m[1], m[1])
		}
		return Problem{Line: pe.Position.Line, Key: pe.LastKey, Msg: msg}
	}
	m := libKeyError.FindStringSubmatch(err.Error())
	if m == nil {
		return Problem{Msg: strings.TrimPrefix(err.Error(), "toml: ")}
	}
	line, _ := strconv.Atoi(m[1])
	key := m[2]
	if k, err := strconv.Unquote(`"` + m[2] + `"`); err == nil {
		key = k
	}
	msg := m[3]
	if t := libTypeError.FindStringSubmatch(msg); t != nil {
		msg = "expected " + cmp.Or(toolTypeHint(key), limitTypeHint(key), goTypeWanted(t[2])) + ", got " + goTypeName(t[1])
	} else if t := libTableType.FindStringSubmatch(msg); t != nil {
		msg = "expected a table, got " + goTypeName(t[1])
	}
	return Problem{Line: line, Key: key, Msg: msg}
}

// goTypeName names a Go type of a decoded TOML value for people.
func goTypeName(t string) string {
	switch {
	case t == "string":
		return "a string"
	case t == "int64":
		return "an integer"
	case t == "float64":
		return "a number"
	case t == "bool":
		return "a boolean"
	case strings.HasPrefix(t, "[]map"):
		return "a list of tables"
	case strings.HasPrefix(t, "[]"):
		return "a list"
	case strings.HasPrefix(t, "map"):
		return "a table"
	case strings.HasPrefix(t, "time.") || strings.HasPrefix(t, "toml.Local"):
		return "a date"
	}
	return t
}

// goTypeWanted names the type the library was decoding into.
func goTypeWanted(t string) string {
	switch t {
	case "string", "primitive (string-like)":
		return "a string"
	case "integer":
		return "a whole number"
	case "float":
		return "a number"
	case "boolean":
		return "true or false"
	case "slice":
		return "a list"
	case "map":
		return "a table"
	}
	return t
}
