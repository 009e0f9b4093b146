package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Session is one conversation's metadata.
type Session struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Created time.Time `json:"created"`
	// Updated is the last activity: the newest message written, or the
	// creation. Renaming or pinning does not count.
	Updated time.Time `json:"updated"`
	// Provider, Model, Effort, Role and Instructions are the
	// conversation's current choices (see Choices), which a reopened
	// session restores.
	Provider     string `json:"provider,omitempty"`
	Model        string `json:"model"`
	Effort       string `json:"effort,omitempty"`
	Role         string `json:"role,omitempty"`
	Instructions string `json:"instructions,omitempty"`
	Pinned       bool   `json:"pinned"`
	Dir          string `json:"dir,omitempty"` // the working directory it was started in
}

// Choices are what a conversation runs with: the provider and model it
// asks, the reasoning effort, and the role whose instructions are its
// system prompt. A session records them, so that reopening it
// (--continue, --session, the picker) goes on as it was, unless a flag
// chooses otherwise. An empty Provider is the built-in demo (or a session
// from before Parley recorded it).
type Choices struct {
	Provider, Model, Effort string
	Role, Instructions      string
}

// Choices returns the session's recorded choices.
func (s Session) Choices() Choices {
	return Choices{Provider: s.Provider, Model: s.Model, Effort: s.Effort, Role: s.Role, Instructions: s.Instructions}
}

// SetChoices copies c into the session's fields.
func (s *Session) SetChoices(c Choices) {
	s.Provider, s.Model, s.Effort, s.Role, s.Instructions = c.Provider, c.Model, c.Effort, c.Role, c.Instructions
}

// SessionSummary is a session as the picker lists it.
type SessionSummary struct {
	Session
	Messages int    `json:"messages"`
	Preview  string `json:"preview"` // the last message, whitespace folded, at most PreviewLen characters
}

// PreviewLen is the longest preview, in characters.
const PreviewLen = 200

// NewID returns a fresh session id: 12 lowercase hex digits.
func NewID() string { return randomHex(6) }

// CreateSession stores s. A zero ID, Created or Updated is filled in; the
// stored session is returned.
func (s *Store) CreateSession(ctx context.Context, sess Session) (Session, error) {
	if sess.ID == "" {
		sess.ID = NewID()
	}
	if sess.Created.IsZero() {
		sess.Created = time.Now()
	}
	if sess.Updated.IsZero() {
		sess.Updated = sess.Created
	}
	if r := s.redactor(); r != nil {
		sess.Title, sess.Instructions = r.Replace(sess.Title), r.Replace(sess.Instructions)
	}
	err := s.write(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO sessions (id, title, created_at, updated_at, provider, model, effort,
			role, instructions, pinned, dir) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			sess.ID, sess.Title, toNano(sess.Created), toNano(sess.Updated), sess.Provider, sess.Model, sess.Effort,
			sess.Role, sess.Instructions, sess.Pinned, sess.Dir)
		return err
	})
	if err != nil {
		return Session{}, fmt.Errorf("creating session: %w", err)
	}
	return sess, nil
}

// RenameSession sets a session's title.
func (s *Store) RenameSession(ctx context.Context, id, title string) error {
	if r := s.redactor(); r != nil {
		title = r.Replace(title)
	}
	return s.updateSession(ctx, id, "UPDATE sessions SET title = ? WHERE id = ?", title, id)
}

// PinSession pins or unpins a session; pinned sessions list first.
func (s *Store) PinSession(ctx context.Context, id string, pinned bool) error {
	return s.updateSession(ctx, id, "UPDATE sessions SET pinned = ? WHERE id = ?", pinned, id)
}

// SetSessionModel records the model and effort the conversation now uses.
func (s *Store) SetSessionModel(ctx context.Context, id, model, effort string) error {
	return s.updateSession(ctx, id, "UPDATE sessions SET model = ?, effort = ? WHERE id = ?", model, effort, id)
}

// SetSessionChoices records everything the conversation now runs with.
func (s *Store) SetSessionChoices(ctx context.Context, id string, c Choices) error {
	if r := s.redactor(); r != nil {
		c.Instructions = r.Replace(c.Instructions)
	}
	return s.updateSession(ctx, id, `UPDATE sessions SET provider = ?, model = ?, effort = ?, role = ?, instructions = ?
		WHERE id = ?`, c.Provider, c.Model, c.Effort, c.Role, c.Instructions, id)
}

