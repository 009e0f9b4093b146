// Package jsonfmt pretty-prints JSON while it streams in, for the tool-call
// cards: a model's tool arguments arrive as many small deltas split anywhere
// (`{"ci`, `ty": "Par`, ...), and the card shows them indented as they come,
// with the key being filled and strings cut cleanly, and never an error.
//
// The layout is json.Indent's (prefix "", the given indent): containers open
// on their key's line and close on their own, `{}` and `[]` stay empty, a
// space follows each colon, and string contents are kept exactly as written,
// escapes included. For complete valid input, Plain(Format(s, 2)) equals
// json.Indent(s, "", "  ") except that json.Indent copies whitespace after
// the value and we drop it, like all whitespace between tokens.
//
// Beyond JSON, several top-level values in a row are shown one after another,
// each from a new line, exactly as json.Decoder would read them as a stream.
// Input that can no longer be JSON is shown verbatim from the failing byte on
// as Invalid spans, so nothing the model sent is ever hidden.
//
// Span texts are raw source bytes: sanitize them before display.
package jsonfmt

import (
	"fmt"
	"strings"
)

// TokenKind says what a Span holds, for styling.
type TokenKind uint8

const (
	Key     TokenKind = iota // an object key, with its quotes
	String                   // a string value, with its quotes (no closing one while it is open)
	Number                   // a number, possibly still growing
	Bool                     // true or false, possibly partial
	Null                     // null, possibly partial
	Punct                    // { } [ ] : ,
	Space                    // indentation, and the space after a colon
	Invalid                  // raw input after the point where it stopped being JSON
)

var kindNames = [...]string{"Key", "String", "Number", "Bool", "Null", "Punct", "Space", "Invalid"}

func (k TokenKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("TokenKind(%d)", k)
}

// Span is a run of text of one kind.
type Span struct {
	Kind TokenKind
	Text string
}

// Line is one output line; indentation is a leading Space span.
type Line []Span

// SyntaxError says where the input stopped being JSON.
type SyntaxError struct {
	Offset int    // byte offset of the offending byte in the whole input
	Msg    string // what was wrong, e.g. "invalid character 'x' after object key"
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("jsonfmt: %s at byte %d", e.Msg, e.Offset)
}

// Format pretty-prints finished text in one go. It gives exactly what a
// Formatter gives after being written s in any number of pieces.
func Format(s string, indent int) []Line {
	f := New(indent)
	f.Write(s)
	return f.Lines()
}

// Plain renders lines without styling: span texts concatenated, lines joined
// by "\n". It is meant for tests and for copying to the clipboard.
func Plain(lines []Line) string {
	var b strings.Builder
	for i, line := range lines {
		if i > 0 {
			b.WriteByte('\n')
		}
		for _, s := range line {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}
