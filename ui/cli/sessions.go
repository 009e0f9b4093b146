package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/ui/sanitize"
)

// openStore opens the session database named by --db, else the default
// ($PARLEY_DB, $XDG_DATA_HOME/parley/parley.db).
type openStore func() (*store.Store, error)

func newSessionsCmd() *cobra.Command {
	var db string
	cmd := &cobra.Command{
		Use:   "sessions",
		Short: "List, show, search and remove saved chat sessions",
		Long: `Parley saves every chat as a session in one SQLite database, written as the reply streams:
$PARLEY_DB if set, else $XDG_DATA_HOME/parley/parley.db (~/.local/share/parley/parley.db).
--db names another. A session is named by its id, a unique prefix of it, or (for show) its title.`,
		Example: `  parley sessions list
  parley sessions show 3f2a --format md --reasoning --tools > chat.md
  parley sessions search goroutine leak
  parley sessions rm 3f2a9c0b1d4e`,
		Args: usageArgs(cobra.NoArgs), // an unknown subcommand is a usage error
		RunE: func(cmd *cobra.Command, args []string) error { return cmd.Help() },
	}
	cmd.PersistentFlags().StringVar(&db, "db", "", "session database (default $PARLEY_DB, else $XDG_DATA_HOME/parley/parley.db)")
	open := func() (*store.Store, error) {
		path := db
		if path == "" {
			var err error
			if path, err = store.DefaultPath(); err != nil {
				return nil, err
			}
		}
		return store.Open(path)
	}
	cmd.AddCommand(
		newSessionsListCmd(open),
		newSessionsShowCmd(open),
		newSessionsRmCmd(open),
		newSessionsSearchCmd(open),
		newSessionsChurnCmd(open),
	)
	return cmd
}

func newSessionsListCmd(open openStore) *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List sessions, pinned first, then the most recently active",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit < 0 {
				return usageError{fmt.Errorf("--limit must not be negative")}
			}
			st, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			list, err := st.ListSessions(cmdContext(cmd), store.ListOptions{Limit: limit})
			if err != nil {
				return err
			}
			if asJSON {
				return writeJSON(cmd.OutOrStdout(), nonNilSlice(list))
			}
			return writeSessionTable(cmd.OutOrStdout(), list)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVarP(&limit, "limit", "n", 0, "at most this many sessions (0: all)")
	return cmd
}

func writeSessionTable(out io.Writer, list []store.SessionSummary) error {
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tLAST ACTIVE\tMSGS\tMODEL\tTITLE")
	for _, s := range list {
		title := oneLine(s.Title)
		if title == "" {
			title = "(untitled)"
		}
		if s.Pinned {
			title = "* " + title
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\n", s.ID, s.Updated.Local().Format("2006-01-02 15:04"), s.Messages,
			oneLine(s.Model), title)
	}
	return tw.Flush()
}

func newSessionsShowCmd(open openStore) *cobra.Command {
	var format string
	var opts exportOptions
	cmd := &cobra.Command{
		Use:   "show SESSION",
		Short: "Print a session as a markdown transcript or a JSON document",
		Long: `Show prints one session, named by its id, an id prefix or its title: a markdown transcript
(--format md, the default) or a JSON document (--format json), with the role it runs with and
the files attached to each prompt. Reasoning, tool calls and the attachments' content are left
out unless --reasoning, --tools and --attachments ask for them (text files are fenced in the
markdown; JSON carries every file, base64).`,
		Args: usageArgs(cobra.ExactArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "md" && format != "json" {
				return usageError{fmt.Errorf("--format must be md or json, not %q", format)}
			}
			st, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			ctx := cmdContext(cmd)
			sess, err := st.Resolve(ctx, args[0])
			if errors.Is(err, store.ErrNotFound) {
				return terminalSafe(fmt.Errorf("%w (parley sessions list shows them)", err))
			}
			if err != nil {
				return terminalSafe(err)
			}
			sess, msgs, err := st.LoadSession(ctx, sess.ID)
			if err != nil {
				return err
			}
			if opts.attachments {
				if err := st.LoadAttachmentData(ctx, msgs); err != nil {
					return err
				}
			}
			if format == "json" {
				return writeJSON(cmd.OutOrStdout(), exportJSON(sess, msgs, opts))
			}
			_, err = io.WriteString(cmd.OutOrStdout(), exportMarkdown(sess, msgs, opts))
			return err
		},
	}
	cmd.Flags().StringVar(&format, "format", "md", "md or json")
	cmd.Flags().BoolVar(&opts.reasoning, "reasoning", false, "include the model's reasoning")
	cmd.Flags().BoolVar(&opts.tools, "tools", false, "include tool calls and their arguments")
	cmd.Flags().BoolVar(&opts.attachments, "attachments", false, "include the attached files' content")
	return cmd
}

