package ui

import (
	"strings"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// gutter is the column left of every transcript line that shows which
// message has the focus.
const gutter = 2

// entry is one message on screen with its rendered lines cached. A
// finished entry renders once per (width, theme); the streaming one
// re-renders only its header, reasoning and footer, since its markdown
// body renders incrementally (ui/markdown).
type entry struct {
	msg       *model.Message
	md        *markdown.Stream // assistant replies only
	reasoning reasoningMode
	streaming bool
	// body is a finished reply's rendered markdown. After a resize it keeps
	// the old width's lines (clipped) until the new ones arrive from a
	// background render (rerender.go).
	body []string
	// lazyText is a reopened reply's markdown, rendered only when the reply
	// first comes into view; until then its height is an estimate.
	lazyText string

	lines   []string
	valid   bool // lines match the current width, theme and content
	width   int
	themeID int
}

// transcript holds the entries and the scroll position. Only the rows in
// view are composed for a frame; heights come from the entries' caches.
type transcript struct {
	entries  []*entry
	renderer *markdown.Renderer
	themeID  int
	width    int // content width, gutter excluded

	offset int  // first visible row
	follow bool // stick to the bottom while new text arrives
	focus  int  // focused entry when the transcript has focus; -1 none
}

func newTranscript() *transcript { return &transcript{follow: true, focus: -1} }

// setRenderer is called once a resize or theme change has settled. The
// streaming reply switches renderer at once; finished replies are returned
// for a background render, newest first, since those are the ones in view.
func (t *transcript) setRenderer(r *markdown.Renderer, themeID int) (stale []*entry) {
	t.renderer, t.themeID, t.width = r, themeID, r.Width()
	for i := len(t.entries) - 1; i >= 0; i-- {
		e := t.entries[i]
		e.valid = false
		switch {
		case e.md != nil && e.streaming:
			e.md.SetRenderer(r)
		case e.md != nil:
			stale = append(stale, e)
		}
	}
	return stale
}

func (t *transcript) add(m *model.Message) *entry {
	e := &entry{msg: m}
	if m.Role == model.RoleAssistant && t.renderer != nil {
		e.md = markdown.NewStream(t.renderer)
		e.streaming = true
	}
	t.entries = append(t.entries, e)
	return e
}

// remove drops an entry (a reply that never started).
func (t *transcript) remove(e *entry) {
	for i, x := range t.entries {
		if x == e {
			t.entries = append(t.entries[:i], t.entries[i+1:]...)
			if t.focus >= len(t.entries) {
				t.focus = len(t.entries) - 1
			}
			return
		}
	}
}

// truncateFrom drops the entry for m and every entry after it.
func (t *transcript) truncateFrom(m *model.Message) {
	for i, e := range t.entries {
		if e.msg == m {
			clear(t.entries[i:])
			t.entries = t.entries[:i]
			t.focus = min(t.focus, len(t.entries)-1)
			t.follow = true
			return
		}
	}
}

func (t *transcript) entryFor(m *model.Message) *entry {
	for i := len(t.entries) - 1; i >= 0; i-- {
		if t.entries[i].msg == m {
			return t.entries[i]
		}
	}
	return nil
}

// ensure renders every stale entry and returns the total height.
func (t *transcript) ensure(st *themes.Styles, now time.Time) int {
	total := 0
	for _, e := range t.entries {
		if !e.valid || e.width != t.width || e.themeID != t.themeID || e.streaming {
			e.lines = e.render(t.width, st, now)
			e.valid, e.width, e.themeID = true, t.width, t.themeID
		}
		total += len(e.lines)
	}
	return total
}

// reset empties the transcript for another session.
func (t *transcript) reset() {
	clear(t.entries)
	t.entries = t.entries[:0]
	t.offset, t.follow, t.focus = 0, true, -1
}

// renderVisibleLazy renders the lazy replies that overlap rows
// [offset, offset+height) and reports whether it rendered any (heights
// changed, so the window must be placed again).
func (t *transcript) renderVisibleLazy(offset, height int) bool {
	if t.renderer == nil {
		return false
	}
	row, any := 0, false
	for _, e := range t.entries {
		n := len(e.lines)
		if row+n > offset && row < offset+height && e.lazyText != "" {
			e.body = t.renderer.Render(e.lazyText)
			e.lazyText = ""
			e.valid = false
			any = true
		}
		row += n
		if row >= offset+height {
			break
		}
	}
	return any
}

// focusMessage focuses m's entry and scrolls it to the top of the view.
func (t *transcript) focusMessage(m *model.Message, height int) {
	top := 0
	for i, e := range t.entries {
		if e.msg == m {
			t.focus, t.offset, t.follow = i, top, false
			return
		}
		top += len(e.lines)
	}
}

// view composes the visible rows.
func (t *transcript) view(height int, focused bool, st *themes.Styles, now time.Time) []string {
	total := t.ensure(st, now)
	// Place the window, render the lazy replies it shows, and place it
	// again with their real heights; a few rounds settle it.
	for range 4 {
		maxOff := max(0, total-height)
		if t.follow {
			t.offset = maxOff
		}
		t.offset = min(max(t.offset, 0), maxOff)
		if !t.renderVisibleLazy(t.offset, height) {
			break
		}
		total = t.ensure(st, now)
	}
	maxOff := max(0, total-height)
	t.offset = min(max(t.offset, 0), maxOff)
	rows := make([]string, 0, height)
	row := 0
	for i, e := range t.entries {
		n := len(e.lines)
		if row+n <= t.offset {
			row += n
			continue
		}
		mark := "  "
		if focused && i == t.focus {
			mark = st.Transcript.FocusedMessage.Render("▌") + " "
		}
		for j := max(0, t.offset-row); j < n && len(rows) < height; j++ {
			rows = append(rows, mark+e.lines[j])
		}
		row += n
		if len(rows) >= height {
			break
		}
	}
	for len(rows) < height {
		rows = append(rows, "")
	}
	return rows
}

// scroll moves the view; reaching the bottom turns following back on.
func (t *transcript) scroll(delta, height int) {
	total := 0
	for _, e := range t.entries {
		total += len(e.lines)
	}
	maxOff := max(0, total-height)
	if t.follow {
		t.offset = maxOff
	}
	t.offset = min(max(t.offset+delta, 0), maxOff)
	t.follow = t.offset >= maxOff
}

func (t *transcript) scrollTo(top bool, height int) {
	if top {
		t.follow = false
		t.offset = 0
		return
	}
	t.follow = true
	t.scroll(0, height)
}

// moveFocus steps the focused message and scrolls it into view.
func (t *transcript) moveFocus(d, height int) {
	if len(t.entries) == 0 {
		return
	}
	if t.focus < 0 {
		t.focus = len(t.entries)
	}
	t.focus = min(max(t.focus+d, 0), len(t.entries)-1)
	top := 0
	for _, e := range t.entries[:t.focus] {
		top += len(e.lines)
	}
	h := len(t.entries[t.focus].lines)
	t.follow = false
	switch {
	case top < t.offset:
		t.offset = top
	case top+min(h, height) > t.offset+height:
		t.offset = top + min(h, height) - height
	}
	t.scroll(0, height)
}

func (t *transcript) focused() *entry {
	if t.focus < 0 || t.focus >= len(t.entries) {
		return nil
	}
	return t.entries[t.focus]
}

// render draws one message at width columns.
func (e *entry) render(width int, st *themes.Styles, now time.Time) []string {
	if width < 1 {
		return nil
	}
	switch e.msg.Role {
	case model.RoleUser:
		return e.renderUser(width, st)
	case model.RoleTool:
		return e.renderToolResult(width, st)
	}
	return e.renderAssistant(width, st, now)
}

func (e *entry) renderUser(width int, st *themes.Styles) []string {
	lines := []string{st.Transcript.UserLabel.Render("You")}
	for _, l := range wrapText(sanitize.Text(e.msg.Text), width) {
		lines = append(lines, st.Transcript.UserText.Render(l))
	}
	if e.msg.Failed && e.msg.Err != nil {
		for _, l := range wrapText("✗ "+sanitize.Text(e.msg.Err.Error())+" · ctrl+r retries", width) {
			lines = append(lines, st.Transcript.ErrorBlock.Render(l))
		}
	}
	return append(lines, "")
}

func (e *entry) renderAssistant(width int, st *themes.Styles, now time.Time) []string {
	m := e.msg
	label := st.Transcript.AssistantLabel.Render("Parley")
	if name := modelName(m); name != "" {
		label += " " + st.Transcript.MessageMeta.Render(sanitize.Text(name))
	}
	lines := []string{fit(label, width)}
	lines = append(lines, reasoningView{msg: m, mode: e.reasoning, streaming: e.streaming}.render(width, st, now)...)
	switch {
	case e.md != nil && e.streaming:
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
	if r := m.Turn.Refusal; r != "" {
		for _, l := range wrapText("Refused: "+sanitize.Text(r), width) {
			lines = append(lines, st.Transcript.ErrorBlock.Render(l))
		}
	}
	lines = append(lines, citations(m, width, st)...)
	if calls := toolSummary(m, e.streaming); calls != "" {
		for _, l := range wrapText(calls, width) {
			lines = append(lines, st.Transcript.Notice.Render(l))
		}
	}
	lines = append(lines, e.footer(width, st)...)
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
		line := "[" + itoa(len(seen)) + "] " + title + " — " + sanitize.Text(a.URL)
		for _, l := range wrapText(line, width) {
			out = append(out, st.Transcript.Notice.Render(l))
		}
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
// has all of it).
func (e *entry) renderToolResult(width int, st *themes.Styles) []string {
	m := e.msg
	mark, style := "✓", st.Transcript.Notice
	if m.ToolFailed {
		mark, style = "✗", st.Transcript.ErrorBlock
	}
	out := strings.TrimSpace(sanitize.Text(m.Text))
	if i := strings.IndexByte(out, '\n'); i >= 0 {
		out = out[:i] + " …"
	}
	line := "⚙ " + sanitize.Text(m.ToolName) + " " + mark + " " + formatSeconds(m.Duration) + " → " + out
	return []string{fit(style.Render(line), width), ""}
}

// footer says how a reply ended when it did not simply complete.
func (e *entry) footer(width int, st *themes.Styles) []string {
	m := e.msg
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
	var out []string
	for _, l := range wrapText(note, width) {
		if m.Cancelled {
			out = append(out, st.Transcript.Notice.Render(l))
		} else {
			out = append(out, st.Transcript.ErrorBlock.Render(l))
		}
	}
	return out
}

// modelName is the model that answered, or the one asked for.
func modelName(m *model.Message) string {
	if m.Turn != nil && m.Turn.Model != "" {
		return m.Turn.Model
	}
	return m.Model
}

// finish freezes a reply: the markdown tail renders once, the entry stops
// re-rendering every frame.
func (e *entry) finish() {
	if e.md != nil {
		e.body = e.md.Finish()
	}
	e.streaming = false
	e.valid = false
}
