// Package finder lists the files under a directory that can be attached,
// for the "@" picker, and ranks them against what the user types:
//
//	f := finder.New(".", finder.Options{})
//	defer f.Close()
//	for !f.Next(20 * time.Millisecond) { // walk a little at a time
//		show(f.Match("rank", 10))          // best first
//	}
//
// The walk is breadth-first (shallow files come first), lazy (Next does
// at most about budget's worth of work, so a UI can call it from a
// command between frames), follows .gitignore files as git does (nested
// ones, negations, directory patterns, the repository's
// .git/info/exclude, and the .gitignore files above the root inside its
// repository), skips version-control directories, links to directories,
// files over their kind's size limit and binary files that are not
// images or PDFs.
//
// Next and Close must not be called concurrently with each other; Match,
// Len and Done may be called from any goroutine at any time.
package finder

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/parley-tui/parley/model/attach"
)

// Options tune a Finder.
type Options struct {
	// Limits skips files over the limit for their kind (zero: the defaults).
	Limits attach.Limits
}

// Entry is a file that can be offered.
type Entry struct {
	Path string // relative to the root, slash-separated
	Size int64
	Kind attach.Kind // as its extension or first bytes suggest; Load decides
}

// Finder walks a directory tree lazily and matches queries against what
// it has found so far.
type Finder struct {
	root   string
	limits attach.Limits

	mu      sync.Mutex // guards entries and done
	entries []Entry
	done    bool

	// The walk's state, touched only by Next and Close.
	queue  []dir // directories found and not yet opened, from head on
	head   int
	cur    *os.File // the directory being read, nil between directories
	curDir dir
	prefix string // the root relative to its repository's top, "" when it is the top
}

type dir struct {
	rel   string // relative to the root, "" for the root
	rules *rules // those in force inside it
}

// vcsDirs are never walked into.
var vcsDirs = map[string]bool{".git": true, ".hg": true, ".svn": true, ".jj": true, ".bzr": true}

// New starts a finder at root. It reads the ignore files above root in
// its repository now; the walk itself waits for Next.
func New(root string, opts Options) *Finder {
	f := &Finder{root: root, limits: opts.Limits}
	f.prefix, f.curDir.rules = repoRules(root)
	f.queue = []dir{{rel: "", rules: f.curDir.rules}}
	return f
}

// repoRules finds the repository root is in (a directory above it, or
// itself, holding .git) and reads its .git/info/exclude and the
// .gitignore files from its top down to root's parent. prefix is root
// relative to the top.
func repoRules(root string) (prefix string, r *rules) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return "", nil
	}
	top := abs
	for {
		if _, err := os.Lstat(filepath.Join(top, ".git")); err == nil {
			break
		}
		up := filepath.Dir(top)
		if up == top {
			return "", nil // not in a repository: only the .gitignore files below root count
		}
		top = up
	}
	if p := parseIgnore(readSmall(filepath.Join(top, ".git", "info", "exclude"))); len(p) > 0 {
		r = &rules{patterns: p}
	}
	rel, err := filepath.Rel(top, abs)
	if err != nil || rel == "." {
		return "", r
	}
	prefix = filepath.ToSlash(rel)
	parts := strings.Split(prefix, "/")
	for i := range parts { // the top's .gitignore, then each directory's down to root's parent
		base := strings.Join(parts[:i], "/")
		if p := parseIgnore(readSmall(filepath.Join(top, filepath.FromSlash(base), ".gitignore"))); len(p) > 0 {
			r = &rules{base: base, patterns: p, parent: r}
		}
	}
	return prefix, r
}

// readSmall reads an ignore file, or nothing if it is missing or huge.
func readSmall(path string) []byte {
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() > 1<<20 {
		return nil
	}
	data, _ := os.ReadFile(path)
	return data
}

