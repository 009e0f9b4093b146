package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/parley-tui/parley/stream"
)

// columns are a message's encoded JSON and usage columns.
type columns struct {
	reasoning, toolCalls, hostedCalls, annotations, items, err string
	usage                                                      [5]sql.NullInt64
}

func encodeColumns(m *StoredMessage) (columns, error) {
	var c columns
	var err error
	enc := func(v any) string {
		if err != nil {
			return ""
		}
		var b []byte
		b, err = json.Marshal(v)
		return string(b)
	}
	c.reasoning = enc(nonNil(m.Reasoning))
	c.toolCalls = enc(nonNil(m.ToolCalls))
	c.hostedCalls = enc(nonNil(m.HostedCalls))
	c.annotations = enc(nonNil(m.Annotations))
	c.items = joinItems(m.Items)
	if m.Error != nil {
		c.err = enc(m.Error)
	}
	if err != nil {
		return columns{}, fmt.Errorf("encoding a message: %w", err)
	}
	if u := m.Usage; u != nil {
		for i, v := range []int{u.Input, u.Cached, u.Output, u.Reasoning, u.Total} {
			c.usage[i] = sql.NullInt64{Int64: int64(v), Valid: true}
		}
	}
	return c, nil
}

func (c *columns) decode(m *StoredMessage) error {
	for _, f := range []struct {
		s string
		v any
	}{{c.reasoning, &m.Reasoning}, {c.toolCalls, &m.ToolCalls}, {c.hostedCalls, &m.HostedCalls},
		{c.annotations, &m.Annotations}, {c.items, &m.Items}} {
		if f.s == "" || f.s == "[]" {
			continue
		}
		if err := json.Unmarshal([]byte(f.s), f.v); err != nil {
			return err
		}
	}
	if c.err != "" {
		m.Error = new(stream.Error)
		if err := json.Unmarshal([]byte(c.err), m.Error); err != nil {
			return err
		}
	}
	if c.usage[0].Valid {
		u := c.usage
		m.Usage = &stream.Usage{Input: int(u[0].Int64), Cached: int(u[1].Int64), Output: int(u[2].Int64),
			Reasoning: int(u[3].Int64), Total: int(u[4].Int64)}
	}
	return nil
}

// joinItems writes the raw items as a JSON array byte for byte, so they go
// back to the server exactly as it sent them (json.Marshal would compact
// and re-escape them). An item that is not valid JSON is dropped rather
// than spoiling the array.
func joinItems(items []json.RawMessage) string {
	var b strings.Builder
	b.WriteByte('[')
	n := 0
	for _, it := range items {
		if !json.Valid(it) {
			continue
		}
		if n > 0 {
			b.WriteByte(',')
		}
		b.Write(it)
		n++
	}
	b.WriteByte(']')
	return b.String()
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
