// Package suggest finds the names closest to a misspelt one, for "did you
// mean" hints in error messages (config keys, key binding and colour names).
package suggest

import (
	"slices"
	"strings"
)

// Closest returns up to three candidates close to name, best first: those
// within a small edit distance (about a third of the name's length, at
// least 2), and those that contain name or that name contains, such as
// "toggle_sidebar" for "sidebar" (when the shorter has four bytes or more,
// so "api" is not offered for everything starting with it). Case is ignored.
func Closest(name string, candidates []string) []string {
	type scored struct {
		name string
		dist int
	}
	lname := strings.ToLower(name)
	limit := max(2, len(lname)/3)
	var found []scored
	for _, c := range candidates {
		lc := strings.ToLower(c)
		d := distance(lname, lc)
		switch {
		case d <= limit:
		case min(len(lname), len(lc)) >= 4 && (strings.Contains(lc, lname) || strings.Contains(lname, lc)):
			d = limit + 1 // after the near misses
		default:
			continue
		}
		found = append(found, scored{c, d})
	}
	slices.SortStableFunc(found, func(a, b scored) int { return a.dist - b.dist })
	var out []string
	for _, s := range found {
		if !slices.Contains(out, s.name) {
			out = append(out, s.name)
		}
		if len(out) == 3 {
			break
		}
	}
	return out
}

// Hint is Closest as a sentence to append to an error: " (did you mean
// a or b?)", or "" when nothing is close.
func Hint(name string, candidates []string) string {
	c := Closest(name, candidates)
	if len(c) == 0 {
		return ""
	}
	return " (did you mean " + strings.Join(c, " or ") + "?)"
}

// distance is the Levenshtein distance between a and b, in bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
