package store

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/parley-tui/parley/model"
)

// Snippet markers: a Hit's Snippet wraps each matched term in MarkStart and
// MarkEnd (private-use characters, which model text does not carry), for
// the caller to turn into a style or brackets with Hit.Highlight.
const (
	MarkStart = "\ue000"
	MarkEnd   = "\ue001"
)

// Hit is one message that matched a search.
type Hit struct {
	SessionID    string     `json:"session_id"`
	SessionTitle string     `json:"session_title"`
	MessageID    int64      `json:"message_id"`
	Position     int        `json:"position"` // index of the message in its loaded session
	Role         model.Role `json:"role"`
	Snippet      string     `json:"snippet"` // the text around the match, MarkStart/MarkEnd around matched terms
	At           time.Time  `json:"at"`      // when the message was last written
}

// Highlight returns the snippet with the markers replaced by open and
// close.
func (h Hit) Highlight(open, close string) string {
	return strings.NewReplacer(MarkStart, open, MarkEnd, close).Replace(h.Snippet)
}

// Ranking costs. BM25 weighs each word by how rare it is, which FTS5
// learns by walking every message that holds the word; for a word in
// 180,000 messages that walk alone takes 15 ms. So:
const (
	// searchWindow: only the newest searchWindow matches are ranked.
	searchWindow = 1000
	// commonWord: a query with a word in more messages than this is
	// ordered newest first instead. BM25 would weigh such a word near zero
	// anyway; finding out costs a walk of at most this many entries.
	commonWord = 5000
)

// Search finds messages whose text, tool calls (names, arguments, results)
// or attachment names hold every word of query, at most limit of them (0:
// 50). A word matches as a prefix ("gorout" finds goroutine), except a word
// of one character; text in double quotes matches exactly, as a phrase
// (`"go"` finds go but not goroutine; a * after the closing quote makes
// its last word a prefix). Hits come best match first (BM25) among the
// newest searchWindow matches, or newest first when a word of the query is
// in more than commonWord messages. Replies still streaming are not
// indexed yet.
func (s *Store) Search(ctx context.Context, query string, limit int) ([]Hit, error) {
	terms := ftsTerms(query)
	if len(terms) == 0 {
		return nil, nil
	}
	if limit <= 0 {
		limit = 50
	}
	common := false
	var newest []int64 // the newest matches of the query, when known
	for i, t := range terms {
		if t.prefix {
			// A word in thousands of messages is what the user means: its
			// longer forms would add little to a list ordered newest
			// first, and merging their postings is what a prefix costs.
			exact := ftsTerm{t.text, false}
			n, err := s.countUpTo(ctx, exact.String(), commonWord+1)
			if err != nil {
				return nil, err
			}
			if n > commonWord {
				terms[i], common = exact, true
				continue
			}
		}
		ids, err := s.newestMatches(ctx, t.String(), commonWord+1)
		if err != nil {
			return nil, err
		}
		common = common || len(ids) > commonWord
		if len(terms) == 1 {
			newest = ids // the whole query's matches: no need to ask again for the floor
		}
	}
	match := joinTerms(terms)
	// The inner query lets FTS5 order and cut to limit before anything is
	// joined; snippets are built for those rows only.
	inner := `SELECT rowid, rowid AS ord, snippet(messages_fts, -1, ?, ?, '…', 16) AS snip FROM messages_fts
		WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?`
	args := []any{MarkStart, MarkEnd, match, limit}
	order := "h.ord DESC"
	if !common {
		// The oldest of the newest searchWindow matches (walking the index
		// newest first stops there); rank from it on.
		var floor int64
		if newest != nil {
			if len(newest) >= searchWindow {
				floor = newest[searchWindow-1]
			}
		} else {
			err := s.r.QueryRowContext(ctx, `SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?
				ORDER BY rowid DESC LIMIT 1 OFFSET ?`, match, searchWindow-1).Scan(&floor)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return nil, err
			}
		}
		inner = `SELECT rowid, rank AS ord, snippet(messages_fts, -1, ?, ?, '…', 16) AS snip FROM messages_fts
			WHERE messages_fts MATCH ? AND rowid >= ? ORDER BY rank LIMIT ?`
		args = []any{MarkStart, MarkEnd, match, floor, limit}
		order = "h.ord"
	}
	rows, err := s.r.QueryContext(ctx, `
		SELECT h.rowid, h.snip, m.session_id, s.title, m.role, m.updated_at,
			(SELECT count(*) FROM messages p WHERE p.session_id = m.session_id AND p.seq < m.seq)
		FROM (`+inner+`) h
		JOIN messages m ON m.id = h.rowid
		JOIN sessions s ON s.id = m.session_id
		ORDER BY `+order, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		var h Hit
		var at int64
		if err := rows.Scan(&h.MessageID, &h.Snippet, &h.SessionID, &h.SessionTitle, &h.Role, &at, &h.Position); err != nil {
			return nil, err
		}
		h.At = fromNano(at)
		hits = append(hits, h)
	}
	return hits, rows.Err()
}

// newestMatches returns the ids of the newest messages matching an FTS5
// query, newest first, at most max of them.
func (s *Store) newestMatches(ctx context.Context, match string, max int) ([]int64, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT ?`,
		match, max)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := []int64{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// countUpTo counts the messages matching an FTS5 query, stopping at max.
func (s *Store) countUpTo(ctx context.Context, match string, max int) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?
		ORDER BY rowid DESC LIMIT ?)`, match, max).Scan(&n)
	return n, err
}

// ftsQuery turns what a user typed into an FTS5 query that cannot be a
// syntax error: each word or quoted phrase becomes an FTS5 string, all of
// them required. A bare word is a prefix (FTS5 merges the postings of every
// word it covers, which stays cheap once the prefix has two characters; a
// single character would cover a good part of the vocabulary, so it is
// exact). A phrase is exact, or a prefix in its last word with a * after
// it. Stars inside words and pieces with no letter or digit are dropped:
// the tokenizer would make them empty phrases.
func ftsQuery(q string) string { return joinTerms(ftsTerms(q)) }

// ftsTerm is a word or phrase of a query.
type ftsTerm struct {
	text   string
	prefix bool
}

// String is the term as an FTS5 string: quoted, so no word in it is an
// operator.
func (t ftsTerm) String() string {
	s := `"` + strings.ReplaceAll(t.text, `"`, `""`) + `"`
	if t.prefix {
		s += "*"
	}
	return s
}

func joinTerms(terms []ftsTerm) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = t.String()
	}
	return strings.Join(parts, " ")
}

func ftsTerms(q string) []ftsTerm {
	var terms []ftsTerm
	add := func(text string, prefix bool) {
		text = strings.ReplaceAll(text, "*", "")
		if strings.ContainsFunc(text, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) {
			terms = append(terms, ftsTerm{text, prefix})
		}
	}
	for q != "" {
		q = strings.TrimLeftFunc(q, unicode.IsSpace)
		if rest, ok := strings.CutPrefix(q, `"`); ok {
			phrase, after, closed := strings.Cut(rest, `"`)
			star := closed && strings.HasPrefix(after, "*")
			add(phrase, star)
			q = strings.TrimLeft(after, "*")
			continue
		}
		end := strings.IndexFunc(q, func(r rune) bool { return unicode.IsSpace(r) || r == '"' })
		if end < 0 {
			end = len(q)
		}
		word := strings.ReplaceAll(q[:end], "*", "")
		add(word, utf8.RuneCountInString(word) > 1)
		q = q[end:]
	}
	return terms
}
