// Package store keeps Parley's sessions in one SQLite database: sessions,
// their messages as they stream, and a full-text index over what was said.
// It is pure Go (modernc.org/sqlite, no cgo) and knows nothing of the
// terminal.
//
// Durability: the database runs in WAL mode with synchronous=NORMAL. A
// transaction is committed once its frames are in the WAL file, which lives
// in the kernel's page cache as soon as write(2) returns, so a process killed
// at any moment (kill -9, a panic, a closed terminal) loses nothing it had
// committed and never leaves a torn database: the next open replays or
// ignores the WAL tail atomically. Only an operating-system crash or power
// loss can roll back the last commits (never corrupt the file); FULL would
// close that window at the cost of an fsync per streaming update.
//
// Concurrency: all of this process's writes go through one connection and
// BEGIN IMMEDIATE transactions, so writers in this process queue in Go and
// writers in other processes wait on SQLite's lock (busy_timeout) instead of
// failing with SQLITE_BUSY halfway through. Reads use a separate pool and do
// not wait for writers (WAL readers see the last committed snapshot).
//
// Never open the database file with os.Open while a Store is open in the
// same process: closing any descriptor of the file drops every POSIX lock the
// process holds on it, SQLite's included.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"modernc.org/sqlite" // registers the "sqlite" database/sql driver
)

// busyTimeout is how long a statement waits for another process's write
// lock before giving up with SQLITE_BUSY.
const busyTimeout = 5 * time.Second

// Store is an open session database. Its methods are safe for concurrent
// use.
type Store struct {
	path  string
	w     *sql.DB        // one connection, every write, BEGIN IMMEDIATE
	r     *sql.DB        // readers
	owner owner          // this process, stamped on the messages it streams
	ro    *ReadOnlyError // why the database cannot be written; nil when it can (then w is nil)

	mu       sync.Mutex // guards secrets
	secrets  []string
	replacer atomic.Pointer[strings.Replacer] // secrets → "[redacted]", nil when none
}

// ErrNotFound is returned (wrapped) when a session or message does not
// exist.
var ErrNotFound = errors.New("not found")

// notFoundError is an ErrNotFound that reads as one sentence ("no session
// matches "x""), for errors a user sees whole: wrapping ErrNotFound with
// %w would end it with ": not found".
type notFoundError string

func notFound(format string, args ...any) error { return notFoundError(fmt.Sprintf(format, args...)) }

func (e notFoundError) Error() string        { return string(e) }
func (e notFoundError) Is(target error) bool { return target == ErrNotFound }

// DefaultPath is where Parley keeps its database: $PARLEY_DB if set, else
// $XDG_DATA_HOME/parley/parley.db, else ~/.local/share/parley/parley.db.
func DefaultPath() (string, error) {
	if p := os.Getenv("PARLEY_DB"); p != "" {
		return p, nil
	}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" || !filepath.IsAbs(data) { // the XDG spec says to ignore a relative value
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("finding the data directory: %w", err)
		}
		data = filepath.Join(home, ".local", "share")
	}
	return filepath.Join(data, "parley", "parley.db"), nil
}

// Open opens the database at path, creating it (and its directory, readable
// by the user alone) if needed, applies any pending migrations, and marks
// replies left streaming by processes that have died as interrupted.
//
// A database Parley can read but not write (the file, its directory or the
// file system is read-only) is opened read-only, as OpenReadOnly does:
// ReadOnly then says why. One it can neither write nor create is an error
// wrapping ErrReadOnly.
func Open(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	if reason := cannotWrite(abs); reason != nil {
		return openReadOnly(abs, &ReadOnlyError{Path: abs, Reason: reason})
	}
	if err := createPrivate(abs); err != nil {
		return nil, err
	}
	s, err := openWritable(abs)
	if err != nil && isReadOnlyError(err) {
		return openReadOnly(abs, &ReadOnlyError{Path: abs, Reason: err})
	}
	return s, err
}

// OpenReadOnly opens an existing database for reading, whether or not it
// could be written, without creating or changing any file: no migration,
// no -wal or -shm file where none exists. Every write returns an error
// wrapping ErrReadOnly.
func OpenReadOnly(path string) (*Store, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	return openReadOnly(abs, &ReadOnlyError{Path: abs, Reason: errors.New("it was opened read-only")})
}

