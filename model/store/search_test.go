package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model"
)

func searchIDs(t *testing.T, st *Store, q string) []int64 {
	t.Helper()
	hits, err := st.Search(context.Background(), q, 50)
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	var ids []int64
	for _, h := range hits {
		ids = append(ids, h.MessageID)
	}
	return ids
}

func TestSearchIndexKeptInStep(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "fts")
	u := appendUser(t, st, s.ID, "tell me about Crème brûlée")
	if ids := searchIDs(t, st, "creme"); len(ids) != 1 || ids[0] != u {
		t.Errorf("inserted prompt (diacritics folded): %v", ids)
	}

	// A streaming reply is indexed when it finishes, with its final text.
	a, _ := st.BeginAssistantMessage(ctx, s.ID, StoredMessage{Text: "caramelised"})
	st.UpdateAssistantMessage(ctx, a, StoredMessage{Text: "caramelised sugar"})
	if ids := searchIDs(t, st, "caramelised"); len(ids) != 0 {
		t.Errorf("a streaming reply is indexed: %v", ids)
	}
	st.FinishAssistantMessage(ctx, a, StoredMessage{Status: StatusCompleted, Text: "caramelised sugar on custard"})
	if ids := searchIDs(t, st, "custard"); len(ids) != 1 || ids[0] != a {
		t.Errorf("finished reply: %v", ids)
	}

	// Updating a finished message's text replaces what is indexed.
	if _, err := st.w.ExecContext(ctx, "UPDATE messages SET text = 'flan instead' WHERE id = ?", a); err != nil {
		t.Fatal(err)
	}
	if ids := searchIDs(t, st, "custard"); len(ids) != 0 {
		t.Errorf("old text still found: %v", ids)
	}
	if ids := searchIDs(t, st, "flan"); len(ids) != 1 {
		t.Errorf("new text not found: %v", ids)
	}

	// Deleting a message, or its session, removes it from the index.
	st.DeleteMessage(ctx, u)
	if ids := searchIDs(t, st, "creme"); len(ids) != 0 {
		t.Errorf("deleted message found: %v", ids)
	}
	b := appendReply(t, st, s.ID, "another flan")
	st.DeleteSession(ctx, s.ID)
	if ids := searchIDs(t, st, "flan"); len(ids) != 0 {
		t.Errorf("messages of a deleted session found: %v (%d)", ids, b)
	}
	// The index matches the table exactly: FTS5's own check compares them.
	if _, err := st.w.ExecContext(ctx, "INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')"); err != nil {
		t.Errorf("fts integrity-check: %v", err)
	}
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Error(err)
	}
}

func TestSearchHits(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s1 := newSession(t, st, "Concurrency")
	s2 := newSession(t, st, "Cooking")
	appendUser(t, st, s1.ID, "how do I stop a goroutine")
	weak := appendReply(t, st, s1.ID, "Use a context. "+strings.Repeat("Other words fill this long answer. ", 40)+
		"A goroutine checks ctx.Done().")
	strong := appendReply(t, st, s2.ID, "goroutine goroutine goroutine")
	appendUser(t, st, s2.ID, "unrelated")

	hits, err := st.Search(ctx, "goroutine", 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(hits) != 3 {
		t.Fatalf("%d hits", len(hits))
	}
	// BM25: the short message that is all about it first, the long one
	// that mentions it in passing last.
	if hits[0].MessageID != strong || hits[2].MessageID != weak {
		t.Errorf("ranking: %+v", hits)
	}
	h := hits[0]
	if h.SessionID != s2.ID || h.SessionTitle != "Cooking" || h.Role != model.RoleAssistant || h.Position != 0 ||
		h.At.IsZero() {
		t.Errorf("hit: %+v", h)
	}
	if hits[2].Position != 1 {
		t.Errorf("position of the second message of a session: %d", hits[2].Position)
	}
	if got := hits[2].Highlight("[", "]"); !strings.Contains(got, "[goroutine]") || !strings.Contains(got, "…") {
		t.Errorf("snippet %q", got)
	}
	if hits, _ := st.Search(ctx, "goroutine", 1); len(hits) != 1 {
		t.Errorf("limit 1: %d hits", len(hits))
	}
	// Every word must match.
	if ids := searchIDs(t, st, "goroutine context"); len(ids) != 1 || ids[0] != weak {
		t.Errorf("two words: %v", ids)
	}
}

// TestSearchPrefixesAndPhrases: a word is a prefix by default, a quoted
// word or phrase is exact, a * after a phrase makes its last word a prefix,
// and the old explicit * still works.
func TestSearchPrefixesAndPhrases(t *testing.T) {
	st := newStore(t)
	s := newSession(t, st, "prefixes")
	leak := appendUser(t, st, s.ID, "a goroutine leak in the server")
	golang := appendReply(t, st, s.ID, "Go keeps goroutines cheap; leaks come from blocked sends.")
	other := appendUser(t, st, s.ID, "a leaky bucket")
	for q, want := range map[string][]int64{
		"gorout":               {leak, golang},
		"gorou*":               {leak, golang},
		"GOROUT LEAK":          {leak, golang},
		`"goroutine"`:          {leak},
		`"goroutine leak"`:     {leak},
		`"leak in"`:            {leak},
		`"goroutine le"*`:      {leak},
		`"goroutine leak`:      {leak}, // unclosed: a phrase to the end
		`"leak server"`:        nil,    // not a phrase there
		"leak":                 {leak, golang, other},
		`"leak"`:               {leak},
		"a":                    {leak, other}, // one character: exact
		"go":                   {leak, golang},
		`"go"`:                 {golang},
		"gorout nonexistentxy": nil,
	} {
		got := searchIDs(t, st, q)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Errorf("search %s: %v, want %v", q, got, want)
		}
	}
}