func (s *Store) updateSession(ctx context.Context, id, query string, args ...any) error {
	return s.write(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, query, args...)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("session %s: %w", id, ErrNotFound)
		}
		return nil
	})
}

// DeleteSession removes a session and its messages.
func (s *Store) DeleteSession(ctx context.Context, id string) error {
	return s.updateSession(ctx, id, "DELETE FROM sessions WHERE id = ?", id)
}

// ListOptions narrows ListSessions.
type ListOptions struct {
	Limit int // 0: all
}

const summaryColumns = `id, title, created_at, updated_at, provider, model, effort, role, instructions, pinned, dir,
	message_count, preview`

// listColumns are summaryColumns without the instructions, which can be
// long and which a list of every session does not show.
const listColumns = `id, title, created_at, updated_at, provider, model, effort, role, '', pinned, dir,
	message_count, preview`

// ListSessions returns sessions pinned first, then by last activity, newest
// first, with their message count and last-message preview. Their
// Instructions are left empty (GetSession and LoadSession have them).
func (s *Store) ListSessions(ctx context.Context, opts ListOptions) ([]SessionSummary, error) {
	if opts.Limit > 0 {
		return s.querySummaries(ctx, "SELECT "+listColumns+" FROM sessions ORDER BY pinned DESC, updated_at DESC, id LIMIT ?",
			opts.Limit)
	}
	// All of them: a table scan sorted here is twice as fast as walking the
	// index, which reads the table in index order, one page per row.
	var n int
	if err := s.r.QueryRowContext(ctx, "SELECT count(*) FROM sessions").Scan(&n); err != nil {
		return nil, err
	}
	list := make([]SessionSummary, 0, n+n/8) // room for sessions created meanwhile
	list, err := appendSummaries(ctx, s.r, list, "SELECT "+listColumns+" FROM sessions")
	if err != nil {
		return nil, err
	}
	slices.SortFunc(list, func(a, b SessionSummary) int {
		if a.Pinned != b.Pinned {
			if a.Pinned {
				return -1
			}
			return 1
		}
		if c := b.Updated.Compare(a.Updated); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return list, nil
}

func (s *Store) querySummaries(ctx context.Context, q string, args ...any) ([]SessionSummary, error) {
	return appendSummaries(ctx, s.r, nil, q, args...)
}

func appendSummaries(ctx context.Context, db querier, out []SessionSummary, q string, args ...any) ([]SessionSummary, error) {
	rows, err := db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var ss SessionSummary
		var created, updated int64
		if err := rows.Scan(&ss.ID, &ss.Title, &created, &updated, &ss.Provider, &ss.Model, &ss.Effort, &ss.Role,
			&ss.Instructions, &ss.Pinned, &ss.Dir, &ss.Messages, &ss.Preview); err != nil {
			return nil, err
		}
		ss.Created, ss.Updated = fromNano(created), fromNano(updated)
		out = append(out, ss)
	}
	return out, rows.Err()
}

// GetSession returns one session by its full id.
func (s *Store) GetSession(ctx context.Context, id string) (Session, error) {
	list, err := s.querySummaries(ctx, "SELECT "+summaryColumns+" FROM sessions WHERE id = ?", id)
	if err != nil {
		return Session{}, err
	}
	if len(list) == 0 {
		return Session{}, fmt.Errorf("session %s: %w", id, ErrNotFound)
	}
	return list[0].Session, nil
}

// LastSession returns the session with the most recent activity, for
// --continue. It wraps ErrNotFound when there is none.
func (s *Store) LastSession(ctx context.Context) (Session, error) {
	list, err := s.querySummaries(ctx, "SELECT "+summaryColumns+" FROM sessions ORDER BY updated_at DESC, id LIMIT 1")
	if err != nil {
		return Session{}, err
	}
	if len(list) == 0 {
		return Session{}, notFound("there are no sessions yet")
	}
	return list[0].Session, nil
}

// AmbiguousError is returned by Resolve when a reference matches more than
// one session; it lists them and opens none.
type AmbiguousError struct {
	Ref     string
	Matches []SessionSummary
}

func (e *AmbiguousError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q matches %d sessions; give more of the id:", e.Ref, len(e.Matches))
	for _, m := range e.Matches {
		fmt.Fprintf(&b, "\n  %s  %s", m.ID, m.Title)
	}
	return b.String()
}

// resolveLimit caps how many matches an ambiguity lists.
const resolveLimit = 20

// Resolve finds the session a user means by ref: an id, an id prefix, or a
// title. An exact id wins; then id prefixes and titles equal to ref (ignoring
// case) are candidates together; only if there are none, titles containing
// ref. One candidate is the answer; several are an *AmbiguousError; none
// wraps ErrNotFound.
func (s *Store) Resolve(ctx context.Context, ref string) (Session, error) {
	ref = strings.TrimSpace(ref)
	if ref == "" {
		return Session{}, notFound("an empty name matches no session")
	}
	if sess, err := s.GetSession(ctx, ref); err == nil {
		return sess, nil
	} else if !errors.Is(err, ErrNotFound) {
		return Session{}, err
	}
	order := " ORDER BY pinned DESC, updated_at DESC, id LIMIT ?"
	var matches []SessionSummary
	var err error
	if isIDPrefix(ref) {
		// A range scan on the primary key: ids are lowercase hex.
		matches, err = s.querySummaries(ctx, "SELECT "+summaryColumns+` FROM sessions
			WHERE (id >= ? AND id < ?) OR title = ? COLLATE NOCASE`+order, ref, ref+"g", ref, resolveLimit+1)
	} else {
		matches, err = s.querySummaries(ctx, "SELECT "+summaryColumns+" FROM sessions WHERE title = ? COLLATE NOCASE"+order,
			ref, resolveLimit+1)
	}
	if err != nil {
		return Session{}, err
	}
	if len(matches) == 0 {
		matches, err = s.querySummaries(ctx, "SELECT "+summaryColumns+` FROM sessions
			WHERE instr(lower(title), ?) > 0`+order, strings.ToLower(ref), resolveLimit+1)
		if err != nil {
			return Session{}, err
		}
	}
	return oneMatch(ref, matches, "no session matches %q")
}

// ResolveID is Resolve restricted to ids and id prefixes, for commands that
// destroy: a title is too easy to match by accident.
func (s *Store) ResolveID(ctx context.Context, ref string) (Session, error) {
	if sess, err := s.GetSession(ctx, ref); err == nil || !errors.Is(err, ErrNotFound) {
		return sess, err
	}
	if !isIDPrefix(ref) {
		return Session{}, notFound("no session has id %q", ref)
	}
	matches, err := s.querySummaries(ctx, "SELECT "+summaryColumns+` FROM sessions WHERE id >= ? AND id < ?
		ORDER BY pinned DESC, updated_at DESC, id LIMIT ?`, ref, ref+"g", resolveLimit+1)
	if err != nil {
		return Session{}, err
	}
	return oneMatch(ref, matches, "no session has id %q")
}

// oneMatch is the session when there is exactly one; none is ErrNotFound
// (none says how, with ref), several an *AmbiguousError.
func oneMatch(ref string, matches []SessionSummary, none string) (Session, error) {
	switch len(matches) {
	case 0:
		return Session{}, notFound(none, ref)
	case 1:
		return matches[0].Session, nil
	}
	if len(matches) > resolveLimit {
		matches = matches[:resolveLimit]
	}
	return Session{}, &AmbiguousError{Ref: ref, Matches: matches}
}

func isIDPrefix(ref string) bool {
	if ref == "" {
		return false
	}
	for _, c := range ref {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Preview folds text to one line of at most PreviewLen characters.
func Preview(text string) string {
	var b strings.Builder
	space := false
	n := 0
	for _, r := range text {
		if unicode.IsSpace(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			if n++; n > PreviewLen {
				break
			}
			b.WriteByte(' ')
			space = false
		}
		if n++; n > PreviewLen {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}

// TitleFrom makes a session title from its first prompt: the first line,
// at most 80 characters.
func TitleFrom(prompt string) string {
	line := strings.TrimSpace(prompt)
	if i := strings.IndexByte(line, '\n'); i >= 0 {
		line = strings.TrimSpace(line[:i])
	}
	if utf8.RuneCountInString(line) <= 80 {
		return line
	}
	r := []rune(line)
	return strings.TrimSpace(string(r[:79])) + "…"
}
