package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"
	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// maxStdinContext bounds what a pipe may add to a one-shot prompt.
const maxStdinContext = 8 << 20

// oneShotError is a failed one-shot turn: the server's message goes to
// stderr and the exit code is 1.
type oneShotError struct{ e *stream.Error }

func (o oneShotError) Error() string { return sanitize.Text(o.e.Error()) }

// runOneShot sends one prompt, streams the reply to stdout and exits:
// rendered markdown on a terminal, plain text otherwise. Piped stdin is
// appended to the prompt as context (`git diff | parley -p "review this"`).
func runOneShot(cmd *cobra.Command, f chatFlags) error {
	prompt, err := oneShotPrompt(f.prompt, cmd.InOrStdin())
	if err != nil {
		return usageError{err}
	}
	ctx, _, b, done, err := openBackend(cmd, f)
	if err != nil {
		return err
	}
	defer done()
	conv, w, closeStore, err := oneShotSession(ctx, f, b)
	if err != nil {
		return err
	}
	defer closeStore()
	if conv.Instructions == "" {
		conv.Instructions = b.settings.Instructions
	}
	userMsg := conv.AddUser(prompt, time.Now())
	if w != nil {
		w.UserSent(userMsg)
	}
	req := conv.Request(b.model, b.settings.Effort, nil)
	req.WebSearch = f.webSearch || b.settings.File.WebSearch
	s, err := b.client.Stream(ctx, req)
	if err != nil {
		var e *stream.Error
		if errors.As(err, &e) {
			userMsg.Failed, userMsg.Err = true, e
			if w != nil {
				w.UserFailed(userMsg)
			}
			return oneShotError{e}
		}
		return err
	}
	defer s.Close()
	out := newReplyWriter(cmd.OutOrStdout(), b.settings.Theme)
	reply := conv.AddAssistant(b.model, b.settings.Effort, time.Now())
	for {
		c, err := s.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		reply.Turn.Add(c)
		reply.Note(c.Kind, time.Now())
		if c.Kind == stream.KindText {
			out.write(sanitize.Text(c.Delta))
			if w != nil {
				w.AssistantProgress(reply)
			}
		}
	}
	reply.Finished = time.Now()
	if reply.ReasoningEnd.IsZero() {
		reply.ReasoningEnd = reply.Finished
	}
	out.finish()
	if w != nil {
		w.AssistantFinished(reply)
	}
	if reply.Turn.Error != nil {
		return oneShotError{reply.Turn.Error}
	}
	return nil
}

// oneShotSession is the conversation a one-shot prompt joins: a new
// session, the one --continue or --session names, or nothing saved with
// --no-save. The returned close flushes the session to disk.
func oneShotSession(ctx context.Context, f chatFlags, b *backend) (*model.Conversation, *store.Writer, func(), error) {
	st, err := openSessionStore(f.sessions)
	if errors.Is(err, store.ErrReadOnly) && !f.sessions.continued && f.sessions.session == "" {
		fmt.Fprintln(os.Stderr, "parley:", notSavedNotice(err)) // it cannot even be created: answer all the same
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
	}
	closeAll := func() {
		switch err := w.Close(); {
		case errors.Is(err, store.ErrReadOnly):
			fmt.Fprintln(os.Stderr, "parley:", notSavedNotice(err))
		case err != nil:
			fmt.Fprintln(os.Stderr, "parley: warning: the session was not saved:", err)
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

// replyWriter prints a streaming reply. On a terminal it renders markdown
// and prints each block as it is finished (a printed line cannot be taken
// back); elsewhere it writes the text as it comes.
type replyWriter struct {
	w       io.Writer
	md      *markdown.Stream
	printed int
	last    byte // the last byte of plain output
}

func newReplyWriter(w io.Writer, theme string) *replyWriter {
	rw := &replyWriter{w: w}
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(f.Fd()) {
		return rw
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil || width < 20 {
		width = 80
	}
	pal := themes.Default(true)
	if p, err := themes.ByName(theme); err == nil {
		pal = p
	}
	r, err := markdown.NewRenderer(themes.NewStyles(pal).Markdown, width)
	if err != nil {
		return rw
	}
	// Styles are full colour; the writer brings them down to what the
	// terminal supports (and strips them for NO_COLOR).
	rw.w = colorprofile.NewWriter(w, os.Environ())
	rw.md = markdown.NewStream(r)
	return rw
}

func (rw *replyWriter) write(delta string) {
	if rw.md == nil {
		if delta != "" {
			io.WriteString(rw.w, delta)
			rw.last = delta[len(delta)-1]
		}
		return
	}
	rw.md.Append(delta)
	lines := rw.md.Lines()
	rw.print(lines[:rw.md.Committed()])
}

func (rw *replyWriter) finish() {
	if rw.md == nil {
		if rw.last != '\n' && rw.last != 0 {
			io.WriteString(rw.w, "\n")
		}
		return
	}
	rw.print(rw.md.Finish())
}

func (rw *replyWriter) print(lines []string) {
	for ; rw.printed < len(lines); rw.printed++ {
		io.WriteString(rw.w, lines[rw.printed]+"\n")
	}
}
