package ui

import (
	"cmp"
	"strings"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// entry is one message on screen with its rendered lines cached. A
// finished entry renders once per (width, theme); the reply in flight
// re-renders only its header, reasoning and footer, since its markdown body
// renders incrementally (ui/markdown, and entry_md.go for its life cycle).
type entry struct {
	msg *model.Message
	md  *markdown.Stream // a reply's markdown, once rendered
	// live: the reply in flight, fed as it streams; settling: finished,
	// with some of its blocks still rendering in the background, so its
	// rows come from md until md is done and they freeze into body.
	live, settling bool
	fed            int // bytes of the reply's text given to md
	replaced       int // the controller's Replaced count md was fed at
	// think is the reply's reasoning summary, rendered for its pane.
	think     *markdown.Reasoning
	reasoning reasoningMode
	unfolded  bool // a long prompt shown whole
	// body is a finished reply's rendered markdown. After a resize it keeps
	// the old width's lines (clipped) until the new ones arrive from a
	// background render (rerender.go).
	body []string
	// lazyText is a finished reply's markdown not rendered yet: it renders
	// in the background when it first comes into view (queued: it is
	// rendering); until then its height is an estimate.
	lazyText string
	queued   bool

	lines   []string
	fitted  fitCache // the Stream's rows cut to the width, while it renders
	drawnAt int      // the transcript's syncs when a rendering reply was last drawn
	valid   bool     // lines match the current width, theme and content
	width   int
	themeID int

	// lines[bodyAt:bodyEnd] are the message's own text (a prompt's, a
	// reply's markdown), which a mouse selection is anchored to.
	bodyAt, bodyEnd int
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
	lines = append(lines, e.promptLines(width, env)...)
	e.bodyAt, e.bodyEnd = 1, len(lines)
	lines = append(lines, chipLines(e.msg.Attachments, width, st)...)
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
	var lines []string
	if e.live || e.settling {
		// Drawn again every Update while it renders: its last rows' array
		// is reused (nothing keeps them past a frame).
		lines = e.lines[:0]
	}
	lines = append(lines, fit(label, width))
	lines = append(lines, e.reasoningView().render(width, st, env.now)...)
	e.bodyAt = len(lines)
	switch {
	case (e.live || e.settling) && e.md != nil:
		lines = append(lines, e.fitted.fit(e.md.Lines(), width)...)
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
	retry := ""
	if m == env.failed {
		retry = env.retryHint
	}
	lines = append(lines, footer(m, width, st, retry)...)
	return append(lines, "")
}

// citations lists the sources of a reply as numbered lines, each source
// once: its url citations, then what its web searches consulted (a
// recorded search reports sources that no citation names).
func citations(m *model.Message, width int, st *themes.Styles) []string {
	var out []string
	seen := map[string]bool{}
	add := func(key, line string) {
		if key == "" || seen[key] {
			return
		}
		seen[key] = true
		if len(out) == 0 {
			out = append(out, st.Transcript.MessageMeta.Render("Sources"))
		}
		// The row that ends with the source's address links to it (only
		// http and https become links: linkRows checks).
		out = append(out, linkRows(wrapText("["+itoa(len(seen))+"] "+line, width), sanitize.Text(key), st.Transcript.Notice)...)
	}
	for _, a := range m.Turn.Annotations {
		if a.Type != "url_citation" || a.URL == "" {
			continue
		}
		title := cmp.Or(sanitize.Text(a.Title), sanitize.Text(a.URL))
		add(a.URL, title+" — "+sanitize.Text(a.URL))
	}
	for _, src := range searchSources(m.Turn.Items) {
		add(cmp.Or(src.URL, src.Name), src.line())
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

// footer says how a reply ended when it did not simply complete; retry is
// the retry key's hint for a reply cut off mid-stream, "" for others.
func footer(m *model.Message, width int, st *themes.Styles, retry string) []string {
	var note string
	switch {
	case m.Cancelled:
		note = "⊘ cancelled · the reply so far is kept"
	case m.Turn.IncompleteReason == stream.ReasonReplyLimit:
		// Parley's own limit, not the server's failure: what arrived is
		// the reply, and the setting that raises the limit is named.
		note = "✂ cut at Parley's limit for one reply; what arrived is kept"
		if m.Turn.Error != nil {
			note = "✂ " + sanitize.Text(m.Turn.Error.Message)
		}
		note += " (--max-reply-size or max_reply_size raises the limit)"
	case m.Turn.Error != nil:
		note = "✗ " + sanitize.Text(m.Turn.Error.Error())
		if retry != "" {
			note += " · " + retry
		}
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

// fitCache keeps rows cut to a width (fit) between frames: a streaming
// reply's rows are the same strings frame after frame but for the last few,
// and measuring every row's width each frame made a long reply's frames
// cost more as it grew (two thirds of the CPU of a 64 KB reply).
type fitCache struct {
	width int
	src   []string // the rows last fitted
	out   []string // src[i] cut to width
}

// fit returns rows cut to width, measuring only rows that are not the
// same as last time. The result is the cache's own: copy it to keep it.
func (c *fitCache) fit(rows []string, width int) []string {
	if width != c.width {
		c.width, c.src, c.out = width, c.src[:0], c.out[:0]
	}
	same := 0
	for same < len(rows) && same < len(c.src) && rows[same] == c.src[same] {
		same++ // equal strings of the same row are usually one pointer
	}
	c.src = append(c.src[:same], rows[same:]...)
	c.out = c.out[:same]
	for _, l := range rows[same:] {
		c.out = append(c.out, fit(l, width))
	}
	return c.out
}
