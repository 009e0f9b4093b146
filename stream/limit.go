package stream

import (
	"fmt"
	"io"
)

// Defaults for the size limits. One event of OpenAI's is a few KB; the
// largest, response.completed, repeats the whole reply, and an image
// generation result is a few MB of base64. A reply of 128k tokens (the
// most any model writes at once) is about 0.5 MB of text; 4 MiB of one
// paragraph is what the chat can hold drawn under 300 MB.
const (
	DefaultMaxEventBytes = 4 << 20
	DefaultMaxReplyBytes = 4 << 20
)

// maxEventLines bounds the field lines of one event. The SSE decoder joins
// an event's data lines by string concatenation, which costs the event's
// size per line; real servers send two or three lines per event.
const maxEventLines = 512

// errEventTooLarge is the limitReader's error: the server sent a line or
// an event past the limit. The partial event is dropped.
type errEventTooLarge struct{ limit int }

func (e errEventTooLarge) Error() string {
	return fmt.Sprintf("an event larger than %s or of more than %d lines", byteSize(e.limit), maxEventLines)
}

// limitReader sits under the SSE decoder and fails the read that would
// take the current event past max bytes or maxEventLines lines, so the
// decoder, which buffers a whole line and a whole event, never holds more
// than max bytes whatever the server sends. It follows just enough of the
// SSE grammar for that: a line ends at LF, CR or CRLF, an empty line ends
// the event, and comment lines (":" first) are bounded as lines but not
// counted in the event, since the decoder drops them as they come.
type limitReader struct {
	r      io.Reader
	max    int
	line   int  // bytes of the current line
	event  int  // bytes of the current event's field lines
	lines  int  // field lines of the current event
	note   bool // the current line is a comment
	prevCR bool
	err    error
}

func newLimitReader(r io.Reader, max int) *limitReader { return &limitReader{r: r, max: max} }

func (l *limitReader) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	n, err := l.r.Read(p)
	for i, b := range p[:n] {
		switch {
		case b == '\n' && l.prevCR: // the CR of a CRLF already ended the line
			l.prevCR = false
		case b == '\n' || b == '\r':
			l.prevCR = b == '\r'
			l.endLine()
		default:
			l.prevCR = false
			if l.line == 0 {
				l.note = b == ':'
				if !l.note {
					l.lines++
				}
			}
			l.line++
			if !l.note {
				l.event++
			}
			if l.line > l.max || l.event > l.max || l.lines > maxEventLines {
				l.err = errEventTooLarge{l.max}
				return i, l.err
			}
		}
	}
	return n, err
}

func (l *limitReader) endLine() {
	if l.line == 0 { // an empty line ends the event
		l.event, l.lines = 0, 0
	}
	l.line, l.note = 0, false
}

// byteSize writes a limit for people: "4 MiB", "512 KiB", "300 B".
func byteSize(n int) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// Close closes the body under it, so closing the decoder still ends a read
// in progress.
func (l *limitReader) Close() error {
	if c, ok := l.r.(io.Closer); ok {
		return c.Close()
	}
	return nil
}
