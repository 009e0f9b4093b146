package jsonfmt

import "fmt"

// state is where the parser is between two bytes.
type state uint8

const (
	stValue        state = iota // a value must come: start of input, after ':', after ',' in an array
	stValueOrClose              // after '[': a value or ']'
	stKeyOrClose                // after '{': a key or '}'
	stKey                       // after ',' in an object: a key
	stColon                     // after a key: ':'
	stAfterValue                // after a value in a container: ',' or the container's close
	stTopEnd                    // after a top-level value: whitespace, or another value
	stString                    // inside a string, key or value
	stEscape                    // after '\' in a string
	stHex                       // inside \uXXXX
	stNumber                    // inside a number
	stLiteral                   // inside true, false or null
	stInvalid                   // the input can no longer be JSON
)

// maxDepth is the deepest nesting accepted, as in encoding/json.
const maxDepth = 10000

// numPhase is the part of a number read last.
type numPhase uint8

const (
	numNone      numPhase = iota // the byte cannot continue the number
	numSign                      // "-"
	numZero                      // "0" or "-0": no more integer digits may follow
	numInt                       // integer digits
	numDot                       // "."
	numFrac                      // fraction digits
	numExp                       // "e" or "E"
	numExpSign                   // the exponent's sign
	numExpDigits                 // exponent digits
)

// accepting reports whether a number may end after this phase.
func (p numPhase) accepting() bool {
	return p == numZero || p == numInt || p == numFrac || p == numExpDigits
}

// next returns the phase after c, or numNone if c does not continue the number.
func (p numPhase) next(c byte) numPhase {
	digit := '0' <= c && c <= '9'
	switch p {
	case numSign:
		if c == '0' {
			return numZero
		}
		if digit {
			return numInt
		}
	case numZero, numInt, numFrac:
		switch {
		case digit && p != numZero:
			return p
		case c == '.' && p != numFrac:
			return numDot
		case c == 'e' || c == 'E':
			return numExp
		}
	case numDot:
		if digit {
			return numFrac
		}
	case numExp:
		if c == '+' || c == '-' {
			return numExpSign
		}
		if digit {
			return numExpDigits
		}
	case numExpSign, numExpDigits:
		if digit {
			return numExpDigits
		}
	}
	return numNone
}

