package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/sanitize"
)

// maxStdinContext bounds what a pipe may add to a one-shot prompt.
const maxStdinContext = 8 << 20

// oneShotError is a failed one-shot turn: the server's message goes to
// stderr and the exit code is 1.
type oneShotError struct{ e *stream.Error }

func (o oneShotError) Error() string { return o.e.Error() }

// oneShot is one run of parley -p: a prompt, and the replies and tool
// rounds it takes to answer it.
type oneShot struct {
	client        *stream.Client
	conv          *model.Conversation
	w             *store.Writer // nil: not saved
	out           *answerWriter
	prog          *progress
	model, effort string
	catalog       *model.Catalog
	webSearch     bool
	tools         *tools.Registry // nil: none offered
	approve       func(name string) bool
	allowHint     func(name string) string
	maxSteps      int
	db            string // --db, for the hint that continues the session
}

// runOneShot sends one prompt, streams the answer to stdout and exits:
// rendered markdown on a terminal, plain text otherwise. Piped stdin is
// appended to the prompt as context (`git diff | parley -p "review this"`).
// It offers the chat's tools; calls the user pre-approved run and the
// loop goes on, others are denied (the model is told, stderr says how to
// allow them). The exit code says how it went (see root.go).
//
// Files come from -f and from @path references in the prompt; a file
// that cannot be read or sent is a usage error before anything is sent.
func runOneShot(cmd *cobra.Command, f chatFlags, text string) error {
	if strings.TrimSpace(text) == "" {
		return usageError{errors.New("-p needs a prompt")}
	}
	files, err := loadAttachments(f.files, text, cmd.InOrStdin(), attach.Limits{})
	if err != nil {
		return usageError{err}
	}
	stdin := cmd.InOrStdin()
	if files.stdin {
		stdin = nil // it was -f -, not context
	}
	prompt, err := oneShotPrompt(text, stdin)
	if err != nil {
		return usageError{err}
	}
	ctx, _, b, done, err := openBackend(cmd, f)
	if err != nil {
		return err
	}
	defer done()
	stderr := cmd.ErrOrStderr()
	prog := newProgress(stderr, os.Getenv)
	defer prog.stop()
	for _, w := range append(b.warnings, files.warnings...) {
		prog.println("parley: warning: " + w)
	}
	// Before tools start: most refusals need no history. The session's
	// history is checked too, once it is open.
	var fresh model.Conversation
	if err := fresh.CheckSend(b.attachTarget("", b.model), files.atts); err != nil {
		return usageError{err}
	}
	s := b.settings
	if len(s.MCP) > 0 {
		prog.set("starting MCP servers")
	}
	reg, policy, closeTools := setupOneShotTools(ctx, prog.lines(), s, f.yolo)
	defer closeTools()
	conv, w, closeStore, err := oneShotSession(ctx, f, b, prog)
	if err != nil {
		return err
	}
	defer closeStore()
	if conv.Instructions == "" {
		conv.Instructions = s.Instructions
	}
	if err := conv.CheckSend(b.attachTarget("", b.model), files.atts); err != nil {
		return usageError{err}
	}

	cfg := b.cfg
	cfg.OnRetry = func(r stream.Retry) {
		prog.countdown(retryText(r), time.Now().Add(r.Wait))
	}
	o := &oneShot{
		client: stream.NewClient(cfg), conv: conv, w: w, prog: prog,
		model: b.model, effort: b.catalog.Effort(b.model, s.Effort), catalog: b.catalog, webSearch: b.webSearch,
		tools: reg, approve: func(name string) bool { return policy.Approved(reg, name) },
		allowHint: func(name string) string { return allowHint(s, name) },
		maxSteps:  f.maxSteps, db: f.sessions.db,
	}
	if o.maxSteps <= 0 {
		o.maxSteps = ui.DefaultMaxSteps
	}
	var before func()
	if out, ok := cmd.OutOrStdout().(*os.File); ok && term.IsTerminal(out.Fd()) {
		before = prog.clear
	}
	o.out = newAnswerWriter(cmd.OutOrStdout(), s.Theme, os.Environ(), before)
	return o.run(ctx, prompt, files.atts)
}