func TestSearchQueryIsNeverASyntaxError(t *testing.T) {
	st := newStore(t)
	s := newSession(t, st, "q")
	appendUser(t, st, s.ID, `he said "NEAR" AND OR NOT (x) col:umn ^start a-b`)
	for _, q := range []string{`"`, `""`, `(`, `)`, `AND`, `OR NOT`, `NEAR(`, `col:umn`, `^start`, `a-b`, `*`, `x*y`,
		`he said "NEAR`, `-`, `'`, `\`, "   ", ""} {
		if _, err := st.Search(context.Background(), q, 5); err != nil {
			t.Errorf("Search(%q): %v", q, err)
		}
	}
	if ids := searchIDs(t, st, `AND`); len(ids) != 1 {
		t.Errorf("an operator word searched as a word: %v", ids)
	}
	if ids := searchIDs(t, st, `"near"`); len(ids) != 1 {
		t.Errorf("a quoted word: %v", ids)
	}
}

func TestFTSQuery(t *testing.T) {
	for in, want := range map[string]string{
		"goroutine leak":    `"goroutine"* "leak"*`,
		`say "hi"`:          `"say"* "hi"`,
		`say "hi there"*`:   `"say"* "hi there"*`,
		`"a "" b"`:          `"a " " b"`,
		`x"y z"`:            `"x" "y z"`,
		"migrat*":           `"migrat"*`,
		"a - b":             `"a" "b"`,
		"***":               ``,
		`"NEAR" AND`:        `"NEAR" "AND"*`,
		"main.go ctx.Done(": `"main.go"* "ctx.Done("*`,
	} {
		if got := ftsQuery(in); got != want {
			t.Errorf("ftsQuery(%q) = %s, want %s", in, got, want)
		}
	}
}

// TestSearchWindow checks that with more matches than searchWindow, the
// best of the newest are returned, and none older.
func TestSearchWindow(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "many")
	insertMany(t, st, s.ID, searchWindow+100, func(i int) string {
		if i == 0 {
			return "needle needle needle" // the best match, but the oldest
		}
		return "needle"
	})
	hits, err := st.Search(ctx, "needle", 5)
	if err != nil || len(hits) != 5 {
		t.Fatalf("%d hits, %v", len(hits), err)
	}
	for _, h := range hits {
		if h.Position < 100 {
			t.Errorf("hit at position %d, older than the newest %d matches", h.Position, searchWindow)
		}
	}
}

// TestSearchCommonWordNewestFirst: a query with a word in more than
// commonWord messages comes newest first.
func TestSearchCommonWordNewestFirst(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "common")
	insertMany(t, st, s.ID, commonWord+1, func(i int) string {
		if i%1000 == 0 {
			return "the the the rare rare " + strings.Repeat("x ", i/1000) // shorter is better for BM25
		}
		return "the answer"
	})
	for _, q := range []string{"the", "rare the"} {
		hits, err := st.Search(ctx, q, 3)
		if err != nil || len(hits) != 3 {
			t.Fatalf("%q: %d hits, %v", q, len(hits), err)
		}
		if !(hits[0].MessageID > hits[1].MessageID && hits[1].MessageID > hits[2].MessageID) {
			t.Errorf("%q: not newest first: %d %d %d", q, hits[0].MessageID, hits[1].MessageID, hits[2].MessageID)
		}
	}
	// Without the common word, the same messages are ranked: the shortest first.
	hits, _ := st.Search(ctx, "rare", 3)
	if len(hits) != 3 || hits[0].Position != 0 {
		t.Errorf("ranked: %+v", hits)
	}
}

// insertMany stores n prompts in one transaction, text(i) the i-th.
func insertMany(t *testing.T, st *Store, sessionID string, n int, text func(int) string) {
	t.Helper()
	ctx := context.Background()
	err := st.write(ctx, func(tx *sql.Tx) error {
		for i := range n {
			if _, err := tx.ExecContext(ctx, `INSERT INTO messages (session_id, seq, role, status, text, updated_at)
				VALUES (?, ?, 'user', 'completed', ?, 0)`, sessionID, i, text(i)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
