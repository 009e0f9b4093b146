package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
)

const (
	mousePara = "Parley keeps finished blocks frozen and cached by width and theme, renders only the open tail " +
		"of the message, and coalesces bursts of deltas into at most one repaint per frame, so that a fast model feels smooth."
	mouseCode = "func main() {\n    if err := run(os.Args[1:]); err != nil {\n" +
		"        fmt.Fprintln(os.Stderr, \"parley: something went wrong while reading the configuration file\", err)\n    }\n}"
	mouseReply = "A first paragraph to start.\n\n" + mousePara + "\n\n```go\n" + mouseCode + "\n```\n\nThe end."
)

// mouseChat is a chat with mouseReply on screen at w×h; with sidebar, the
// reply also made a tool call, so the sidebar column shows beside it.
func mouseChat(t *testing.T, w, h int, sidebar bool) *Model {
	t.Helper()
	deps := Deps{Mouse: true}
	if sidebar {
		deps.Tools, deps.Yolo = (&ranTool{}).registry("calc"), true
	}
	m, c := newTestModel(t, w, h, deps)
	sendPrompt(t, m, "show me")
	cs := []stream.Choice{text(mouseReply)}
	if sidebar {
		cs = append(cs, toolCall("fc", "calc", `{"expression": "2+2"}`, `{"expression": "2+2"}`)...)
	}
	runResults(m, m.chatFeed(c, append(cs, done(stream.StatusCompleted))...))
	if got := m.layout.sidebar.w > 0 && !m.layout.drawer; got != sidebar {
		t.Fatalf("%dx%d: sidebar column shown %v, want %v", w, h, got, sidebar)
	}
	return m
}

var mouseLayouts = []struct {
	w       int
	sidebar bool
}{{50, false}, {80, false}, {120, true}, {160, true}, {160, false}}

// Dragging over a paragraph that wraps over several rows copies it as one
// line, whatever the width and whether the sidebar is beside it; while the
// button is down the selection is drawn.
func TestDragCopiesAWrappedParagraphAsOneLine(t *testing.T) {
	for _, l := range mouseLayouts {
		m := mouseChat(t, l.w, 70, l.sidebar)
		x1, y1 := findOnScreen(t, m, "Parley keeps")
		x2, y2 := lastCell(t, m, "smooth.")
		if y2 == y1 {
			t.Fatalf("width %d: the paragraph is on one row", l.w)
		}
		mousePress(m, x1, y1)
		mouseMove(m, x2, y2)
		sgr := strings.TrimSuffix(m.look.styles.Transcript.SelectionHighlight.Render("x"), "x\x1b[m")
		if rows := strings.Split(m.Render(), "\n"); !strings.Contains(rows[y1], sgr+"Parley keeps") {
			t.Errorf("width %d: the selection is not drawn:\n%q", l.w, rows[y1])
		}
		if got := copied(t, m, mouseRelease(m, x2, y2)); got != mousePara {
			t.Errorf("width %d, sidebar %v: copied\n%q\nwant\n%q", l.w, l.sidebar, got, mousePara)
		}
		mustContain(t, screen(m), "Copied "+itoa(len(mousePara))+" characters ("+itoa(len(mousePara))+" B) to the clipboard")
	}
}

// A code block copies verbatim: its indent, and a long line wrapped on
// screen as one line.
func TestDragCopiesCodeVerbatim(t *testing.T) {
	wrapped := false
	for _, l := range mouseLayouts {
		m := mouseChat(t, l.w, 70, l.sidebar)
		x1, y1 := findOnScreen(t, m, "func main")
		_, y2 := findOnScreen(t, m, "    }")
		x2, y2 := x1, y2+1 // the last line, "}"
		wrapped = wrapped || y2-y1 > strings.Count(mouseCode, "\n")
		if got := dragCopy(t, m, x1, y1, x2, y2); got != mouseCode {
			t.Errorf("width %d, sidebar %v: copied\n%s\nwant\n%s", l.w, l.sidebar, got, mouseCode)
		}
	}
	if !wrapped {
		t.Error("no width wrapped the long code line")
	}
}

// A drag from the middle of one message into the next copies both, as
// they read, the prompt's text from where the drag began.
func TestDragAcrossMessages(t *testing.T) {
	m := mouseChat(t, 80, 70, false)
	x1, y1 := findOnScreen(t, m, "me") // "show me"
	x2, y2 := lastCell(t, m, "start.")
	if got, want := dragCopy(t, m, x1, y1, x2, y2), "me\n\nParley gpt-5\nA first paragraph to start."; got != want {
		t.Errorf("copied %q, want %q", got, want)
	}
}

