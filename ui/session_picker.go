package ui

import (
	"context"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// sessionPicker is the sessions overlay: sessions by last activity, pinned
// first; typing filters titles (fuzzy); the search key switches to
// full-text search over every message. It opens, renames, pins and
// deletes (after asking) sessions; the store work runs in commands.
type sessionPicker struct {
	filterList
	st      *store.Store
	list    []store.SessionSummary
	matches []store.FilterMatch
	hits    []searchHit
	search  bool // full-text search mode
	loading bool
	seq     int // newest search asked, so a slow older answer is dropped

	previews map[previewKey]string // plain previews, by session and width

	renaming bool
	newTitle string
	deleting bool
	err      string
}

type sessionsListedMsg struct {
	list []store.SessionSummary
	err  error
}

type searchResultsMsg struct {
	seq  int
	hits []searchHit
	err  error
}

// searchHit is a hit as the picker lists it: its snippet plain text on one
// line (markdown marks dropped, the hit marks kept), and how many more hits
// of the same session read the same (a prompt asked again), folded into it.
type searchHit struct {
	store.Hit
	alike int
}

// plainHits makes the store's hits what the picker lists, off the UI
// goroutine: snippets as plain one-line text, and hits of one session
// whose snippets read the same folded into the first (the best).
func plainHits(hits []store.Hit) []searchHit {
	out := make([]searchHit, 0, len(hits))
	type same struct {
		session, snippet string
		role             model.Role
	}
	seen := map[same]int{}
	for _, h := range hits {
		h.Snippet = markdown.PlainLine(h.Snippet)
		k := same{h.SessionID, h.Snippet, h.Role}
		if i, ok := seen[k]; ok {
			out[i].alike++
			continue
		}
		seen[k] = len(out)
		out = append(out, searchHit{Hit: h})
	}
	return out
}

// sessionChangedMsg follows a rename, pin or delete.
type sessionChangedMsg struct {
	deleted string // the id of a deleted session
	renamed string // the id of a renamed session, and its title
	title   string
	err     error
}

func (m *Model) openSessionPicker() tea.Cmd {
	if m.deps.Store == nil {
		m.flash("Sessions are not saved (--no-save, or the database could not be opened)")
		return nil
	}
	p := &sessionPicker{st: m.deps.Store, loading: true}
	m.overlays.push(p)
	return p.listSessions()
}

func (p *sessionPicker) listSessions() tea.Cmd {
	st := p.st
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		list, err := st.ListSessions(ctx, store.ListOptions{})
		return sessionsListedMsg{list: list, err: err}
	}
}

func (p *sessionPicker) listed(msg sessionsListedMsg) {
	p.loading = false
	if msg.err != nil {
		p.err = sanitize.Text(msg.err.Error())
		return
	}
	p.list = msg.list
	p.refilter()
}

func (p *sessionPicker) refilter() {
	p.matches = store.FilterSessions(p.list, p.query)
	p.clamp(p.rows())
}

func (p *sessionPicker) rows() int {
	if p.search {
		return len(p.hits)
	}
	return len(p.matches)
}

// runSearch asks the store on a command goroutine; each keystroke asks
// again and older answers are dropped.
func (p *sessionPicker) runSearch() tea.Cmd {
	p.seq++
	seq, q, st := p.seq, p.query, p.st
	if strings.TrimSpace(q) == "" {
		p.hits = nil
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hits, err := st.Search(ctx, q, 200)
		return searchResultsMsg{seq: seq, hits: plainHits(hits), err: err}
	}
}

func (p *sessionPicker) found(msg searchResultsMsg) {
	if msg.seq != p.seq {
		return
	}
	p.err = ""
	if msg.err != nil {
		p.err = sanitize.Text(msg.err.Error())
	}
	p.hits = msg.hits
	p.clamp(len(p.hits))
}

// selected is the session under the cursor in title mode.
func (p *sessionPicker) selected() (store.SessionSummary, bool) {
	if p.search || p.cursor >= len(p.matches) {
		return store.SessionSummary{}, false
	}
	return p.matches[p.cursor].SessionSummary, true
}

func (p *sessionPicker) title() string {
	if p.search {
		return "message search"
	}
	return "sessions"
}

