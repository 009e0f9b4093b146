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

// openOld writes a database as an older Parley left it (schema), opens it
// (which migrates it) and checks its integrity.
func openOld(t *testing.T, schema string) *Store {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(schema); err != nil {
		t.Fatal(err)
	}
	db.Close()
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.IntegrityCheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	return st
}

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
	st := openOld(t, schemaV1)
	ctx := context.Background()
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

// schemaV2 is what version 2 (full-text search over the text alone) added,
// written out as users have it on disk.
const schemaV2 = `
INSERT INTO schema_migrations VALUES (2, 'full-text search', 1700000000000000001);
CREATE VIRTUAL TABLE messages_fts USING fts5 (text, content = 'messages', content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages WHEN new.status <> 'streaming' BEGIN
	INSERT INTO messages_fts (rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER messages_fts_delete AFTER DELETE ON messages WHEN old.status <> 'streaming' BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER messages_fts_update AFTER UPDATE OF text, status ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, text) SELECT 'delete', old.id, old.text WHERE old.status <> 'streaming';
	INSERT INTO messages_fts (rowid, text) SELECT new.id, new.text WHERE new.status <> 'streaming';
END;
INSERT INTO messages_fts (rowid, text) SELECT id, text FROM messages WHERE status <> 'streaming';
-- a reply that ran a tool, stored by version 2
INSERT INTO messages (session_id, seq, role, status, text, tool_calls, updated_at)
	VALUES ('0123456789ab', 3, 'assistant', 'completed', 'Deployed.',
	'[{"type":"function_call","call_id":"call_1","name":"shell","arguments":"{\"cmd\":\"kubectl rollout restart\"}","output":"deployment.apps/frontend restarted","status":"done","output_index":0}]',
	1700000200000000000);
`

// TestMigrateFromV2 upgrades a database of version 2: the index is rebuilt
// over tool calls too (old replies are found by their arguments and
// results), words match as prefixes, sessions get empty choices, and
// attachments can be stored.
func TestMigrateFromV2(t *testing.T) {
	st := openOld(t, schemaV1+schemaV2)
	ctx := context.Background()
	if _, err := st.w.Exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')"); err != nil {
		t.Errorf("fts integrity-check after the rebuild: %v", err)
	}
	for q, want := range map[string]int{
		"kubectl":   1, // a tool's arguments
		"frontend":  1, // a tool's result
		"shell":     1, // a tool's name
		"gorout":    1, // a prefix of goroutines
		"unbuffer":  1, // the reply reclaimed at open
		"channels":  2,
		"deployed":  1,
		"nonesuchx": 0,
	} {
		if hits, err := st.Search(ctx, q, 10); err != nil || len(hits) != want {
			t.Errorf("search %q after migrating: %d hits, want %d (%v)", q, len(hits), want, err)
		}
	}
	sess, msgs, err := st.LoadSession(ctx, "0123456789ab")
	if err != nil || len(msgs) != 4 || msgs[3].ToolCalls[0].Output != "deployment.apps/frontend restarted" {
		t.Fatalf("old data: %d messages, %v", len(msgs), err)
	}
	if sess.Model != "gpt-4o" || sess.Choices() != (Choices{Model: "gpt-4o"}) {
		t.Errorf("old session's choices: %+v", sess.Choices())
	}
	if err := st.SetSessionChoices(ctx, sess.ID, Choices{Provider: "openai", Model: "gpt-5", Role: "r", Instructions: "i"}); err != nil {
		t.Error(err)
	}
	id, err := st.AppendUserMessage(ctx, sess.ID, StoredMessage{Text: "see attached", Attachments: []Attachment{
		{Name: "trace.log", Kind: "text", Data: []byte("panic: oh no")}}})
	if err != nil {
		t.Fatal(err)
	}
	if hits, _ := st.Search(ctx, "trace.log", 5); len(hits) != 1 || hits[0].MessageID != id {
		t.Errorf("an attachment stored after migrating is not found: %v", hits)
	}
}