// Two clicks select a word, three the line of text it is on (all its
// rows) or the whole code block, and the selection is copied.
func TestDoubleAndTripleClick(t *testing.T) {
	for _, l := range mouseLayouts {
		m := mouseChat(t, l.w, 70, l.sidebar)
		x, y := findOnScreen(t, m, "frozen")
		if got := clicks(t, m, x+2, y, 2); got != "frozen" {
			t.Errorf("width %d: double click copied %q", l.w, got)
		}
		m.mouse.lastClick = m.mouse.lastClick.Add(-time2s) // the next clicks start afresh
		x, y = findOnScreen(t, m, "message,")
		if got := clicks(t, m, x, y, 2); got != "message" {
			t.Errorf("width %d: double click on a word before a comma copied %q", l.w, got)
		}
		m.mouse.lastClick = m.mouse.lastClick.Add(-time2s)
		x, y = lastCell(t, m, "smooth.")
		if got := clicks(t, m, x, y, 3); got != mousePara {
			t.Errorf("width %d: triple click on the paragraph copied %q", l.w, got)
		}
		m.mouse.lastClick = m.mouse.lastClick.Add(-time2s)
		x, y = findOnScreen(t, m, "nil {")
		if got := clicks(t, m, x, y, 3); got != mouseCode {
			t.Errorf("width %d: triple click in the code copied\n%s", l.w, got)
		}
	}
}

// The selection is anchored to the text, not to the screen: it survives
// the reply streaming on (while the button is down the view holds still;
// after, it follows the bottom again and the selection moves with its
// text), and copies what was selected.
func TestSelectionSurvivesAStreamingReply(t *testing.T) {
	for _, w := range []int{60, 100} {
		m, c := newTestModel(t, w, 24, Deps{Mouse: true})
		sendPrompt(t, m, "go on")
		feed(m, c.t, text("Intro.\n\n"+mousePara+"\n\nA second paragraph is still being wr"))
		x1, y1 := findOnScreen(t, m, "Parley keeps")
		x2, y2 := lastCell(t, m, "smooth.")
		mousePress(m, x1, y1)
		mouseMove(m, x2, y2)
		for i := range 20 {
			feed(m, c.t, text("itten, line "+itoa(i)+".\n\nMore"))
			m.Render()
		}
		if x, y := findOnScreen(t, m, "Parley keeps"); x != x1 || y != y1 {
			t.Errorf("width %d: the text moved under the held button, from %d,%d to %d,%d", w, x1, y1, x, y)
		}
		mouseMove(m, x2, y2)
		if got := copied(t, m, mouseRelease(m, x2, y2)); got != mousePara {
			t.Errorf("width %d: copied %q while the reply streamed", w, got)
		}
		for i := range 20 {
			feed(m, c.t, text(" text "+itoa(i)+"\n\nand more"))
			m.Render()
		}
		if !m.transcript.follow {
			t.Errorf("width %d: the view stopped following the reply after the drag", w)
		}
		if got := m.selectedText(); got != mousePara {
			t.Errorf("width %d: after more text the selection is %q", w, got)
		}
		feed(m, c.t, done(stream.StatusCompleted))
		if got := m.selectedText(); got != mousePara {
			t.Errorf("width %d: after the reply ended the selection is %q", w, got)
		}
	}
}

// Held at the top row, a drag scrolls the transcript up, a row at a
// time, and the selection grows with the text that comes into view.
func TestDragScrollsAtTheEdge(t *testing.T) {
	m, c := newTestModel(t, 80, 20, Deps{Mouse: true})
	sendPrompt(t, m, "count")
	var b strings.Builder
	for i := range 40 {
		b.WriteString("Line " + itoa(i) + " of the count.\n\n")
	}
	feed(m, c.t, text(b.String()), done(stream.StatusCompleted))
	x, y := findOnScreen(t, m, "Line 39")
	top := findLine(m, "Line ")
	mousePress(m, x+len("Line 39 of the count.")-1, y)
	cmd := mouseMove(m, 0, 0)
	if cmd == nil {
		t.Fatal("holding at the top row started no scrolling")
	}
	for range 6 {
		m.Update(edgeTickMsg{m.mouse.edgeSeq})
		m.Render()
	}
	if got := findLine(m, "Line "); got >= top {
		t.Fatalf("the first line on screen is still Line %d (was %d)", got, top)
	}
	got := copied(t, m, mouseRelease(m, 0, 0))
	if !strings.HasSuffix(got, "Line 39 of the count.") || !strings.Contains(got, "Line "+itoa(top-1)+" of the count.") {
		t.Errorf("copied %q", got)
	}
}

