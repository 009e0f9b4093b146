package finder

import (
	"container/heap"
	"slices"
	"strings"
	"unicode/utf8"
)

// Ranking, written here rather than taken from sahilm/fuzzy (the kept Go
// library): that one scores a string from its start, so a path's
// directories outweigh its file name, where people expect what they type
// to be the file's name. The rules, in order of weight:
//
//   - every word of the query must appear in the path, its characters in
//     order (case is ignored for ASCII);
//   - a word found in the file's base name scores far more than one
//     found only across directories, and a base name equal to the word
//     (with or without its extension) more still;
//   - characters in one run, and runs that start a name or a word in it
//     (after "/", "_", "-", ".", a space, or a lower-to-upper case
//     change), score more; gaps between characters cost;
//   - ties go to the shorter path, then the alphabetical first.
//
// A query with a "/" in a word matches that word against the whole path.

// Match is a file that matched a query.
type Match struct {
	Entry
	Score     int
	Positions []int // byte offsets in Path of the matched characters, for highlighting
}

const (
	scoreChar      = 16
	bonusBoundary  = 10 // a character that starts a name or word
	bonusSlash     = 12 // a character right after "/"
	bonusCamel     = 8
	bonusRun       = 6 // at least this for a character right after the last
	penaltyGap     = 3 // for opening a gap
	penaltyGapStep = 1 // for each further character skipped
	bonusBaseName  = 64
	bonusExactName = 64
)

// Rank returns the entries that match query, best first, at most limit
// (all when limit <= 0). An empty query ranks every entry: the shortest
// paths first.
func Rank(entries []Entry, query string, limit int) []Match {
	words := strings.Fields(strings.ToLower(query))
	terms := make([][]string, len(words))
	for i, w := range words {
		terms[i] = units(w)
	}
	if limit <= 0 {
		limit = len(entries)
	}
	h := &worst{entries: entries}
	var al aligner
	for i := range entries {
		score, ok := al.scoreEntry(entries[i].Path, words, terms)
		if !ok {
			continue
		}
		c := candidate{i, score}
		if h.Len() < limit {
			heap.Push(h, c)
		} else if better(c, h.items[0], entries) {
			h.items[0] = c
			heap.Fix(h, 0)
		}
	}
	out := make([]Match, h.Len())
	for i := len(out) - 1; i >= 0; i-- {
		c := heap.Pop(h).(candidate)
		e := entries[c.index]
		out[i] = Match{Entry: e, Score: c.score, Positions: al.positions(e.Path, words, terms)}
	}
	return out
}

// units splits a query word into characters, each as its UTF-8 bytes.
func units(w string) []string {
	out := make([]string, 0, len(w))
	for i := 0; i < len(w); {
		_, size := utf8.DecodeRuneInString(w[i:])
		out = append(out, w[i:i+size])
		i += size
	}
	return out
}

type candidate struct {
	index int
	score int
}

// better orders candidates: higher score, then shorter path, then path.
func better(a, b candidate, entries []Entry) bool {
	if a.score != b.score {
		return a.score > b.score
	}
	pa, pb := entries[a.index].Path, entries[b.index].Path
	if len(pa) != len(pb) {
		return len(pa) < len(pb)
	}
	return pa < pb
}

// worst is a heap of the best candidates so far with the worst on top,
// so a better one replaces it in O(log limit).
type worst struct {
	items   []candidate
	entries []Entry
}

func (h *worst) Len() int           { return len(h.items) }
func (h *worst) Less(i, j int) bool { return better(h.items[j], h.items[i], h.entries) }
func (h *worst) Swap(i, j int)      { h.items[i], h.items[j] = h.items[j], h.items[i] }
func (h *worst) Push(x any)         { h.items = append(h.items, x.(candidate)) }
func (h *worst) Pop() any {
	last := h.items[len(h.items)-1]
	h.items = h.items[:len(h.items)-1]
	return last
}

// scoreEntry scores path against every word; false when one is missing.
func (al *aligner) scoreEntry(path string, words []string, terms [][]string) (int, bool) {
	base := strings.LastIndexByte(path, '/') + 1
	total := 0
	for i, t := range terms {
		s, _, ok := al.scoreWord(path, base, words[i], t, false)
		if !ok {
			return 0, false
		}
		total += s
	}
	return total, true
}

// scoreWord scores one word: in the base name when it is there (and has
// no "/"), else across the whole path. With want, it also returns where.
func (al *aligner) scoreWord(path string, base int, word string, t []string, want bool) (int, []int, bool) {
	if !strings.Contains(word, "/") {
		if s, pos, ok := al.align(path, base, t, want); ok {
			s += bonusBaseName
			name := path[base:]
			if strings.EqualFold(name, word) || strings.EqualFold(strings.TrimSuffix(name, ext(name)), word) {
				s += bonusExactName
			}
			return s, pos, true
		}
	}
	return al.align(path, 0, t, want)
}

func ext(name string) string {
	if i := strings.LastIndexByte(name, '.'); i > 0 {
		return name[i:]
	}
	return ""
}

// positions is where each word matched, for highlighting the winners.
func (al *aligner) positions(path string, words []string, terms [][]string) []int {
	base := strings.LastIndexByte(path, '/') + 1
	var all []int
	for i, t := range terms {
		_, pos, _ := al.scoreWord(path, base, words[i], t, true)
		all = append(all, pos...)
	}
	slices.Sort(all)
	return slices.Compact(all)
}

// boundary is the bonus for a match at s[p]: the start of the part being
// matched, of a path element, of a word, or a camel-case hump.
func boundary(s string, from, p int) int {
	if p == from {
		return bonusSlash
	}
	prev, cur := s[p-1], s[p]
	switch {
	case prev == '/':
		return bonusSlash
	case prev == '_' || prev == '-' || prev == '.' || prev == ' ':
		return bonusBoundary
	case 'a' <= prev && prev <= 'z' && 'A' <= cur && cur <= 'Z':
		return bonusCamel
	}
	return 0
}
