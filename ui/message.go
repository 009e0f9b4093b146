package ui

import (
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// entry is one message on screen with its rendered lines cached. A
// finished entry renders once per (width, theme); the reply in flight
// re-renders only its header, reasoning and footer, since its markdown body
// renders incrementally (ui/markdown).
type entry struct {
	msg       *model.Message
	md        *markdown.Stream // a reply's markdown, once rendered
	live      bool             // the reply in flight
	fed       int              // bytes of the reply's text given to md
	reasoning reasoningMode
	// body is a finished reply's rendered markdown. After a resize it keeps
	// the old width's lines (clipped) until the new ones arrive from a
	// background render (rerender.go).
	body []string
	// lazyText is a finished reply's markdown not rendered yet: it renders
	// when it first comes into view; until then its height is an estimate.
	lazyText string

	lines   []string
	valid   bool // lines match the current width, theme and content
	width   int
	themeID int

	// lines[bodyAt:bodyEnd] are the message's own text (a prompt's, a
	// reply's markdown), which a mouse selection is anchored to.
	bodyAt, bodyEnd int
}

// feed gives the reply in flight the text that arrived since the last frame.
func (e *entry) feed(r *markdown.Renderer) {
	if e.md == nil {
		if r == nil {
			return // no width yet: the text waits in the message
		}
		e.md = markdown.NewStream(r)
	}
	if text := e.msg.Turn.Text; len(text) > e.fed {
		e.md.Append(sanitize.Text(text[e.fed:]))
		e.fed = len(text)
	}
}

// finishInline is the most lines of open tail a finished reply renders on
// the UI goroutine; a longer tail (a reply cut off in one huge paragraph)
// renders in the background, so the frame that shows the reply ended (a
// cancel taking effect) never waits for glamour.
const finishInline = 400

// finish freezes a reply: the markdown tail renders once, the entry stops
// re-rendering every frame. It reports true when the render is left to the
// background (the entry shows its lines as they were until it arrives).
func (e *entry) finish() (background bool) {
	e.live = false
	e.valid = false
	if e.md == nil {
		e.lazyText = sanitize.Text(e.msg.Turn.Text)
		return false
	}
	if text := e.msg.Turn.Text; len(text) > e.fed {
		e.md.Append(sanitize.Text(text[e.fed:]))
		e.fed = len(text)
	}
	if lines := e.md.Lines(); len(lines)-e.md.Committed() > finishInline {
		e.body = append([]string(nil), lines...)
		return true
	}
	e.body = e.md.Finish()
	return false
}

// renderLazy renders a finished reply that comes into view. Its Stream is
// kept for its code blocks.
func (e *entry) renderLazy(r *markdown.Renderer) {
	e.md = markdown.NewStream(r)
	e.md.Append(e.lazyText)
	e.body = e.md.Finish()
	e.lazyText = ""
	e.valid = false
}

// render draws one message at width columns.
func (e *entry) render(width int, env *renderEnv) []string {
	if width < 1 {
		return nil
	}
	switch e.msg.Role {
	case model.RoleUser:
		return e.renderUser(width, env)
	case model.RoleTool:
		return renderToolResult(e.msg, width, env.st)
	}
	return e.renderAssistant(width, env)
}

func (e *entry) renderUser(width int, env *renderEnv) []string {
	st := env.st
	lines := []string{st.Transcript.UserLabel.Render("You")}
	for _, l := range wrapText(sanitize.Text(e.msg.Text), width) {
		lines = append(lines, st.Transcript.UserText.Render(l))
	}
	e.bodyAt, e.bodyEnd = 1, len(lines)
	if e.msg.Failed && e.msg.Err != nil {
		note := "✗ " + sanitize.Text(e.msg.Err.Error())
		if e.msg == env.failed && env.retryHint != "" {
			note += " · " + env.retryHint
		}
		for _, l := range wrapText(note, width) {
			lines = append(lines, st.Transcript.ErrorBlock.Render(l))
		}
	}
	return append(lines, "")
}

func (e *entry) renderAssistant(width int, env *renderEnv) []string {
	m, st := e.msg, env.st
	label := st.Transcript.AssistantLabel.Render("Parley")
	if name := chat.ModelName(m); name != "" {
		label += " " + st.Transcript.MessageMeta.Render(sanitize.Text(name))
	}
	lines := []string{fit(label, width)}
	lines = append(lines, reasoningView{msg: m, mode: e.reasoning, streaming: e.live}.render(width, st, env.now)...)
	e.bodyAt = len(lines)
	switch {
	case e.live && e.md != nil:
		lines = append(lines, e.md.Lines()...)
	case e.lazyText != "":
		// Not rendered yet: blank rows of about the height it will have.
		est := strings.Count(e.lazyText, "\n") + len(e.lazyText)/max(width, 1) + 1
		lines = append(lines, make([]string, est)...)
	default:
		for _, l := range e.body {
			lines = append(lines, fit(l, width))
		}
	}
	e.bodyEnd = len(lines)
	if r := m.Turn.Refusal; r != "" {
		for _, l := range wrapText("Refused: "+sanitize.Text(r), width) {
			lines = append(lines, st.Transcript.ErrorBlock.Render(l))
		}
	}
	lines = append(lines, citations(m, width, st)...)
	if calls := toolSummary(m, e.live); calls != "" {
		for _, l := range wrapText(calls, width) {
			lines = append(lines, st.Transcript.Notice.Render(l))
		}
	}
	lines = append(lines, footer(m, width, st)...)
	return append(lines, "")
}

// citations lists the reply's url citations as numbered links, each
// source once.
func citations(m *model.Message, width int, st *themes.Styles) []string {
	var out []string
	seen := map[string]bool{}
	for _, a := range m.Turn.Annotations {
		if a.Type != "url_citation" || a.URL == "" || seen[a.URL] {
			continue
		}
		seen[a.URL] = true
		if len(out) == 0 {
			out = append(out, st.Transcript.MessageMeta.Render("Sources"))
		}
		title := sanitize.Text(a.Title)
		if title == "" {
			title = sanitize.Text(a.URL)
		}
		u := sanitize.Text(a.URL)
		line := "[" + itoa(len(seen)) + "] " + title + " — " + u
		out = append(out, linkRows(wrapText(line, width), u, st.Transcript.Notice)...)
	}
	return out
}

// toolSummary names the calls a reply made; their arguments are in the
// sidebar.
func toolSummary(m *model.Message, streaming bool) string {
	var names []string
	for _, c := range m.Turn.ToolCalls {
		names = append(names, sanitize.Text(c.Name))
	}
	for _, c := range m.Turn.HostedCalls {
		names = append(names, strings.TrimSuffix(c.Type, "_call"))
	}
	if len(names) == 0 {
		return ""
	}
	if streaming {
		return "⚙ calling " + strings.Join(names, ", ")
	}
	return "⚙ called " + strings.Join(names, ", ")
}

// renderToolResult shows a tool call's result in one line: the tool, how
// it went, how long it took, and the start of its output (the sidebar card
// has all of it). A call that never ran says so once, and nothing more.
func renderToolResult(m *model.Message, width int, st *themes.Styles) []string {
	name := "⚙ " + sanitize.Text(m.ToolName)
	var line string
	style := st.Transcript.Notice
	switch m.Text {
	case chat.DeniedOutput:
		line = name + " ⊘ denied"
	case chat.CancelledOutput:
		line = name + " ⊘ cancelled before it ran"
	default:
		mark := "✓"
		if m.ToolFailed {
			mark, style = "✗", st.Transcript.ErrorBlock
		}
		out := strings.TrimSpace(sanitize.Text(m.Text))
		if i := strings.IndexByte(out, '\n'); i >= 0 {
			out = out[:i] + " …"
		}
		line = name + " " + mark + " " + formatSeconds(m.Duration) + " → " + out
	}
	return []string{fit(style.Render(line), width), ""}
}

// footer says how a reply ended when it did not simply complete.
func footer(m *model.Message, width int, st *themes.Styles) []string {
	var note string
	switch {
	case m.Cancelled:
		note = "⊘ cancelled · the reply so far is kept"
	case m.Turn.Error != nil:
		note = "✗ " + sanitize.Text(m.Turn.Error.Error())
	case m.Turn.Status == "incomplete":
		note = "… stopped early: " + strings.ReplaceAll(m.Turn.IncompleteReason, "_", " ")
	default:
		return nil
	}
	style := st.Transcript.ErrorBlock
	if m.Cancelled {
		style = st.Transcript.Notice
	}
	var out []string
	for _, l := range wrapText(note, width) {
		out = append(out, style.Render(l))
	}
	return out
}

// highlight marks every occurrence of words (case folded) in a styled line.
func highlight(line string, words []string, style lipgloss.Style) string {
	if len(words) == 0 {
		return line
	}
	plain := strings.ToLower(ansi.Strip(line))
	type span struct{ start, end int }
	var spans []span
	for _, w := range words {
		w = strings.ToLower(w)
		for from := 0; w != ""; {
			i := strings.Index(plain[from:], w)
			if i < 0 {
				break
			}
			start := from + i
			spans = append(spans, span{ansi.StringWidth(plain[:start]), ansi.StringWidth(plain[:start+len(w)])})
			from = start + len(w)
		}
	}
	if len(spans) == 0 {
		return line
	}
	// In order and without overlaps, as StyleRanges needs them.
	for i := 1; i < len(spans); i++ {
		for j := i; j > 0 && spans[j].start < spans[j-1].start; j-- {
			spans[j], spans[j-1] = spans[j-1], spans[j]
		}
	}
	var ranges []lipgloss.Range
	end := -1
	for _, s := range spans {
		if s.start < end {
			continue
		}
		ranges = append(ranges, lipgloss.NewRange(s.start, s.end, style))
		end = s.end
	}
	return lipgloss.StyleRanges(line, ranges...)
}