// findLine is the number of the first "Line N" on screen.
func findLine(m *Model, prefix string) int {
	for _, l := range strings.Split(screen(m), "\n") {
		if i := strings.Index(l, prefix); i >= 0 {
			n := 0
			for _, r := range l[i+len(prefix):] {
				if r < '0' || r > '9' {
					break
				}
				n = n*10 + int(r-'0')
			}
			return n
		}
	}
	return -1
}

// esc and a click elsewhere clear the selection; nothing is copied by a
// plain click.
func TestEscAndAClickClearTheSelection(t *testing.T) {
	m := mouseChat(t, 80, 70, false)
	x, y := findOnScreen(t, m, "frozen")
	clicks(t, m, x, y, 2)
	if m.mouse.sel == nil {
		t.Fatal("no selection after a double click")
	}
	focus := m.focus
	press(m, keyEsc)
	if m.mouse.sel != nil {
		t.Error("esc kept the selection")
	}
	if m.focus != focus {
		t.Errorf("esc did more than clear the selection: focus %v, was %v", m.focus, focus)
	}
	m.mouse.lastClick = m.mouse.lastClick.Add(-time2s)
	clicks(t, m, x, y, 2)
	m.mouse.lastClick = m.mouse.lastClick.Add(-time2s)
	x, y = findOnScreen(t, m, "The end.")
	if got := clicks(t, m, x, y, 1); got != "" || m.mouse.sel != nil {
		t.Errorf("a click elsewhere copied %q, selection %v", got, m.mouse.sel)
	}
}

// A click focuses the message under it, and its keys work on it.
func TestClickFocusesAMessage(t *testing.T) {
	m := mouseChat(t, 80, 70, false)
	x, y := findOnScreen(t, m, "show me")
	clicks(t, m, x, y, 1)
	if m.focus != focusTranscript || m.transcript.focused() == nil || m.transcript.focused().msg.Text != "show me" {
		t.Fatalf("focus %v on %+v", m.focus, m.transcript.focused())
	}
	if w := clipboardWrites(m, press(m, key1('y'))); len(w) != 1 || w[0] != "show me" {
		t.Errorf("y copied %q", w)
	}
	x, y = findOnScreen(t, m, "Ask anything")
	clicks(t, m, x, y, 1)
	if m.focus != focusInput {
		t.Errorf("a click on the input left the focus on %v", m.focus)
	}
}

// A click on the reasoning line opens it, once no second click follows;
// a double click there selects a word instead.
func TestClickTogglesReasoning(t *testing.T) {
	m, c := newTestModel(t, 80, 40, Deps{Mouse: true})
	sendPrompt(t, m, "why")
	thought := "Considering the question carefully, from the light of the sun through the air to the eye that sees the sky."
	feed(m, c.t, reasoning(thought), text("Because."), done(stream.StatusCompleted))
	mustNotContain(t, screen(m), "Considering the question")
	x, y := findOnScreen(t, m, "Thought for")
	m.Render()
	mousePress(m, x, y)
	runResults(m, mouseRelease(m, x, y)) // waits out the double click
	mustContain(t, screen(m), "Considering the question carefully,")

	m.mouse.lastClick = m.mouse.lastClick.Add(-time2s)
	mousePress(m, x, y)
	first := mouseRelease(m, x, y)
	mousePress(m, x, y)
	if got := copied(t, m, mouseRelease(m, x, y)); got != "Thought" {
		t.Errorf("double click on the reasoning line copied %q", got)
	}
	runResults(m, first) // the first click's action comes too late
	mustContain(t, screen(m), "Considering the question carefully,")
	// Open, its text is selected like any other.
	x, y = findOnScreen(t, m, "question carefully")
	if _, y2 := findOnScreen(t, m, "sees the sky."); y2 == y {
		t.Fatal("the reasoning is on one row")
	}
	if got := clicks(t, m, x, y, 3); got != thought {
		t.Errorf("triple click in the reasoning copied %q", got)
	}
}

