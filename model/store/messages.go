package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

// Status is where a stored message is in its life.
type Status string

const (
	StatusStreaming   Status = "streaming"   // a reply still arriving
	StatusCompleted   Status = "completed"   // a prompt sent, or a reply the server finished
	StatusIncomplete  Status = "incomplete"  // the server stopped early (max tokens, content filter)
	StatusFailed      Status = "failed"      // a prompt whose request failed, or a reply cut by an error
	StatusCancelled   Status = "cancelled"   // the user stopped the reply
	StatusInterrupted Status = "interrupted" // Parley stopped (crashed, was killed) while the reply streamed
)

// ToolCall is a call the model asked Parley to run. Output, Status and
// Duration are filled in once Parley runs tools.
type ToolCall struct {
	Type        string        `json:"type"`
	ItemID      string        `json:"item_id,omitempty"`
	CallID      string        `json:"call_id"`
	Name        string        `json:"name"`
	Arguments   string        `json:"arguments"`
	Output      string        `json:"output,omitempty"`
	Status      string        `json:"status,omitempty"`
	Duration    time.Duration `json:"duration,omitempty"`
	OutputIndex int           `json:"output_index"`
}

// StoredMessage is one message as the database holds it. ToMessage turns it
// back into a model.Message; FromMessage takes a snapshot of one.
type StoredMessage struct {
	ID        int64      `json:"id"`
	SessionID string     `json:"session_id"`
	Seq       int        `json:"seq"` // order in the session (gaps where messages were removed)
	Role      model.Role `json:"role"`
	Status    Status     `json:"status"`

	Text        string              `json:"text"`
	Refusal     string              `json:"refusal,omitempty"`
	Reasoning   []string            `json:"reasoning,omitempty"`
	ToolCalls   []ToolCall          `json:"tool_calls,omitempty"`
	HostedCalls []stream.HostedCall `json:"hosted_calls,omitempty"`
	Annotations []stream.Annotation `json:"annotations,omitempty"`
	// Items are the reply's raw output items, as the server sent them, so a
	// later turn can send reasoning and tool items back exactly.
	Items []json.RawMessage `json:"items,omitempty"`
	Usage *stream.Usage     `json:"usage,omitempty"`
	// Attachments are the files sent with a prompt, stored with it.
	Attachments []Attachment `json:"attachments,omitempty"`

	Model            string        `json:"model,omitempty"` // asked for
	Effort           string        `json:"effort,omitempty"`
	API              stream.API    `json:"api,omitempty"`
	ResponseID       string        `json:"response_id,omitempty"`
	ResponseModel    string        `json:"response_model,omitempty"` // the snapshot that answered
	TurnStatus       stream.Status `json:"turn_status,omitempty"`
	IncompleteReason string        `json:"incomplete_reason,omitempty"`
	Error            *stream.Error `json:"error,omitempty"`

	Sent           time.Time `json:"sent"`
	FirstToken     time.Time `json:"first_token"`
	ReasoningStart time.Time `json:"reasoning_start"`
	ReasoningEnd   time.Time `json:"reasoning_end"`
	Finished       time.Time `json:"finished"`
	Updated        time.Time `json:"updated"`
}

// ErrNotStreaming is returned (wrapped) when a reply is updated or
// finished after it stopped streaming: finished already, or reclaimed as
// interrupted.
var ErrNotStreaming = errors.New("message is not streaming")

// AppendUserMessage stores a prompt at the end of a session and returns its
// id. Its status is m.Status, or completed.
func (s *Store) AppendUserMessage(ctx context.Context, sessionID string, m StoredMessage) (int64, error) {
	m.Role = model.RoleUser
	if m.Status == "" {
		m.Status = StatusCompleted
	}
	return s.insert(ctx, sessionID, m, false)
}

// BeginAssistantMessage stores a reply that has started streaming, stamped
// with this process as its owner, and returns its id.
func (s *Store) BeginAssistantMessage(ctx context.Context, sessionID string, m StoredMessage) (int64, error) {
	m.Role = model.RoleAssistant
	m.Status = StatusStreaming
	return s.insert(ctx, sessionID, m, true)
}

