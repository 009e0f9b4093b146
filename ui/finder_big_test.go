package ui

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
)

// bigTree makes n empty files to attach in 100 directories, and one
// named needle_report.md, under a temporary directory. They are hard
// links to one file: making 100,000 files costs a minute on a busy disk,
// links a few seconds, and to a walk they are files like any other.
func bigTree(tb testing.TB, n int) string {
	tb.Helper()
	root, srcs := tb.TempDir(), tb.TempDir()
	exts := []string{".go", ".md", ".txt", ".json", "_test.go"}
	for d := range 100 {
		dir := filepath.Join(root, fmt.Sprintf("pkg%02d", d))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			tb.Fatal(err)
		}
		src := filepath.Join(srcs, dir[len(root):]) // one per directory: a file takes some 65,000 links at most
		if err := os.WriteFile(src, nil, 0o644); err != nil {
			tb.Fatal(err)
		}
		for i := d; i < n; i += 100 {
			if err := os.Link(src, filepath.Join(dir, fmt.Sprintf("file_%06d%s", i, exts[i%len(exts)]))); err != nil {
				tb.Fatal(err)
			}
		}
	}
	if err := os.WriteFile(filepath.Join(root, "pkg42", "needle_report.md"), []byte("# found\n"), 0o644); err != nil {
		tb.Fatal(err)
	}
	return root
}

// In a tree of 100,000 files the finder opens at once and takes every key
// as it is typed: no key walks or ranks (both run in commands, a little
// at a time), the filter line shows each key in the frame after it, and
// when the walk ends the list is the query's.
func TestFinderStaysResponsiveIn100kFiles(t *testing.T) {
	if testing.Short() {
		t.Skip("makes 100,000 files")
	}
	const n = 100_000
	m := finderModel(t, 80, 24, bigTree(t, n), nil)
	cmd := press(m, tea.KeyPressMsg{Code: '@', Text: "@"})
	o := finderOpen(m)
	if o == nil || o.f.Len() != 0 {
		t.Fatal("@ did not open the finder, or walked in Update")
	}
	mustContain(t, screen(m), "Attach a file", "looking… 0 files", "@▏")

	// The keys arrive while the walk goes on: between two of its steps.
	walks, typed := 0, ""
	for _, r := range "needle" {
		var next []tea.Cmd
		for _, msg := range collect(cmd, time.Now().Add(10*time.Second)) {
			if _, ok := msg.(finderWalkedMsg); ok {
				walks++
			}
			if isInputMsg(msg) {
				_, c := m.Update(msg)
				next = append(next, c)
			}
		}
		found := o.f.Len()
		typed += string(r)
		next = append(next, press(m, tea.KeyPressMsg{Code: r, Text: string(r)}))
		if o.f.Len() != found {
			t.Fatal("a key walked the tree")
		}
		mustContain(t, screen(m), "@"+typed+"▏")
		cmd = tea.Batch(next...)
	}
	pump(t, m, cmd)
	s := screen(m)
	if !o.done || o.f.Len() != n+1 {
		t.Fatalf("walk done %v, %d files", o.done, o.f.Len())
	}
	if walks < 2 {
		t.Errorf("the walk took %d steps: it did not go a little at a time", walks)
	}
	mustContain(t, s, "100,001 files", "▸ pkg42/needle_report.md")
	mustNotContain(t, s, "looking…")
}

// BenchmarkFinderKey100k: what a key costs the UI goroutine with the
// finder open over 100,000 files (Update and a frame), and what ranking
// them costs the command that does it, per query.
//
//	go test ./ui -run '^$' -bench FinderKey100k -benchtime 200x
func BenchmarkFinderKey100k(b *testing.B) {
	m, _ := newTestModel(b, 80, 24, Deps{Dir: bigTree(b, 100_000)})
	m.Update(tea.KeyPressMsg{Code: '@', Text: "@"})
	o := finderOpen(m)
	for !o.f.Next(time.Second) {
	}
	keys := []tea.KeyPressMsg{{Code: 'r', Text: "r"}, {Code: tea.KeyBackspace}}
	var ranking time.Duration
	ranks := 0
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, cmd := m.Update(keys[i%2])
		m.View()
		b.StopTimer()
		if i%10 == 0 { // a sample of the commands' work: ranking is not the UI's
			start := time.Now()
			for _, msg := range runBatch(cmd) {
				if mt, ok := msg.(finderMatchedMsg); ok {
					ranking += time.Since(start)
					ranks++
					m.Update(mt)
				}
			}
		} else {
			o.matching = false
		}
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N), "µs/key")
	if ranks > 0 {
		b.ReportMetric(float64(ranking.Milliseconds())/float64(ranks), "ms/rank-in-command")
	}
}
