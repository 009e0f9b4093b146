package store

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley-tui/parley/stream"
)

func newStore(t *testing.T) *Store {
	t.Helper()
	st, err := Open(filepath.Join(t.TempDir(), "parley.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func newSession(t *testing.T, st *Store, title string) Session {
	t.Helper()
	s, err := st.CreateSession(context.Background(), Session{Title: title, Model: "gpt-5-mini", Dir: "/src"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func appendUser(t *testing.T, st *Store, sessionID, text string) int64 {
	t.Helper()
	id, err := st.AppendUserMessage(context.Background(), sessionID, StoredMessage{Text: text, Sent: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// appendReply stores a finished reply.

func appendReply(t *testing.T, st *Store, sessionID, text string) int64 {
	t.Helper()
	ctx := context.Background()
	id, err := st.BeginAssistantMessage(ctx, sessionID, StoredMessage{Model: "gpt-5-mini"})
	if err != nil {
		t.Fatal(err)
	}
	if err := st.FinishAssistantMessage(ctx, id, StoredMessage{Status: StatusCompleted, Text: text,
		TurnStatus: stream.StatusCompleted, Model: "gpt-5-mini"}); err != nil {
		t.Fatal(err)
	}
	return id
}

func TestOpenCreatesPrivateFilesAndSetsPragmas(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data", "parley")
	path := filepath.Join(dir, "parley.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	newSession(t, st, "x") // a write, so the -wal and -shm files exist
	for _, c := range []struct{ pragma, want string }{
		{"journal_mode", "wal"}, {"foreign_keys", "1"}, {"busy_timeout", "5000"}, {"synchronous", "1"},
	} {
		var got string
		if err := st.w.QueryRowContext(ctx, "PRAGMA "+c.pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != c.want {
			t.Errorf("PRAGMA %s = %s, want %s", c.pragma, got, c.want)
		}
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("directory mode: %v %v, want 0700", fi.Mode().Perm(), err)
	}
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s mode %v, want 0600", filepath.Base(f), fi.Mode().Perm())
		}
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// Reopening finds the same data and applies no migration twice.
	st, err = Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	list, err := st.ListSessions(ctx, ListOptions{})
	if err != nil || len(list) != 1 {
		t.Fatalf("after reopening: %v %v", list, err)
	}
	var n int
	st.r.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&n)
	if n != SchemaVersion() {
		t.Errorf("%d migrations recorded, want %d", n, SchemaVersion())
	}
}

func TestDefaultPath(t *testing.T) {
	t.Setenv("PARLEY_DB", "")
	t.Setenv("XDG_DATA_HOME", "/data")
	if p, _ := DefaultPath(); p != "/data/parley/parley.db" {
		t.Errorf("with XDG_DATA_HOME: %s", p)
	}
	t.Setenv("XDG_DATA_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/u")
	if p, _ := DefaultPath(); p != "/home/u/.local/share/parley/parley.db" {
		t.Errorf("with a relative XDG_DATA_HOME: %s", p)
	}
	t.Setenv("PARLEY_DB", "/tmp/x.db")
	if p, _ := DefaultPath(); p != "/tmp/x.db" {
		t.Errorf("with PARLEY_DB: %s", p)
	}
}

func TestOpenPathWithSpecialCharacters(t *testing.T) {
	path := filepath.Join(t.TempDir(), "my data?#%20 x", "parley.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	newSession(t, st, "x")
	st.Close()
	if _, err := os.Stat(path); err != nil {
		t.Errorf("the database is not where asked: %v", err)
	}
}
