package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"modernc.org/sqlite"
)

// ErrReadOnly is wrapped by the error of every write to a database Parley
// can read but not write, and by Open's error when it cannot even create
// one.
var ErrReadOnly = errors.New("the session database is read-only")

// ReadOnlyError says why a session database cannot be written.
type ReadOnlyError struct {
	Path   string
	Reason error // the file or its directory is read-only, the file system is, ...
}

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("cannot write the session database %s: %v", e.Path, e.Reason)
}

func (e *ReadOnlyError) Unwrap() []error { return []error{ErrReadOnly, e.Reason} }

// ReadOnly returns why the store cannot write (a *ReadOnlyError), or nil
// when it can. A read-only store lists, loads and searches sessions; every
// write returns this error, and a Writer on it writes nothing and reports
// it from Err and Close.
func (s *Store) ReadOnly() error {
	if s.ro == nil {
		return nil
	}
	return s.ro
}

// cannotWrite says why Parley could not write the database at path (it
// need not exist), or nil. SQLite in WAL mode writes the database file and,
// beside it, the -wal and -shm files, which it creates and removes: so the
// directory must be writable unless those two exist and are.
func cannotWrite(path string) error {
	dir := filepath.Dir(path)
	_, err := os.Stat(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("it cannot be reached: %w", err)
	}
	if err != nil {
		for d := dir; ; d = filepath.Dir(d) { // the nearest directory that exists must take the new ones
			if _, err := os.Stat(d); err == nil {
				if err := writable(d); err != nil {
					return fmt.Errorf("it cannot be created in %s: %w", d, err)
				}
				return nil
			}
			if filepath.Dir(d) == d {
				return nil
			}
		}
	}
	if err := writable(path); err != nil {
		return fmt.Errorf("the file is read-only: %w", err)
	}
	if err := writable(dir); err != nil {
		if writable(path+"-wal") == nil && writable(path+"-shm") == nil {
			return nil
		}
		return fmt.Errorf("its directory %s is read-only: %w", dir, err)
	}
	return nil
}

// isReadOnlyError says whether SQLite failed because it could not write
// or create a file.
func isReadOnlyError(err error) bool {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return false
	}
	switch se.Code() & 0xff {
	case 3, 8, 14: // SQLITE_PERM, SQLITE_READONLY (and its extended codes), SQLITE_CANTOPEN
		return true
	}
	return false
}

// openReadOnly opens an existing database for reading only, why being why
// it cannot be written. It creates no file: without a -wal file (the
// usual state of a database no Parley has open) it opens the file as
// immutable, which needs no lock and no -shm; with one, whose changes are
// not in the database file yet, it reads through it (mode=ro), and falls
// back to the file alone when even that is refused.
func openReadOnly(path string, why *ReadOnlyError) (*Store, error) {
	if _, err := os.Stat(path); err != nil {
		return nil, why // nothing to read
	}
	modes := [][]string{{"mode=ro", "immutable=1"}}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		modes = append([][]string{{"mode=ro"}}, modes...)
	}
	var lastErr error
	for _, mode := range modes {
		db, err := sql.Open("sqlite", dsn(path, append(mode, "_pragma=query_only(1)")...))
		if err != nil {
			return nil, err
		}
		db.SetMaxOpenConns(4)
		var version int
		err = db.QueryRowContext(context.Background(), "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&version)
		if err != nil {
			db.Close()
			lastErr = err
			continue
		}
		switch {
		case version < SchemaVersion():
			db.Close()
			return nil, fmt.Errorf("the session database %s is at schema version %d and Parley needs %d, but %w",
				path, version, SchemaVersion(), why)
		case version > SchemaVersion():
			db.Close()
			return nil, fmt.Errorf("the database is at schema version %d, newer than this Parley knows (%d): upgrade Parley",
				version, SchemaVersion())
		}
		return &Store{path: path, r: db, ro: why, owner: currentOwner()}, nil
	}
	return nil, fmt.Errorf("opening %s read-only: %w", path, errors.Join(lastErr, why))
}
