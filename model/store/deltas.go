package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
)

// A streaming reply is stored as its row, written whole when it begins,
// plus what it gained since, appended to message_deltas: a write costs what
// arrived since the last one, so storing a reply costs bytes in proportion
// to its length, not to its length times its updates (rewriting a row of
// 100 KB four times a second rewrote every page of it each time). Whatever
// ends the streaming (finishing, interrupting, reclaiming) folds the deltas
// into the row in the same transaction, so rows outside streaming never have
// deltas and the full-text index, which skips streaming rows, sees the
// whole text.

// delta is one appended piece of a streaming reply.
type delta struct {
	field string // text, refusal, reasoning, arguments
	part  int    // the reasoning part or the tool call
	text  string
}

// deltasSince lists what next holds beyond prev, field by field, and
// whether next extends prev at all: a text that shrank or changed, or a
// tool call whose name or ids changed, cannot be appended. Tool calls that
// appeared (or changed otherwise) are reported by callsChanged: the caller
// rewrites the tool_calls column whole, arguments included, and drops the
// argument deltas.
func deltasSince(prev, next *StoredMessage) (ds []delta, callsChanged, ok bool) {
	add := func(field string, part int, p, n string) bool {
		if !strings.HasPrefix(n, p) {
			return false
		}
		if len(n) > len(p) {
			ds = append(ds, delta{field, part, n[len(p):]})
		}
		return true
	}
	if !add("text", 0, prev.Text, next.Text) || !add("refusal", 0, prev.Refusal, next.Refusal) {
		return nil, false, false
	}
	if len(next.Reasoning) < len(prev.Reasoning) {
		return nil, false, false
	}
	for i, n := range next.Reasoning {
		if i >= len(prev.Reasoning) {
			ds = append(ds, delta{"reasoning", i, n}) // a new part, even empty: it counts
		} else if !add("reasoning", i, prev.Reasoning[i], n) {
			return nil, false, false
		}
	}
	if len(next.ToolCalls) != len(prev.ToolCalls) {
		return ds, true, true
	}
	var args []delta
	for i, n := range next.ToolCalls {
		p := prev.ToolCalls[i]
		if !sameCall(p, n) || !strings.HasPrefix(n.Arguments, p.Arguments) {
			return ds, true, true
		}
		if a := n.Arguments[len(p.Arguments):]; a != "" {
			args = append(args, delta{"arguments", i, a})
		}
	}
	return append(ds, args...), false, true
}

// sameCall compares two calls but for their arguments.
func sameCall(a, b ToolCall) bool {
	a.Arguments, b.Arguments = "", ""
	return a == b
}

// sameJSON compares two values by their JSON encoding.
func sameJSON(a, b any) bool {
	x, errx := json.Marshal(a)
	y, erry := json.Marshal(b)
	return errx == nil && erry == nil && string(x) == string(y)
}

// appendProgress stores what a streaming reply holds now, next, given
// prev, what was stored for it last: the growth of its text, refusal,
// reasoning and tool arguments as deltas, its small fields (times, ids,
// hosted calls, citations, and its tool calls when one appeared) in place.
// When next does not extend prev it stores next whole instead.
func (s *Store) appendProgress(ctx context.Context, id int64, prev, next StoredMessage) error {
	if r := s.redactor(); r != nil {
		// Secrets are whole words in the whole text, not in the deltas:
		// redact both states, then compare.
		redactMessage(r, &prev)
		redactMessage(r, &next)
	}
	ds, callsChanged, ok := deltasSince(&prev, &next)
	if !ok {
		return s.UpdateAssistantMessage(ctx, id, next)
	}
	c, err := encodeColumns(&next)
	if err != nil {
		return err
	}
	set := `response_id = ?, response_model = ?, first_token_at = ?, reasoning_start = ?, reasoning_end = ?,
		updated_at = ?`
	args := []any{next.ResponseID, next.ResponseModel, toNano(next.FirstToken), toNano(next.ReasoningStart),
		toNano(next.ReasoningEnd), nowNano()}
	if !sameJSON(prev.HostedCalls, next.HostedCalls) {
		set += ", hosted_calls = ?"
		args = append(args, c.hostedCalls)
	}
	if !sameJSON(prev.Annotations, next.Annotations) {
		set += ", annotations = ?"
		args = append(args, c.annotations)
	}
	if callsChanged {
		set += ", tool_calls = ?"
		args = append(args, c.toolCalls)
	}
	var preview string
	if Preview(prev.Text) != Preview(next.Text) {
		preview = Preview(next.Text)
	}
	return s.streamingWrite(ctx, id, false, preview, set, args, func(tx *sql.Tx) error {
		if callsChanged {
			if _, err := tx.ExecContext(ctx, "DELETE FROM message_deltas WHERE message_id = ? AND field = 'arguments'", id); err != nil {
				return err
			}
		}
		return insertDeltas(ctx, tx, id, ds)
	})
}