func (s *Store) insert(ctx context.Context, sessionID string, m StoredMessage, owned bool) (int64, error) {
	if r := s.redactor(); r != nil {
		redactMessage(r, &m)
	}
	c, err := encodeColumns(&m)
	if err != nil {
		return 0, err
	}
	var o owner
	if owned {
		o = s.owner
	}
	now := nowNano()
	var id int64
	err = s.write(ctx, func(tx *sql.Tx) error {
		set := "updated_at = ?"
		args := []any{now}
		if p := Preview(m.Text); p != "" {
			set += ", preview = ?"
			args = append(args, p)
		}
		if m.Role == model.RoleAssistant && m.Model != "" {
			set += ", model = ?, effort = ?"
			args = append(args, m.Model, m.Effort)
		}
		// The session first: a missing one is ErrNotFound, not a foreign-key failure.
		if err := touchSession(ctx, tx, sessionID, set, args...); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO messages (session_id, seq, role, status, text, refusal, reasoning,
			tool_calls, hosted_calls, annotations, items, model, effort, api, response_id, response_model,
			turn_status, incomplete_reason, error, input_tokens, cached_tokens, output_tokens, reasoning_tokens,
			total_tokens, sent_at, first_token_at, reasoning_start, reasoning_end, finished_at, updated_at,
			owner_host, owner_pid, owner_start, owner_token)
			VALUES (?, (SELECT coalesce(max(seq), -1) + 1 FROM messages WHERE session_id = ?),
			?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			RETURNING id`,
			sessionID, sessionID, m.Role, m.Status, m.Text, m.Refusal, c.reasoning, c.toolCalls, c.hostedCalls,
			c.annotations, c.items, m.Model, m.Effort, m.API, m.ResponseID, m.ResponseModel, m.TurnStatus,
			m.IncompleteReason, c.err, c.usage[0], c.usage[1], c.usage[2], c.usage[3], c.usage[4],
			toNano(m.Sent), toNano(m.FirstToken), toNano(m.ReasoningStart), toNano(m.ReasoningEnd),
			toNano(m.Finished), now, o.host, o.pid, o.start, o.token).Scan(&id)
		if err != nil {
			return err
		}
		return s.saveAttachments(ctx, tx, id, m.Attachments)
	})
	if err != nil {
		return 0, fmt.Errorf("storing a %s message: %w", m.Role, err)
	}
	return id, nil
}

// touchSession updates a session's activity columns, and fails when the
// session does not exist (a foreign key would say so less clearly).
func touchSession(ctx context.Context, tx *sql.Tx, sessionID, set string, args ...any) error {
	res, err := tx.ExecContext(ctx, "UPDATE sessions SET "+set+" WHERE id = ?", append(args, sessionID)...)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("session %s: %w", sessionID, ErrNotFound)
	}
	return nil
}

// UpdateAssistantMessage stores what a streaming reply holds so far, whole:
// text, refusal, reasoning parts, tool calls, citations, the response id
// and the times. Its status stays streaming. (A Writer stores only what
// grew since its last write; this is for a reply that changed otherwise.)
func (s *Store) UpdateAssistantMessage(ctx context.Context, id int64, m StoredMessage) error {
	if r := s.redactor(); r != nil {
		redactMessage(r, &m)
	}
	c, err := encodeColumns(&m)
	if err != nil {
		return err
	}
	return s.streamingWrite(ctx, id, false, Preview(m.Text), `text = ?, refusal = ?, reasoning = ?, tool_calls = ?,
		hosted_calls = ?, annotations = ?, response_id = ?, response_model = ?, first_token_at = ?, reasoning_start = ?,
		reasoning_end = ?, updated_at = ?`,
		[]any{m.Text, m.Refusal, c.reasoning, c.toolCalls, c.hostedCalls, c.annotations, m.ResponseID, m.ResponseModel,
			toNano(m.FirstToken), toNano(m.ReasoningStart), toNano(m.ReasoningEnd), nowNano()},
		dropDeltas(ctx, id))
}

// FinishAssistantMessage stores a reply's final state (the whole turn: raw
// items, usage, response id, times) and its status, which must not be
// streaming. The reply becomes searchable.
func (s *Store) FinishAssistantMessage(ctx context.Context, id int64, m StoredMessage) error {
	if m.Status == "" || m.Status == StatusStreaming {
		return fmt.Errorf("finishing message %d with status %q", id, m.Status)
	}
	if r := s.redactor(); r != nil {
		redactMessage(r, &m)
	}
	c, err := encodeColumns(&m)
	if err != nil {
		return err
	}
	return s.streamingWrite(ctx, id, true, Preview(m.Text), `status = ?, text = ?, refusal = ?, reasoning = ?, tool_calls = ?,
		hosted_calls = ?, annotations = ?, items = ?, model = ?, effort = ?, api = ?, response_id = ?,
		response_model = ?, turn_status = ?, incomplete_reason = ?, error = ?, input_tokens = ?, cached_tokens = ?,
		output_tokens = ?, reasoning_tokens = ?, total_tokens = ?, sent_at = ?, first_token_at = ?,
		reasoning_start = ?, reasoning_end = ?, finished_at = ?, updated_at = ?`,
		[]any{m.Status, m.Text, m.Refusal, c.reasoning, c.toolCalls, c.hostedCalls, c.annotations, c.items, m.Model,
			m.Effort, m.API, m.ResponseID, m.ResponseModel, m.TurnStatus, m.IncompleteReason, c.err,
			c.usage[0], c.usage[1], c.usage[2], c.usage[3], c.usage[4], toNano(m.Sent), toNano(m.FirstToken),
			toNano(m.ReasoningStart), toNano(m.ReasoningEnd), toNano(m.Finished), nowNano()},
		dropDeltas(ctx, id))
}

// dropDeltas removes a reply's deltas: its row is written whole.
func dropDeltas(ctx context.Context, id int64) func(*sql.Tx) error {
	return func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM message_deltas WHERE message_id = ?", id)
		return err
	}
}

// streamingWrite applies set (if any) to a reply that is still streaming
// and runs then in the same transaction. It moves the session's activity
// along when touch is set, and its preview when preview is not empty.
func (s *Store) streamingWrite(ctx context.Context, id int64, touch bool, preview, set string, args []any,
	then func(*sql.Tx) error) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		q := "SELECT session_id FROM messages WHERE id = ? AND status = 'streaming'"
		if set != "" {
			q = "UPDATE messages SET " + set + " WHERE id = ? AND status = 'streaming' RETURNING session_id"
		}
		var sessionID string
		err := tx.QueryRowContext(ctx, q, append(args, id)...).Scan(&sessionID)
		if errors.Is(err, sql.ErrNoRows) {
			return s.whyNotStreaming(ctx, tx, id)
		}
		if err != nil {
			return err
		}
		if then != nil {
			if err := then(tx); err != nil {
				return err
			}
		}
		var sets []string
		var targs []any
		if touch {
			sets, targs = append(sets, "updated_at = ?"), append(targs, nowNano())
		}
		if preview != "" {
			sets, targs = append(sets, "preview = ?"), append(targs, preview)
		}
		if len(sets) == 0 {
			return nil
		}
		return touchSession(ctx, tx, sessionID, strings.Join(sets, ", "), targs...)
	})
}

func (s *Store) whyNotStreaming(ctx context.Context, tx *sql.Tx, id int64) error {
	var status string
	err := tx.QueryRowContext(ctx, "SELECT status FROM messages WHERE id = ?", id).Scan(&status)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("message %d is %s: %w", id, status, ErrNotStreaming)
}

// FailUserMessage marks a prompt whose request failed before any reply.
func (s *Store) FailUserMessage(ctx context.Context, id int64, e *stream.Error) error {
	m := StoredMessage{Error: e}
	if r := s.redactor(); r != nil {
		redactMessage(r, &m)
	}
	c, err := encodeColumns(&m)
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE messages SET status = 'failed', error = ?, updated_at = ?
			WHERE id = ? AND role = 'user'`, c.err, nowNano(), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("user message %d: %w", id, ErrNotFound)
		}
		return nil
	})
}

