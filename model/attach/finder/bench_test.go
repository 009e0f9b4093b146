package finder

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

// The benchmarks walk a generated tree of 100,000 files that can be
// attached (plus 5,000 in an ignored node_modules and 2,000 object
// files that .gitignore hides): 25 directories of 20 of 200 files each,
// of several kinds, a twentieth without an extension (so opened and
// sniffed). The tree is made once per run, in the file cache by the time
// it is walked; a cold cache is slower by whatever the disk costs.
//
//	go test ./model/attach/finder -run '^$' -bench . -benchtime 5x
const (
	benchTop, benchSub, benchFiles = 25, 20, 200
	benchTotal                     = benchTop * benchSub * benchFiles
)

var (
	benchOnce sync.Once
	benchRoot string
	benchErr  error
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchRoot != "" {
		os.RemoveAll(benchRoot)
	}
	os.Exit(code)
}

func benchTree(b *testing.B) string {
	benchOnce.Do(func() {
		benchRoot, benchErr = os.MkdirTemp("", "finder-bench")
		if benchErr != nil {
			return
		}
		benchErr = makeBenchTree(benchRoot)
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchRoot
}

func makeBenchTree(root string) error {
	words := []string{"render", "theme", "stream", "model", "store", "config", "attach", "finder", "keymap", "client"}
	exts := []string{".go", ".go", ".go", "_test.go", ".md", ".txt", ".json", ".ts", ".yaml", ".png"}
	put := func(p, content string) error {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		return os.WriteFile(p, []byte(content), 0o644)
	}
	if err := put(filepath.Join(root, ".gitignore"), "node_modules/\n*.o\n"); err != nil {
		return err
	}
	n := 0
	for t := range benchTop {
		for s := range benchSub {
			dir := filepath.Join(root, fmt.Sprintf("%s%02d", words[t%len(words)], t), fmt.Sprintf("%s_%02d", words[(t+s)%len(words)], s))
			for f := range benchFiles {
				name := fmt.Sprintf("%s_%s_%06d", words[f%len(words)], words[(f/10)%len(words)], n)
				content := "package x\n"
				switch {
				case f%20 == 0:
					// no extension: sniffed
				case exts[f%len(exts)] == ".png":
					name += ".png"
					content = pngHeader
				default:
					name += exts[(f/3)%len(exts)]
				}
				if err := put(filepath.Join(dir, name), content); err != nil {
					return err
				}
				n++
			}
			if s%2 == 0 {
				for o := range 10 {
					if err := put(filepath.Join(dir, fmt.Sprintf("obj%d.o", o)), "\x7fELF"); err != nil {
						return err
					}
				}
			}
		}
	}
	for i := range 5000 {
		if err := put(filepath.Join(root, "node_modules", fmt.Sprintf("p%03d", i/50), fmt.Sprintf("i%d.js", i)), "x"); err != nil {
			return err
		}
	}
	return nil
}

// BenchmarkFirst50 is the time from opening the picker to 50 results: for
// every file (an empty query) and for a word a quarter of them match,
// walking in 1 ms steps and matching after each.
func BenchmarkFirst50(b *testing.B) {
	root := benchTree(b)
	for _, q := range []string{"", "theme"} {
		b.Run(fmt.Sprintf("query=%q", q), func(b *testing.B) {
			for b.Loop() {
				f := New(root, Options{})
				for len(f.Match(q, 50)) < 50 {
					if f.Next(time.Millisecond) {
						b.Fatal("the walk ended before 50 results")
					}
				}
				f.Close()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/first-50")
		})
	}
}

// BenchmarkWalk100k is a whole walk of the tree, in 20 ms steps as a UI
// would take them.
func BenchmarkWalk100k(b *testing.B) {
	root := benchTree(b)
	for b.Loop() {
		f := New(root, Options{})
		for !f.Next(20 * time.Millisecond) {
		}
		if n := f.Len(); n != benchTotal+1 { // and the .gitignore
			b.Fatalf("found %d files, want %d", n, benchTotal+1)
		}
		f.Close()
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/walk")
}

// BenchmarkRank100k ranks 100,000 paths (the top 50) for queries of a
// few kinds.
func BenchmarkRank100k(b *testing.B) {
	paths := syntheticPaths(rand.New(rand.NewPCG(7, 8)), 100_000)
	es := entries(paths...)
	for _, q := range []string{"a", "rank", "finder rank", "src/ui/theme", "cfgtst", "zzzz", ""} {
		b.Run(fmt.Sprintf("query=%q", q), func(b *testing.B) {
			for b.Loop() {
				Rank(es, q, 50)
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/1000, "ms/rank")
		})
	}
}