func newSessionsRmCmd(open openStore) *cobra.Command {
	return &cobra.Command{
		Use:   "rm SESSION...",
		Short: "Delete sessions and their messages",
		Long: `Rm deletes each session named by its id or a unique prefix of it. If any cannot be found,
or a prefix matches several, it says which and deletes none.`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			st, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			ctx := cmdContext(cmd)
			var found []store.Session
			var problems []error
			seen := map[string]bool{}
			for _, ref := range args {
				s, err := st.ResolveID(ctx, ref)
				switch {
				case err != nil:
					problems = append(problems, err)
				case !seen[s.ID]:
					seen[s.ID] = true
					found = append(found, s)
				}
			}
			if len(problems) > 0 {
				return terminalSafe(nothingDeleted(problems))
			}
			for _, s := range found {
				if err := st.DeleteSession(ctx, s.ID); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "deleted %s  %s\n", s.ID, oneLine(s.Title))
			}
			return nil
		},
	}
}

// nothingDeleted says why rm deleted nothing: one sentence for one
// session not found, else a line for each problem (an ambiguity lists
// its matches).
func nothingDeleted(problems []error) error {
	var amb *store.AmbiguousError
	if len(problems) == 1 && !errors.As(problems[0], &amb) {
		return fmt.Errorf("%w; nothing was deleted", problems[0])
	}
	lines := make([]string, len(problems))
	for i, p := range problems {
		lines[i] = p.Error()
	}
	return errors.New("nothing was deleted:\n" + strings.Join(lines, "\n"))
}

func newSessionsSearchCmd(open openStore) *cobra.Command {
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "search QUERY...",
		Short: "Search what was said in every session",
		Long: `Search finds the messages that hold every word of the query, in what was said, in tool
calls (names, arguments and results) or in the names of attached files, and prints each with
its session and the words around the match, the matched words in [brackets]. A word matches
as a prefix (gorout finds goroutine); text in double quotes matches exactly, as a phrase ("go"
finds go but not goroutine; a * after the closing quote makes its last word a prefix). The
best matches come first, or the newest when a word of the query is in thousands of messages.
With no match it says so on stderr and exits 1 (--json still prints []).`,
		Example: `  parley sessions search goroutine leak
  parley sessions search migrat --json
  parley sessions search '"exact phrase"' report.pdf`,
		Args: usageArgs(cobra.MinimumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			if limit <= 0 {
				return usageError{fmt.Errorf("--limit must be positive")}
			}
			st, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			hits, err := st.Search(cmdContext(cmd), strings.Join(args, " "), limit)
			if err != nil {
				return err
			}
			for i := range hits {
				hits[i].Snippet = sanitize.Text(hits[i].Snippet)
				hits[i].Snippet = hits[i].Highlight("[", "]")
			}
			if asJSON {
				err = writeJSON(cmd.OutOrStdout(), nonNilSlice(hits))
			} else {
				out := cmd.OutOrStdout()
				for _, h := range hits {
					fmt.Fprintf(out, "%s  #%d %s  %s\n    %s\n", h.SessionID, h.Position, h.Role, oneLine(h.SessionTitle),
						oneLine(h.Snippet))
				}
			}
			if err == nil && len(hits) == 0 {
				return noMatch(strings.Join(args, " "))
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().IntVarP(&limit, "limit", "n", 20, "at most this many hits")
	return cmd
}

// noMatch says a search found nothing, quoting the query unless it has
// quotes of its own (a phrase).
func noMatch(query string) error {
	query = oneLine(query)
	if !strings.Contains(query, `"`) {
		query = `"` + query + `"`
	}
	return fmt.Errorf("no saved message matches %s", query)
}

func cmdContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// writeJSON prints v indented, with C1 controls escaped (see c1Escaper).
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(c1Escaper{w})
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// terminalSafe neutralises control characters in an error that quotes
// what the user typed or session titles (an ambiguity lists them).
func terminalSafe(err error) error { return errors.New(sanitize.Text(err.Error())) }

// oneLine makes text safe for a terminal and folds it onto one line.
func oneLine(s string) string { return strings.Join(strings.Fields(sanitize.Text(s)), " ") }
