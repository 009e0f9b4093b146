package ui

import (
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// gutter is the column left of every transcript line that shows which
// message has the focus.
const gutter = 2

// transcript is the scrolling view of the conversation: an entry per
// message, in the controller's order, with its rendered lines cached
// (message.go draws them). It owns no message: sync rebuilds the entries
// from the controller's list whenever its version changes, and feeds the
// reply in flight what has arrived since the last frame. Only the rows in
// view are composed for a frame.
type transcript struct {
	entries  []*entry
	byMsg    map[*model.Message]*entry
	version  int // the controller's version the entries match
	renderer *markdown.Renderer
	reasoner *markdown.Renderer // the reasoning pane's (markdown.ReasoningStyle)
	themeID  int
	width    int // content width, gutter excluded

	// The view's top row is line topLine of entry top, so replies above it
	// rendering lazily (and changing height) never move what is in view.
	top     *entry
	topLine int
	follow  bool // stick to the bottom while new text arrives
	focus   int  // focused entry when the transcript has focus; -1 none
	// mark is a message to set apart (a search hit), and words the words
	// to highlight in it.
	mark  *model.Message
	words []string
	// pending is a message to show at the next frame, once its entry and
	// the view's height are known.
	pending *model.Message
	// syncs counts sync calls: a reply still rendering is drawn again once
	// per sync (per Update), not each time the transcript is asked for
	// its rows in between.
	syncs int
}

func newTranscript() *transcript {
	return &transcript{follow: true, focus: -1, byMsg: map[*model.Message]*entry{}, version: -1}
}

// sync makes the entries match the controller's messages, and feeds the
// reply in flight (streaming) its new text; replaced is the controller's
// count of a reply's parts whose final text replaced what streamed.
func (t *transcript) sync(msgs []*model.Message, version int, streaming *model.Message, replaced func(*model.Message) int) {
	t.syncs++
	if version != t.version {
		t.version = version
		var focused *entry
		if t.focus >= 0 && t.focus < len(t.entries) {
			focused = t.entries[t.focus]
		}
		byMsg := make(map[*model.Message]*entry, len(msgs))
		entries := t.entries[:0:0]
		for _, m := range msgs {
			e := t.byMsg[m]
			if e == nil {
				e = t.newEntry(m, m == streaming)
			}
			e.valid = false // a message may have changed (a prompt failed)
			byMsg[m] = e
			entries = append(entries, e)
		}
		t.entries, t.byMsg = entries, byMsg
		t.focus = -1
		for i, e := range entries {
			if e == focused {
				t.focus = i
			}
		}
		if t.top != nil && t.byMsg[t.top.msg] != t.top {
			t.top, t.topLine, t.follow = nil, 0, true
		}
		if t.mark != nil && t.byMsg[t.mark] == nil {
			t.mark, t.words = nil, nil
		}
	}
	for _, e := range t.entries {
		switch {
		case e.msg == streaming:
			e.feed(t.renderer, t.reasoner, replaced(e.msg))
		case e.live:
			e.finish(t.renderer, t.reasoner, replaced(e.msg))
		}
	}
}

// newEntry makes the entry for a message: the reply in flight renders as
// it streams; a finished reply renders when it first comes into view.
func (t *transcript) newEntry(m *model.Message, streaming bool) *entry {
	e := &entry{msg: m}
	if m.Role != model.RoleAssistant {
		return e
	}
	if streaming {
		e.live = true
		return e
	}
	e.lazyText = sanitize.Text(m.Turn.Text)
	return e
}

// setRenderer is called once a resize or theme change has settled, with
// the renderers made for it (r for replies, rr for reasoning). Replies
// still rendering switch renderer at once (their jobs render them again);
// finished replies are returned for a background render, newest first,
// since those are the ones in view.
func (t *transcript) setRenderer(r, rr *markdown.Renderer, themeID int) (stale []*entry) {
	t.renderer, t.reasoner, t.themeID, t.width = r, rr, themeID, r.Width()
	for i := len(t.entries) - 1; i >= 0; i-- {
		e := t.entries[i]
		e.valid = false
		if e.think != nil {
			e.think.SetRenderer(rr)
		}
		e.queued = false // a render for the old renderer is dropped
		switch {
		case e.rendering():
			e.md.SetRenderer(r)
		case e.live:
			// Not fed yet (no renderer until now): its Stream starts
			// with this one.
		case e.msg.Role == model.RoleAssistant && e.lazyText == "":
			stale = append(stale, e)
		}
	}
	return stale
}

// focused is the focused entry, if the transcript has one.
func (t *transcript) focused() *entry {
	if t.focus < 0 || t.focus >= len(t.entries) {
		return nil
	}
	return t.entries[t.focus]
}

// reset forgets the view: another session is on screen.
func (t *transcript) reset() {
	t.top, t.topLine, t.follow, t.focus = nil, 0, true, -1
	t.mark, t.words, t.pending = nil, nil, nil
}

// ensure renders every stale entry and returns the total height.
func (t *transcript) ensure(env *renderEnv) int {
	total := 0
	for _, e := range t.entries {
		if e.reasoning == reasoningExpanded && e.think == nil && !e.live {
			// A finished reply's summary renders when first expanded.
			if e.feedReasoning(t.reasoner); e.think != nil {
				e.think.Finish()
			}
		}
		if !e.valid || e.width != t.width || e.themeID != t.themeID || ((e.live || e.settling) && (e.drawnAt != t.syncs || e.clocked())) {
			e.lines = e.render(t.width, env)
			e.valid, e.width, e.themeID, e.drawnAt = true, t.width, t.themeID, t.syncs
		}
		total += len(e.lines)
	}
	return total
}

// offset is the view's first row, from its anchor.
func (t *transcript) offset(total, height int) int {
	maxOff := max(0, total-height)
	if t.follow || t.top == nil {
		if t.follow {
			return maxOff
		}
		return min(t.topLine, maxOff)
	}
	row := 0
	for _, e := range t.entries {
		if e == t.top {
			return min(max(row+t.topLine, 0), maxOff)
		}
		row += len(e.lines)
	}
	return maxOff
}

// setOffset anchors the view at row off; reaching the bottom follows again.
func (t *transcript) setOffset(off, total, height int) {
	maxOff := max(0, total-height)
	off = min(max(off, 0), maxOff)
	t.follow = off >= maxOff
	row := 0
	for _, e := range t.entries {
		if n := len(e.lines); off < row+n {
			t.top, t.topLine = e, off-row
			return
		}
		row += len(e.lines)
	}
	t.top, t.topLine = nil, off
}

// lazyInView is the lazy replies that overlap the rows in view, not yet
// given to a background render: they render there, the frame never waits
// for them (their estimated rows stand in meanwhile).
func (t *transcript) lazyInView(height int, env *renderEnv) []*entry {
	if t.renderer == nil || height < 1 {
		return nil
	}
	total := t.ensure(env)
	off := t.offset(total, height)
	var out []*entry
	row := 0
	for _, e := range t.entries {
		n := len(e.lines)
		if row+n > off && row < off+height && e.lazyText != "" && !e.queued {
			out = append(out, e)
		}
		row += n
		if row >= off+height {
			break
		}
	}
	return out
}

// view composes the visible rows: focused marks the focused message.
func (t *transcript) view(height int, focused bool, env *renderEnv) []string {
	if m := t.pending; m != nil {
		t.pending = nil
		t.show(m, t.words, height, env)
	}
	total := t.ensure(env)
	off := t.offset(total, height)
	rows := make([]string, 0, height)
	row := 0
	for i, e := range t.entries {
		n := len(e.lines)
		if row+n <= off {
			row += n
			continue
		}
		mark := "  "
		switch {
		case focused && i == t.focus:
			mark = env.st.Transcript.FocusedMessage.Render("▌") + " "
		case e.msg == t.mark:
			mark = env.st.Transcript.Notice.Render("▏") + " "
		}
		for j := max(0, off-row); j < n && len(rows) < height; j++ {
			line := e.lines[j]
			if e.msg == t.mark {
				line = highlight(line, t.words, env.st.Transcript.SelectionHighlight)
			}
			rows = append(rows, mark+line)
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

// total is the height of every entry as last rendered.
func (t *transcript) total() int {
	n := 0
	for _, e := range t.entries {
		n += len(e.lines)
	}
	return n
}

// scroll moves the view by delta rows.
func (t *transcript) scroll(delta, height int) {
	total := t.total()
	t.setOffset(t.offset(total, height)+delta, total, height)
}

// scrollTo goes to the top or, following again, to the bottom.
func (t *transcript) scrollTo(top bool, height int) {
	if top {
		t.setOffset(0, t.total(), height)
		t.follow = false
		return
	}
	t.follow, t.top = true, nil
}

// moveFocus steps the focused message and scrolls it into view.
func (t *transcript) moveFocus(d, height int) {
	if len(t.entries) == 0 {
		return
	}
	if t.focus < 0 {
		t.focus = len(t.entries)
	}
	t.setFocus(min(max(t.focus+d, 0), len(t.entries)-1), height)
}

// setFocus focuses entry i and scrolls it into view.
func (t *transcript) setFocus(i, height int) {
	t.focus = i
	total := t.total()
	top := 0
	for _, e := range t.entries[:i] {
		top += len(e.lines)
	}
	h := len(t.entries[i].lines)
	off := t.offset(total, height)
	switch {
	case top < off:
		off = top
	case top+min(h, height) > off+height:
		off = top + min(h, height) - height
	}
	t.setOffset(off, total, height)
}

// showNext asks the next frame to show m, with words highlighted in it.
func (t *transcript) showNext(m *model.Message, words []string) {
	t.pending, t.words = m, words
}

// show sets a message apart (a search hit) and scrolls so that its first
// highlighted line is in view, a third of the way down. The reply is
// rendered now if it had not been, so the line is known.
func (t *transcript) show(m *model.Message, words []string, height int, env *renderEnv) {
	e := t.byMsg[m]
	if e == nil {
		return
	}
	t.mark, t.words = m, words
	if e.lazyText != "" && t.renderer != nil {
		e.renderLazy(t.renderer)
	}
	t.ensure(env)
	line := 0
	for i, l := range e.lines {
		if highlight(l, words, env.st.Transcript.SelectionHighlight) != l {
			line = i
			break
		}
	}
	t.follow = false
	t.top, t.topLine = e, line-height/3 // may start above the entry
}

// renderEnv is what rendering a message needs besides the message.
type renderEnv struct {
	st        *themes.Styles
	now       time.Time
	failed    *model.Message // the prompt or cut-off reply the retry key applies to
	retryHint string         // "ctrl+r retries", from the keymap
	// unfoldHint and foldHint name the key that unfolds a long prompt
	// and folds it again ("x unfolds").
	unfoldHint, foldHint string
}
