// Package logging is Parley's log: a text log/slog handler writing to
// $XDG_STATE_HOME/parley/parley.log, behind a handler that scrubs secrets
// from every record, and an HTTP transport that traces requests into it.
//
// The log is a file, never the terminal: the TUI owns the terminal, and a
// line written to it behind the TUI's back would corrupt the screen.
package logging

import (
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
)

// MaxSize is the size past which the log is moved to parley.log.1 (the
// previous parley.log.1 is lost) and a new one started.
const MaxSize = 10 << 20

// Path is the log file: $XDG_STATE_HOME/parley/parley.log, or
// ~/.local/state/parley/parley.log when XDG_STATE_HOME is unset or
// relative (as the XDG spec says).
func Path(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_STATE_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "parley", "parley.log"), nil
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".local", "state", "parley", "parley.log"), nil
	}
	return "", errors.New("cannot tell where the log goes: set XDG_STATE_HOME or HOME")
}

// Open opens the log file for appending (its directory 0700, the file
// 0600) and returns a logger writing to it through NewRedactor: info and
// above, and debug too when debug is set. Close the Closer at exit.
func Open(getenv func(string) string, debug bool) (*slog.Logger, io.Closer, error) {
	path, err := Path(getenv)
	if err != nil {
		return nil, nil, err
	}
	f, err := openRotating(path, MaxSize)
	if err != nil {
		return nil, nil, err
	}
	level := slog.LevelInfo
	if debug {
		level = slog.LevelDebug
	}
	h := slog.NewTextHandler(f, &slog.HandlerOptions{Level: level})
	return slog.New(NewRedactor(h)), f, nil
}

// rotatingFile appends to a file and, when a write would take it past
// limit, moves it to path.1 and starts a new one. Rotation is best effort:
// when it fails (Windows cannot rename an open file), writing goes on.
type rotatingFile struct {
	mu    sync.Mutex
	path  string
	limit int64
	f     *os.File
	size  int64
}

func openRotating(path string, limit int64) (*rotatingFile, error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	if err := os.Chmod(dir, 0o700); err != nil { // it may predate us, wider
		return nil, err
	}
	if st, err := os.Stat(path); err == nil && st.Size() > limit {
		os.Rename(path, path+".1") // best effort: else append to the big one
	}
	f, size, err := openAppend(path)
	if err != nil {
		return nil, err
	}
	return &rotatingFile{path: path, limit: limit, f: f, size: size}, nil
}

func openAppend(path string) (*os.File, int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return nil, 0, err
	}
	st, err := f.Stat()
	if err == nil && st.Mode().Perm() != 0o600 {
		err = f.Chmod(0o600)
	}
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	return f, st.Size(), nil
}

func (r *rotatingFile) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return 0, os.ErrClosed
	}
	if r.size > 0 && r.size+int64(len(p)) > r.limit {
		r.rotate()
	}
	n, err := r.f.Write(p)
	r.size += int64(n)
	return n, err
}

func (r *rotatingFile) rotate() {
	if os.Rename(r.path, r.path+".1") != nil {
		r.size = 0 // try again after another limit's worth, not every line
		return
	}
	f, size, err := openAppend(r.path)
	if err != nil {
		r.size = 0 // keep writing to the renamed file
		return
	}
	r.f.Close()
	r.f, r.size = f, size
}

func (r *rotatingFile) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.f == nil {
		return nil
	}
	err := r.f.Close()
	r.f = nil
	return err
}
