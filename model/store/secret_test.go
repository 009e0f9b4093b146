package store

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

// databaseBytes reads every file of a closed database (main file, WAL,
// shared memory).
func databaseBytes(t *testing.T, path string) []byte {
	t.Helper()
	var all []byte
	for _, f := range []string{path, path + "-wal", path + "-shm", path + "-journal"} {
		b, err := os.ReadFile(f)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		all = append(all, b...)
	}
	if len(all) == 0 {
		t.Fatal("no database bytes")
	}
	return all
}

// writeTurns writes a conversation with every kind of content through a
// Writer, the way the chat does.
func writeTurns(t *testing.T, st *Store, errMessage string) {
	t.Helper()
	w := NewSessionWriter(st, Session{Model: "gpt-5", Dir: "/src"}, WithInterval(time.Millisecond))
	conv := &model.Conversation{}
	for i := range 3 {
		w.UserSent(conv.AddUser("what does the key do?", time.Now()))
		r := conv.AddAssistant("gpt-5", "low", time.Now())
		for _, c := range []stream.Choice{
			{Kind: stream.KindMeta, Meta: &stream.Meta{ResponseID: "resp_1", Model: "gpt-5-2025"}},
			{Kind: stream.KindReasoning, Delta: "thinking", Reasoning: &stream.ReasoningRef{ItemID: "rs"}},
			{Kind: stream.KindText, Delta: "It authenticates "},
			{Kind: stream.KindToolDone, Tool: &stream.ToolRef{ItemID: "fc", CallID: "call", Name: "f", Arguments: `{}`}},
			{Kind: stream.KindText, Delta: "requests."},
			{Kind: stream.KindItem, Item: []byte(`{"type":"message"}`)},
			{Kind: stream.KindUsage, Usage: &stream.Usage{Input: 1, Output: 2, Total: 3}},
		} {
			r.Turn.Add(c)
			w.AssistantProgress(r)
		}
		if i == 2 {
			r.Turn.Add(stream.Choice{Kind: stream.KindError, Err: &stream.Error{Code: "invalid_api_key", Message: errMessage,
				HTTPStatus: 401}})
			r.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusFailed}})
		} else {
			r.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}})
		}
		w.AssistantFinished(r)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestAPIKeyNeverStored sets a key only in the environment, as a user
// does, writes sessions, and looks for the key in the database's bytes.
func TestAPIKeyNeverStored(t *testing.T) {
	const key = "sk-sentinel-3b1f0c9d7e2a4f6b8c1d"
	t.Setenv("OPENAI_API_KEY", key)
	path := filepath.Join(t.TempDir(), "parley.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	writeTurns(t, st, "Incorrect API key provided: sk-sent***4f6b.")
	st.Close() // before reading the file: see the package comment on POSIX locks
	if bytes.Contains(databaseBytes(t, path), []byte(key)) {
		t.Fatal("the API key is in the database")
	}
}

// TestRedact writes a server error that echoes the key in full: with the
// key given to Redact, it never reaches the file.
func TestRedact(t *testing.T) {
	const key = "sk-echoed-9f8e7d6c5b4a3f2e1d0c"
	path := filepath.Join(t.TempDir(), "parley.db")
	st, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	st.Redact(key, "short") // too short to redact: ignored
	writeTurns(t, st, "Incorrect API key provided: "+key)
	ctx := context.Background()
	s, _ := st.CreateSession(ctx, Session{Title: "pasted " + key})
	id, _ := st.AppendUserMessage(ctx, s.ID, StoredMessage{Text: "my key is " + key})
	if m, _ := st.GetMessage(ctx, id); m.Text != "my key is [redacted]" {
		t.Errorf("redacted prompt: %q", m.Text)
	}
	st.Close()
	if bytes.Contains(databaseBytes(t, path), []byte(key)) {
		t.Fatal("the echoed key is in the database")
	}
}