// DeleteMessage removes one message (a failed prompt the user sent again)
// and recomputes its session's preview.
func (s *Store) DeleteMessage(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		var sessionID string
		err := tx.QueryRowContext(ctx, "DELETE FROM messages WHERE id = ? RETURNING session_id", id).Scan(&sessionID)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("message %d: %w", id, ErrNotFound)
		}
		if err != nil {
			return err
		}
		var last string
		err = tx.QueryRowContext(ctx, `SELECT substr(text, 1, ?) FROM messages WHERE session_id = ? AND text <> ''
			ORDER BY seq DESC LIMIT 1`, 4*PreviewLen, sessionID).Scan(&last)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		_, err = tx.ExecContext(ctx, "UPDATE sessions SET preview = ? WHERE id = ?", Preview(last), sessionID)
		return err
	})
}

// LoadSession returns a session and its messages, oldest first, read in
// one snapshot.
func (s *Store) LoadSession(ctx context.Context, id string) (Session, []StoredMessage, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return Session{}, nil, err
	}
	defer tx.Rollback()
	list, err := appendSummaries(ctx, tx, nil, "SELECT "+summaryColumns+" FROM sessions WHERE id = ?", id)
	if err != nil {
		return Session{}, nil, err
	}
	if len(list) == 0 {
		return Session{}, nil, fmt.Errorf("session %s: %w", id, ErrNotFound)
	}
	sess := list[0].Session
	msgs, err := queryMessages(ctx, tx, "WHERE session_id = ? ORDER BY seq", id)
	if err != nil {
		return Session{}, nil, err
	}
	return sess, msgs, nil
}

