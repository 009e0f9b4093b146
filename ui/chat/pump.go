package chat

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
)

// FrameInterval is how often a streaming reply may repaint. The baseline
// (shared/docs/performance-baseline.md §5) measured frame composition as
// the largest per-frame cost; 30 repaints a second looks live and halves
// it against 60.
const FrameInterval = 33 * time.Millisecond

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

// pump moves choices from a stream to the UI in frame-sized batches. A
// reader goroutine pulls choices into a channel; next is the tea.Cmd that
// waits for the first choice of a batch, then gathers what else arrives
// until the frame is due. Only one next command runs at a time (Update
// issues the following one when a batch lands), so last needs no lock.
type pump struct {
	s    choiceSource
	ch   chan stream.Choice
	stop chan struct{}
	last time.Time // real time of the last delivery, for pacing
	// clock stamps batches with the model's time (tests pin it); pacing
	// always uses real time.
	clock func() time.Time
	// crashed is a panic of the reader, set before ch closes: the next
	// command panics with it, where the program's crash guard sees it.
	crashed *GoroutinePanic
}

// choiceSource is what the pump reads: a *stream.Stream.
type choiceSource interface {
	Next() (stream.Choice, error)
	Close() error
}

func newPump(s choiceSource, clock func() time.Time) *pump {
	if clock == nil {
		clock = time.Now
	}
	p := &pump{s: s, ch: make(chan stream.Choice, 512), stop: make(chan struct{}), clock: clock}
	go p.read()
	return p
}

func (p *pump) read() {
	defer close(p.ch)
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
		c, err := p.s.Next()
		if err != nil {
			return
		}
		select {
		case p.ch <- c:
		case <-p.stop:
			return
		}
	}
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
		c, ok := <-p.ch
		if !ok {
			if p.crashed != nil {
				panic(p.crashed)
			}
			return choicesMsg{id: id, done: true, at: p.clock()}
		}
		batch := []stream.Choice{c}
		size := len(c.Delta)
		full := func() bool { return len(batch) >= maxBatchChoices || size >= maxBatchBytes }
		// The first delta after a quiet spell shows at once; after that,
		// deltas wait for the next frame. A full batch stops taking
		// choices (the stream waits behind it) but still waits for its
		// frame: however fast the server sends, Update gets one bounded
		// batch per frame, and keys have the rest of the frame.
		due := p.last.Add(FrameInterval)
		for {
			wait := time.Until(due)
			if wait <= 0 {
				// Take what is already queued without waiting.
				for len(p.ch) > 0 && !full() {
					c, ok := <-p.ch
					if !ok {
						return p.endBatch(id, batch)
					}
					batch, size = append(batch, c), size+len(c.Delta)
				}
				return p.deliver(id, batch, false)
			}
			t := time.NewTimer(wait)
			if full() {
				select {
				case <-t.C:
				case <-p.stop:
					t.Stop()
				}
				return p.deliver(id, batch, false)
			}
			select {
			case c, ok := <-p.ch:
				t.Stop()
				if !ok {
					return p.endBatch(id, batch)
				}
				batch, size = append(batch, c), size+len(c.Delta)
			case <-t.C:
			}
		}
	}
}

// endBatch delivers the last batch of a stream, unless its reader
// panicked.
func (p *pump) endBatch(id int, batch []stream.Choice) choicesMsg {
	if p.crashed != nil {
		panic(p.crashed)
	}
	return p.deliver(id, batch, true)
}

func (p *pump) deliver(id int, batch []stream.Choice, done bool) choicesMsg {
	p.last = time.Now()
	return choicesMsg{id: id, choices: batch, at: p.clock(), done: done}
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
