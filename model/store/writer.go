package store

import (
	"context"
	"errors"
	"log/slog"
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
)

type writeOp struct {
	kind    opKind
	key     *model.Message
	msg     StoredMessage
	id      int64         // opTrack
	flushed chan struct{} // opFlush
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
	go w.run()
	return w
}

// SessionID is the session this Writer writes to.
func (w *Writer) SessionID() string { return w.sessionID }

// UserSent queues a prompt the user has just sent.
func (w *Writer) UserSent(m *model.Message) {
	w.enqueue(writeOp{kind: opUser, key: m, msg: fromMessage(m, false)})
}

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

// writerState is the goroutine's own: no lock.
type writerState struct {
	ids       map[*model.Message]int64
	streaming map[*model.Message]bool          // started, not finished
	held      map[*model.Message]StoredMessage // streaming updates waiting for their interval
	lastWrite map[*model.Message]time.Time
	created   bool
}

func (w *Writer) run() {
	defer close(w.done)
	st := &writerState{ids: map[*model.Message]int64{}, streaming: map[*model.Message]bool{},
		held: map[*model.Message]StoredMessage{}, lastWrite: map[*model.Message]time.Time{}}
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for {
		select {
		case <-w.wake:
		case <-timer.C:
		}
		ops, closed := w.take()
		for _, op := range ops {
			w.apply(st, op)
		}
		if closed {
			w.writeHeld(st, time.Time{})
			w.interruptStreaming(st)
			return
		}
		if next := w.writeHeld(st, time.Now()); !next.IsZero() {
			timer.Reset(time.Until(next))
		}
	}
}

// writeHeld writes the held updates that are due at now (all of them when
// now is zero) and returns when the next one is due.
func (w *Writer) writeHeld(st *writerState, now time.Time) time.Time {
	var next time.Time
	for k, sm := range st.held {
		due := st.lastWrite[k].Add(w.interval)
		if !now.IsZero() && now.Before(due) {
			if next.IsZero() || due.Before(next) {
				next = due
			}
			continue
		}
		delete(st.held, k)
		w.progress(st, k, sm)
	}
	return next
}

func (w *Writer) apply(st *writerState, op writeOp) {
	ctx := context.Background()
	switch op.kind {
	case opUser:
		if w.ensureSession(st, op.msg.Text) {
			id, err := w.st.AppendUserMessage(ctx, w.sessionID, op.msg)
			w.fail(err)
			if err == nil {
				st.ids[op.key] = id
			}
		}
	case opUserFailed:
		if id := st.ids[op.key]; id != 0 {
			w.fail(w.st.FailUserMessage(ctx, id, op.msg.Error))
		} else if w.ensureSession(st, op.msg.Text) {
			op.msg.Status = StatusFailed
			id, err := w.st.AppendUserMessage(ctx, w.sessionID, op.msg)
			w.fail(err)
			if err == nil {
				st.ids[op.key] = id
			}
		}
	case opStart:
		if st.ids[op.key] == 0 {
			w.begin(st, op.key, op.msg)
		}
	case opProgress:
		if st.ids[op.key] == 0 {
			w.begin(st, op.key, op.msg)
			return
		}
		if time.Since(st.lastWrite[op.key]) >= w.interval {
			delete(st.held, op.key)
			w.progress(st, op.key, op.msg)
			return
		}
		st.held[op.key] = op.msg
	case opFinish:
		delete(st.held, op.key)
		delete(st.streaming, op.key)
		if id := st.ids[op.key]; id != 0 {
			w.fail(w.st.FinishAssistantMessage(ctx, id, op.msg))
		} else if w.ensureSession(st, "") {
			id, err := w.st.insert(ctx, w.sessionID, op.msg, false)
			w.fail(err)
			if err == nil {
				st.ids[op.key] = id
			}
		}
	case opRemove:
		delete(st.held, op.key)
		delete(st.streaming, op.key)
		if id := st.ids[op.key]; id != 0 {
			delete(st.ids, op.key)
			w.fail(w.st.DeleteMessage(ctx, id))
		}
	case opTrack:
		st.ids[op.key] = op.id
	case opToolResults:
		if id := st.ids[op.key]; id != 0 {
			w.fail(w.st.SetToolCalls(ctx, id, op.msg.ToolCalls))
		}
	case opFlush:
		w.writeHeld(st, time.Time{})
		close(op.flushed)
	}
}

func (w *Writer) begin(st *writerState, key *model.Message, sm StoredMessage) {
	if !w.ensureSession(st, "") {
		return
	}
	id, err := w.st.BeginAssistantMessage(context.Background(), w.sessionID, sm)
	w.fail(err)
	if err == nil {
		st.ids[key] = id
		st.streaming[key] = true
		st.lastWrite[key] = time.Now()
	}
}

func (w *Writer) progress(st *writerState, key *model.Message, sm StoredMessage) {
	id := st.ids[key]
	if id == 0 || !st.streaming[key] {
		return
	}
	err := w.st.UpdateAssistantMessage(context.Background(), id, sm)
	w.progressWrites.Add(1)
	st.lastWrite[key] = time.Now()
	w.fail(err)
}

// ensureSession creates a new session before its first message; title is
// that message's text, for a session without a title.
func (w *Writer) ensureSession(st *writerState, title string) bool {
	if w.create == nil || st.created {
		return true
	}
	sess := *w.create
	if sess.Title == "" {
		sess.Title = TitleFrom(title)
	}
	_, err := w.st.CreateSession(context.Background(), sess)
	w.fail(err)
	st.created = err == nil
	return st.created
}

func (w *Writer) interruptStreaming(st *writerState) {
	for k := range st.streaming {
		err := w.st.InterruptMessage(context.Background(), st.ids[k])
		if !errors.Is(err, ErrNotStreaming) {
			w.fail(err)
		}
	}
}
