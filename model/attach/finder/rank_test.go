package finder

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

func entries(paths ...string) []Entry {
	out := make([]Entry, len(paths))
	for i, p := range paths {
		out[i] = Entry{Path: p}
	}
	return out
}

func ranked(ms []Match) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Path
	}
	return out
}

func TestRanking(t *testing.T) {
	for _, tc := range []struct {
		name  string
		query string
		paths []string
		want  []string // in this order; paths not listed do not match
	}{
		{"the file's name before its directories", "attach",
			[]string{"a/t/t/a/c/h.txt", "model/attach/finder/rank.go", "docs/attachments.md", "model/attach.go"},
			[]string{"model/attach.go", "docs/attachments.md", "model/attach/finder/rank.go", "a/t/t/a/c/h.txt"}},
		{"a run at the start of a name before one inside a word", "rank",
			[]string{"docs/frank.txt", "r/a/n/k.go", "finder/rank.go", "ranking_test.go"},
			[]string{"finder/rank.go", "ranking_test.go", "docs/frank.txt", "r/a/n/k.go"}},
		{"shorter paths first on a tie", "readme",
			[]string{"a/b/c/README.md", "docs/README.md", "README.md"},
			[]string{"README.md", "docs/README.md", "a/b/c/README.md"}},
		{"case is ignored", "MAIN", []string{"cmd/Main.go", "x.go"}, []string{"cmd/Main.go"}},
		{"camel humps and word starts", "fb",
			[]string{"fab.go", "FooBar.go", "foo_bar.go", "xfxb.go"},
			[]string{"foo_bar.go", "FooBar.go", "fab.go", "xfxb.go"}},
		{"a tight run beats the first letters found", "abc",
			[]string{"a_b_xbc.go", "a_b_c.go"},
			[]string{"a_b_c.go", "a_b_xbc.go"}},
		{"every word must match, anywhere", "finder rank",
			[]string{"model/attach/finder/rank.go", "model/attach/finder/finder.go", "rank.go"},
			[]string{"model/attach/finder/rank.go"}},
		{"a slash matches the whole path", "attach/rank",
			[]string{"model/attach/finder/rank.go", "rank/attach.go", "attach/x/rank.md"},
			[]string{"attach/x/rank.md", "model/attach/finder/rank.go"}},
		{"non-ASCII", "日本", []string{"docs/日本語.md", "docs/english.md"}, []string{"docs/日本語.md"}},
		{"nothing matches", "zzz", []string{"a.go", "b.go"}, []string{}},
		{"an empty query: shortest first", "", []string{"aaa/b.go", "c.go", "dd.go"}, []string{"c.go", "dd.go", "aaa/b.go"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ranked(Rank(entries(tc.paths...), tc.query, 0))
			if !slices.Equal(got, tc.want) {
				t.Errorf("Rank(%q) = %q, want %q", tc.query, got, tc.want)
			}
		})
	}
}

func TestPositions(t *testing.T) {
	for _, tc := range []struct {
		query, path string
		want        []int
	}{
		{"rank", "finder/rank.go", []int{7, 8, 9, 10}},
		{"fr", "finder/rank.go", []int{0, 7}}, // not in the name, so across the path, at the starts of both parts
		{"attach/rank", "model/attach/finder/rank.go", []int{6, 7, 8, 9, 10, 11, 12, 20, 21, 22, 23}},
		{"go rank", "finder/rank.go", []int{7, 8, 9, 10, 12, 13}},
		{"日本", "docs/日本語.md", []int{5, 8}},
	} {
		ms := Rank(entries(tc.path), tc.query, 0)
		if len(ms) != 1 || !slices.Equal(ms[0].Positions, tc.want) {
			t.Errorf("positions of %q in %q = %v, want %v", tc.query, tc.path, ms, tc.want)
		}
	}
}

// The best limit found with the heap are the first limit of a full sort.
func TestRankLimitIsTheTopOfTheFullOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	paths := syntheticPaths(rng, 5000)
	for _, q := range []string{"a", "rank", "src go", "x/y", ""} {
		all := ranked(Rank(entries(paths...), q, 0))
		top := ranked(Rank(entries(paths...), q, 25))
		if len(all) > 25 {
			all = all[:25]
		}
		if !slices.Equal(all, top) {
			t.Errorf("%q: top 25 %q, full order starts %q", q, top, all)
		}
	}
}

// syntheticPaths makes n paths that look like a source tree's.
func syntheticPaths(rng *rand.Rand, n int) []string {
	words := []string{"src", "internal", "model", "ui", "stream", "attach", "finder", "rank", "config", "store",
		"util", "test", "docs", "vendor", "pkg", "cmd", "server", "client", "render", "theme", "keymap", "x", "y"}
	exts := []string{".go", ".md", ".txt", ".json", ".yaml", ".png", "_test.go", ".ts"}
	out := make([]string, n)
	for i := range out {
		depth := 1 + rng.IntN(5)
		p := ""
		for range depth {
			p += words[rng.IntN(len(words))] + "/"
		}
		out[i] = fmt.Sprintf("%s%s%d%s", p, words[rng.IntN(len(words))], i, exts[rng.IntN(len(exts))])
	}
	return out
}