func plainStringByte(c byte) bool { return c >= 0x20 && c != '"' && c != '\\' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// step consumes one byte.
func (f *Formatter) step(c byte) {
	switch f.st {
	case stString:
		switch {
		case c == '"':
			f.text.WriteByte(c)
			f.endString()
		case c == '\\':
			f.text.WriteByte(c)
			f.st = stEscape
		case c < 0x20:
			f.fail(c, "in string literal")
		default:
			f.text.WriteByte(c)
		}
	case stEscape:
		switch c {
		case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			f.text.WriteByte(c)
			f.st = stString
		case 'u':
			f.text.WriteByte(c)
			f.st, f.hexLeft = stHex, 4
		default:
			f.fail(c, "in string escape code")
		}
	case stHex:
		if !isHex(c) {
			f.fail(c, `in \u hexadecimal character escape`)
			return
		}
		f.text.WriteByte(c)
		if f.hexLeft--; f.hexLeft == 0 {
			f.st = stString
		}
	case stNumber:
		if next := f.num.next(c); next != numNone {
			f.text.WriteByte(c)
			f.num = next
			return
		}
		if !f.num.accepting() {
			f.fail(c, "in numeric literal")
			return
		}
		// c ends the number and belongs to what follows it.
		f.seal()
		f.valueDone()
		f.step(c)
	case stLiteral:
		if c != f.lit[f.litPos] {
			f.fail(c, fmt.Sprintf("in literal %s (expecting %q)", f.lit, f.lit[f.litPos]))
			return
		}
		f.text.WriteByte(c)
		if f.litPos++; f.litPos == len(f.lit) {
			f.seal()
			f.valueDone()
		}
	default:
		if isSpace(c) {
			f.ws = append(f.ws, c)
			return
		}
		f.stepStructural(c)
	}
}

// stepStructural consumes a byte outside any token that is not whitespace.
func (f *Formatter) stepStructural(c byte) {
	switch f.st {
	case stValue:
		f.beginValue(c, "looking for beginning of value")
	case stTopEnd:
		f.beginValue(c, "after top-level value")
	case stValueOrClose:
		if c == ']' {
			f.closeEmpty("]")
			return
		}
		f.beginValue(c, "looking for beginning of value")
	case stKeyOrClose, stKey:
		switch {
		case c == '}' && f.st == stKeyOrClose:
			f.closeEmpty("}")
		case c == '"':
			f.beginToken()
			f.beginGrow(Key)
			f.text.WriteByte(c)
			f.st, f.isKey = stString, true
		default:
			f.fail(c, "looking for beginning of object key string")
		}
	case stColon:
		if c != ':' {
			f.fail(c, "after object key")
			return
		}
		f.ws = f.ws[:0]
		f.fixed(Punct, ":")
		f.fixed(Space, " ")
		f.top().filling = true
		f.pathOK = false
		f.st = stValue
	case stAfterValue:
		top := f.top()
		switch {
		case c == ',':
			f.ws = f.ws[:0]
			f.fixed(Punct, ",")
			f.newline = true
			if top.object {
				f.st = stKey
			} else {
				top.index++
				top.filling = true
				f.pathOK = false
				f.st = stValue
			}
		case c == '}' && top.object:
			f.close("}")
		case c == ']' && !top.object:
			f.close("]")
		case top.object:
			f.fail(c, "after object key:value pair")
		default:
			f.fail(c, "after array element")
		}
	}
}

// beginValue starts the value whose first byte is c; context describes the
// position for the error if c cannot start a value.
func (f *Formatter) beginValue(c byte, context string) {
	switch {
	case (c == '{' || c == '[') && len(f.stack) == maxDepth:
		f.fail(c, "exceeded max depth")
	case c == '{' || c == '[':
		f.beginToken()
		f.fill()
		object := c == '{'
		if object {
			f.fixed(Punct, "{")
			f.st = stKeyOrClose
		} else {
			f.fixed(Punct, "[")
			f.st = stValueOrClose
		}
		f.stack = append(f.stack, frame{object: object})
		f.newline = true // delayed, so that an empty container stays on one line
	case c == '"':
		f.beginToken()
		f.fill()
		f.beginGrow(String)
		f.text.WriteByte(c)
		f.st, f.isKey = stString, false
	case c == '-' || '0' <= c && c <= '9':
		f.beginToken()
		f.fill()
		f.beginGrow(Number)
		f.text.WriteByte(c)
		f.st = stNumber
		switch c {
		case '-':
			f.num = numSign
		case '0':
			f.num = numZero
		default:
			f.num = numInt
		}
	case c == 't' || c == 'f' || c == 'n':
		f.beginToken()
		f.fill()
		kind, lit := Bool, "true"
		switch c {
		case 'f':
			lit = "false"
		case 'n':
			kind, lit = Null, "null"
		}
		f.beginGrow(kind)
		f.text.WriteByte(c)
		f.st, f.lit, f.litPos = stLiteral, lit, 1
	default:
		f.fail(c, context)
	}
}

// beginToken starts a key or value: on a new line if one is owed.
func (f *Formatter) beginToken() {
	f.ws = f.ws[:0]
	if f.newline || len(f.lines) == 0 {
		f.newline = false
		f.startLine(len(f.stack))
	}
}

// fill marks the innermost container's value slot as being filled.
func (f *Formatter) fill() {
	if len(f.stack) > 0 && !f.top().filling {
		f.top().filling = true
		f.pathOK = false
	}
}

// endString handles the closing quote, already written.
func (f *Formatter) endString() {
	f.seal()
	if !f.isKey {
		f.valueDone()
		return
	}
	line := f.lines[len(f.lines)-1]
	key := line[len(line)-1].Text
	f.top().key = key[1 : len(key)-1]
	f.st = stColon
}

// closeEmpty closes a container right after it opened, on the same line.
func (f *Formatter) closeEmpty(punct string) {
	f.ws = f.ws[:0]
	f.newline = false
	f.fixed(Punct, punct)
	f.stack = f.stack[:len(f.stack)-1]
	f.valueDone()
}

// close closes a container that has content, on a line of its own.
func (f *Formatter) close(punct string) {
	f.ws = f.ws[:0]
	f.stack = f.stack[:len(f.stack)-1]
	f.startLine(len(f.stack))
	f.fixed(Punct, punct)
	f.valueDone()
}

// valueDone moves past a finished value.
func (f *Formatter) valueDone() {
	if len(f.stack) == 0 {
		f.st = stTopEnd
		f.newline = true // a further top-level value starts on its own line
		return
	}
	f.top().filling = false
	f.pathOK = false
	f.st = stAfterValue
}

func (f *Formatter) top() *frame { return &f.stack[len(f.stack)-1] }

// fail records that the input stopped being JSON at c, and shows the
// whitespace before c as invalid text; Write shows c and the rest.
func (f *Formatter) fail(c byte, context string) {
	f.err = &SyntaxError{Offset: f.off, Msg: fmt.Sprintf("invalid character %s %s", quoteByte(c), context)}
	f.st = stInvalid
	f.invalid(string(f.ws))
	f.ws = nil
}

func quoteByte(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c >= 0x20 && c < 0x7f {
		return "'" + string(c) + "'"
	}
	return fmt.Sprintf("0x%02x", c)
}
