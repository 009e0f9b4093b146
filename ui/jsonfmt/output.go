package jsonfmt

import (
	"strconv"
	"strings"
)

// Output is append-only: a byte of input only ever adds spans to the open
// (last) line or starts a new one. Lines before the open one are frozen.

// spansPerLine is the room given to each new line: indentation, key, ':',
// ' ', value, ','. A line that needs more grows on its own, never into the
// next line's room.
const spansPerLine = 6

// startLine freezes the open line and opens a new one indented to depth.
func (f *Formatter) startLine(depth int) {
	f.seal()
	if len(f.arena) < spansPerLine {
		f.arena = make([]Span, 64*spansPerLine)
	}
	line := Line(f.arena[:0:spansPerLine])
	f.arena = f.arena[spansPerLine:]
	if n := depth * f.indent; n > 0 {
		line = append(line, Span{Kind: Space, Text: f.indentation(n)})
	}
	f.lines = append(f.lines, line)
}

// fixed adds a span whose text will not grow.
func (f *Formatter) fixed(kind TokenKind, text string) {
	f.seal()
	f.addSpan(Span{Kind: kind, Text: text})
}

// beginGrow adds a span whose text is whatever is written to f.text from
// now until the next seal.
func (f *Formatter) beginGrow(kind TokenKind) {
	f.seal()
	f.addSpan(Span{Kind: kind})
	f.growing, f.growKind, f.growFrom = true, kind, f.text.Len()
}

// seal fixes the text of the growing span, if any.
func (f *Formatter) seal() {
	if !f.growing {
		return
	}
	line := f.lines[len(f.lines)-1]
	line[len(line)-1].Text = f.text.String()[f.growFrom:]
	f.growing = false
}

func (f *Formatter) addSpan(s Span) {
	last := &f.lines[len(f.lines)-1]
	*last = append(*last, s)
}

// invalid shows raw input as Invalid spans, starting a new unindented line
// at each newline so that the text reads as it was written.
func (f *Formatter) invalid(s string) {
	if len(f.lines) == 0 {
		f.startLine(0)
	}
	for {
		seg, rest, more := strings.Cut(s, "\n")
		if seg != "" {
			if !f.growing || f.growKind != Invalid {
				f.beginGrow(Invalid)
			}
			f.text.WriteString(seg)
		}
		if !more {
			return
		}
		f.startLine(0)
		s = rest
	}
}

// indentation returns n spaces without allocating each time.
func (f *Formatter) indentation(n int) string {
	if len(f.spaces) < n {
		f.spaces = strings.Repeat(" ", max(2*n, 64))
	}
	return f.spaces[:n]
}

// buildPath joins the open value slots from the outermost container in.
func (f *Formatter) buildPath() string {
	var b strings.Builder
	for _, fr := range f.stack {
		if !fr.filling {
			break
		}
		if fr.object {
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(fr.key)
		} else {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(fr.index))
			b.WriteByte(']')
		}
	}
	return b.String()
}
