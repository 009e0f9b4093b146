package ui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/ui/sanitize"
)

// sessionPicker is the sessions overlay: sessions by last activity, pinned
// first; typing filters titles (fuzzy); tab switches to full-text search
// over every message. Enter opens; ctrl+n new, ctrl+r rename, ctrl+p pin,
// ctrl+d delete (asks first); esc closes.
type sessionPicker struct {
	list    []store.SessionSummary
	matches []store.FilterMatch
	hits    []store.Hit
	query   string
	search  bool // full-text search mode
	cursor  int
	loading bool
	seq     int // newest search asked, so a slow older answer is dropped

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
	hits []store.Hit
	err  error
}

// sessionChangedMsg follows a rename, pin or delete.
type sessionChangedMsg struct {
	deleted string // the id of a deleted session
	err     error
}

func (m *Model) openSessions() tea.Cmd {
	if m.deps.Store == nil {
		m.flash("Sessions are not saved (--no-save, or the database could not be opened)")
		return nil
	}
	m.sessions = &sessionPicker{loading: true}
	return m.listSessions()
}

func (m *Model) listSessions() tea.Cmd {
	st := m.deps.Store
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		list, err := st.ListSessions(ctx, store.ListOptions{})
		return sessionsListedMsg{list: list, err: err}
	}
}

func (m *Model) onSessionsListed(msg sessionsListedMsg) {
	p := m.sessions
	if p == nil {
		return
	}
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
	p.cursor = min(p.cursor, max(p.rows()-1, 0))
}

func (p *sessionPicker) rows() int {
	if p.search {
		return len(p.hits)
	}
	return len(p.matches)
}

// runSearch asks the store on a command goroutine; each keystroke asks
// again and older answers are dropped.
func (m *Model) runSearch() tea.Cmd {
	p := m.sessions
	p.seq++
	seq, q, st := p.seq, p.query, m.deps.Store
	if strings.TrimSpace(q) == "" {
		p.hits = nil
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hits, err := st.Search(ctx, q, 200)
		return searchResultsMsg{seq: seq, hits: hits, err: err}
	}
}

func (m *Model) onSearchResults(msg searchResultsMsg) {
	p := m.sessions
	if p == nil || msg.seq != p.seq {
		return
	}
	p.err = ""
	if msg.err != nil {
		p.err = sanitize.Text(msg.err.Error())
	}
	p.hits = msg.hits
	p.cursor = min(p.cursor, max(len(p.hits)-1, 0))
}

// selected is the session under the cursor in title mode.
func (p *sessionPicker) selected() (store.SessionSummary, bool) {
	if p.search || p.cursor >= len(p.matches) {
		return store.SessionSummary{}, false
	}
	return p.matches[p.cursor].SessionSummary, true
}

// sessionKey handles a key while the picker is open.
func (m *Model) sessionKey(k tea.KeyPressMsg) tea.Cmd {
	p := m.sessions
	switch {
	case p.renaming:
		return m.renameKey(k)
	case p.deleting:
		p.deleting = false
		if s, ok := p.selected(); ok && (k.Text == "y" || k.Text == "Y") {
			return m.changeSession(func(ctx context.Context, st *store.Store) error { return st.DeleteSession(ctx, s.ID) }, s.ID)
		}
		return nil
	}
	switch k.String() {
	case "esc":
		m.sessions = nil
	case "up":
		p.cursor = max(p.cursor-1, 0)
	case "down":
		p.cursor = min(p.cursor+1, max(p.rows()-1, 0))
	case "tab":
		p.search, p.cursor = !p.search, 0
		if p.search {
			return m.runSearch()
		}
		p.refilter()
	case "enter":
		m.sessions = nil
		if p.search {
			if p.cursor < len(p.hits) {
				h := p.hits[p.cursor]
				return m.loadSession(h.SessionID, h.MessageID)
			}
			return nil
		}
		if s, ok := p.selected(); ok {
			if s.ID == m.session.ID {
				return nil
			}
			return m.loadSession(s.ID, 0)
		}
	case "ctrl+n":
		m.sessions = nil
		return m.switchTo(nil)
	case "ctrl+r":
		if s, ok := p.selected(); ok {
			p.renaming, p.newTitle = true, s.Title
		}
	case "ctrl+p":
		if s, ok := p.selected(); ok {
			return m.changeSession(func(ctx context.Context, st *store.Store) error { return st.PinSession(ctx, s.ID, !s.Pinned) }, "")
		}
	case "ctrl+d":
		if _, ok := p.selected(); ok {
			p.deleting = true
		}
	case "backspace":
		if p.query != "" {
			_, size := lastRune(p.query)
			p.query = p.query[:len(p.query)-size]
			return m.queryChanged()
		}
	default:
		if k.Text != "" {
			p.query += k.Text
			return m.queryChanged()
		}
	}
	return nil
}

