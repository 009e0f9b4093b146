package store

import (
	"fmt"
	"slices"
	"testing"
)

func summaries(titles ...string) []SessionSummary {
	var out []SessionSummary
	for i, t := range titles {
		out = append(out, SessionSummary{Session: Session{ID: fmt.Sprint(i), Title: t}})
	}
	return out
}

func titlesOf(ms []FilterMatch) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Title)
	}
	return out
}

func TestFilterSessions(t *testing.T) {
	list := summaries(
		"Rust borrow checker",
		"Go generics",
		"Gardening notes",
		"go: Goroutine leaks",
		"Écrire en français",
		"no match here",
	)
	for _, c := range []struct {
		query string
		want  []string
	}{
		{"", titlesOf(FilterSessions(list, ""))},                                  // everything, in list order
		{"go", []string{"Go generics", "go: Goroutine leaks", "Gardening notes"}}, // contiguous first
		{"gorout", []string{"go: Goroutine leaks"}},
		{"GEN", []string{"Go generics", "Gardening notes"}},
		{"go gen", []string{"Go generics", "Gardening notes"}}, // every word must match
		{"ecr", []string{"Rust borrow checker"}},               // accents are not folded: not "Écrire"
		{"écr", []string{"Écrire en français"}},
		{"zzz", nil},
	} {
		got := titlesOf(FilterSessions(list, c.query))
		if !slices.Equal(got, c.want) {
			t.Errorf("FilterSessions(%q) = %q, want %q", c.query, got, c.want)
		}
	}
	if n := len(FilterSessions(list, "")); n != len(list) {
		t.Errorf("empty query kept %d of %d", n, len(list))
	}
}

func TestFilterRanksContiguousAndWordStartsFirst(t *testing.T) {
	list := summaries("m o d e l", "mxoxdxexl", "a remodel", "model tuning")
	got := FilterSessions(list, "model")
	if want := []string{"model tuning", "a remodel", "m o d e l", "mxoxdxexl"}; !slices.Equal(titlesOf(got), want) {
		t.Errorf("order %q, want %q", titlesOf(got), want)
	}
	if !slices.Equal(got[0].Positions, []int{0, 1, 2, 3, 4}) {
		t.Errorf("positions %v", got[0].Positions)
	}
	// Positions are in runes and point at the characters matched.
	m := FilterSessions(summaries("héllo wörld"), "wö")[0]
	if r := []rune(m.Title); string(r[m.Positions[0]]) != "w" || string(r[m.Positions[1]]) != "ö" {
		t.Errorf("positions %v in %q", m.Positions, m.Title)
	}
	// Two words: positions merged, sorted and unique.
	m = FilterSessions(summaries("go generics"), "gen go")[0]
	if !slices.IsSorted(m.Positions) || len(m.Positions) != 5 {
		t.Errorf("merged positions %v", m.Positions)
	}
}

func TestFilterStableForEqualScores(t *testing.T) {
	list := summaries("alpha one", "alpha two", "alpha three")
	if got := titlesOf(FilterSessions(list, "alpha")); !slices.Equal(got, []string{"alpha one", "alpha two", "alpha three"}) {
		t.Errorf("equal scores reordered: %q", got)
	}
}
