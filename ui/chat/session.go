package chat

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
)

// Sessions: the conversation on screen is one stored session. A Writer
// (model/store) saves it as it happens, off the UI goroutine; the saver
// only hands it snapshots. Opening another session loads it on a command
// goroutine and swaps the conversation when it arrives.

// OpenSession is a stored session to show (--continue, --session, the
// picker).
type OpenSession struct {
	Session  store.Session
	Messages []store.StoredMessage
	// Focus, when not zero, is a message id to show (a search hit), and
	// Highlight the words to mark in it.
	Focus     int64
	Highlight string
}

// sessionLoadedMsg brings a session loaded from the store.
type sessionLoadedMsg struct {
	open OpenSession
	err  error
}

// writerClosedMsg reports a closed Writer's last error, if any.
type writerClosedMsg struct{ err error }

// SessionTitle is a session's title, or "untitled".
func SessionTitle(s store.Session) string { return cmp.Or(s.Title, "untitled") }

// newSaver starts saving a new session; it is stored with its first
// message, titled from the first prompt unless title is given.
func (c *Controller) newSaver(title string) {
	c.saver, c.session = nil, store.Session{Title: title}
	if c.cfg.Store == nil {
		return
	}
	// The session records the choices it starts with; reopening it
	// restores them.
	rec := store.Session{Title: title, Provider: c.provider, Model: c.conv.Model, Effort: c.conv.Effort,
		Role: c.role, Instructions: c.conv.Instructions, Dir: c.cfg.Dir}
	w := store.NewSessionWriter(c.cfg.Store, rec, c.writerOptions()...)
	c.saver, c.session.ID = &saver{w}, w.SessionID()
}

// closeWriter flushes and closes the session's Writer on a command
// goroutine.
func (c *Controller) closeWriter() tea.Cmd {
	s := c.saver
	c.saver = nil
	if s == nil {
		return nil
	}
	return func() tea.Msg { return writerClosedMsg{err: s.w.Close()} }
}

// reset empties the session on screen. The model, effort, role and system
// prompt stay: they are the user's choices, not the session's. What the
// user allowed for the session is forgotten.
func (c *Controller) reset() {
	c.conv = &model.Conversation{Instructions: c.conv.Instructions, Model: c.conv.Model, Effort: c.conv.Effort}
	c.changed()
	c.calls.reset()
	c.cfg.Policy.ForgetSession()
	c.queue, c.steps = nil, 0
	c.failed, c.retryReply, c.editing = nil, false, nil
	c.totals = model.Totals{}
	c.state = StateIdle
}

// NewSession puts a new, empty session on screen.
func (c *Controller) NewSession() tea.Cmd {
	if c.Busy() {
		c.busy("Finish or cancel the reply before starting a new session")
		return nil
	}
	closing := c.closeWriter()
	c.reset()
	c.newSaver("")
	c.emit(Event{Kind: SessionChanged})
	return closing
}

// Open loads a stored session on a command goroutine and shows it; focus
// is a message id to show, highlight the words to mark in it.
func (c *Controller) Open(id string, focus int64, highlight string) tea.Cmd {
	st := c.cfg.Store
	if st == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// Repaired first (a call left without a result gets one), so the
		// next request is valid; on a read-only database, in memory only.
		sess, msgs, err := st.ResumeSession(ctx, id)
		if errors.Is(err, store.ErrReadOnly) {
			err = nil
		}
		return sessionLoadedMsg{open: OpenSession{Session: sess, Messages: msgs, Focus: focus, Highlight: highlight}, err: err}
	}
}

// Show replaces the session on screen with a loaded one, and goes on
// with what it recorded: its role and instructions, its effort and its
// model, on the provider it ran with (a client for it is made when that
// is another one).
func (c *Controller) Show(open *OpenSession) tea.Cmd {
	if c.Busy() {
		c.busy("Finish or cancel the reply before switching sessions")
		return nil
	}
	closing := c.closeWriter()
	c.reset()
	c.session = open.Session
	// A session from before Parley recorded choices keeps the ones in use.
	var switching tea.Cmd
	if rec := open.Session.Choices(); rec != (store.Choices{}) {
		if rec.Provider != "" && rec.Provider != c.provider && rec.Model != "" {
			switching = c.SetModel(rec.Provider, rec.Model)
		} else {
			c.conv.Model = cmp.Or(rec.Model, c.conv.Model)
		}
		c.conv.Effort = rec.Effort
		c.role, c.conv.Instructions = rec.Role, rec.Instructions
	}
	if c.cfg.Store != nil {
		c.saver = &saver{store.NewWriter(c.cfg.Store, open.Session.ID, c.writerOptions()...)}
	}
	var focus *model.Message
	var lost []string
	for _, sm := range open.Messages {
		msg := c.add(sm.ToMessage())
		if len(sm.Attachments) > 0 {
			// Sent again with every request, as when they were attached.
			var l []string
			msg.Attachments, l = fromStore(sm.Attachments)
			lost = append(lost, l...)
		}
		c.saver.track(msg, sm.ID)
		if sm.ID == open.Focus && open.Focus != 0 {
			focus = msg
		}
		if msg.Turn != nil && msg.Turn.Usage != nil {
			cost, ok := c.cfg.Catalog.Cost(ModelName(msg), *msg.Turn.Usage)
			c.totals.Add(*msg.Turn.Usage, cost, ok)
		}
		for _, r := range sm.ToolResults() {
			c.add(r)
		}
	}
	if last := c.conv.Last(); last != nil && last.Role == model.RoleUser && last.Failed {
		c.failed = last // the next prompt sent replaces it
	}
	if len(lost) > 0 {
		c.notice("Attachments the store could not give back are left out: " + strings.Join(lost, ", "))
	}
	c.emit(Event{Kind: SessionChanged, Focus: focus, Highlight: open.Highlight, Text: "Opened “" + SessionTitle(open.Session) + "”"})
	return tea.Batch(closing, switching)
}