// retryText says why the request is tried again, and which try it is.
func retryText(r stream.Retry) string {
	return fmt.Sprintf("%s: retry %d of %d", serverText(r.Reason), r.Attempt, r.Max)
}

// run asks until the model answers without calling a tool, or the steps
// run out.
func (o *oneShot) run(ctx context.Context, prompt string, atts []attach.Attachment) error {
	user := o.conv.AddUser(prompt, time.Now(), atts...)
	if o.w != nil {
		o.w.UserSent(user, chat.StoreAttachments(atts)...)
	}
	for steps := 0; ; {
		reply, err := o.ask(ctx)
		if err != nil {
			var e *stream.Error
			if !errors.As(err, &e) {
				return err
			}
			if steps == 0 { // the prompt's own request: it is kept, marked failed
				user.Failed, user.Err = true, e
				if o.w != nil {
					o.w.UserFailed(user)
				}
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return oneShotError{e}
		}
		t := reply.Turn
		note, incomplete := incompleteNote(t)
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case incomplete:
			return incompleteError{note}
		case t.Error != nil:
			return oneShotError{t.Error}
		case t.Status != stream.StatusCompleted:
			return fmt.Errorf("the reply ended early (%s)", t.Status)
		case len(t.ToolCalls) == 0:
			if t.Text == "" && t.Refusal == "" {
				return incompleteError{"the model's reply was empty"}
			}
			return nil
		case o.tools == nil:
			return incompleteError{fmt.Sprintf("the model called %s, but no tools are offered, so the answer is not complete",
				sanitize.Text(t.ToolCalls[0].Name))}
		}
		o.runTools(ctx, reply)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if steps++; steps >= o.maxSteps {
			return incompleteError{fmt.Sprintf("stopped after %d tool %s (--max-steps), so the answer is not complete; %s",
				steps, plural(steps, "round"), o.goOnHint())}
		}
	}
}

// goOnHint says how to let the model go on after --max-steps stopped it:
// continue the session, when it was saved, or ask again allowing more
// rounds (with --no-save, or a database that could not be written,
// there is no session to continue).
func (o *oneShot) goOnHint() string {
	if o.w == nil || o.w.Flush() != nil {
		return "the conversation was not saved, so ask again with a higher --max-steps"
	}
	db := ""
	if o.db != "" {
		db = " --db " + shellWord(o.db)
	}
	return fmt.Sprintf("parley --session %s%s -p \"go on\" continues it, or ask again with a higher --max-steps", o.w.SessionID(), db)
}

