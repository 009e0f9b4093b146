package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/parley-tui/parley/model"
)

// InterruptedOutput is the result a tool call gets when Parley stopped
// (was killed, crashed, was closed) after the model asked for it and before
// it ran: the model is told the call did not run, and the conversation can
// go on (a request with a call and no result is refused by the server).
// It is model.Conversation.Repair's, so a session repaired here and a
// conversation repaired in memory say the same.
const InterruptedOutput = model.InterruptedOutput

// ToolStatusInterrupted is the Status of a call repaired with
// InterruptedOutput.
const ToolStatusInterrupted = "interrupted"

// RepairToolCalls gives every tool call in msgs that has no result
// InterruptedOutput as its failed result, and returns the indexes of the
// messages it changed. It only needs the messages: a session being
// reopened is repaired before any request is built from it.
func RepairToolCalls(msgs []StoredMessage) []int {
	var changed []int
	for i := range msgs {
		if repairCalls(&msgs[i].ToolCalls) {
			changed = append(changed, i)
		}
	}
	return changed
}

// repairCalls repairs the calls without a result; the slice is copied
// before it changes, since a caller may share it.
func repairCalls(calls *[]ToolCall) bool {
	copied := false
	for j, c := range *calls {
		if c.Status != "" {
			continue
		}
		if !copied {
			*calls = append([]ToolCall(nil), *calls...)
			copied = true
		}
		c.Output, c.Status, c.Duration = InterruptedOutput, ToolStatusInterrupted, 0
		(*calls)[j] = c
	}
	return copied
}

// ResumeSession loads a session to go on with it (--continue, --session,
// opening it in the chat): like LoadSession, with the attachments'
// content, and repaired first. Every tool call left without a result gets
// InterruptedOutput, in the messages returned and in the database, so the
// next request is one the server accepts. A reply still streaming in
// another Parley is repaired in what is returned only.
//
// On a database Parley cannot write, the messages come back repaired all
// the same, with an error wrapping ErrReadOnly: the caller can go on, and
// say the session is not saved.
func (s *Store) ResumeSession(ctx context.Context, id string) (Session, []StoredMessage, error) {
	sess, msgs, err := s.LoadSession(ctx, id)
	if err != nil {
		return Session{}, nil, err
	}
	if err := s.LoadAttachmentData(ctx, msgs); err != nil {
		return Session{}, nil, err
	}
	var ids []int64
	for _, i := range RepairToolCalls(msgs) {
		if msgs[i].Status != StatusStreaming {
			ids = append(ids, msgs[i].ID)
		}
	}
	if len(ids) == 0 {
		return sess, msgs, nil
	}
	err = s.write(ctx, func(tx *sql.Tx) error {
		for _, id := range ids {
			if err := repairStored(ctx, tx, id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		err = fmt.Errorf("saving the repaired tool calls: %w", err)
	}
	return sess, msgs, err
}

// repairStored repairs one reply's calls as the database holds them now:
// a result another Parley wrote since they were loaded is kept.
func repairStored(ctx context.Context, tx *sql.Tx, id int64) error {
	var enc string
	err := tx.QueryRowContext(ctx, "SELECT tool_calls FROM messages WHERE id = ? AND status <> 'streaming'", id).Scan(&enc)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // removed, or streaming again: nothing to repair
	}
	if err != nil {
		return err
	}
	var calls []ToolCall
	if err := json.Unmarshal([]byte(enc), &calls); err != nil {
		return fmt.Errorf("message %d: %w", id, err)
	}
	if !repairCalls(&calls) {
		return nil
	}
	b, err := json.Marshal(calls)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, "UPDATE messages SET tool_calls = ? WHERE id = ?", string(b), id)
	return err
}