// A click on a tool card focuses it and opens its arguments; a drag in
// it copies its text without the card's border.
func TestClickAndDragInAToolCard(t *testing.T) {
	args := `{"items": [` + strings.Repeat(`"an item", `, 15) + `"last"]}`
	m, c := newTestModel(t, 120, 50, Deps{Mouse: true, Tools: (&ranTool{}).registry("calc"), Yolo: true})
	sendPrompt(t, m, "use it")
	runResults(m, m.chatFeed(c, append(toolCall("fc", "calc", args, args), done(stream.StatusCompleted))...))
	mustContain(t, screen(m), "more lines")
	x, y := findOnScreen(t, m, "calc function")
	m.Render()
	mousePress(m, x, y)
	runResults(m, mouseRelease(m, x, y))
	if m.focus != focusTools || m.sidebar.focused() == nil {
		t.Fatalf("the click left the focus on %v", m.focus)
	}
	mustNotContain(t, screen(m), "more lines")

	x1, y1 := findOnScreen(t, m, `"items"`)
	x2, y2 := lastCell(t, m, `"last"`)
	got := dragCopy(t, m, x1, y1, x2, y2)
	if !strings.HasPrefix(got, `"items": [`) || !strings.HasSuffix(got, `"last"`) || strings.Contains(got, "│") ||
		strings.Count(got, `"an item"`) != 15 {
		t.Errorf("copied %q", got)
	}
}

// The wheel scrolls what is under the pointer: the transcript, the
// sidebar, an overlay's list.
func TestWheelScrollsWhatIsUnderThePointer(t *testing.T) {
	m, c := newTestModel(t, 120, 20, Deps{Mouse: true, Tools: (&ranTool{}).registry("calc"), Yolo: true})
	sendPrompt(t, m, "use it")
	var cs []stream.Choice
	cs = append(cs, text(strings.Repeat("A line of the reply.\n\n", 30)))
	for i := range 6 {
		id := "fc" + itoa(i)
		cs = append(cs, toolCall(id, "calc", `{"n": `+itoa(i)+`}`, `{"n": `+itoa(i)+`}`)...)
	}
	runResults(m, m.chatFeed(c, append(cs, done(stream.StatusCompleted))...))
	m.Render()
	t0 := m.transcript.offset(m.transcript.total(), m.transcriptRows())
	s0 := m.sidebar.offset
	wheel(m, m.layout.sidebar.x+3, 5, false)
	m.Render()
	if m.sidebar.offset >= s0 || m.transcript.offset(m.transcript.total(), m.transcriptRows()) != t0 {
		t.Errorf("the wheel over the sidebar: sidebar %d→%d, transcript moved", s0, m.sidebar.offset)
	}
	wheel(m, 5, 5, false)
	if got := m.transcript.offset(m.transcript.total(), m.transcriptRows()); got != t0-wheelRows {
		t.Errorf("the wheel over the transcript: offset %d→%d", t0, got)
	}
	press(m, ctrl('g')) // help
	h, _ := find[*helpOverlay](m.overlays)
	m.Render()
	wheel(m, 5, 5, true)
	if h.offset != wheelRows {
		t.Errorf("the wheel over the help: offset %d", h.offset)
	}
	press(m, keyEsc)
	press(m, ctrl('l')) // the model picker
	p, _ := find[*modelPicker](m.overlays)
	p.add(ModelOption{Model: "other"})
	wheel(m, 5, 5, true)
	if p.cursor != 1 {
		t.Errorf("the wheel over the model picker: cursor %d", p.cursor)
	}
}

// The toggle key hands the mouse to the terminal and takes it back; the
// status bar says when the terminal has it. Deps.Mouse false starts so.
func TestToggleMouse(t *testing.T) {
	m := mouseChat(t, 100, 60, false)
	if m.View().MouseMode != tea.MouseModeCellMotion {
		t.Fatal("the mouse is not asked for")
	}
	mustNotContain(t, screen(m), "mouse off")
	press(m, tea.KeyPressMsg{Code: tea.KeyF3})
	if m.View().MouseMode != tea.MouseModeNone {
		t.Error("f3 kept the mouse")
	}
	mustContain(t, screen(m), "mouse off (f3)", "Mouse off: the terminal selects")
	x1, y1 := findOnScreen(t, m, "Parley keeps")
	x2, y2 := lastCell(t, m, "smooth.")
	if got := dragCopy(t, m, x1, y1, x2, y2); got != "" || m.mouse.sel != nil {
		t.Errorf("with the mouse off a drag copied %q", got)
	}
	press(m, tea.KeyPressMsg{Code: 'm', Mod: tea.ModAlt})
	if m.View().MouseMode != tea.MouseModeCellMotion {
		t.Error("alt+m did not take the mouse back")
	}
	if got := dragCopy(t, m, x1, y1, x2, y2); got != mousePara {
		t.Errorf("with the mouse back a drag copied %q", got)
	}

	off, _ := newTestModel(t, 100, 30, Deps{})
	if off.View().MouseMode != tea.MouseModeNone {
		t.Error("Deps.Mouse false asks for the mouse")
	}
	mustContain(t, screen(off), "mouse off (f3)")
}

