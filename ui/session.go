package ui

import (
	"context"
	"errors"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/ui/sanitize"
)

// Sessions: the conversation on screen is one stored session. A Writer
// (model/store) saves it as it happens, off the UI goroutine; the calls
// here only hand it snapshots. Opening another session loads it on a
// command goroutine and swaps the conversation when it arrives.

// OpenSession is a stored session to show at start (--continue, --session).
type OpenSession struct {
	Session  store.Session
	Messages []store.StoredMessage
	// Focus, when not zero, is a message id to scroll to (a search hit).
	Focus int64
}

// sessionLoadedMsg brings a session loaded from the store.
type sessionLoadedMsg struct {
	open OpenSession
	err  error
}

// writerClosedMsg reports a closed Writer's last error, if any.
type writerClosedMsg struct{ err error }

// newWriter starts saving a fresh conversation; the session is created with
// its first message and titled from the first prompt.
func (m *Model) newWriter() {
	if m.deps.Store == nil {
		return
	}
	m.writer = store.NewSessionWriter(m.deps.Store, m.sessionRecord(""), m.writerOptions()...)
	m.session = store.Session{ID: m.writer.SessionID()}
}

// sessionRecord is a new session with the choices it starts with, which
// reopening it restores.
func (m *Model) sessionRecord(title string) store.Session {
	return store.Session{Title: title, Provider: m.deps.Provider, Model: m.model, Effort: m.effort, Role: m.role,
		Instructions: m.conv.Instructions, Dir: m.deps.Dir}
}

// closeWriter flushes and closes the current Writer on a command goroutine.
func (m *Model) closeWriter() tea.Cmd {
	w := m.writer
	m.writer = nil
	if w == nil {
		return nil
	}
	return func() tea.Msg { return writerClosedMsg{err: w.Close()} }
}

// loadSession reads a session on a command goroutine.
func (m *Model) loadSession(id string, focus int64) tea.Cmd {
	st := m.deps.Store
	if st == nil {
		return nil
	}
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		// Repaired (a call left without a result gets one) before any
		// request; on a read-only database, in memory only.
		sess, msgs, err := st.ResumeSession(ctx, id)
		if errors.Is(err, store.ErrReadOnly) {
			err = nil
		}
		return sessionLoadedMsg{open: OpenSession{Session: sess, Messages: msgs, Focus: focus}, err: err}
	}
}

// switchTo replaces the conversation on screen with a stored session, or
// with a new one when open is nil.
func (m *Model) switchTo(open *OpenSession) tea.Cmd {
	if m.busy() {
		m.flash("Finish or cancel the reply before switching sessions")
		return nil
	}
	closing := m.closeWriter()
	m.conv = &model.Conversation{Instructions: m.conv.Instructions}
	m.transcript.reset()
	m.sidebar = newSidebar()
	m.totals = model.Totals{}
	m.retryPrompt, m.retryReply, m.editing = nil, false, nil
	m.state = stateIdle
	if open == nil {
		m.newWriter()
		m.relayout()
		return closing
	}
	m.session = open.Session
	if open.Session.Model != "" {
		m.model, m.conv.Model = open.Session.Model, open.Session.Model
	}
	if m.deps.Store != nil {
		m.writer = store.NewWriter(m.deps.Store, open.Session.ID, m.writerOptions()...)
	}
	var focus *model.Message
	for _, sm := range open.Messages {
		msg := sm.ToMessage()
		m.conv.Messages = append(m.conv.Messages, msg)
		if m.writer != nil {
			m.writer.Track(msg, sm.ID)
		}
		if sm.ID == open.Focus {
			focus = msg
		}
		m.addLoaded(msg)
		if msg.Turn != nil && msg.Turn.Usage != nil {
			c, ok := m.deps.Catalog.Cost(modelName(msg), *msg.Turn.Usage)
			m.totals.Add(*msg.Turn.Usage, c, ok)
		}
		for _, r := range sm.ToolResults() {
			m.conv.Messages = append(m.conv.Messages, r)
			m.transcript.add(r)
		}
	}
	m.relayout()
	if focus != nil {
		m.transcript.focusMessage(focus, m.layout.bodyHeight)
		m.setFocus(focusTranscript)
	}
	m.flash("Opened “" + sessionTitle(open.Session) + "”")
	return closing
}

// addLoaded shows a stored message. Replies render lazily, when they come
// into view (transcript.go), so a long session opens at once.
func (m *Model) addLoaded(msg *model.Message) {
	e := m.transcript.add(msg)
	if e.md != nil {
		e.streaming = false
		e.lazyText = sanitize.Text(msg.Turn.Text)
	}
}

func (m *Model) writerOptions() []store.WriterOption {
	if m.deps.Logger == nil {
		return nil
	}
	return []store.WriterOption{store.WithLogger(m.deps.Logger)}
}

func sessionTitle(s store.Session) string {
	if s.Title != "" {
		return s.Title
	}
	return "untitled"
}

// forkFocused starts a new session holding the conversation up to and
// including the focused message; the old session stays as it was.
func (m *Model) forkFocused() tea.Cmd {
	e := m.transcript.focused()
	if e == nil {
		return nil
	}
	if m.deps.Store == nil {
		m.flash("Forking needs saved sessions")
		return nil
	}
	if m.busy() {
		m.flash("Finish or cancel the reply before forking")
		return nil
	}
	var keep []*model.Message
	for _, msg := range m.conv.Messages {
		c := *msg // a copy: the new session's messages are its own
		keep = append(keep, &c)
		if msg == e.msg {
			break
		}
	}
	// Tool results belong with the reply before them: keep those too.
	for _, msg := range m.conv.Messages[len(keep):] {
		if msg.Role != model.RoleTool {
			break
		}
		c := *msg
		keep = append(keep, &c)
	}
	title := "Fork of " + sessionTitle(m.session)
	closing := m.switchTo(nil)
	// switchTo made a Writer for an untitled session; this one has a title.
	unused := m.writer
	discard := func() tea.Msg { unused.Close(); return nil }
	m.writer = nil
	if m.deps.Store != nil {
		m.writer = store.NewSessionWriter(m.deps.Store, m.sessionRecord(title), m.writerOptions()...)
		m.session = store.Session{ID: m.writer.SessionID(), Title: title}
	}
	var reply *model.Message
	var results []*model.Message
	flushResults := func() {
		if reply != nil && len(results) > 0 && m.writer != nil {
			m.writer.ToolResults(reply, results)
		}
		results = nil
	}
	for _, msg := range keep {
		m.conv.Messages = append(m.conv.Messages, msg)
		switch msg.Role {
		case model.RoleUser:
			flushResults()
			m.transcript.add(msg)
			if m.writer != nil {
				m.writer.UserSent(msg)
			}
		case model.RoleAssistant:
			flushResults()
			reply = msg
			m.addLoaded(msg)
			if m.writer != nil {
				m.writer.AssistantFinished(msg)
			}
		case model.RoleTool:
			m.transcript.add(msg)
			results = append(results, msg)
		}
	}
	flushResults()
	m.flash("Forked into a new session: “" + title + "”")
	if unused == nil {
		return closing
	}
	return tea.Batch(closing, discard)
}
