package store

import (
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/parley-tui/parley/model"
)

// DefaultInterval is how often a Writer stores a streaming reply at most.
const DefaultInterval = 250 * time.Millisecond

// Writer stores one session's messages as they happen: a prompt when it is
// sent, a reply when its first delta arrives, then at most every interval
// while it streams, and at its end. Its methods are called from the UI
// goroutine and never touch the disk: each takes a snapshot of the message
// (FromMessage copies what it needs, so the caller keeps changing the
// message freely) and queues it for the Writer's own goroutine, which does
// the writing. Streaming updates of one reply are coalesced: only the
// newest is written.
//
// A message is known by its pointer, which the goroutine uses as a key and
// never dereferences.
type Writer struct {
	st       *Store
	interval time.Duration
	log      *slog.Logger

	sessionID string
	create    *Session // the session to create before the first message, if new

	mu     sync.Mutex
	queue  []writeOp
	closed bool
	err    error

	wake chan struct{} // capacity 1: "the queue has something"
	done chan struct{}

	progressWrites atomic.Int64 // for tests: streaming updates written
}

type opKind uint8

const (
	opUser opKind = iota
	opUserFailed
	opStart
	opProgress
	opFinish
	opRemove
	opTrack
	opFlush
	opToolResults
	opChoices
)

type writeOp struct {
	kind    opKind
	key     *model.Message
	msg     StoredMessage
	id      int64         // opTrack
	flushed chan struct{} // opFlush
	choices Choices       // opChoices
}

// WriterOption configures a Writer.
type WriterOption func(*Writer)

// WithInterval sets how often a streaming reply is stored at most.
func WithInterval(d time.Duration) WriterOption { return func(w *Writer) { w.interval = d } }

// WithLogger sets where write errors are logged (they are also kept for
// Err and Close).
func WithLogger(l *slog.Logger) WriterOption { return func(w *Writer) { w.log = l } }

// NewWriter returns a Writer appending to an existing session.
func NewWriter(st *Store, sessionID string, opts ...WriterOption) *Writer {
	return newWriter(st, sessionID, nil, opts)
}

// NewSessionWriter returns a Writer for a session not stored yet: it is
// created, with sess's fields, just before the first message is written,
// so a chat the user leaves without sending anything leaves nothing
// behind. An empty ID is generated now (SessionID tells it); an empty
// Title is taken from the first prompt.
func NewSessionWriter(st *Store, sess Session, opts ...WriterOption) *Writer {
	if sess.ID == "" {
		sess.ID = NewID()
	}
	return newWriter(st, sess.ID, &sess, opts)
}

func newWriter(st *Store, id string, create *Session, opts []WriterOption) *Writer {
	w := &Writer{st: st, interval: DefaultInterval, sessionID: id, create: create,
		wake: make(chan struct{}, 1), done: make(chan struct{})}
	for _, o := range opts {
		o(w)
	}
	if err := st.ReadOnly(); err != nil {
		// Nothing can be written: say why once, from Err and Close,
		// rather than failing every write.
		w.err = err
	}
	go w.run()
	return w
}

// SessionID is the session this Writer writes to.
func (w *Writer) SessionID() string { return w.sessionID }

// UserSent queues a prompt the user has just sent, with the files attached
// to it (their Data is stored as it is then: the caller must not change
// it).
func (w *Writer) UserSent(m *model.Message, attachments ...Attachment) {
	sm := fromMessage(m, false)
	sm.Attachments = slices.Clone(attachments)
	w.enqueue(writeOp{kind: opUser, key: m, msg: sm})
}

// SetChoices queues what the conversation now runs with (another model or
// role chosen in the chat), for a reopened session to restore. A session
// not created yet is created with them.
func (w *Writer) SetChoices(c Choices) { w.enqueue(writeOp{kind: opChoices, choices: c}) }

