package store

import (
	"slices"
	"strings"
	"unicode"
)

// FilterMatch is a session whose title matched a fuzzy filter.
type FilterMatch struct {
	SessionSummary
	Score int
	// Positions are the indexes, in runes, of the title's matched
	// characters, ascending, for highlighting.
	Positions []int
}

// FilterSessions filters a listed page of sessions by a fuzzy match on
// their titles, in memory: every word of query must appear in the title as
// a subsequence, ignoring case. Better matches (contiguous, at word
// starts) come first; equal scores keep the list's order. An empty query
// keeps every session.
func FilterSessions(list []SessionSummary, query string) []FilterMatch {
	words := strings.Fields(strings.ToLower(query))
	out := make([]FilterMatch, 0, len(list))
	if len(words) == 0 {
		for _, s := range list {
			out = append(out, FilterMatch{SessionSummary: s})
		}
		return out
	}
	pats := make([][]rune, len(words))
	for i, w := range words {
		pats[i] = []rune(w)
	}
	var title []rune
	var pos []int
	for _, s := range list {
		title = appendLower(title[:0], s.Title)
		score, ok := 0, true
		pos = pos[:0]
		for _, p := range pats {
			sc, matched := fuzzyScore(title, p, &pos)
			if !matched {
				ok = false
				break
			}
			score += sc
		}
		if !ok {
			continue
		}
		m := FilterMatch{SessionSummary: s, Score: score, Positions: slices.Clone(pos)}
		if len(pats) > 1 {
			slices.Sort(m.Positions)
			m.Positions = slices.Compact(m.Positions)
		}
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b FilterMatch) int { return b.Score - a.Score })
	return out
}

func appendLower(dst []rune, s string) []rune {
	for _, r := range s {
		if r < 0x80 {
			if 'A' <= r && r <= 'Z' {
				r += 'a' - 'A'
			}
		} else {
			r = unicode.ToLower(r)
		}
		dst = append(dst, r)
	}
	return dst
}

// Scores, after fzf's first algorithm: find the first window that holds
// the pattern as a subsequence, tighten it from its end backwards, then
// score what matched.
const (
	scoreMatch       = 16
	bonusFirst       = 8  // the title starts with the match
	bonusWordStart   = 8  // after a space or punctuation
	bonusConsecutive = 12 // right after the previous matched character
	penaltyGapStart  = 3
	penaltyGap       = 1
)

// fuzzyScore matches pattern p in title t (both lowercased) and appends the
// matched positions to pos.
func fuzzyScore(t, p []rune, pos *[]int) (int, bool) {
	if len(p) == 0 {
		return 0, true
	}
	j, end := 0, -1
	for i, r := range t {
		if r == p[j] {
			if j++; j == len(p) {
				end = i
				break
			}
		}
	}
	if end < 0 {
		return 0, false
	}
	// Backwards from end: the latest start, so the window is tightest.
	start := len(*pos)
	j = len(p) - 1
	for i := end; i >= 0 && j >= 0; i-- {
		if t[i] == p[j] {
			*pos = append(*pos, i)
			j--
		}
	}
	matched := (*pos)[start:]
	slices.Reverse(matched)
	score, prev := 0, -2
	for _, i := range matched {
		score += scoreMatch
		switch {
		case i == 0:
			score += bonusFirst + bonusWordStart
		case isSeparator(t[i-1]):
			score += bonusWordStart
		}
		if i == prev+1 {
			score += bonusConsecutive
		} else if prev >= 0 {
			score -= penaltyGapStart + penaltyGap*(i-prev-1)
		}
		prev = i
	}
	return score, true
}

func isSeparator(r rune) bool {
	return unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r)
}