func insertDeltas(ctx context.Context, tx *sql.Tx, id int64, ds []delta) error {
	if len(ds) == 0 {
		return nil
	}
	var next int64
	if err := tx.QueryRowContext(ctx, "SELECT coalesce(max(seq), -1) + 1 FROM message_deltas WHERE message_id = ?", id).Scan(&next); err != nil {
		return err
	}
	for i, d := range ds {
		if _, err := tx.ExecContext(ctx, "INSERT INTO message_deltas (message_id, seq, field, part, delta) VALUES (?, ?, ?, ?, ?)",
			id, next+int64(i), d.field, d.part, d.text); err != nil {
			return err
		}
	}
	return nil
}

// foldDeltas applies a streaming reply's deltas, oldest first, to m, which
// holds its row.
func foldDeltas(m *StoredMessage, ds []delta) {
	var text, refusal strings.Builder
	text.WriteString(m.Text)
	refusal.WriteString(m.Refusal)
	for _, d := range ds {
		switch d.field {
		case "text":
			text.WriteString(d.text)
		case "refusal":
			refusal.WriteString(d.text)
		case "reasoning":
			if d.part < 0 || d.part > 1<<16 {
				continue
			}
			for len(m.Reasoning) <= d.part {
				m.Reasoning = append(m.Reasoning, "")
			}
			m.Reasoning[d.part] += d.text
		case "arguments":
			if 0 <= d.part && d.part < len(m.ToolCalls) {
				m.ToolCalls[d.part].Arguments += d.text
			}
		}
	}
	m.Text, m.Refusal = text.String(), refusal.String()
}

// loadDeltas reads the deltas of the given streaming replies, by reply.
func loadDeltas(ctx context.Context, q querier, ids []int64) (map[int64][]delta, error) {
	out := map[int64][]delta{}
	for _, id := range ids {
		rows, err := q.QueryContext(ctx, "SELECT field, part, delta FROM message_deltas WHERE message_id = ? ORDER BY seq", id)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var d delta
			if err := rows.Scan(&d.field, &d.part, &d.text); err != nil {
				rows.Close()
				return nil, err
			}
			out[id] = append(out[id], d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// withDeltas folds their deltas into the streaming replies among msgs.
func withDeltas(ctx context.Context, q querier, msgs []StoredMessage) error {
	var ids []int64
	for _, m := range msgs {
		if m.Status == StatusStreaming {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	ds, err := loadDeltas(ctx, q, ids)
	if err != nil {
		return err
	}
	for i := range msgs {
		if d := ds[msgs[i].ID]; len(d) > 0 {
			foldDeltas(&msgs[i], d)
		}
	}
	return nil
}

// settle ends a streaming reply with status, in tx: its deltas are folded
// into its row and removed. It reports false when the reply was not
// streaming.
func settle(ctx context.Context, tx *sql.Tx, id int64, status Status) (bool, error) {
	var m StoredMessage
	var reasoning, calls string
	err := tx.QueryRowContext(ctx, "SELECT text, refusal, reasoning, tool_calls FROM messages WHERE id = ? AND status = 'streaming'",
		id).Scan(&m.Text, &m.Refusal, &reasoning, &calls)
	if err == sql.ErrNoRows {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	c := columns{reasoning: reasoning, toolCalls: calls}
	if err := c.decode(&m); err != nil {
		return false, fmt.Errorf("message %d: %w", id, err)
	}
	ds, err := loadDeltas(ctx, tx, []int64{id})
	if err != nil {
		return false, err
	}
	foldDeltas(&m, ds[id])
	enc, err := encodeColumns(&m)
	if err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE messages SET status = ?, text = ?, refusal = ?, reasoning = ?, tool_calls = ?,
		updated_at = ? WHERE id = ?`, status, m.Text, m.Refusal, enc.reasoning, enc.toolCalls, nowNano(), id); err != nil {
		return false, err
	}
	_, err = tx.ExecContext(ctx, "DELETE FROM message_deltas WHERE message_id = ?", id)
	return err == nil, err
}