// Fork starts a new session holding the conversation up to and including
// m (and the tool results that answer it); the old session stays as it
// was.
func (c *Controller) Fork(m *model.Message) tea.Cmd {
	if m == nil {
		return nil
	}
	if c.cfg.Store == nil {
		c.notice("Forking needs saved sessions")
		return nil
	}
	if c.Busy() {
		c.busy("Finish or cancel the reply before forking")
		return nil
	}
	old := c.conv.Messages
	end := slices.Index(old, m) + 1
	for end < len(old) && old[end].Role == model.RoleTool {
		end++
	}
	title := store.TitleFrom("Fork of " + SessionTitle(c.session))
	closing := c.closeWriter()
	c.reset()
	c.newSaver(title)
	var reply *model.Message
	var results []*model.Message
	flush := func() {
		c.saver.toolResults(reply, results)
		results = nil
	}
	for _, x := range old[:end] {
		msg := *x // a copy: the new session's messages are its own
		c.add(&msg)
		switch msg.Role {
		case model.RoleUser:
			flush()
			c.saver.userSent(&msg)
		case model.RoleAssistant:
			flush()
			reply = &msg
			c.saver.finished(&msg)
		case model.RoleTool:
			results = append(results, &msg)
		}
	}
	flush()
	c.emit(Event{Kind: SessionChanged})
	c.notice("Forked into a new session: “" + title + "”")
	return closing
}

// Deleted answers the deletion of a stored session: when it is the one on
// screen, a new session replaces it. Its Writer is dropped unflushed: its
// rows went with the session.
func (c *Controller) Deleted(id string) tea.Cmd {
	if id == "" || id != c.session.ID || c.Busy() {
		return nil
	}
	var drop tea.Cmd
	if s := c.saver; s != nil {
		c.saver = nil
		drop = func() tea.Msg { s.w.Close(); return nil }
	}
	c.reset()
	c.newSaver("")
	c.emit(Event{Kind: SessionChanged})
	return drop
}

// Renamed keeps the title of the session on screen in step with the store.
func (c *Controller) Renamed(id, title string) {
	if id == c.session.ID {
		c.session.Title = title
	}
}

// stepListedMsg brings the session list for a step to an older or newer
// session.
type stepListedMsg struct {
	list  []store.SessionSummary
	err   error
	older bool
}

// Step opens the next older session, or the next newer one; past the
// newest is a new, empty session. Sessions are in order of last activity,
// pinned or not, so the direction never depends on where one starts.
func (c *Controller) Step(older bool) tea.Cmd {
	st := c.cfg.Store
	if st == nil {
		c.notice("Sessions are not saved")
		return nil
	}
	if c.Busy() {
		c.busy("Finish or cancel the reply before switching sessions")
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		list, err := st.ListSessions(ctx, store.ListOptions{})
		return stepListedMsg{list: list, err: err, older: older}
	}
}

func (c *Controller) onStepListed(msg stepListedMsg) tea.Cmd {
	if msg.err != nil {
		c.notice("Could not list the sessions: " + msg.err.Error())
		return nil
	}
	list := slices.Clone(msg.list)
	slices.SortStableFunc(list, func(a, b store.SessionSummary) int { return b.Updated.Compare(a.Updated) })
	i := slices.IndexFunc(list, func(s store.SessionSummary) bool { return s.ID == c.session.ID })
	switch {
	case msg.older && i+1 < len(list): // from a new session (i < 0) the newest
		return c.Open(list[i+1].ID, 0, "")
	case msg.older:
		c.notice("This is the oldest session")
	case i > 0:
		return c.Open(list[i-1].ID, 0, "")
	case i == 0:
		return c.NewSession()
	default:
		c.notice("This is a new session: there is none newer")
	}
	return nil
}
