package store

import (
	"context"
	"errors"
	"time"

	"github.com/parley-tui/parley/model"
)

// The Writer's goroutine: it takes what the UI goroutine queued and writes
// it, holding streaming updates back to one per interval.

// writerState is the goroutine's own: no lock.
type writerState struct {
	ids       map[*model.Message]int64
	streaming map[*model.Message]bool          // started, not finished
	held      map[*model.Message]StoredMessage // streaming updates waiting for their interval
	stored    map[*model.Message]StoredMessage // what was stored of each streaming reply: the next write appends to it
	lastWrite map[*model.Message]time.Time
	rowWrite  map[*model.Message]time.Time // when each streaming reply's row (not its deltas) was last written
	created   bool
}

func (w *Writer) run() {
	defer close(w.done)
	st := &writerState{ids: map[*model.Message]int64{}, streaming: map[*model.Message]bool{},
		held: map[*model.Message]StoredMessage{}, stored: map[*model.Message]StoredMessage{},
		lastWrite: map[*model.Message]time.Time{}, rowWrite: map[*model.Message]time.Time{}}
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
	if w.st.ro != nil {
		if op.kind == opFlush {
			close(op.flushed)
		}
		return // said once, by Err
	}
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
		delete(st.stored, op.key)
		delete(st.rowWrite, op.key)
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
		delete(st.stored, op.key)
		delete(st.rowWrite, op.key)
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
	case opChoices:
		if w.create != nil && !st.created {
			w.create.SetChoices(op.choices)
			return
		}
		w.fail(w.st.SetSessionChoices(ctx, w.sessionID, op.choices))
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
		st.stored[key] = sm
		st.lastWrite[key] = time.Now()
		st.rowWrite[key] = st.lastWrite[key]
	}
}

func (w *Writer) progress(st *writerState, key *model.Message, sm StoredMessage) {
	id := st.ids[key]
	if id == 0 || !st.streaming[key] {
		return
	}
	touch := time.Since(st.rowWrite[key]) >= rowTouchEvery
	wroteRow, err := w.st.appendProgress(context.Background(), id, st.stored[key], sm, touch)
	w.progressWrites.Add(1)
	st.lastWrite[key] = time.Now()
	if err == nil {
		st.stored[key] = sm
		if wroteRow {
			st.rowWrite[key] = st.lastWrite[key]
		}
	}
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
	if w.st.ro != nil {
		return
	}
	for k := range st.streaming {
		err := w.st.InterruptMessage(context.Background(), st.ids[k])
		if !errors.Is(err, ErrNotStreaming) {
			w.fail(err)
		}
	}
}
