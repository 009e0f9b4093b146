package jsonfmt

import "strings"

// Formatter pretty-prints JSON text given to it in pieces. Each byte is read
// once by a state machine and only ever appends to the output, so Write costs
// O(len(delta)) and Lines O(1) however long the document grows.
//
// The zero value is not usable; use New. A Formatter is not safe for
// concurrent use, and must not be copied after the first Write.
type Formatter struct {
	indent int
	n      int // bytes consumed
	off    int // offset of the byte being stepped, for errors
	err    error

	// Parser state.
	st      state
	num     numPhase // inside a number: which part
	lit     string   // inside true/false/null: the literal
	litPos  int      // inside a literal: bytes matched so far
	hexLeft int      // inside \uXXXX: hex digits still to come
	isKey   bool     // inside a string: it is an object key
	stack   []frame  // open containers, outermost first
	newline bool     // a line break is owed before the next key or value
	ws      []byte   // whitespace since the last token, shown if the next byte is invalid

	// Output. lines holds the frozen lines, then the open one (always last).
	// Text that grows in place (strings, numbers, literals, invalid input) is
	// appended to text back to back; spans are substrings of it, so growing a
	// span copies nothing and never disturbs a span handed out earlier.
	lines    []Line
	arena    []Span // spare room for new lines, to allocate spans in batches
	text     strings.Builder
	growing  bool // the last span of the open line is text[growFrom:]
	growKind TokenKind
	growFrom int
	spaces   string // indentation is sliced from this

	path   string // ActiveKey, cached until the path changes
	pathOK bool
}

// frame is an open object or array.
type frame struct {
	object  bool
	filling bool   // a value slot is open: from ':' (or an element's start, or ',' in an array) until the value ends
	key     string // object: the current key as written, without its quotes
	index   int    // array: index of the current element
}

// New returns a Formatter that indents nested values by indent spaces
// (negative counts as 0).
func New(indent int) *Formatter {
	return &Formatter{indent: max(indent, 0)}
}

// Write consumes the next piece of the document. Pieces may split the text
// anywhere, even inside an escape or a number; the result after the last
// piece is the same for every split.
func (f *Formatter) Write(delta string) {
	base := f.n
	f.n += len(delta)
	for i := 0; i < len(delta); {
		switch f.st {
		case stInvalid:
			f.invalid(delta[i:])
			return
		case stString:
			// Fast path: copy a run of ordinary string bytes at once.
			j := i
			for j < len(delta) && plainStringByte(delta[j]) {
				j++
			}
			if j > i {
				f.text.WriteString(delta[i:j])
				i = j
				continue
			}
		}
		f.off = base + i
		if f.step(delta[i]); f.st == stInvalid {
			continue // delta[i] starts the invalid tail
		}
		i++
	}
}

// Lines returns the document pretty-printed so far. The last line may be
// open: a string still being filled shows its text so far with no closing
// quote. Empty input gives no lines.
//
// The result is the Formatter's own: read-only, and valid until the next
// Write. Lines before the last never change afterwards; the last one may be
// extended in place.
func (f *Formatter) Lines() []Line {
	if f.growing {
		line := f.lines[len(f.lines)-1]
		line[len(line)-1].Text = f.text.String()[f.growFrom:]
	}
	return f.lines
}

// ActiveKey returns the path of the value being filled or awaited right
// now: "query", "filters.city", "items[2]", "items[2].a", or "[0]" inside a
// top-level array. It is "" at the top level, while a key is being read in a
// top-level object, and once the input is invalid. Keys appear as written in
// the source, escapes undecoded.
func (f *Formatter) ActiveKey() string {
	if f.err != nil {
		return ""
	}
	if !f.pathOK {
		f.path = f.buildPath()
		f.pathOK = true
	}
	return f.path
}

// Bytes returns the number of bytes consumed, including any invalid tail.
func (f *Formatter) Bytes() int { return f.n }

// Complete reports whether the input so far is one or more whole top-level
// values and nothing else but whitespace. A top-level number counts as whole
// as soon as it could end (after "12", not after "12.").
func (f *Formatter) Complete() bool {
	if f.err != nil {
		return false
	}
	return f.st == stTopEnd || f.st == stNumber && len(f.stack) == 0 && f.num.accepting()
}

// Err returns a *SyntaxError once the input can no longer be JSON, such as
// `{"a" 1}`, and nil before. Input that is merely unfinished is not an error.
func (f *Formatter) Err() error { return f.err }