// shellWord is s as one word for a POSIX shell: as it is when it holds
// nothing the shell would read, else in single quotes.
func shellWord(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// ask streams the next reply to the conversation as it stands, printing
// its text. A request that fails before any reply is an error; a reply
// that ends badly is returned with its Turn saying how.
func (o *oneShot) ask(ctx context.Context) (*model.Message, error) {
	req := o.catalog.Fit(o.conv.Request(o.model, o.effort, o.tools.Specs()))
	req.WebSearch = o.webSearch
	o.prog.set("waiting for " + sanitize.Text(o.model))
	s, err := o.client.Stream(ctx, req)
	if err != nil {
		return nil, err
	}
	defer s.Close()
	reply := o.conv.AddAssistant(o.model, o.effort, time.Now())
	o.out.startReply()
	for {
		c, err := s.Next()
		if err != nil { // io.EOF after the done choice; the Turn says how it ended
			break
		}
		reply.Turn.Add(c)
		reply.Note(c.Kind, time.Now())
		o.showChoice(c)
		if o.w != nil && !reply.FirstToken.IsZero() {
			o.w.AssistantProgress(reply) // coalesced by the Writer
		}
	}
	reply.Finished = time.Now()
	if reply.ReasoningEnd.IsZero() {
		reply.ReasoningEnd = reply.Finished
	}
	reply.Cancelled = ctx.Err() != nil
	o.out.finishReply()
	if o.w != nil {
		o.w.AssistantFinished(reply)
	}
	return reply, nil
}

// showChoice prints a choice's text, or says on the progress line what
// the model is doing.
func (o *oneShot) showChoice(c stream.Choice) {
	switch c.Kind {
	case stream.KindText, stream.KindRefusal:
		// The progress line goes before the answer, whether stdout is
		// this terminal or a pipe: a pipe's reader (grep, less, tail)
		// often prints on the same terminal, and a spinner redrawn while
		// it does leaves fragments in its output.
		o.prog.clear()
		o.out.write(sanitize.Text(c.Delta))
	case stream.KindReasoning:
		o.prog.set("thinking")
	case stream.KindToolStart:
		switch {
		case c.Tool.Kind == stream.ToolHosted && strings.HasPrefix(c.Tool.Type, "web_search"):
			o.prog.set("searching the web")
		case c.Tool.Kind == stream.ToolHosted:
			o.prog.set("the server runs " + sanitize.Text(c.Tool.Type))
		default:
			o.prog.set("preparing a call to " + sanitize.Text(c.Tool.Name))
		}
	}
}

// incompleteNote says whether a reply stopped short of a whole answer
// for a reason other than a failure (exit 3, not 1), and why.
func incompleteNote(t *stream.Turn) (string, bool) {
	if t.Status != stream.StatusIncomplete {
		return "", false
	}
	switch t.IncompleteReason {
	case "max_output_tokens":
		return "the answer is incomplete: the model reached its output token limit (max_output_tokens)", true
	case "content_filter":
		return "the answer is incomplete: the server's content filter stopped it", true
	case stream.ReasonReplyLimit:
		return "the answer is incomplete: it passed Parley's limit for one reply (max_reply_size), and was cut there", true
	case "":
		return "the answer is incomplete (the server gave no reason)", true
	}
	return "the answer is incomplete: the server stopped it (" + serverText(t.IncompleteReason) + ")", true
}

// oneShotSession is the conversation a one-shot prompt joins: a new
// session, the one --continue or --session names, or nothing saved with
// --no-save. The returned close flushes the session to disk.
func oneShotSession(ctx context.Context, f chatFlags, b *backend, prog *progress) (*model.Conversation, *store.Writer, func(), error) {
	st, err := openSessionStore(f.sessions)
	if errors.Is(err, store.ErrReadOnly) && !f.sessions.continued && f.sessions.session == "" {
		prog.println("parley: " + notSavedNotice(err)) // it cannot even be created: answer all the same
		return &model.Conversation{}, nil, func() {}, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if st == nil {
		return &model.Conversation{}, nil, func() {}, nil
	}
	if b.key != "" {
		st.Redact(b.key)
	}
	open, err := resolveOpen(ctx, st, f.sessions)
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	restoreChoices(ctx, st, b, open)
	var w *store.Writer
	conv := &model.Conversation{}
	if open == nil {
		w = store.NewSessionWriter(st, newSessionRecord(b))
	} else {
		w = store.NewWriter(st, open.Session.ID)
		conv = store.Conversation(open.Session, open.Messages)
		// The files the session's prompts were sent with go again.
		if lost := chat.Reattach(conv, open.Messages); len(lost) > 0 {
			prog.println("parley: warning: attachments the store could not give back are left out: " + serverText(strings.Join(lost, ", ")))
		}
	}
	closeAll := func() {
		switch err := w.Close(); {
		case errors.Is(err, store.ErrReadOnly):
			prog.println("parley: " + notSavedNotice(err))
		case err != nil:
			prog.println("parley: warning: the session was not saved: " + serverText(err.Error()))
		}
		st.Close()
	}
	return conv, w, closeAll, nil
}

// oneShotPrompt joins the prompt and, when stdin is a pipe or a file, what
// it holds.
func oneShotPrompt(prompt string, stdin io.Reader) (string, error) {
	if strings.TrimSpace(prompt) == "" {
		return "", errors.New("-p needs a prompt")
	}
	f, ok := stdin.(*os.File)
	if ok && term.IsTerminal(f.Fd()) {
		return prompt, nil
	}
	if stdin == nil {
		return prompt, nil
	}
	data, err := io.ReadAll(io.LimitReader(stdin, maxStdinContext+1))
	if err != nil {
		return "", fmt.Errorf("reading standard input: %w", err)
	}
	if len(data) > maxStdinContext {
		return "", fmt.Errorf("standard input is over %d MB; pass less context", maxStdinContext>>20)
	}
	if ctx := strings.TrimRight(string(data), "\n"); ctx != "" {
		return prompt + "\n\n" + ctx, nil
	}
	return prompt, nil
}
