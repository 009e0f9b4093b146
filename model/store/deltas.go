package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"
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

// rowTouchEvery is how often a streaming reply's row is rewritten when
// only deltas were appended, so that its updated_at shows it alive to a
// Parley on another host (which reclaims a reply silent for staleAfter).
const rowTouchEvery = time.Minute

// appendProgress stores what a streaming reply holds now, next, given
// prev, what was stored for it last: the growth of its text, refusal,
// reasoning and tool arguments as deltas, and its small fields (times, ids,
// hosted calls, citations, its tool calls when one appeared) in its row
// when they changed, or when touchRow. It reports whether it wrote the
// row. When next does not extend prev it stores next whole instead.
func (s *Store) appendProgress(ctx context.Context, id int64, prev, next StoredMessage, touchRow bool) (bool, error) {
	if r := s.redactor(); r != nil {
		// Secrets are whole words in the whole text, not in the deltas:
		// redact both states, then compare.
		redactMessage(r, &prev)
		redactMessage(r, &next)
	}
	ds, callsChanged, ok := deltasSince(&prev, &next)
	if !ok {
		return true, s.UpdateAssistantMessage(ctx, id, next)
	}
	c, err := encodeColumns(&next)
	if err != nil {
		return false, err
	}
	var sets []string
	var args []any
	set := func(column string, changed bool, v any) {
		if changed {
			sets, args = append(sets, column+" = ?"), append(args, v)
		}
	}
	set("response_id", prev.ResponseID != next.ResponseID, next.ResponseID)
	set("response_model", prev.ResponseModel != next.ResponseModel, next.ResponseModel)
	set("first_token_at", !prev.FirstToken.Equal(next.FirstToken), toNano(next.FirstToken))
	set("reasoning_start", !prev.ReasoningStart.Equal(next.ReasoningStart), toNano(next.ReasoningStart))
	set("reasoning_end", !prev.ReasoningEnd.Equal(next.ReasoningEnd), toNano(next.ReasoningEnd))
	set("hosted_calls", !sameJSON(prev.HostedCalls, next.HostedCalls), c.hostedCalls)
	set("annotations", !sameJSON(prev.Annotations, next.Annotations), c.annotations)
	set("tool_calls", callsChanged, c.toolCalls)
	set("updated_at", len(sets) > 0 || touchRow, nowNano())
	var preview string
	if p := Preview(next.Text); p != Preview(prev.Text) {
		preview = p
	}
	err = s.streamingWrite(ctx, id, false, preview, strings.Join(sets, ", "), args, func(tx *sql.Tx) error {
		if callsChanged {
			if _, err := tx.ExecContext(ctx, "DELETE FROM message_deltas WHERE message_id = ? AND field = 'arguments'", id); err != nil {
				return err
			}
		}
		return insertDeltas(ctx, tx, id, ds)
	})
	return len(sets) > 0, err
}

func insertDeltas(ctx context.Context, tx *sql.Tx, id int64, ds []delta) error {
	if len(ds) == 0 {
		return nil
	}
	for _, d := range ds {
		if _, err := tx.ExecContext(ctx, "INSERT INTO message_deltas (message_id, field, part, delta) VALUES (?, ?, ?, ?)",
			id, d.field, d.part, d.text); err != nil {
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