// UserFailed queues the failure of a prompt's request (m.Failed, m.Err).
func (w *Writer) UserFailed(m *model.Message) {
	w.enqueue(writeOp{kind: opUserFailed, key: m, msg: fromMessage(m, false)})
}

// AssistantStarted queues a reply whose first delta has arrived.
func (w *Writer) AssistantStarted(m *model.Message) {
	sm := fromMessage(m, false)
	sm.Status = StatusStreaming
	w.enqueue(writeOp{kind: opStart, key: m, msg: sm})
}

// AssistantProgress queues what a streaming reply holds now. Call it as
// often as convenient (every batch of deltas): the Writer stores the newest
// at most every interval. A reply not started yet is started.
func (w *Writer) AssistantProgress(m *model.Message) {
	sm := fromMessage(m, false)
	sm.Status = StatusStreaming
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return
	}
	if n := len(w.queue); n > 0 && w.queue[n-1].kind == opProgress && w.queue[n-1].key == m {
		w.queue[n-1].msg = sm // not taken yet: replace it
		return
	}
	w.push(writeOp{kind: opProgress, key: m, msg: sm})
}

// AssistantFinished queues a reply's final state: its status (completed,
// incomplete, failed, cancelled) comes from m.
func (w *Writer) AssistantFinished(m *model.Message) {
	w.enqueue(writeOp{kind: opFinish, key: m, msg: fromMessage(m, true)})
}

// ToolResults queues the results of the calls reply made (tool messages
// with CallID, Text, ToolFailed and Duration), stored with the calls.
func (w *Writer) ToolResults(reply *model.Message, results []*model.Message) {
	sm := fromMessage(reply, false)
	for _, r := range results {
		for i := range sm.ToolCalls {
			if c := &sm.ToolCalls[i]; c.CallID == r.CallID {
				c.Output, c.Duration, c.Status = r.Text, r.Duration, "done"
				if r.ToolFailed {
					c.Status = "failed"
				}
			}
		}
	}
	w.enqueue(writeOp{kind: opToolResults, key: reply, msg: sm})
}

// Removed queues the removal of a message the conversation dropped (a
// failed prompt sent again).
func (w *Writer) Removed(m *model.Message) { w.enqueue(writeOp{kind: opRemove, key: m}) }

// Track tells the Writer that m is the stored message id, for a
// conversation rebuilt from the store, so later calls about m find it.
func (w *Writer) Track(m *model.Message, id int64) { w.enqueue(writeOp{kind: opTrack, key: m, id: id}) }

// Flush blocks until everything queued so far is written (streaming
// updates held back by the interval included) and returns the first write
// error, if any.
func (w *Writer) Flush() error {
	ch := make(chan struct{})
	if !w.enqueue(writeOp{kind: opFlush, flushed: ch}) {
		return w.Err()
	}
	select {
	case <-ch:
	case <-w.done:
	}
	return w.Err()
}

// Close writes what is queued, marks replies started but not finished as
// interrupted, stops the goroutine and returns the first write error. Later
// calls do nothing.
func (w *Writer) Close() error {
	w.mu.Lock()
	if !w.closed {
		w.closed = true
		w.signal()
	}
	w.mu.Unlock()
	<-w.done
	return w.Err()
}

// Err returns the first write error.
func (w *Writer) Err() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.err
}

func (w *Writer) enqueue(op writeOp) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return false
	}
	w.push(op)
	return true
}

// push appends op and wakes the goroutine; w.mu is held.
func (w *Writer) push(op writeOp) {
	w.queue = append(w.queue, op)
	w.signal()
}

func (w *Writer) signal() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

func (w *Writer) take() ([]writeOp, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	ops := w.queue
	w.queue = nil
	return ops, w.closed
}

func (w *Writer) fail(err error) {
	if err == nil {
		return
	}
	if w.log != nil {
		w.log.Error("storing the session", "session", w.sessionID, "err", err)
	}
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
}
