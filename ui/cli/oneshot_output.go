package cli

import (
	"io"
	"os"

	"charm.land/glamour/v2/ansi"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/term"

	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/markdown"
)

// answerWriter prints -p's answer to stdout. On a terminal it renders
// markdown and prints each block once finished (a printed line cannot be
// taken back); elsewhere it writes the text as it comes. Replies of one
// run (text before a tool call, the answer after it) are separated by a
// blank line.
type answerWriter struct {
	w        io.Writer
	renderer *markdown.Renderer // nil: plain text
	// before, when set, runs before anything is written: on a terminal it
	// erases the progress line, which shares the screen.
	before func()

	md      *markdown.Stream // the current reply's, on a terminal
	printed int              // lines of md printed
	last    byte             // the last byte of plain output
	wrote   bool             // the current reply printed something
	any     bool             // some reply printed something
}

func newAnswerWriter(w io.Writer, theme string, environ []string, before func()) *answerWriter {
	aw := &answerWriter{w: w, before: before}
	f, ok := w.(*os.File)
	if !ok || !isTerminal(f) {
		return aw
	}
	width, _, err := term.GetSize(f.Fd())
	if err != nil || width < 20 {
		width = 80
	}
	pal := themes.Default(true)
	if p, err := themes.ByName(theme); err == nil {
		pal = p
	}
	env := colourEnviron(environ)
	style := themes.NewStyles(pal).Markdown
	if colorprofile.Detect(f, env) <= colorprofile.ASCII {
		style = colourless(style)
	}
	r, err := markdown.NewRenderer(style, width)
	if err != nil {
		return aw
	}
	// Styles are full colour; the writer brings them down to what the
	// terminal supports (and strips colour for NO_COLOR, any value).
	aw.w = colorprofile.NewWriter(w, env)
	aw.renderer = r
	return aw
}

// colourless marks in text what the style marks with a background
// colour, which NO_COLOR or TERM=dumb strips: the top heading is a
// banner of colour without its "# ", and inline code a pill padded with
// spaces, so without colour the one read as a paragraph and the other as
// words set apart by odd gaps.
func colourless(style ansi.StyleConfig) ansi.StyleConfig {
	style.H1.Prefix, style.H1.Suffix, style.H1.BackgroundColor = "# ", "", nil
	style.Code.Prefix, style.Code.Suffix, style.Code.BackgroundColor = "`", "`", nil
	return style
}

// terminal says the answer is rendered for a terminal.
func (aw *answerWriter) terminal() bool { return aw.renderer != nil }

// startReply begins the next reply's text.
func (aw *answerWriter) startReply() {
	aw.wrote, aw.last, aw.printed = false, 0, 0
	if aw.renderer != nil {
		aw.md = markdown.NewStream(aw.renderer)
	}
}

// write adds text (already sanitised) to the current reply.
func (aw *answerWriter) write(delta string) {
	if delta == "" {
		return
	}
	if !aw.wrote && aw.any { // a reply before this one printed: set them apart
		aw.emit("\n")
	}
	aw.wrote, aw.any = true, true
	if aw.md == nil {
		aw.emit(delta)
		aw.last = delta[len(delta)-1]
		return
	}
	aw.md.Append(delta)
	aw.print(aw.md.CommittedLines()) // not Lines: that renders the open block, which is never printed
}

// finishReply prints what the current reply still holds and ends its
// last line.
func (aw *answerWriter) finishReply() {
	if !aw.wrote {
		return
	}
	if aw.md == nil {
		if aw.last != '\n' {
			aw.emit("\n")
		}
		return
	}
	aw.print(aw.md.Finish())
}

func (aw *answerWriter) print(lines []string) {
	for ; aw.printed < len(lines); aw.printed++ {
		aw.emit(lines[aw.printed] + "\n")
	}
}

func (aw *answerWriter) emit(s string) {
	if aw.before != nil {
		aw.before()
	}
	io.WriteString(aw.w, s)
}
