package stream

import (
	"errors"
	"io"
	"sync"
	"time"

	"github.com/launchdarkly/eventsource"
)

// errStalled is returned by frameReader.next when no line arrived within
// the stall timeout.
var errStalled = errors.New("no data within the stall timeout")

// frameReader yields SSE frames from a body with eventsource's Decoder. It
// never reconnects: an LLM stream is one POST.
//
// The Decoder reads on a goroutine of its own that hands lines over an
// unbuffered channel and exits only once its terminal error has been taken
// by Decode. So a reader that stops early must close the body and keep
// calling Decode until that error comes; close does both.
type frameReader struct {
	body io.Reader
	dec  *eventsource.Decoder

	mu       sync.Mutex // held while Decode runs; Decode is not reentrant
	finished bool       // Decode returned its terminal error; never call it again
	once     sync.Once
}

func newFrameReader(body io.Reader, stall time.Duration) *frameReader {
	var opts []eventsource.DecoderOption
	if stall > 0 {
		opts = append(opts, eventsource.DecoderOptionReadTimeout(stall))
	}
	return &frameReader{body: body, dec: eventsource.NewDecoderWithOptions(body, opts...)}
}

// next returns the next frame's event name and data. Frames without data
// (a lone `event:` or `id:` line) are skipped, as the SSE spec says. The
// error is io.EOF at a clean end, errStalled on a stall, or the body's
// read error.
func (r *frameReader) next() (event, data string, err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for {
		if r.finished {
			return "", "", io.EOF
		}
		ev, err := r.dec.Decode()
		if err != nil {
			if errors.Is(err, eventsource.ErrReadTimeout) {
				return "", "", errStalled
			}
			r.finished = true
			return "", "", err
		}
		if ev.Data() == "" {
			continue
		}
		return ev.Event(), ev.Data(), nil
	}
}

// close ends the body and lets the Decoder's goroutine finish. It does not
// wait for a next call in progress on another goroutine: closing the body
// makes that call return.
func (r *frameReader) close() {
	r.once.Do(func() {
		if c, ok := r.body.(io.Closer); ok {
			_ = c.Close()
		}
		go r.drain()
	})
}

func (r *frameReader) drain() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for !r.finished {
		if _, err := r.dec.Decode(); err != nil && !errors.Is(err, eventsource.ErrReadTimeout) {
			r.finished = true
		}
	}
}