func (m *Model) queryChanged() tea.Cmd {
	p := m.sessions
	p.cursor = 0
	if p.search {
		return m.runSearch()
	}
	p.refilter()
	return nil
}

func (m *Model) renameKey(k tea.KeyPressMsg) tea.Cmd {
	p := m.sessions
	switch k.String() {
	case "esc":
		p.renaming = false
	case "enter":
		p.renaming = false
		s, ok := p.selected()
		title := strings.TrimSpace(p.newTitle)
		if !ok || title == "" {
			return nil
		}
		if s.ID == m.session.ID {
			m.session.Title = title
		}
		return m.changeSession(func(ctx context.Context, st *store.Store) error { return st.RenameSession(ctx, s.ID, title) }, "")
	case "backspace":
		if p.newTitle != "" {
			_, size := lastRune(p.newTitle)
			p.newTitle = p.newTitle[:len(p.newTitle)-size]
		}
	default:
		p.newTitle += k.Text
	}
	return nil
}

// changeSession runs a store change on a command goroutine, then lists
// the sessions again.
func (m *Model) changeSession(change func(context.Context, *store.Store) error, deleted string) tea.Cmd {
	st := m.deps.Store
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		return sessionChangedMsg{deleted: deleted, err: change(ctx, st)}
	}
}

func (m *Model) onSessionChanged(msg sessionChangedMsg) tea.Cmd {
	if msg.err != nil {
		m.flash(sanitize.Text(msg.err.Error()))
	}
	var cmds []tea.Cmd
	if msg.deleted != "" && msg.deleted == m.session.ID {
		// The session on screen is gone: start a new one. Its Writer is
		// dropped unflushed: its rows went with the session.
		if w := m.writer; w != nil {
			m.writer = nil
			cmds = append(cmds, func() tea.Msg { w.Close(); return nil })
		}
		cmds = append(cmds, m.switchTo(nil))
	}
	if m.sessions != nil {
		cmds = append(cmds, m.listSessions())
	}
	return tea.Batch(cmds...)
}

// stepSession opens the next or previous session in the list order
// without the picker.
func (m *Model) stepSession(dir int) tea.Cmd {
	st := m.deps.Store
	if st == nil {
		return nil
	}
	if m.busy() {
		m.flash("Finish or cancel the reply before switching sessions")
		return nil
	}
	current := m.session.ID
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		list, err := st.ListSessions(ctx, store.ListOptions{})
		if err != nil {
			return sessionLoadedMsg{err: err}
		}
		i := -1
		for j, s := range list {
			if s.ID == current {
				i = j
			}
		}
		next := i + dir
		if i < 0 { // a new, unsaved session is before the first
			next = 0
		}
		if next < 0 || next >= len(list) {
			return nil
		}
		sess, msgs, err := st.LoadSession(ctx, list[next].ID)
		return sessionLoadedMsg{open: OpenSession{Session: sess, Messages: msgs}, err: err}
	}
}

