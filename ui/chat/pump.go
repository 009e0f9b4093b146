package chat

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
)

// FrameInterval is how often a streaming reply may repaint. Nearly all of
// what a streaming reply costs is paid per frame (the terminal renderer's
// cell diff, composing the frame, the open block's render, the thread
// wake-ups): at 30 frames a second a 64 KB reply cost 1.0-1.4 CPU-s, at 20
// about a fifth less (docs/PERFORMANCE.md, issue 15's budget is 0.8). 20
// frames a second still looks live: a model writes about two lines in 50
// ms.
const FrameInterval = 50 * time.Millisecond

// A batch holds at most this many choices or delta bytes: the work one
// batch costs Update stays bounded however fast the server sends, so a key
// pressed meanwhile waits at most one bounded batch (BenchmarkBatchUpdate
// measures it), and a stream faster than that waits in the network.
const (
	maxBatchChoices = 256
	maxBatchBytes   = 16 << 10
)

// turnStartedMsg says the server answered and its first event arrived.
type turnStartedMsg struct {
	id   int
	pump *pump
}

// turnFailedMsg says the request failed before any reply (after retries).
type turnFailedMsg struct {
	id  int
	err *stream.Error
}

// choicesMsg carries the choices that arrived during one frame. done is
// set once the stream has nothing more to give.
type choicesMsg struct {
	id      int
	choices []stream.Choice
	at      time.Time
	done    bool
}

// startTurn sends the request on a command goroutine: network I/O never
// runs in Update.
func startTurn(ctx context.Context, client Streamer, req stream.Request, id int, clock func() time.Time) tea.Cmd {
	return func() tea.Msg {
		s, err := client.Stream(ctx, req)
		if err != nil {
			e, ok := err.(*stream.Error)
			if !ok {
				e = &stream.Error{Code: stream.CodeConnection, Message: err.Error(), Cause: err}
			}
			return turnFailedMsg{id: id, err: e}
		}
		return turnStartedMsg{id: id, pump: newPump(s, clock)}
	}
}

// pump moves choices from a stream to the UI in frame-sized batches. Its
// reader goroutine takes a batch, what the bytes already read hold, waits
// for the batch's frame, and hands it over; then it reads again, and that
// one read takes everything that arrived during the wait. So a streaming
// reply costs a read, a timer and a hand-off per frame, not a wake-up per
// delta (at 200 deltas a second, those wake-ups were most of the CPU
// Parley spent in the kernel). next is the tea.Cmd that waits for a batch;
// only one runs at a time (Update issues the following one when a batch
// lands).
type pump struct {
	s       choiceSource
	batches chan []stream.Choice
	stop    chan struct{}
	last    time.Time // real time of the last delivery, for pacing; the reader's own
	// clock stamps batches with the model's time (tests pin it); pacing
	// always uses real time.
	clock func() time.Time
	// crashed is a panic of the reader, set before batches closes: the
	// next command panics with it, where the program's crash guard sees it.
	crashed *GoroutinePanic
}

// choiceSource is what the pump reads: a *stream.Stream.
type choiceSource interface {
	Next() (stream.Choice, error)
	// TryNext returns a choice the bytes already read hold, or ok false
	// without waiting for the network.
	TryNext() (c stream.Choice, ok bool, err error)
	Close() error
}

func newPump(s choiceSource, clock func() time.Time) *pump {
	if clock == nil {
		clock = time.Now
	}
	p := &pump{s: s, batches: make(chan []stream.Choice), stop: make(chan struct{}), clock: clock}
	go p.read()
	return p
}

func (p *pump) read() {
	defer close(p.batches)
	defer p.s.Close()
	// A panic here would end the program without the crash guard, which
	// sees only Update, View and commands: it is carried to the command
	// that reads the channel.
	defer func() {
		if r := recover(); r != nil {
			p.crashed = &GoroutinePanic{Value: r, Stack: debug.Stack()}
		}
	}()
	for {
		batch, end := p.take()
		if len(batch) == 0 {
			return
		}
		// The first delta after a quiet spell shows at once; after that,
		// deltas wait for the next frame. A full batch waits for its frame
		// too: however fast the server sends, Update gets one bounded
		// batch per frame, and keys have the rest of the frame. The end of
		// the stream goes out at once.
		if wait := time.Until(p.last.Add(FrameInterval)); wait > 0 && !end {
			t := time.NewTimer(wait)
			select {
			case <-t.C:
			case <-p.stop:
				t.Stop()
				return
			}
		}
		select {
		case p.batches <- batch:
			p.last = time.Now()
		case <-p.stop:
			return
		}
		if end {
			return
		}
	}
}

// take waits for a choice, then takes those that already arrived, up to a
// full batch. end reports that the stream has nothing more.
func (p *pump) take() (batch []stream.Choice, end bool) {
	c, err := p.s.Next()
	if err != nil {
		return nil, true
	}
	batch = []stream.Choice{c}
	size := len(c.Delta)
	for len(batch) < maxBatchChoices && size < maxBatchBytes {
		if c.Kind == stream.KindDone {
			return batch, true
		}
		var ok bool
		c, ok, err = p.s.TryNext()
		switch {
		case err != nil:
			return batch, true
		case !ok:
			return batch, false
		}
		batch, size = append(batch, c), size+len(c.Delta)
	}
	return batch, c.Kind == stream.KindDone
}

// close stops the reader; the stream's own cancel ends a blocked Next.
func (p *pump) close() {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	p.s.Close()
}

func (p *pump) next(id int) tea.Cmd {
	return func() tea.Msg {
		batch, ok := <-p.batches
		if !ok {
			if p.crashed != nil {
				panic(p.crashed)
			}
			return choicesMsg{id: id, done: true, at: p.clock()}
		}
		return choicesMsg{id: id, choices: batch, at: p.clock()}
	}
}

// Batch is the message a batch of choices for the reply with the given
// id arrives as, for callers that feed choices themselves (tests,
// benchmarks) rather than through a stream.
func Batch(id int, at time.Time, choices ...stream.Choice) tea.Msg {
	return choicesMsg{id: id, choices: choices, at: at}
}

// RequestFailed is the message a request that failed before any reply
// arrives as, for callers that feed it themselves.
func RequestFailed(id int, err *stream.Error) tea.Msg { return turnFailedMsg{id: id, err: err} }

// Tick is the message of the controller's clock, for callers that drive
// it by hand: the status bar's countdowns and clocks move on it.
func Tick() tea.Msg { return tickMsg{} }

// GoroutinePanic is a panic recovered on a goroutine the chat starts
// itself (the stream's reader), carried to a command, which panics with
// it: the program's crash guard, which sees commands, reports it like any
// other (terminal restored, trace in the log, exit 70), with the stack of
// the goroutine where it happened.
type GoroutinePanic struct {
	Value any
	Stack []byte
}

func (p *GoroutinePanic) String() string { return fmt.Sprint(p.Value) }

// Trace is the stack of the goroutine that panicked.
func (p *GoroutinePanic) Trace() []byte { return p.Stack }
