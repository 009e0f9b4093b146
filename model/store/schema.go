package store

import (
	"context"
	"database/sql"
	"fmt"
)

// migration is one step of the schema. Versions are applied in order, each
// in its own transaction with its row in schema_migrations, so a process
// killed mid-migration leaves the previous version intact, and two
// processes starting at once apply each step once.
type migration struct {
	version int
	name    string
	sql     string
}

// migrations is append-only: a released step is never edited.
var migrations = []migration{
	{1, "sessions and messages", `
CREATE TABLE sessions (
	id            TEXT PRIMARY KEY,
	title         TEXT NOT NULL DEFAULT '',
	created_at    INTEGER NOT NULL,            -- Unix ns
	updated_at    INTEGER NOT NULL,            -- last activity, Unix ns
	model         TEXT NOT NULL DEFAULT '',
	effort        TEXT NOT NULL DEFAULT '',
	pinned        INTEGER NOT NULL DEFAULT 0,
	dir           TEXT NOT NULL DEFAULT '',    -- working directory
	message_count INTEGER NOT NULL DEFAULT 0,  -- kept by triggers
	preview       TEXT NOT NULL DEFAULT ''     -- the last message, at most 200 characters
) STRICT;
CREATE INDEX sessions_by_activity ON sessions (pinned DESC, updated_at DESC);

CREATE TABLE messages (
	id                INTEGER PRIMARY KEY,
	session_id        TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
	seq               INTEGER NOT NULL,        -- order in the session; gaps where messages were removed
	role              TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
	status            TEXT NOT NULL CHECK (status IN
		('streaming', 'completed', 'incomplete', 'failed', 'cancelled', 'interrupted')),
	text              TEXT NOT NULL DEFAULT '',
	refusal           TEXT NOT NULL DEFAULT '',
	reasoning         TEXT NOT NULL DEFAULT '[]', -- JSON array of parts
	tool_calls        TEXT NOT NULL DEFAULT '[]', -- JSON array of ToolCall
	hosted_calls      TEXT NOT NULL DEFAULT '[]', -- JSON array of stream.HostedCall
	annotations       TEXT NOT NULL DEFAULT '[]', -- JSON array of stream.Annotation
	items             TEXT NOT NULL DEFAULT '[]', -- JSON array of raw output items, as the server sent them
	model             TEXT NOT NULL DEFAULT '',   -- asked for
	effort            TEXT NOT NULL DEFAULT '',
	api               TEXT NOT NULL DEFAULT '',
	response_id       TEXT NOT NULL DEFAULT '',
	response_model    TEXT NOT NULL DEFAULT '',   -- the snapshot that answered
	turn_status       TEXT NOT NULL DEFAULT '',   -- stream.Status
	incomplete_reason TEXT NOT NULL DEFAULT '',
	error             TEXT NOT NULL DEFAULT '',   -- JSON stream.Error, or empty
	input_tokens      INTEGER,                    -- usage: NULL when the server sent none
	cached_tokens     INTEGER,
	output_tokens     INTEGER,
	reasoning_tokens  INTEGER,
	total_tokens      INTEGER,
	sent_at           INTEGER NOT NULL DEFAULT 0, -- Unix ns, 0 when unknown
	first_token_at    INTEGER NOT NULL DEFAULT 0,
	reasoning_start   INTEGER NOT NULL DEFAULT 0,
	reasoning_end     INTEGER NOT NULL DEFAULT 0,
	finished_at       INTEGER NOT NULL DEFAULT 0,
	updated_at        INTEGER NOT NULL,
	-- who streams it: a reply left 'streaming' is reclaimed as 'interrupted'
	-- only once this process is gone.
	owner_host        TEXT NOT NULL DEFAULT '',
	owner_pid         INTEGER NOT NULL DEFAULT 0,
	owner_start       TEXT NOT NULL DEFAULT '',
	owner_token       TEXT NOT NULL DEFAULT '',
	UNIQUE (session_id, seq)
) STRICT;
CREATE INDEX messages_streaming ON messages (status) WHERE status = 'streaming';

CREATE TRIGGER messages_count_insert AFTER INSERT ON messages BEGIN
	UPDATE sessions SET message_count = message_count + 1 WHERE id = new.session_id;
END;
CREATE TRIGGER messages_count_delete AFTER DELETE ON messages BEGIN
	UPDATE sessions SET message_count = message_count - 1 WHERE id = old.session_id;
END;
`},
	{2, "full-text search", `
-- External content: the text lives once, in messages. A reply is indexed
-- when it stops streaming, so the index is not rewritten four times a
-- second while it grows. The delete must name exactly what was indexed,
-- hence the guards on old.status.
CREATE VIRTUAL TABLE messages_fts USING fts5 (
	text,
	content = 'messages',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2'
);
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
`},
}

// SchemaVersion is the newest schema this build knows.
func SchemaVersion() int { return migrations[len(migrations)-1].version }

// migrate brings the database to SchemaVersion. It refuses a database a
// newer Parley has migrated past what this one knows.
func migrate(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at INTEGER NOT NULL
	) STRICT`); err != nil {
		return err
	}
	for _, m := range migrations {
		if err := apply(ctx, db, m); err != nil {
			return fmt.Errorf("migration %d (%s): %w", m.version, m.name, err)
		}
	}
	var newest int
	if err := db.QueryRowContext(ctx, "SELECT coalesce(max(version), 0) FROM schema_migrations").Scan(&newest); err != nil {
		return err
	}
	if newest > SchemaVersion() {
		return fmt.Errorf("the database is at schema version %d, newer than this Parley knows (%d): upgrade Parley", newest, SchemaVersion())
	}
	return nil
}

func apply(ctx context.Context, db *sql.DB, m migration) error {
	tx, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the check and the step are one
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var done int
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations WHERE version = ?", m.version).Scan(&done); err != nil {
		return err
	}
	if done > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.sql); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
		m.version, m.name, nowNano()); err != nil {
		return err
	}
	return tx.Commit()
}
