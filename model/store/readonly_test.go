package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
)

// closedDB makes a database with one session, one prompt and one reply,
// and closes it: as a database no Parley has open is left.
func closedDB(t *testing.T) (path, sessionID string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "parley.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	s := newSession(t, st, "Kept safe")
	appendUser(t, st, s.ID, "how do channels work")
	appendReply(t, st, s.ID, "They pass values between goroutines.")
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	return path, s.ID
}

func filesBeside(t *testing.T, path string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Dir(path))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// checkServesReads lists, loads and searches a read-only store, and checks
// that every write says why it cannot.
func checkServesReads(t *testing.T, st *Store, sessionID string) {
	t.Helper()
	ctx := context.Background()
	if st.ReadOnly() == nil || !errors.Is(st.ReadOnly(), ErrReadOnly) {
		t.Fatalf("ReadOnly() = %v", st.ReadOnly())
	}
	list, err := st.ListSessions(ctx, ListOptions{})
	if err != nil || len(list) != 1 || list[0].Title != "Kept safe" {
		t.Errorf("list: %v %v", list, err)
	}
	if _, msgs, err := st.LoadSession(ctx, sessionID); err != nil || len(msgs) != 2 {
		t.Errorf("load: %d messages, %v", len(msgs), err)
	}
	if hits, err := st.Search(ctx, "gorout", 5); err != nil || len(hits) != 1 {
		t.Errorf("search: %v %v", hits, err)
	}
	for name, err := range map[string]error{
		"create": func() error { _, err := st.CreateSession(ctx, Session{Title: "new"}); return err }(),
		"append": func() error { _, err := st.AppendUserMessage(ctx, sessionID, StoredMessage{Text: "x"}); return err }(),
		"rename": st.RenameSession(ctx, sessionID, "renamed"),
		"delete": st.DeleteSession(ctx, sessionID),
	} {
		var ro *ReadOnlyError
		if !errors.Is(err, ErrReadOnly) || !errors.As(err, &ro) || !strings.Contains(err.Error(), st.Path()) {
			t.Errorf("%s on a read-only store: %v", name, err)
		}
	}
	// A Writer writes nothing and says why once, from Err and Close.
	w := NewSessionWriter(st, Session{})
	w.UserSent(&model.Message{Role: model.RoleUser, Text: "not saved", Sent: time.Now()})
	if err := w.Flush(); !errors.Is(err, ErrReadOnly) {
		t.Errorf("writer flush: %v", err)
	}
	if err := w.Close(); !errors.Is(err, ErrReadOnly) {
		t.Errorf("writer close: %v", err)
	}
	if list, _ := st.ListSessions(ctx, ListOptions{}); len(list) != 1 {
		t.Errorf("%d sessions after writing to a read-only store", len(list))
	}
}

// TestOpenReadOnly opens a database read-only explicitly, which works
// whoever runs the test (root included): it serves reads, refuses writes,
// and creates no file beside the database.
func TestOpenReadOnly(t *testing.T) {
	path, id := closedDB(t)
	before := filesBeside(t, path)
	st, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	checkServesReads(t, st, id)
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	if after := filesBeside(t, path); strings.Join(after, " ") != strings.Join(before, " ") {
		t.Errorf("files before %v, after %v", before, after)
	}
	if _, err := OpenReadOnly(filepath.Join(t.TempDir(), "missing.db")); err == nil {
		t.Error("opened a database that does not exist")
	}
}

// TestOpenFallsBackToReadOnly chmods the database file, then its
// directory: Open serves reads from either, without creating a -wal file.
// As root, permissions do not stop a write, so it is skipped (the e2e test
// runs the binary as another user, and TestOpenReadOnly needs no chmod).
func TestOpenFallsBackToReadOnly(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("running as root: chmod does not make a file read-only; see TestOpenReadOnly and TestE2EReadOnlyDatabase")
	}
	t.Run("file", func(t *testing.T) {
		path, id := closedDB(t)
		os.Chmod(path, 0o400)
		st, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		checkServesReads(t, st, id)
		if !strings.Contains(st.ReadOnly().Error(), "the file is read-only") {
			t.Errorf("reason: %v", st.ReadOnly())
		}
	})
	t.Run("directory", func(t *testing.T) {
		path, id := closedDB(t)
		dir := filepath.Dir(path)
		os.Chmod(dir, 0o500)
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		st, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		checkServesReads(t, st, id)
		if !strings.Contains(st.ReadOnly().Error(), "directory") {
			t.Errorf("reason: %v", st.ReadOnly())
		}
		if _, err := os.Stat(path + "-wal"); err == nil {
			t.Error("a -wal file was created")
		}
	})
	t.Run("nothing to read", func(t *testing.T) {
		dir := t.TempDir()
		os.Chmod(dir, 0o500)
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		_, err := Open(filepath.Join(dir, "parley.db"))
		if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "cannot be created") {
			t.Errorf("creating in a read-only directory: %v", err)
		}
	})
}

// TestReadOnlyOldSchema: a read-only database at an older schema cannot be
// upgraded, and says so.
func TestReadOnlyOldSchema(t *testing.T) {
	path, _ := closedDB(t)
	st, _ := Open(path)
	st.w.Exec("DELETE FROM schema_migrations WHERE version = ?", SchemaVersion())
	st.Close()
	_, err := OpenReadOnly(path)
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), "schema version") {
		t.Errorf("%v", err)
	}
}
