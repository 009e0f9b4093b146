package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// schemaV1 is the database as the first schema version left it, written
// out here rather than taken from migrations, so the test keeps checking
// the upgrade from what users really have on disk.
const schemaV1 = `
CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL) STRICT;
INSERT INTO schema_migrations VALUES (1, 'sessions and messages', 1700000000000000000);
CREATE TABLE sessions (
	id TEXT PRIMARY KEY, title TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
	model TEXT NOT NULL DEFAULT '', effort TEXT NOT NULL DEFAULT '', pinned INTEGER NOT NULL DEFAULT 0,
	dir TEXT NOT NULL DEFAULT '', message_count INTEGER NOT NULL DEFAULT 0, preview TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX sessions_by_activity ON sessions (pinned DESC, updated_at DESC);
CREATE TABLE messages (
	id INTEGER PRIMARY KEY,
	session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	seq INTEGER NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
	status TEXT NOT NULL CHECK (status IN ('streaming', 'completed', 'incomplete', 'failed', 'cancelled', 'interrupted')),
	text TEXT NOT NULL DEFAULT '', refusal TEXT NOT NULL DEFAULT '', reasoning TEXT NOT NULL DEFAULT '[]',
	tool_calls TEXT NOT NULL DEFAULT '[]', hosted_calls TEXT NOT NULL DEFAULT '[]', annotations TEXT NOT NULL DEFAULT '[]',
	items TEXT NOT NULL DEFAULT '[]', model TEXT NOT NULL DEFAULT '', effort TEXT NOT NULL DEFAULT '',
	api TEXT NOT NULL DEFAULT '', response_id TEXT NOT NULL DEFAULT '', response_model TEXT NOT NULL DEFAULT '',
	turn_status TEXT NOT NULL DEFAULT '', incomplete_reason TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',
	input_tokens INTEGER, cached_tokens INTEGER, output_tokens INTEGER, reasoning_tokens INTEGER, total_tokens INTEGER,
	sent_at INTEGER NOT NULL DEFAULT 0, first_token_at INTEGER NOT NULL DEFAULT 0, reasoning_start INTEGER NOT NULL DEFAULT 0,
	reasoning_end INTEGER NOT NULL DEFAULT 0, finished_at INTEGER NOT NULL DEFAULT 0, updated_at INTEGER NOT NULL,
	owner_host TEXT NOT NULL DEFAULT '', owner_pid INTEGER NOT NULL DEFAULT 0, owner_start TEXT NOT NULL DEFAULT '',
	owner_token TEXT NOT NULL DEFAULT '',
	UNIQUE (session_id, seq)
) STRICT;
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';
CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
	UPDATE sessions SET message_count = message_count + 1 WHERE id = new.session_id;
END;
CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
	UPDATE sessions SET message_count = message_count - 1 WHERE id = old.session_id;
END;

INSERT INTO sessions (id, title, created_at, updated_at, model, preview)
	VALUES ('0123456789ab', 'Old chat', 1700000000000000000, 1700000100000000000, 'gpt-4o', 'Channels block');
INSERT INTO messages (session_id, seq, role, status, text, updated_at)
	VALUES ('0123456789ab', 0, 'user', 'completed', 'How do goroutines communicate?', 1700000000000000000);
INSERT INTO messages (session_id, seq, role, status, text, turn_status, input_tokens, cached_tokens, output_tokens,
	reasoning_tokens, total_tokens, updated_at)
	VALUES ('0123456789ab', 1, 'assistant', 'completed', 'Through channels; a send blocks until received.', 'completed',
	10, 0, 9, 0, 19, 1700000050000000000);
-- left streaming by a process long gone (pid 0 on another host: stale)
INSERT INTO messages (session_id, seq, role, status, text, updated_at, owner_host, owner_pid)
	VALUES ('0123456789ab', 2, 'assistant', 'streaming', 'Channels block when unbuffered', 1700000100000000000, 'elsewhere', 4242);
`

func TestMigrateFromEmpty(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	rows, err := st.r.QueryContext(ctx, "SELECT version, name FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var versions []int
	for rows.Next() {
		var v int
		var name string
		rows.Scan(&v, &name)
		versions = append(versions, v)
	}
	if len(versions) != len(migrations) || versions[len(versions)-1] != SchemaVersion() {
		t.Errorf("versions %v", versions)
	}
	for _, table := range []string{"sessions", "messages", "messages_fts"} {
		var n int
		st.r.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = ?", table).Scan(&n)
		if n != 1 {
			t.Errorf("no table %s", table)
		}
	}
}

func TestMigrateFromV1(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(schemaV1); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	sess, msgs, err := st.LoadSession(ctx, "0123456789ab")
	if err != nil {
		t.Fatal(err)
	}
	if sess.Title != "Old chat" || len(msgs) != 3 || msgs[1].Usage == nil || msgs[1].Usage.Total != 19 {
		t.Fatalf("old data after migrating: %+v %+v", sess, msgs)
	}
	if msgs[2].Status != StatusInterrupted || msgs[2].Text != "Channels block when unbuffered" {
		t.Errorf("the stale streaming reply: %s %q", msgs[2].Status, msgs[2].Text)
	}
	// Version 2 indexed the old messages, and the reply reclaimed on open.
	for q, want := range map[string]int{"goroutines": 1, "channels": 2, "unbuffered": 1} {
		hits, err := st.Search(ctx, q, 10)
		if err != nil || len(hits) != want {
			t.Errorf("search %q after migrating: %d hits, want %d (%v)", q, len(hits), want, err)
		}
	}
	// And new writes go on from there.
	id := appendUser(t, st, sess.ID, "and select?")
	if m, _ := st.GetMessage(ctx, id); m.Seq != 3 {
		t.Errorf("new message seq %d", m.Seq)
	}
	if hits, _ := st.Search(ctx, "select", 10); len(hits) != 1 {
		t.Errorf("a new message is not searchable: %v", hits)
	}
}

func TestOpenRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st.w.Exec("INSERT INTO schema_migrations VALUES (?, 'from the future', 0)", SchemaVersion()+1)
	st.Close()
	_, err = Open(path)
	if err == nil || !strings.Contains(err.Error(), "upgrade Parley") {
		t.Errorf("opening a newer schema: %v", err)
	}
}

func TestConcurrentFirstOpen(t *testing.T) {
	path := filepath.Join(t.TempDir(), "race.db")
	var wg sync.WaitGroup
	stores := make([]*Store, 4)
	errs := make([]error, 4)
	for i := range stores {
		wg.Go(func() { stores[i], errs[i] = Open(path) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		defer stores[i].Close()
	}
	var n int
	stores[0].r.QueryRow("SELECT count(*) FROM schema_migrations").Scan(&n)
	if n != SchemaVersion() {
		t.Errorf("%d migration rows", n)
	}
}
