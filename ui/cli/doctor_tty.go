package cli

import (
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
	"github.com/muesli/cancelreader"
	"github.com/spf13/cobra"
)

// Bounds on asking the terminal and tmux. Every terminal answers the
// device attributes request that ends a query, so the wait ends as soon as
// it does; the timeout is for terminals that answer nothing at all.
const (
	queryTimeout = time.Second
	tmuxTimeout  = 2 * time.Second
)

// The query: background colour (OSC 11), kitty keyboard flags (CSI ? u),
// then primary device attributes (CSI c). Terminals answer in order.
const termQuery = "\x1b]11;?\x07" + "\x1b[?u" + "\x1b[c"

var (
	osc11Reply = regexp.MustCompile(`\x1b\]11;([^\x07\x1b]*)(?:\x07|\x1b\\)`)
	kittyReply = regexp.MustCompile(`\x1b\[\?(\d+)u`)
	da1Reply   = regexp.MustCompile(`\x1b\[\?[\d;]*c`)
)

// tty is the real terminal: the command's standard output, asked through
// its standard input.
type tty struct {
	in, out *os.File // nil when not files
	environ []string
	getenv  func(string) string

	once    sync.Once
	replies termReplies
	err     error
}

// termReplies is what the terminal answered to termQuery.
type termReplies struct {
	background color.Color // nil: no OSC 11 reply
	kitty      bool
	kittyFlags int
}

func newTTY(cmd *cobra.Command, environ []string, getenv func(string) string) *tty {
	t := &tty{environ: environ, getenv: getenv}
	t.in, _ = cmd.InOrStdin().(*os.File)
	t.out, _ = cmd.OutOrStdout().(*os.File)
	return t
}

func (t *tty) IsTerminal() bool { return t.out != nil && term.IsTerminal(t.out.Fd()) }

func (t *tty) Size() (int, int, error) { return term.GetSize(t.out.Fd()) }

func (t *tty) ColorProfile() colorprofile.Profile { return colorprofile.Detect(t.out, t.environ) }

func (t *tty) Background() (color.Color, error) {
	r, err := t.query()
	return r.background, err
}

func (t *tty) KittyKeyboard() (bool, int, error) {
	r, err := t.query()
	return r.kitty, r.kittyFlags, err
}

func (t *tty) Tmux(args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), tmuxTimeout)
	defer cancel()
	c := exec.CommandContext(ctx, "tmux", args...)
	c.WaitDelay = time.Second
	out, err := c.Output()
	if ctx.Err() != nil {
		return "", fmt.Errorf("tmux did not answer within %v", tmuxTimeout)
	}
	return strings.TrimSpace(string(out)), err
}

// query asks the terminal once, for every check that needs its answers.
func (t *tty) query() (termReplies, error) {
	t.once.Do(func() {
		if t.in == nil || !term.IsTerminal(t.in.Fd()) {
			t.err = errors.New("the input is not a terminal, so its answers cannot be read")
			return
		}
		t.replies, t.err = queryTerminal(t.in, t.out, queryTimeout)
	})
	return t.replies, t.err
}

// queryTerminal writes termQuery and reads the answers in raw mode (so
// they are neither echoed nor held for a newline) until the device
// attributes reply or the timeout. The terminal's mode is restored before
// it returns.
func queryTerminal(in, out *os.File, timeout time.Duration) (termReplies, error) {
	state, err := term.MakeRaw(in.Fd())
	if err != nil {
		return termReplies{}, fmt.Errorf("cannot put the terminal in raw mode: %w", err)
	}
	defer term.Restore(in.Fd(), state)
	r, err := cancelreader.NewReader(in)
	if err != nil {
		return termReplies{}, err
	}
	defer r.Close()
	timer := time.AfterFunc(timeout, func() { r.Cancel() })
	defer timer.Stop()

	if _, err := io.WriteString(out, termQuery); err != nil {
		return termReplies{}, err
	}
	var buf []byte
	chunk := make([]byte, 256)
	for {
		n, err := r.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if da1Reply.Match(buf) {
			return parseReplies(buf), nil
		}
		if errors.Is(err, cancelreader.ErrCanceled) {
			if len(buf) == 0 {
				return termReplies{}, fmt.Errorf("no answer within %v", timeout)
			}
			return parseReplies(buf), nil
		}
		if err != nil {
			return parseReplies(buf), err
		}
	}
}

// parseReplies picks the answers to termQuery out of what the terminal
// sent; anything else (a key typed meanwhile) is ignored.
func parseReplies(buf []byte) termReplies {
	var r termReplies
	if m := osc11Reply.FindSubmatch(buf); m != nil {
		r.background = ansi.XParseColor(string(m[1]))
	}
	if m := kittyReply.FindSubmatch(buf); m != nil {
		r.kitty = true
		r.kittyFlags, _ = strconv.Atoi(string(m[1]))
	}
	return r
}
