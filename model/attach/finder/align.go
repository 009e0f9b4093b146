package finder

import (
	"math"
	"strings"
)

// aligner finds the best-scoring way to place a word's characters, in
// order, in a path: dynamic programming over (character, byte) cells, one
// row per character of the word, as fzf's second algorithm does. Greedy
// placement (the first place each character fits) misses better ones:
// "fr" in "finder/rank.go" would take the "r" of "finder" rather than the
// one that starts "rank". Rows are kept between calls, so ranking 100k
// paths allocates nothing per path. Not safe for concurrent use.
type aligner struct {
	prev, cur       []int32 // best score of the word so far ending at each byte
	prevRun, curRun []int32 // the run bonus carried to the next character, per byte
}

const neg = math.MinInt32 / 2

// align scores the best alignment of t in s[from:]; ok is false when t is
// not there. With want it also returns the alignment's byte offsets.
func (al *aligner) align(s string, from int, t []string, want bool) (score int, pos []int, ok bool) {
	if len(t) == 0 {
		return 0, nil, true
	}
	lo, hi, found := window(s, from, t)
	if !found {
		return 0, nil, false
	}
	// Only bytes in [lo, hi) can hold a character of the word: from the
	// first place the first character is, to the end of the last place
	// the last character is.
	n := hi
	al.prev, al.cur = grow(al.prev, n), grow(al.cur, n)
	al.prevRun, al.curRun = grow(al.prevRun, n), grow(al.curRun, n)
	var trace [][]int32 // trace[i][j]: where character i-1 was when i is at j
	if want {
		trace = make([][]int32, len(t))
	}
	for j := lo; j < n; j++ {
		al.prev[j] = neg
		if unitAt(s, j, t[0]) {
			b := int32(boundary(s, from, j))
			al.prev[j], al.prevRun[j] = scoreChar+2*b, b // where a word starts matters most
		}
	}
	for i := 1; i < len(t); i++ {
		lp := len(t[i-1])
		gapBest, gapFrom := int32(neg), int32(-1)
		if want {
			trace[i] = make([]int32, n)
		}
		for j := lo; j < n; j++ {
			// Each step lengthens every open gap by one; the byte that
			// ends one byte back opens a new one.
			gapBest -= penaltyGapStep
			if k := j - lp - 1; k >= lo && al.prev[k]-penaltyGap > gapBest {
				gapBest, gapFrom = al.prev[k]-penaltyGap, int32(k)
			}
			al.cur[j] = neg
			if !unitAt(s, j, t[i]) {
				continue
			}
			b := int32(boundary(s, from, j))
			best, run, back := gapBest+scoreChar+b, b, gapFrom
			if k := j - lp; k >= lo && al.prev[k] > neg {
				r := max(al.prevRun[k], b, bonusRun)
				if c := al.prev[k] + scoreChar + r; c >= best {
					best, run, back = c, r, int32(k)
				}
			}
			if best <= neg/2 {
				continue
			}
			al.cur[j], al.curRun[j] = best, run
			if want {
				trace[i][j] = back
			}
		}
		al.prev, al.cur = al.cur, al.prev
		al.prevRun, al.curRun = al.curRun, al.prevRun
	}
	end := -1
	for j := lo; j < n; j++ {
		if al.prev[j] > neg/2 && (end < 0 || al.prev[j] > al.prev[end]) {
			end = j
		}
	}
	if end < 0 {
		return 0, nil, false
	}
	if want {
		pos = make([]int, len(t))
		for i, j := len(t)-1, int32(end); i >= 0; i-- {
			pos[i] = int(j)
			if i > 0 {
				j = trace[i][j]
			}
		}
	}
	return int(al.prev[end]), pos, true
}

func grow(row []int32, n int) []int32 {
	if cap(row) < n {
		return make([]int32, n, n+n/2)
	}
	return row[:n]
}

// window finds t's characters in order in s[from:] (a quick test that
// turns most paths away) and returns the span any alignment lies in:
// from the first place t's first character is to the end of the last
// place its last character is.
func window(s string, from int, t []string) (lo, hi int, ok bool) {
	p := from
	for k, u := range t {
		i := indexUnit(s, p, u)
		if i < 0 {
			return 0, 0, false
		}
		if k == 0 {
			lo = i
		}
		p = i + len(u)
	}
	last := t[len(t)-1]
	for i := len(s) - len(last); i >= p-len(last); i-- {
		if unitAt(s, i, last) {
			return lo, i + len(last), true
		}
	}
	return lo, p, true
}

// indexUnit is the offset of the first character u (lower case) in s
// from p on, ignoring ASCII case, or -1.
func indexUnit(s string, p int, u string) int {
	if len(u) > 1 {
		if i := strings.Index(s[p:], u); i >= 0 {
			return p + i
		}
		return -1
	}
	c := u[0]
	i := strings.IndexByte(s[p:], c)
	if 'a' <= c && c <= 'z' {
		end := len(s) - p
		if i >= 0 {
			end = i
		}
		if j := strings.IndexByte(s[p:p+end], c-('a'-'A')); j >= 0 {
			i = j
		}
	}
	if i < 0 {
		return -1
	}
	return p + i
}

// unitAt reports whether the character u (lower case) is at s[i],
// ignoring ASCII case.
func unitAt(s string, i int, u string) bool {
	if len(u) == 1 {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		return c == u[0]
	}
	return strings.HasPrefix(s[i:], u)
}