// Next walks on for about budget (at least one batch of directory
// entries) and reports whether the walk is finished.
func (f *Finder) Next(budget time.Duration) bool {
	if f.Done() {
		return true
	}
	deadline := time.Now().Add(budget)
	var batch []Entry
	finished := false
	for {
		if f.cur == nil {
			if f.head == len(f.queue) {
				finished = true
				break
			}
			f.open(f.queue[f.head])
			f.queue[f.head] = dir{}
			f.head++
			if f.head > 1024 && f.head*2 > len(f.queue) { // drop the walked part
				f.queue = append([]dir(nil), f.queue[f.head:]...)
				f.head = 0
			}
			continue
		}
		ents, err := f.cur.ReadDir(64)
		for _, de := range ents {
			f.visit(de, &batch)
		}
		if err != nil { // io.EOF, or a directory that went away: move on
			f.cur.Close()
			f.cur = nil
		}
		if !time.Now().Before(deadline) {
			break
		}
	}
	f.mu.Lock()
	f.entries = append(f.entries, batch...)
	f.done = finished
	f.mu.Unlock()
	return finished
}

// open starts reading d, with its own .gitignore's rules added to those
// above it. A directory that cannot be read is passed over.
func (f *Finder) open(d dir) {
	full := f.full(d.rel)
	if p := parseIgnore(readSmall(filepath.Join(full, ".gitignore"))); len(p) > 0 {
		d.rules = &rules{base: f.fromTop(d.rel), patterns: p, parent: d.rules}
	}
	file, err := os.Open(full)
	if err != nil {
		return
	}
	f.cur, f.curDir = file, d
}

func (f *Finder) visit(de fs.DirEntry, batch *[]Entry) {
	name := de.Name()
	if vcsDirs[name] {
		return // also a worktree's .git file
	}
	rel := name
	if f.curDir.rel != "" {
		rel = f.curDir.rel + "/" + name
	}
	t, size := de.Type(), int64(-1)
	if t&fs.ModeSymlink != 0 {
		// Links to files are offered; links to directories are not
		// followed, which also keeps link loops out.
		fi, err := os.Stat(f.full(rel))
		if err != nil || !fi.Mode().IsRegular() {
			return
		}
		t, size = 0, fi.Size()
	}
	switch {
	case t.IsDir():
		if !f.curDir.rules.ignored(f.fromTop(rel), true) {
			f.queue = append(f.queue, dir{rel: rel, rules: f.curDir.rules})
		}
	case t.IsRegular():
		if f.curDir.rules.ignored(f.fromTop(rel), false) {
			return
		}
		if size < 0 {
			fi, err := de.Info()
			if err != nil {
				return
			}
			size = fi.Size()
		}
		if size > f.limits.Largest() {
			return // too large for anything: do not even open it
		}
		kind, ok := kindOf(f.full(rel), name)
		if !ok || size > f.limits.For(kind) {
			return
		}
		*batch = append(*batch, Entry{Path: rel, Size: size, Kind: kind})
	}
}

func (f *Finder) full(rel string) string {
	if rel == "" {
		return f.root
	}
	return filepath.Join(f.root, filepath.FromSlash(rel))
}

// fromTop is rel (relative to the root) relative to the repository top,
// which is what ignore rules match.
func (f *Finder) fromTop(rel string) string {
	switch {
	case f.prefix == "":
		return rel
	case rel == "":
		return f.prefix
	}
	return f.prefix + "/" + rel
}

// Close stops the walk and releases the directory it had open.
func (f *Finder) Close() error {
	f.mu.Lock()
	f.done = true
	f.mu.Unlock()
	if f.cur != nil {
		err := f.cur.Close()
		f.cur = nil
		return err
	}
	return nil
}

// Done reports whether the walk has finished (or was closed).
func (f *Finder) Done() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.done
}

// Len is how many files have been found so far.
func (f *Finder) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.entries)
}

// snapshot is the entries found so far. They are only ever appended to,
// so the slice stays valid while Next goes on.
func (f *Finder) snapshot() []Entry {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.entries[:len(f.entries):len(f.entries)]
}

// Match ranks the files found so far against query, best first, at most
// limit of them (see Rank).
func (f *Finder) Match(query string, limit int) []Match {
	return Rank(f.snapshot(), query, limit)
}