// shortHelp changes with the mode: the session keys act on titles only.
func (p *sessionPicker) shortHelp(k *keymap.KeyMap) []key.Binding {
	switch {
	case p.deleting:
		return []key.Binding{k.Sessions.Confirm}
	case p.renaming:
		return []key.Binding{k.Picker.Choose, k.Picker.Close}
	case p.search:
		return []key.Binding{k.Picker.Choose, k.Sessions.Search, k.Picker.Up, k.Picker.Down, k.Picker.Clear, k.Picker.Close}
	}
	return []key.Binding{k.Picker.Choose, k.Sessions.Search, k.Sessions.New, k.Sessions.Rename, k.Sessions.Pin,
		k.Sessions.Delete, k.Picker.Clear, k.Picker.Close}
}

func (p *sessionPicker) key(k tea.KeyPressMsg, env *overlayEnv) (action, tea.Cmd) {
	pk, sk := env.keys.Picker, env.keys.Sessions
	switch {
	case p.renaming:
		return p.renameKey(k, pk)
	case p.deleting:
		p.deleting = false
		if s, ok := p.selected(); ok && key.Matches(k, sk.Confirm) {
			return consumed{}, p.change(func(ctx context.Context, st *store.Store) error { return st.DeleteSession(ctx, s.ID) },
				sessionChangedMsg{deleted: s.ID})
		}
		return consumed{}, nil
	}
	switch {
	case key.Matches(k, pk.Close):
		return closeOverlay{}, nil
	case key.Matches(k, sk.Search):
		p.search, p.cursor = !p.search, 0
		if p.search {
			return consumed{}, p.runSearch()
		}
		p.refilter()
		return consumed{}, nil
	case key.Matches(k, pk.Choose):
		if p.search {
			if p.cursor < len(p.hits) {
				h := p.hits[p.cursor]
				return openSession{id: h.SessionID, focus: h.MessageID, highlight: markedWords(h.Snippet)}, nil
			}
			return consumed{}, nil
		}
		if s, ok := p.selected(); ok {
			return openSession{id: s.ID}, nil
		}
		return consumed{}, nil
	}
	if !p.search {
		switch s, ok := p.selected(); {
		case key.Matches(k, sk.New):
			return newSession{}, nil
		case !ok:
		case key.Matches(k, sk.Rename):
			p.renaming, p.newTitle = true, s.Title
			return consumed{}, nil
		case key.Matches(k, sk.Pin):
			return consumed{}, p.change(func(ctx context.Context, st *store.Store) error { return st.PinSession(ctx, s.ID, !s.Pinned) },
				sessionChangedMsg{})
		case key.Matches(k, sk.Delete):
			p.deleting = true
			return consumed{}, nil
		}
	}
	if _, changed := p.filterList.key(k, pk, p.rows()); changed {
		if p.search {
			return consumed{}, p.runSearch()
		}
		p.refilter()
	}
	return consumed{}, nil
}

func (p *sessionPicker) renameKey(k tea.KeyPressMsg, pk keymap.PickerKeys) (action, tea.Cmd) {
	switch {
	case key.Matches(k, pk.Close):
		p.renaming = false
	case key.Matches(k, pk.Choose):
		p.renaming = false
		s, ok := p.selected()
		title := strings.TrimSpace(p.newTitle)
		if !ok || title == "" {
			return consumed{}, nil
		}
		return consumed{}, p.change(func(ctx context.Context, st *store.Store) error { return st.RenameSession(ctx, s.ID, title) },
			sessionChangedMsg{renamed: s.ID, title: title})
	case key.Matches(k, pk.Clear):
		p.newTitle = ""
	case k.Code == tea.KeyBackspace && k.Mod == 0:
		if p.newTitle != "" {
			r := []rune(p.newTitle)
			p.newTitle = string(r[:len(r)-1])
		}
	case k.Text != "" && k.Mod&^tea.ModShift == 0:
		p.newTitle += k.Text
	}
	return consumed{}, nil
}

// change runs a store change on a command goroutine; done says what
// changed, with the error if any.
func (p *sessionPicker) change(change func(context.Context, *store.Store) error, done sessionChangedMsg) tea.Cmd {
	st := p.st
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done.err = change(ctx, st)
		return done
	}
}

// markedWords are the words a search snippet marks as hits, for the
// transcript to highlight in the message it opens at.
func markedWords(snippet string) string {
	var words []string
	for _, part := range strings.Split(snippet, store.MarkStart)[1:] {
		hit, _, _ := strings.Cut(part, store.MarkEnd)
		if hit = strings.TrimSpace(hit); hit != "" && !strings.Contains(strings.Join(words, "\n"), hit) {
			words = append(words, hit)
		}
	}
	return strings.Join(words, "\n")
}