// GetMessage returns one message by id.
func (s *Store) GetMessage(ctx context.Context, id int64) (StoredMessage, error) {
	tx, err := s.r.BeginTx(ctx, &sql.TxOptions{ReadOnly: true}) // the row and its deltas in one snapshot
	if err != nil {
		return StoredMessage{}, err
	}
	defer tx.Rollback()
	msgs, err := queryMessages(ctx, tx, "WHERE id = ?", id)
	if err != nil {
		return StoredMessage{}, err
	}
	if len(msgs) == 0 {
		return StoredMessage{}, fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	return msgs[0], nil
}

type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func queryMessages(ctx context.Context, q querier, where string, args ...any) ([]StoredMessage, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, session_id, seq, role, status, text, refusal, reasoning, tool_calls,
		hosted_calls, annotations, items, model, effort, api, response_id, response_model, turn_status,
		incomplete_reason, error, input_tokens, cached_tokens, output_tokens, reasoning_tokens, total_tokens,
		sent_at, first_token_at, reasoning_start, reasoning_end, finished_at, updated_at
		FROM messages `+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []StoredMessage
	for rows.Next() {
		var m StoredMessage
		var c columns
		var times [6]int64
		if err := rows.Scan(&m.ID, &m.SessionID, &m.Seq, &m.Role, &m.Status, &m.Text, &m.Refusal, &c.reasoning,
			&c.toolCalls, &c.hostedCalls, &c.annotations, &c.items, &m.Model, &m.Effort, &m.API, &m.ResponseID,
			&m.ResponseModel, &m.TurnStatus, &m.IncompleteReason, &c.err, &c.usage[0], &c.usage[1], &c.usage[2],
			&c.usage[3], &c.usage[4], &times[0], &times[1], &times[2], &times[3], &times[4], &times[5]); err != nil {
			return nil, err
		}
		if err := c.decode(&m); err != nil {
			return nil, fmt.Errorf("message %d: %w", m.ID, err)
		}
		m.Sent, m.FirstToken, m.ReasoningStart = fromNano(times[0]), fromNano(times[1]), fromNano(times[2])
		m.ReasoningEnd, m.Finished, m.Updated = fromNano(times[3]), fromNano(times[4]), fromNano(times[5])
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	if err := withDeltas(ctx, q, out); err != nil {
		return nil, err
	}
	if err := loadAttachments(ctx, q, out, false); err != nil {
		return nil, err
	}
	return out, nil
}

// InterruptMessage marks a streaming reply interrupted, keeping what it
// holds: Parley is stopping before the reply could finish.
func (s *Store) InterruptMessage(ctx context.Context, id int64) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		ok, err := settle(ctx, tx, id, StatusInterrupted)
		if err != nil {
			return err
		}
		if !ok {
			return s.whyNotStreaming(ctx, tx, id)
		}
		_, err = tx.ExecContext(ctx, `UPDATE sessions SET updated_at = ? WHERE id = (SELECT session_id FROM messages WHERE id = ?)`,
			nowNano(), id)
		return err
	})
}

// SetToolCalls stores a reply's tool calls with their results, once Parley
// has run them; the reply itself is finished by then.
func (s *Store) SetToolCalls(ctx context.Context, id int64, calls []ToolCall) error {
	if r := s.redactor(); r != nil {
		for i := range calls {
			calls[i].Output = r.Replace(calls[i].Output)
			calls[i].Arguments = r.Replace(calls[i].Arguments)
		}
	}
	b, err := json.Marshal(nonNil(calls))
	if err != nil {
		return err
	}
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE messages SET tool_calls = ? WHERE id = ?`, string(b), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("message %d: %w", id, ErrNotFound)
		}
		return nil
	})
}
