package cli

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"

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

// resolveOpen loads the session --continue or --session names, if any. A
// reference matching several sessions lists them and opens none.
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
	_, msgs, err := st.LoadSession(ctx, sess.ID)
	if err != nil {
		return nil, err
	}
	return &ui.OpenSession{Session: sess, Messages: msgs}, nil
}

// workingDir is recorded with new sessions; "" when unknown.
func workingDir() string {
	d, err := os.Getwd()
	if err != nil {
		return ""
	}
	return d
}
