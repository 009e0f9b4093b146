package ui

import (
	"slices"
	"testing"
)

// TestFitCacheMatchesFit checks that the cache gives what fit gives row by
// row, whatever changed since the last call: rows appended, a row in the
// middle replaced, rows removed, the width changed.
func TestFitCacheMatchesFit(t *testing.T) {
	var c fitCache
	want := func(rows []string, width int) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = fit(r, width)
		}
		return out
	}
	steps := []struct {
		rows  []string
		width int
	}{
		{[]string{"short", "a row that is longer than ten"}, 10},
		{[]string{"short", "a row that is longer than ten", "\x1b[1mbold and long text\x1b[m"}, 10},
		{[]string{"short", "changed in the middle", "\x1b[1mbold and long text\x1b[m"}, 10},
		{[]string{"short"}, 10},
		{[]string{"short", "a row that is longer than ten"}, 6},
		{[]string{"short", "a row that is longer than ten"}, 40},
	}
	for i, s := range steps {
		if got := c.fit(s.rows, s.width); !slices.Equal(got, want(s.rows, s.width)) {
			t.Errorf("step %d: got %q, want %q", i, got, want(s.rows, s.width))
		}
	}
}
