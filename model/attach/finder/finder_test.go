package finder

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/attach"
)

const pngHeader = "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"

// tree creates files (path -> content) under root.
func tree(t testing.TB, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// walkAll walks root to the end and returns the paths found, sorted.
func walkAll(t *testing.T, root string, opts Options) []string {
	t.Helper()
	f := New(root, opts)
	defer f.Close()
	if !f.Next(time.Hour) {
		t.Fatal("an hour was not enough")
	}
	var paths []string
	for _, m := range f.Match("", 0) {
		paths = append(paths, m.Path)
	}
	slices.Sort(paths)
	return paths
}

func TestWalkSkipsWhatCannotBeAttached(t *testing.T) {
	root := t.TempDir()
	tree(t, root, map[string]string{
		".git/HEAD":               "ref: refs/heads/main\n",
		".git/info/exclude":       "secret.txt\n",
		".gitignore":              "*.log\nvendor/\n/build\nnode_modules\n",
		"a.go":                    "package a\n",
		"a.log":                   "log\n",
		"secret.txt":              "s\n",
		"vendor/x.go":             "package x\n",
		"lib/vendor":              "a file called vendor\n",
		"build/out.txt":           "o\n",
		"src/build/keep.txt":      "k\n",
		"node_modules/p/index.js": "x\n",
		"sub/.gitignore":          "!keep.log\n*.tmp\n",
		"sub/keep.log":            "k\n",
		"sub/other.log":           "o\n",
		"sub/x.tmp":               "t\n",
		"y.tmp":                   "t\n",
		".hidden/config.yaml":     "a: 1\n",
		"tool.exe":                "MZ text-looking but an .exe\n",
		"blob":                    "\x00\x01\x02binary",
		"script":                  "#!/bin/sh\necho hi\n",
		"logo":                    pngHeader,
		"doc.pdf":                 "%PDF-1.4\n",
		"big.txt":                 strings.Repeat("x", 101),
		"big.png":                 pngHeader + strings.Repeat("x", 100),
		"old.txt":                 "caf\xe9\n",            // Latin-1: offered, Load says why not
		"wt/.git":                 "gitdir: /elsewhere\n", // a worktree's
		"wt/w.go":                 "package w\n",
	})
	os.Symlink("a.go", filepath.Join(root, "link.go"))
	os.Symlink("src", filepath.Join(root, "linkdir"))
	os.Symlink("loop", filepath.Join(root, "loop"))
	os.Symlink("gone", filepath.Join(root, "dangling"))

	got := walkAll(t, root, Options{Limits: attach.Limits{Text: 100}})
	want := []string{
		".gitignore", ".hidden/config.yaml", "a.go", "big.png", "doc.pdf", "lib/vendor", "link.go", "logo",
		"old.txt", "script", "src/build/keep.txt", "sub/.gitignore", "sub/keep.log", "wt/w.go", "y.tmp",
	}
	if !slices.Equal(got, want) {
		t.Errorf("found\n%q\nwant\n%q", got, want)
	}
	kinds := map[string]attach.Kind{}
	f := New(root, Options{Limits: attach.Limits{Text: 100}})
	f.Next(time.Hour)
	for _, m := range f.Match("", 0) {
		kinds[m.Path] = m.Kind
	}
	if kinds["logo"] != attach.Image || kinds["doc.pdf"] != attach.PDF || kinds["script"] != attach.Text {
		t.Errorf("kinds: %v", kinds)
	}
}

// The .gitignore files above the root, up to the repository's top, count.
func TestWalkFromInsideARepository(t *testing.T) {
	repo := t.TempDir()
	tree(t, repo, map[string]string{
		".git/HEAD":              "x",
		".gitignore":             "*.gen.go\n/pkg/skip/\n",
		"pkg/.gitignore":         "!keep.gen.go\n",
		"pkg/a.go":               "package pkg\n",
		"pkg/x.gen.go":           "package pkg\n",
		"pkg/keep.gen.go":        "package pkg\n",
		"pkg/skip/s.go":          "package skip\n",
		"pkg/other/skip/s.go":    "package skip\n",
		"pkg/other/y.gen.go":     "package other\n",
		"pkg/other/nested/z.txt": "z\n",
	})
	got := walkAll(t, filepath.Join(repo, "pkg"), Options{})
	want := []string{".gitignore", "a.go", "keep.gen.go", "other/nested/z.txt", "other/skip/s.go"}
	if !slices.Equal(got, want) {
		t.Errorf("found %q, want %q", got, want)
	}
}

// Outside any repository, the .gitignore files below the root still count.
func TestWalkOutsideARepository(t *testing.T) {
	root := t.TempDir()
	tree(t, root, map[string]string{".gitignore": "*.o\n", "a.c": "int a;\n", "a.o": "obj\n"})
	if got := walkAll(t, root, Options{}); !slices.Equal(got, []string{".gitignore", "a.c"}) {
		t.Errorf("found %q", got)
	}
}

// wide makes dirs directories of files files each, plus files at the top.
func wide(t testing.TB, root string, dirs, files int) {
	m := map[string]string{}
	for d := range dirs {
		for f := range files {
			m[fmt.Sprintf("d%02d/f%03d.txt", d, f)] = "x\n"
		}
	}
	for f := range files {
		m[fmt.Sprintf("top%03d.go", f)] = "package x\n"
	}
	tree(t, root, m)
}

func TestNextKeepsToItsBudget(t *testing.T) {
	root := t.TempDir()
	wide(t, root, 20, 50)
	f := New(root, Options{})
	defer f.Close()
	// A zero budget still makes progress, one batch of entries a call.
	calls, seen := 0, 0
	var order []string
	for !f.Next(0) {
		calls++
		n := f.Len()
		if n-seen > 64 {
			t.Fatalf("one call with no time found %d files", n-seen)
		}
		for _, e := range f.snapshot()[seen:] {
			order = append(order, e.Path)
		}
		seen = n
		if calls > 10000 {
			t.Fatal("the walk never ends")
		}
	}
	for _, e := range f.snapshot()[seen:] {
		order = append(order, e.Path)
	}
	if calls < 1050/64 {
		t.Errorf("%d calls walked 1050 files: the budget is not kept", calls)
	}
	if len(order) != 1050 || len(slices.Compact(slices.Sorted(slices.Values(order)))) != 1050 {
		t.Errorf("found %d files (%d distinct), want 1050", len(order), len(slices.Compact(slices.Sorted(slices.Values(order)))))
	}
	// Breadth first: every top-level file before any file in a directory.
	lastTop := slices.IndexFunc(order, func(p string) bool { return strings.Contains(p, "/") })
	if lastTop != 50 {
		t.Errorf("the first file in a directory came after %d top-level files, want 50", lastTop)
	}
	if !f.Done() || !f.Next(0) {
		t.Error("a finished walk is not done")
	}
}

func TestCloseStopsTheWalk(t *testing.T) {
	root := t.TempDir()
	wide(t, root, 5, 100)
	f := New(root, Options{})
	f.Next(0)
	f.Next(0)
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	n := f.Len()
	if !f.Done() || !f.Next(time.Hour) || f.Len() != n {
		t.Error("the walk goes on after Close")
	}
}

// Match may run while Next walks (the UI matches on every key while a
// command walks on); go test -race checks the locking.
func TestMatchWhileWalking(t *testing.T) {
	root := t.TempDir()
	wide(t, root, 10, 100)
	f := New(root, Options{})
	defer f.Close()
	var wg sync.WaitGroup
	wg.Go(func() {
		for !f.Next(100 * time.Microsecond) {
		}
	})
	for !f.Done() {
		for _, m := range f.Match("f00", 5) {
			if !strings.Contains(m.Path, "f00") {
				t.Errorf("%q does not match f00", m.Path)
			}
		}
	}
	wg.Wait()
	if got := len(f.Match("", 0)); got != 1100 {
		t.Errorf("found %d, want 1100", got)
	}
}
