package history

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Path is the history file: $XDG_STATE_HOME/parley/history.jsonl, or
// ~/.local/state/parley/history.jsonl when XDG_STATE_HOME is unset or
// relative (as the XDG spec says).
func Path(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "parley", "history.jsonl"), nil
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "state", "parley", "history.jsonl"), nil
	}
	return "", errors.New("cannot tell where the prompt history goes: set XDG_STATE_HOME or HOME")
}

// ErrDamaged says some lines of the file could not be read; Load returns
// the entries it could read along with it, and the next Append drops the
// damaged lines.
var ErrDamaged = errors.New("damaged lines skipped")

// formatVersion is written in the file's first line. A file from a newer
// Parley is read by nobody here and never overwritten.
const formatVersion = 1

type header struct {
	Version int `json:"parley_history"`
}

// File is the history on disk: JSON Lines, a header then one entry per
// line, oldest first, 0600 in a 0700 directory. Every write replaces the
// whole file through a temporary file and a rename, so a crash at any
// moment leaves either the old file or the new one, never a mix.
//
// Its methods do I/O: call them from a tea.Cmd, never in Update. They are
// safe for concurrent use within a process. Two Parleys appending at the
// same instant may lose one of the two entries (each rewrites what it
// read), but never damage the file.
type File struct {
	path string
	lim  Limits
	mu   sync.Mutex
}

// Open returns the history file at path, bounded by lim. It does no I/O.
func Open(path string, lim Limits) *File { return &File{path: path, lim: lim.withDefaults()} }

// Load reads the entries, oldest first, within the Limits (the newest
// kept). A missing file is an empty history. With ErrDamaged, the entries
// that could be read are returned too.
func (f *File) Load() ([]Entry, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.load()
}

// Append adds entries (oldest first) after those on disk, drops the
// oldest past the Limits, and writes the file again.
func (f *File) Append(entries ...Entry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	old, err := f.load()
	if err != nil && !errors.Is(err, ErrDamaged) {
		return err
	}
	list := NewList(f.lim)
	list.AddOlder(old)
	for _, e := range entries {
		list.Add(e)
	}
	return f.write(list.entries)
}

// maxRead bounds what Load reads: the newest lines of a file that grew
// past its limits (by hand, or a bug) are enough. JSON may spell a byte
// of text in up to six ("\u001b").
func (f *File) maxRead() int64 { return int64(f.lim.Bytes)*6 + 1<<20 }

func (f *File) load() ([]Entry, error) {
	fh, err := os.Open(f.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	var r io.Reader = fh
	skipFirst := false
	if st.Size() > f.maxRead() {
		if _, err := fh.Seek(st.Size()-f.maxRead(), io.SeekStart); err != nil {
			return nil, err
		}
		skipFirst = true // the seek lands inside a line
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, err
	}
	return f.parse(data, skipFirst)
}

func (f *File) parse(data []byte, skipFirst bool) ([]Entry, error) {
	list := NewList(f.lim)
	damaged := 0
	for i, line := range bytes.Split(data, []byte("\n")) {
		if len(bytes.TrimSpace(line)) == 0 || i == 0 && skipFirst {
			continue
		}
		if bytes.HasPrefix(line, []byte(`{"parley_history"`)) {
			var h header
			if err := json.Unmarshal(line, &h); err == nil && h.Version > formatVersion {
				return nil, fmt.Errorf("%s was written by a newer Parley (format %d); it is left as it is", f.path, h.Version)
			}
			continue
		}
		var e Entry
		if json.Unmarshal(line, &e) != nil || !valid(e) {
			damaged++
			continue
		}
		list.Add(e)
	}
	if damaged > 0 {
		return list.entries, fmt.Errorf("%s: %d %w", f.path, damaged, ErrDamaged)
	}
	return list.entries, nil
}

// valid checks what JSON cannot: each part is text or a chip, and a chip
// has a kind and a label.
func valid(e Entry) bool {
	if len(e.Parts) == 0 {
		return false
	}
	for _, p := range e.Parts {
		if p.Chip != nil && (p.Text != "" || p.Chip.Kind == "" || p.Chip.Label == "") {
			return false
		}
	}
	return true
}

func (f *File) write(entries []Entry) error {
	dir := filepath.Dir(f.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	removeStaleTemps(dir)
	tmp, err := os.CreateTemp(dir, tempPattern) // 0600
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename there is nothing to remove
	w := bufio.NewWriter(tmp)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	err = enc.Encode(header{Version: formatVersion})
	for _, e := range entries {
		if err == nil {
			err = enc.Encode(e)
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if err == nil {
		err = tmp.Sync() // the data is on disk before the name points at it
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), f.path); err != nil {
		return err
	}
	syncDir(dir)
	return nil
}

const tempPattern = ".history-*.tmp"

// removeStaleTemps deletes temporary files that a killed Parley left
// behind. Only old ones: a young one may be another Parley's write in
// progress.
func removeStaleTemps(dir string) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, de := range entries {
		name := de.Name()
		if !strings.HasPrefix(name, ".history-") || !strings.HasSuffix(name, ".tmp") {
			continue
		}
		if info, err := de.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			os.Remove(filepath.Join(dir, name))
		}
	}
}

// syncDir makes the rename durable. Best effort: some systems cannot
// sync a directory, and the rename itself is already atomic.
func syncDir(dir string) {
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
}
