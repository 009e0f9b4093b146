package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/ui"
	"github.com/parley-tui/parley/ui/sanitize"
)

// sessionFlags choose where sessions live and which one to open.
type sessionFlags struct {
	db        string
	continued bool
	session   string
	noSave    bool
}

func addSessionFlags(cmd *cobra.Command, f *sessionFlags) {
	cmd.Flags().StringVar(&f.db, "db", "", "session database (default $PARLEY_DB, else $XDG_DATA_HOME/parley/parley.db)")
	cmd.Flags().BoolVarP(&f.continued, "continue", "c", false, "reopen the last session")
	cmd.Flags().StringVarP(&f.session, "session", "s", "", "reopen a session by id, id prefix or title")
	cmd.Flags().BoolVar(&f.noSave, "no-save", false, "do not save this conversation")
}

// openSessionStore opens the session database, unless --no-save.
func openSessionStore(f sessionFlags) (*store.Store, error) {
	if f.noSave {
		if f.continued || f.session != "" {
			return nil, usageError{errors.New("--no-save cannot reopen a session (--continue, --session)")}
		}
		return nil, nil
	}
	path := f.db
	if path == "" {
		var err error
		if path, err = store.DefaultPath(); err != nil {
			return nil, err
		}
	}
	return store.Open(path)
}

// resolveOpen loads the session --continue or --session names, if any,
// to go on with it: repaired first (store.ResumeSession: a tool call left
// without a result, by a Parley killed while it waited for approval, gets
// an "interrupted before it ran" result, saved, so the next request is
// valid). A reference matching several sessions lists them and opens none.
// On a database Parley cannot write, the repair is kept in memory: saying
// that the session is not saved is the caller's (notSavedNotice).
func resolveOpen(ctx context.Context, st *store.Store, f sessionFlags) (*ui.OpenSession, error) {
	if !f.continued && f.session == "" {
		return nil, nil
	}
	if st == nil {
		return nil, errors.New("sessions are not available: the session database could not be opened")
	}
	var sess store.Session
	var err error
	if f.session != "" {
		sess, err = st.Resolve(ctx, f.session)
	} else {
		sess, err = st.LastSession(ctx)
	}
	var amb *store.AmbiguousError
	switch {
	case errors.As(err, &amb):
		return nil, errors.New(sanitize.Text(amb.Error()))
	case errors.Is(err, store.ErrNotFound) && f.session == "":
		return nil, errors.New("there is no session to continue yet")
	case errors.Is(err, store.ErrNotFound):
		return nil, fmt.Errorf("no session matches %q (parley sessions list shows them)", sanitize.Text(f.session))
	case err != nil:
		return nil, err
	}
	_, msgs, err := st.ResumeSession(ctx, sess.ID)
	if err != nil && !errors.Is(err, store.ErrReadOnly) {
		return nil, err
	}
	return &ui.OpenSession{Session: sess, Messages: msgs}, nil
}

// sessionProvider is the provider a session records: the configured one,
// or "" for the built-in demo and replays (as ui.Deps.Provider).
func sessionProvider(b *backend) string {
	if b.settings.Demo || b.settings.Replay != "" {
		return ""
	}
	return b.settings.Provider
}

// sessionChoices is what this run asks with, for its session to record.
func sessionChoices(b *backend) store.Choices {
	s := b.settings
	return store.Choices{Provider: sessionProvider(b), Model: b.model, Effort: s.Effort, Role: s.Role, Instructions: s.Instructions}
}

// newSessionRecord is a new session as this run starts it.
func newSessionRecord(b *backend) store.Session {
	sess := store.Session{Dir: workingDir()}
	sess.SetChoices(sessionChoices(b))
	return sess
}

// restoreChoices makes what a reopened session recorded the choices of
// this run, where no flag chose otherwise: its role and instructions; and,
// when it was with this provider, its model and effort (a model name means
// nothing to another server). A session from before Parley recorded the
// provider keeps its model unless it is the demo's and this run is not. It
// then records in open, and in the database, what this run will use: the
// chat takes its model from open, and a reopened session goes on with
// what it last ran with.
func restoreChoices(ctx context.Context, st *store.Store, b *backend, open *ui.OpenSession) {
	if open == nil {
		return
	}
	s, rec := b.settings, open.Session.Choices()
	fromFlag := func(name string) bool { return s.Sources[name].Kind == config.FromFlag }
	if !fromFlag("role") && (rec.Role != "" || rec.Instructions != "") {
		s.Role, s.Instructions = rec.Role, rec.Instructions
	}
	provider := sessionProvider(b)
	sameProvider := rec.Provider == provider || rec.Provider == "" && (provider == "" || rec.Model != demoModel)
	if sameProvider && rec.Model != "" && !fromFlag("model") {
		b.model = rec.Model
	}
	if sameProvider && !fromFlag("reasoning_effort") {
		s.Effort = rec.Effort
	}
	now := sessionChoices(b)
	if now != rec {
		open.Session.SetChoices(now)
		// A read-only database keeps the old ones: the notice says so.
		_ = st.SetSessionChoices(ctx, open.Session.ID, now)
	}
}

// applyChoices copies the run's choices, once a reopened session may have
// changed them, into the chat's dependencies.
func applyChoices(deps *ui.Deps, b *backend) {
	deps.Model, deps.Effort = b.model, b.settings.Effort
	deps.Role, deps.Instructions = b.settings.Role, b.settings.Instructions
}

// notSavedNotice is what the chat and -p say, once, when the session
// database cannot be written: that the conversation is not saved, why,
// and how to stop trying.
func notSavedNotice(err error) string {
	why := err.Error()
	if ro := (*store.ReadOnlyError)(nil); errors.As(err, &ro) {
		why = fmt.Sprintf("Parley cannot write %s (%v)", ro.Path, ro.Reason)
	}
	return "This session is not saved: " + sanitize.Text(why) + ". Pass --no-save to skip saving."
}

// workingDir is recorded with new sessions; "" when unknown.
func workingDir() string {
	d, err := os.Getwd()
	if err != nil {
		return ""
	}
	return d
}
