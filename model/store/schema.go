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
	{3, "streaming deltas", `
-- What a streaming reply gained since its row was last written, appended
-- rather than rewriting the row: text, refusal, a reasoning part or a tool
-- call's arguments (part is the index), in the order of seq. Rows exist
-- only while the reply streams: whatever ends its streaming folds them
-- into the row. So the table is small, and has no index on message_id:
-- an append then writes one page, the table's last.
CREATE TABLE message_deltas (
	seq        INTEGER PRIMARY KEY,
	message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	field      TEXT NOT NULL CHECK (field IN ('text', 'refusal', 'reasoning', 'arguments')),
	part       INTEGER NOT NULL DEFAULT 0,
	delta      TEXT NOT NULL
) STRICT;
`},
	{4, "session choices", `
-- What a conversation runs with, which a reopened session restores.
ALTER TABLE sessions ADD COLUMN provider TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN role TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN instructions TEXT NOT NULL DEFAULT '';
`},
	{5, "attachments", `
-- Content is stored once by its SHA-256, however many messages attach it;
-- a blob no message links to any more is removed with its last link.
CREATE TABLE attachment_blobs (
	sha256 TEXT PRIMARY KEY,  -- lowercase hex
	size   INTEGER NOT NULL,
	data   BLOB NOT NULL
) STRICT;
CREATE TABLE message_attachments (
	message_id INTEGER NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
	ord        INTEGER NOT NULL,          -- order in the message
	name       TEXT NOT NULL,
	path       TEXT NOT NULL DEFAULT '',  -- as the user gave it
	kind       TEXT NOT NULL DEFAULT '',
	mime       TEXT NOT NULL DEFAULT '',
	size       INTEGER NOT NULL,
	sha256     TEXT NOT NULL REFERENCES attachment_blobs (sha256),
	PRIMARY KEY (message_id, ord)
) STRICT;
CREATE INDEX message_attachments_by_blob ON message_attachments (sha256);
CREATE TRIGGER attachment_blobs_release AFTER DELETE ON message_attachments BEGIN
	DELETE FROM attachment_blobs WHERE sha256 = old.sha256
		AND NOT EXISTS (SELECT 1 FROM message_attachments WHERE sha256 = old.sha256);
END;
`},
	{6, "search tools and attachments", `
-- The index covers a message's text, its tool calls (names, arguments,
-- results) and its attachments' names. Its content is a view, so what is
-- deleted from the index is computed exactly as what was inserted: each
-- trigger removes the row's entry as the view shows it before a change and
-- adds it as the view shows it after. The view leaves out replies still
-- streaming, which are indexed when they end.
DROP TRIGGER messages_fts_insert;
DROP TRIGGER messages_fts_delete;
DROP TRIGGER messages_fts_update;
DROP TABLE messages_fts;
CREATE VIEW messages_search (id, text, tools, attachments) AS
	SELECT m.id, m.text,
		coalesce((SELECT group_concat(concat_ws(' ', j.value ->> 'name', j.value ->> 'arguments', j.value ->> 'output'),
			char(10) ORDER BY j.key) FROM json_each(m.tool_calls) j), ''),
		coalesce((SELECT group_concat(concat_ws(' ', a.name, a.path), char(10) ORDER BY a.ord)
			FROM message_attachments a WHERE a.message_id = m.id), '')
	FROM messages m WHERE m.status <> 'streaming';
CREATE VIRTUAL TABLE messages_fts USING fts5 (
	text, tools, attachments,
	content = 'messages_search',
	content_rowid = 'id',
	tokenize = 'unicode61 remove_diacritics 2',
	prefix = '2 3'
);
CREATE TRIGGER messages_fts_insert AFTER INSERT ON messages BEGIN
	INSERT INTO messages_fts (rowid, text, tools, attachments) SELECT * FROM messages_search WHERE id = new.id;
END;
CREATE TRIGGER messages_fts_unindex BEFORE UPDATE OF text, status, tool_calls ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, text, tools, attachments)
		SELECT 'delete', * FROM messages_search WHERE id = old.id;
END;
CREATE TRIGGER messages_fts_reindex AFTER UPDATE OF text, status, tool_calls ON messages BEGIN
	INSERT INTO messages_fts (rowid, text, tools, attachments) SELECT * FROM messages_search WHERE id = new.id;
END;
CREATE TRIGGER messages_fts_delete BEFORE DELETE ON messages BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, text, tools, attachments)
		SELECT 'delete', * FROM messages_search WHERE id = old.id;
END;
CREATE TRIGGER attachments_fts_unindex BEFORE INSERT ON message_attachments BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, text, tools, attachments)
		SELECT 'delete', * FROM messages_search WHERE id = new.message_id;
END;
CREATE TRIGGER attachments_fts_reindex AFTER INSERT ON message_attachments BEGIN
	INSERT INTO messages_fts (rowid, text, tools, attachments) SELECT * FROM messages_search WHERE id = new.message_id;
END;
CREATE TRIGGER attachments_fts_unindex_delete BEFORE DELETE ON message_attachments BEGIN
	INSERT INTO messages_fts (messages_fts, rowid, text, tools, attachments)
		SELECT 'delete', * FROM messages_search WHERE id = old.message_id;
END;
CREATE TRIGGER attachments_fts_reindex_delete AFTER DELETE ON message_attachments BEGIN
	INSERT INTO messages_fts (rowid, text, tools, attachments) SELECT * FROM messages_search WHERE id = old.message_id;
END;
-- Not 'rebuild': FTS5 reads the view through a schema-qualified statement
-- in which SQLite cannot find json_each.
INSERT INTO messages_fts (rowid, text, tools, attachments) SELECT * FROM messages_search;
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