func openWritable(abs string) (*Store, error) {
	var err error
	s := &Store{path: abs, owner: currentOwner()}
	s.w, err = sql.Open("sqlite", dsn(abs, "_txlock=immediate", "_pragma=journal_mode(WAL)"))
	if err != nil {
		return nil, err
	}
	s.w.SetMaxOpenConns(1)
	ctx := context.Background()
	if err := pingBusy(ctx, s.w); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("opening %s: %w", abs, err)
	}
	if err := migrate(ctx, s.w); err != nil {
		s.w.Close()
		return nil, fmt.Errorf("preparing %s: %w", abs, err)
	}
	s.r, err = sql.Open("sqlite", dsn(abs, "_pragma=query_only(1)", "_pragma=mmap_size(268435456)"))
	if err != nil {
		s.w.Close()
		return nil, err
	}
	s.r.SetMaxOpenConns(4)
	if _, err := s.ReclaimInterrupted(ctx); err != nil {
		s.Close()
		return nil, err
	}
	return s, nil
}

// pingBusy connects, waiting up to busyTimeout while another process
// holds the lock: turning a new database to WAL mode on connecting takes
// an exclusive lock, and SQLite reports SQLITE_BUSY for it at once, not
// through the busy handler (two Parleys starting together on a new
// database saw it).
func pingBusy(ctx context.Context, db *sql.DB) error {
	deadline := time.Now().Add(busyTimeout)
	for delay := 5 * time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		err := db.PingContext(ctx)
		var se *sqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != 5 || time.Now().After(deadline) { // SQLITE_BUSY
			return err
		}
		time.Sleep(delay)
	}
}

func dsn(path string, extra ...string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	params := []string{
		fmt.Sprintf("_pragma=busy_timeout(%d)", busyTimeout.Milliseconds()),
		"_pragma=foreign_keys(1)",
		"_pragma=synchronous(NORMAL)",
	}
	return u.String() + "?" + strings.Join(append(params, extra...), "&")
}

// createPrivate makes the directory (0700) and an empty database file
// (0600) if they do not exist yet. SQLite gives the -wal and -shm files the
// database file's permissions. Existing files keep theirs: they are the
// user's.
func createPrivate(path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("creating the data directory: %w", err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case errors.Is(err, os.ErrExist):
		return nil
	case err != nil:
		return fmt.Errorf("creating the database: %w", err)
	}
	return f.Close()
}

// Path is the database file's absolute path.
func (s *Store) Path() string { return s.path }

// Close marks this process's replies still streaming as interrupted (a
// Writer should have finished them) and closes the database.
func (s *Store) Close() error {
	if s.ro != nil {
		return s.r.Close()
	}
	ctx := context.Background()
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id FROM messages
			WHERE status = 'streaming' AND owner_host = ? AND owner_pid = ? AND owner_start = ? AND owner_token = ?`,
			s.owner.host, s.owner.pid, s.owner.start, s.owner.token)
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
		}
		rows.Close()
		for _, id := range ids {
			if _, err := settle(ctx, tx, id, StatusInterrupted); err != nil {
				return err
			}
		}
		return rows.Err()
	})
	if _, oerr := s.w.ExecContext(ctx, "PRAGMA optimize"); err == nil {
		err = oerr
	}
	if s.r != nil {
		if cerr := s.r.Close(); err == nil {
			err = cerr
		}
	}
	if cerr := s.w.Close(); err == nil {
		err = cerr
	}
	return err
}

// Redact makes the store replace every occurrence of each secret (an API
// key) with "[redacted]" in everything it writes from now on. Parley keeps
// no field for a key; this guards against one echoed back in a server's
// error message or pasted into a prompt.
func (s *Store) Redact(secrets ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range secrets {
		if len(k) >= 8 { // shorter values would redact ordinary words
			s.secrets = append(s.secrets, k)
		}
	}
	if len(s.secrets) == 0 {
		return
	}
	pairs := make([]string, 0, 2*len(s.secrets))
	for _, k := range s.secrets {
		pairs = append(pairs, k, "[redacted]")
	}
	s.replacer.Store(strings.NewReplacer(pairs...))
}

// redactor returns the replacer for the secrets, or nil.
func (s *Store) redactor() *strings.Replacer { return s.replacer.Load() }

// IntegrityCheck runs PRAGMA integrity_check and returns an error unless it
// says ok.
func (s *Store) IntegrityCheck(ctx context.Context) error {
	rows, err := s.r.QueryContext(ctx, "PRAGMA integrity_check")
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			return err
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(problems) > 0 {
		return fmt.Errorf("integrity check: %s", strings.Join(problems, "; "))
	}
	return nil
}

// write runs fn in one BEGIN IMMEDIATE transaction.
func (s *Store) write(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if s.ro != nil {
		return s.ro
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

func nowNano() int64 { return time.Now().UnixNano() }

// Times are stored as Unix nanoseconds; zero is stored as 0 and read back
// as the zero time.
func toNano(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func fromNano(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.Unix(0, n)
}