// sessionsOverlay draws the picker.
func (m *Model) sessionsOverlay(width, height int) []string {
	st := m.styles
	p := m.sessions
	var b strings.Builder
	mode := "Sessions"
	if p.search {
		mode = "Search all messages"
	}
	b.WriteString(st.OverlayTitle.Render(mode) + "\n")
	prompt := "filter: "
	if p.search {
		prompt = "search: "
	}
	b.WriteString(st.Status.Key.Render(prompt) + st.Status.Value.Render(sanitize.Text(p.query)) + "▏\n\n")
	inner := min(width, 100) - 6
	rows := max(1, (height-10)/2)
	switch {
	case p.loading:
		b.WriteString(st.Status.Dim.Render("  loading…") + "\n")
	case p.err != "":
		b.WriteString(st.Transcript.ErrorBlock.Render("  "+p.err) + "\n")
	case p.search:
		m.renderHits(&b, inner, rows)
	default:
		m.renderMatches(&b, inner, rows)
	}
	switch {
	case p.renaming:
		b.WriteString("\n" + st.Status.Key.Render("new title: ") + st.Status.Value.Render(sanitize.Text(p.newTitle)) + "▏  " +
			st.Status.Dim.Render("enter saves · esc cancels"))
	case p.deleting:
		s, _ := p.selected()
		b.WriteString("\n" + st.Transcript.ErrorBlock.Render("Delete “"+sanitize.Text(s.Title)+"” and its messages? y / n"))
	default:
		b.WriteString("\n" + st.Status.Dim.Render("enter open · tab search · ctrl+n new · ctrl+r rename · ctrl+p pin · ctrl+d delete · esc"))
	}
	return overlayRows(st.Overlay.Width(min(width, 100)).Render(b.String()), height)
}

func (m *Model) renderMatches(b *strings.Builder, width, rows int) {
	st, p := m.styles, m.sessions
	if len(p.matches) == 0 {
		b.WriteString(st.Status.Dim.Render("  no sessions") + "\n")
		return
	}
	now := m.deps.Now()
	start := max(0, min(p.cursor-rows/2, len(p.matches)-rows))
	for i := start; i < len(p.matches) && i < start+rows; i++ {
		s := p.matches[i]
		mark := "  "
		if i == p.cursor {
			mark = "▸ "
		}
		pin := ""
		if s.Pinned {
			pin = "📌 "
		}
		title := sanitize.Text(s.Title)
		if title == "" {
			title = "untitled"
		}
		if s.ID == m.session.ID {
			title += " (open)"
		}
		meta := " · " + sanitize.Text(s.Model) + " · " + itoa(s.Messages) + " messages · " + ago(now.Sub(s.Updated))
		line := mark + pin + title
		if i == p.cursor {
			line = st.Transcript.FocusedMessage.Render(line)
		}
		b.WriteString(fit(line+st.Status.Dim.Render(meta), width) + "\n")
		b.WriteString(fit("    "+st.Status.Dim.Render(sanitize.Text(s.Preview)), width) + "\n")
	}
}

func (m *Model) renderHits(b *strings.Builder, width, rows int) {
	st, p := m.styles, m.sessions
	if len(p.hits) == 0 {
		if strings.TrimSpace(p.query) != "" {
			b.WriteString(st.Status.Dim.Render("  no message matches") + "\n")
		}
		return
	}
	start := max(0, min(p.cursor-rows/2, len(p.hits)-rows))
	for i := start; i < len(p.hits) && i < start+rows; i++ {
		h := p.hits[i]
		mark := "  "
		if i == p.cursor {
			mark = "▸ "
		}
		title := mark + sanitize.Text(h.SessionTitle)
		if i == p.cursor {
			title = st.Transcript.FocusedMessage.Render(title)
		}
		b.WriteString(fit(title+st.Status.Dim.Render(" · "+string(h.Role)), width) + "\n")
		// Sanitise the snippet first, then mark the hit: the markers are
		// Parley's own, the text around them is not.
		snippet := strings.ReplaceAll(sanitize.Text(h.Snippet), "\n", " ")
		parts := strings.Split(snippet, store.MarkStart)
		var sb strings.Builder
		sb.WriteString(parts[0])
		for _, part := range parts[1:] {
			hit, rest, _ := strings.Cut(part, store.MarkEnd)
			sb.WriteString(st.Transcript.SelectionHighlight.Render(hit) + rest)
		}
		b.WriteString(fit("    "+sb.String(), width) + "\n")
	}
}

// ago says how long ago, briefly.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return itoa(int(d.Minutes())) + " min ago"
	case d < 24*time.Hour:
		return itoa(int(d.Hours())) + " h ago"
	default:
		return itoa(int(d.Hours()/24)) + " d ago"
	}
}
