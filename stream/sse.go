package stream

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// errStalled is returned by frameReader.next when no byte arrived within
// the stall timeout.
var errStalled = errors.New("no data within the stall timeout")

// errWouldBlock is returned by frameReader.next(false) when the next frame
// is not complete in what was already read.
var errWouldBlock = errors.New("the next frame needs a read")

// frameReader yields SSE frames from a body, on the caller's goroutine. It
// never reconnects: an LLM stream is one POST.
//
// It reads the body through a buffer and parses lines itself (LF, CR or
// CRLF end a line; an empty line ends a frame; ":" starts a comment;
// "event" and "data" are the fields kept, data lines joined by "\n"), as
// the SSE spec says. launchdarkly/eventsource, which did this before, reads
// on a goroutine of its own and hands every line over a channel, and
// restarts a timer per line: three goroutine hand-offs and three timer
// resets per event, each a wake-up of a thread, which cost more CPU than
// decoding the JSON. Here a frame costs no hand-off, and next(false) says
// when a frame is not complete yet without waiting for the network, so a
// caller can take what arrived and read again only once per frame.
type frameReader struct {
	body  io.Reader
	br    *bufio.Reader
	stall time.Duration

	// The frame being read, kept across next(false) calls that stopped
	// for lack of bytes.
	line    []byte // the line so far
	skipLF  bool   // a CR ended the last line: a LF right after it is part of it
	inFrame bool   // a field line of this frame was read
	event   string
	data    []byte
	err     error // the read error that ended the body, returned from then on

	// The stall watchdog counts only time spent waiting in a read: a
	// caller that reads once per frame is not a silent server.
	watchdog *time.Timer
	waited   time.Duration // waiting since the last byte arrived
	stalled  atomic.Bool
	once     sync.Once
}

// readBuffer is the size of one read: a frame's worth of events (a few KB)
// comes in one.
const readBuffer = 32 << 10

func newFrameReader(body io.Reader, stall time.Duration) *frameReader {
	return &frameReader{body: body, br: bufio.NewReaderSize(body, readBuffer), stall: stall}
}

// next returns the next frame's event name and data. Frames without data
// (a lone `event:` or `id:` line) are skipped, as the SSE spec says. The
// error is io.EOF at a clean end, io.ErrUnexpectedEOF at an end inside a
// frame, errStalled on a stall, or the body's read error. With block
// false, it returns errWouldBlock instead of reading the body, and the
// frame read so far is kept for the next call.
func (r *frameReader) next(block bool) (event, data string, err error) {
	for {
		line, err := r.readLine(block)
		if err != nil {
			return "", "", err
		}
		if len(line) == 0 {
			if !r.inFrame {
				continue
			}
			event, data := r.event, string(bytes.TrimSuffix(r.data, []byte{'\n'}))
			r.inFrame, r.event, r.data = false, "", shrink(r.data)
			if data == "" {
				continue
			}
			return event, data, nil
		}
		if line[0] == ':' {
			continue // a comment
		}
		r.inFrame = true
		field, value, _ := bytes.Cut(line, []byte{':'})
		value = bytes.TrimPrefix(value, []byte{' '})
		switch string(field) {
		case "event":
			r.event = string(value)
		case "data":
			r.data = append(append(r.data, value...), '\n')
		}
	}
}

// readLine returns the next line without its end. The slice is valid
// until the next call.
func (r *frameReader) readLine(block bool) ([]byte, error) {
	for {
		if r.br.Buffered() == 0 {
			if !block {
				return nil, errWouldBlock
			}
			if err := r.fill(); err != nil {
				return nil, err
			}
		}
		buf, _ := r.br.Peek(r.br.Buffered())
		if r.skipLF {
			r.skipLF = false
			if buf[0] == '\n' {
				_, _ = r.br.Discard(1)
				continue
			}
		}
		i := bytes.IndexAny(buf, "\r\n")
		if i < 0 {
			r.line = append(r.line, buf...)
			_, _ = r.br.Discard(len(buf))
			continue
		}
		line := append(r.line, buf[:i]...)
		r.skipLF = buf[i] == '\r'
		_, _ = r.br.Discard(i + 1)
		r.line = shrink(line)
		return line, nil
	}
}

// shrink empties a buffer for reuse, unless one huge line or frame made
// it large: that memory goes back.
func shrink(b []byte) []byte {
	if cap(b) > readBuffer {
		return nil
	}
	return b[:0]
}

// fill reads the body into the buffer, waiting for at least one byte.
func (r *frameReader) fill() error {
	if r.err != nil {
		return r.err
	}
	if r.stall > 0 {
		if r.watchdog == nil {
			r.watchdog = time.AfterFunc(r.stall-r.waited, r.onStall)
		} else {
			r.watchdog.Reset(r.stall - r.waited)
		}
	}
	began := time.Now()
	_, err := r.br.Peek(1)
	if r.watchdog != nil {
		r.watchdog.Stop()
	}
	switch {
	case r.stalled.Load():
		r.err = errStalled
	case err == nil:
		r.waited = 0
		return nil
	case errors.Is(err, io.EOF) && r.inFrame:
		r.err = io.ErrUnexpectedEOF
	default:
		r.err = err
		r.waited += time.Since(began)
	}
	return r.err
}

// onStall ends a read that waited the whole stall timeout.
func (r *frameReader) onStall() {
	r.stalled.Store(true)
	r.close()
}

// close ends the body, so a read in progress on another goroutine returns.
// Safe to call more than once and from any goroutine.
func (r *frameReader) close() {
	r.once.Do(func() {
		if c, ok := r.body.(io.Closer); ok {
			_ = c.Close()
		}
	})
}