// Events a terminal may send that mean nothing here change nothing and
// break nothing: a release or a drag without a press, another button,
// cells off the screen, a drag on the welcome screen.
func TestStrayMouseEvents(t *testing.T) {
	m, _ := newTestModel(t, 80, 24, Deps{Mouse: true})
	for _, msg := range []tea.Msg{
		tea.MouseReleaseMsg{X: 3, Y: 3}, tea.MouseMotionMsg{X: 4, Y: 4},
		tea.MouseClickMsg{X: -5, Y: -1, Button: tea.MouseLeft}, tea.MouseMotionMsg{X: 900, Y: 900},
		tea.MouseReleaseMsg{X: 900, Y: 900}, tea.MouseClickMsg{X: 5, Y: 5, Button: tea.MouseRight},
		tea.MouseWheelMsg{X: 5, Y: 5, Button: tea.MouseWheelLeft}, tea.MouseClickMsg{X: 9999, Y: 3, Button: tea.MouseLeft},
		tea.MouseReleaseMsg{X: 9999, Y: 3},
	} {
		m.Update(msg)
	}
	if got := dragCopy(t, m, 2, 2, 30, 8); got != "" || m.mouse.sel != nil {
		t.Errorf("a drag on the welcome screen copied %q", got)
	}
	mustContain(t, screen(m), "Ask anything")
}

const time2s = 2 * 1e9

// http and https links, in a reply and among its sources, reach the
// screen as hyperlinks the terminal can open, on every row a long one
// wraps over; no other scheme is ever linked.
func TestLinksAreHyperlinks(t *testing.T) {
	long := "https://a.example/a/long/path/that/wraps/over/two/rows/of/the/transcript/at/this/width"
	m, c := newTestModel(t, 70, 30, Deps{WebSearch: true})
	sendPrompt(t, m, "links")
	cite := func(url, title string) stream.Choice {
		return stream.Choice{Kind: stream.KindAnnotation, Annotation: &stream.Annotation{Type: "url_citation", URL: url, Title: title}}
	}
	feed(m, c.t, text("See [the docs](https://example.com/docs), [x](javascript:alert(1)) and [y](file:///etc/passwd)."),
		cite("file:///etc/passwd", "local"), cite(long, "Long"), done(stream.StatusCompleted))
	frame := m.Render()
	onlySGRAndLinks(t, frame, "https://example.com/docs", long)
	if !strings.Contains(frame, "https://example.com/docs\a") {
		t.Error("the reply's link is not a hyperlink")
	}
	if n := strings.Count(frame, "\x1b]8;;"+long+"\a"); n < 2 {
		t.Errorf("the long source is linked on %d rows", n)
	}
	mustContain(t, screen(m), "[1] local — file:///etc/passwd")
}

// The help lists what the mouse does, and the key that hands it over.
func TestHelpListsTheMouse(t *testing.T) {
	m, _ := newTestModel(t, 120, 80, Deps{Mouse: true})
	press(m, ctrl('g'))
	mustContain(t, screen(m), "Mouse", "double-click", "select a word", "triple-click", "a line or a code block",
		"wheel", "scroll what is under it", "f3/alt+m", "mouse on/off", "Shift+drag selects with the terminal; f3/alt+m gives it the mouse.")
}

// A selection whose text is gone (another session) takes no esc: the
// esc does what it would without one.
func TestEscAfterTheSelectionIsGone(t *testing.T) {
	m := mouseChat(t, 80, 70, false)
	x, y := findOnScreen(t, m, "frozen")
	clicks(t, m, x, y, 2)
	m.mouse.sel.width++ // as if another width had reflowed every row
	press(m, keyEsc)
	if m.focus != focusInput {
		t.Errorf("esc was taken by a selection no longer shown: focus %v", m.focus)
	}
}
