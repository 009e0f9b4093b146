package ui

import (
	"time"

	tea "charm.land/bubbletea/v2"
)

// The mouse, while Parley has it (Deps.Mouse; the toggle key hands it to
// the terminal and back): the left button selects text in the transcript
// or a tool card, highlighted as it grows and copied on release
// (selection.go); a click focuses what is under it, and on the reasoning
// line or a card also opens or closes it, once no second click follows;
// two clicks select a word, three a line of text or a whole code block;
// the wheel scrolls what is under the pointer. Events are routed by the
// layout's rectangles, and the transcript's rows by its scroll position,
// as the frame the user sees drew them.

const (
	// multiClick: a press this soon after the last, on the same cell,
	// makes a double or triple click. A click's own action (open the
	// reasoning, a card) waits as long, so a double click does not do it.
	multiClick = 400 * time.Millisecond
	// edgeEvery is how often a drag held at the transcript's top or bottom
	// row scrolls it by a row.
	edgeEvery = 50 * time.Millisecond
	// wheelRows is how far one notch of the wheel scrolls.
	wheelRows = 3
)

// mouseState is what the mouse is doing.
type mouseState struct {
	on    bool       // Parley has the mouse (the view asks for reports)
	sel   *selection // what is selected, if anything
	press held       // the left button, while it is down
	// Clicks are counted for double and triple clicks; clickSeq numbers
	// presses, so a click's delayed action knows whether another came.
	clicks    int
	lastClick time.Time
	lastX     int
	lastY     int
	clickSeq  int
	pending   func(*Model) // a click's action, waiting for multiClick
	edgeSeq   int          // the edge-scroll tick in flight
}

// held is the left button held down.
type held struct {
	down     bool
	at       hit  // what was under it when it went down
	x, y     int  // where it went down
	px, py   int  // where the pointer is now
	moved    bool // it left the cell it went down on: a drag
	follow   bool // the transcript followed its bottom before the press
	scrolled bool // the drag scrolled the transcript
	edge     int  // -1 or +1 while held at the transcript's top or bottom row
	// anchor is where it went down in the transcript's text, if it did.
	anchor   spot
	anchored bool
}

// area is a region of the screen the mouse can act on.
type area uint8

const (
	areaNone area = iota
	areaTranscript
	areaSidebar
	areaOverlay
	areaInput
	areaIndicator
)

// hit is what is under a point: the area, and the row and column in it
// (for the transcript, the column of its text: the gutter is left of 0).
type hit struct {
	area     area
	row, col int
}

// edgeTickMsg scrolls a drag held at an edge; clickTimeoutMsg carries out
// a click once no second click came.
type (
	edgeTickMsg     struct{ seq int }
	clickTimeoutMsg struct{ seq int }
)

// onMouse routes a mouse event. Without the mouse nothing acts: the
// terminal keeps its reports to itself then, but one may still be in
// flight when the toggle key is pressed.
func (m *Model) onMouse(msg tea.MouseMsg) tea.Cmd {
	if !m.mouse.on {
		return nil
	}
	ev := msg.Mouse()
	switch msg.(type) {
	case tea.MouseWheelMsg:
		return m.onWheel(ev)
	case tea.MouseClickMsg:
		if ev.Button == tea.MouseLeft {
			return m.onPress(ev.X, ev.Y)
		}
	case tea.MouseMotionMsg:
		if m.mouse.press.down {
			return m.onDrag(ev.X, ev.Y)
		}
	case tea.MouseReleaseMsg:
		if m.mouse.press.down {
			return m.onRelease(ev.X, ev.Y)
		}
	}
	return nil
}

// toggleMouse hands the mouse to the terminal, or takes it back.
func (m *Model) toggleMouse() tea.Cmd {
	m.mouse = mouseState{on: !m.mouse.on}
	k := keyName(m.keys.Global.Mouse)
	if m.mouse.on {
		m.flash("Mouse on: drag to select and copy, click to focus, the wheel scrolls · " + k + " hands it to the terminal")
	} else {
		m.flash("Mouse off: the terminal selects and scrolls on its own · " + k + " takes it back")
	}
	return nil
}

// hitTest says what is at (x, y) on the screen.
func (m *Model) hitTest(x, y int) hit {
	l := m.layout
	in := func(r rect) bool { return x >= r.x && x < r.x+r.w && y >= r.y && y < r.y+r.h }
	switch {
	case in(l.body):
		if y >= l.body.y+l.body.h-m.overlayRows() {
			return hit{area: areaOverlay, row: y - l.body.y, col: x - l.body.x}
		}
		if l.sidebar.w > 0 && in(l.sidebar) {
			return hit{area: areaSidebar, row: y - l.sidebar.y, col: x - l.sidebar.x}
		}
		if in(l.transcript) {
			return hit{area: areaTranscript, row: y - l.transcript.y, col: x - l.transcript.x - gutter}
		}
	case in(l.indicator):
		return hit{area: areaIndicator}
	case in(l.input):
		return hit{area: areaInput}
	}
	return hit{}
}

// overlayRows is how many of the body's rows the top overlay covers, from
// the bottom (the approval prompt leaves the transcript above it).
func (m *Model) overlayRows() int {
	top := m.overlays.top()
	if top == nil {
		return 0
	}
	return len(top.render(m.layout.body.w, m.layout.body.h, m.env()))
}

// transcriptRows is how many rows of the transcript show.
func (m *Model) transcriptRows() int {
	if m.layout.drawer {
		return 0
	}
	return max(0, m.layout.body.h-m.overlayRows())
}

// onWheel scrolls what is under the pointer: an overlay's list, the
// sidebar, else the transcript.
func (m *Model) onWheel(ev tea.Mouse) tea.Cmd {
	d := 0
	switch ev.Button {
	case tea.MouseWheelUp:
		d = -1
	case tea.MouseWheelDown:
		d = 1
	default:
		return nil
	}
	switch m.hitTest(ev.X, ev.Y).area {
	case areaOverlay:
		if w, ok := m.overlays.top().(wheeler); ok {
			w.wheel(d)
		}
		return nil
	case areaSidebar:
		m.sidebar.wheel(d * wheelRows)
		return nil
	}
	m.transcript.scroll(d*wheelRows, m.layout.body.h)
	if p := &m.mouse.press; p.down && p.at.area == areaTranscript {
		p.scrolled = true
		m.transcript.follow = false
		m.extendSelection()
	}
	return nil
}

// onPress starts a click, a drag, or a double or triple click.
func (m *Model) onPress(x, y int) tea.Cmd {
	ms := &m.mouse
	now := m.deps.Now()
	if ms.clicks < 3 && now.Sub(ms.lastClick) <= multiClick && y == ms.lastY && abs(x-ms.lastX) <= 1 {
		ms.clicks++
	} else {
		ms.clicks = 1
	}
	ms.lastClick, ms.lastX, ms.lastY = now, x, y
	ms.clickSeq++
	ms.pending = nil
	h := m.hitTest(x, y)
	ms.press = held{down: true, at: h, x: x, y: y, px: x, py: y}
	if ms.clicks == 1 || h.area != areaTranscript && h.area != areaSidebar {
		ms.sel = nil // a click elsewhere clears the selection
	}
	switch h.area {
	case areaTranscript:
		// The view holds still under the pointer while the button is down.
		t := m.transcript
		ms.press.follow = t.follow
		if t.follow {
			total, rows := t.total(), m.transcriptRows()
			t.setOffset(t.offset(total, rows), total, rows)
			t.follow = false
		}
		ms.press.anchor, ms.press.anchored = m.pressSpot()
	case areaSidebar:
	default:
		return nil
	}
	switch ms.clicks {
	case 2:
		m.selectWord(h)
	case 3:
		m.selectLine(h)
	}
	return nil
}

// onDrag follows the pointer with the button down.
func (m *Model) onDrag(x, y int) tea.Cmd {
	p := &m.mouse.press
	p.px, p.py = x, y
	if !p.moved && x == p.x && y == p.y {
		return nil
	}
	p.moved = true
	switch p.at.area {
	case areaTranscript:
		edge := 0
		if rows := m.transcriptRows(); rows > 0 {
			switch row := y - m.layout.transcript.y; {
			case row <= 0:
				edge = -1
			case row >= rows-1:
				edge = 1
			}
		}
		m.extendSelection()
		started := edge != 0 && p.edge == 0
		p.edge = edge
		if started {
			m.mouse.edgeSeq++
			return m.edgeTick()
		}
	case areaSidebar:
		m.extendCardSelection()
	}
	return nil
}

func (m *Model) edgeTick() tea.Cmd {
	seq := m.mouse.edgeSeq
	return tea.Tick(edgeEvery, func(time.Time) tea.Msg { return edgeTickMsg{seq} })
}

// onEdgeTick scrolls a row while a drag holds at the top or bottom row,
// and moves the selection's end with the text.
func (m *Model) onEdgeTick(msg edgeTickMsg) tea.Cmd {
	p := &m.mouse.press
	if msg.seq != m.mouse.edgeSeq || !p.down || p.edge == 0 {
		return nil
	}
	t := m.transcript
	before := t.offset(t.total(), m.layout.body.h)
	t.scroll(p.edge, m.layout.body.h)
	t.follow = false
	if t.offset(t.total(), m.layout.body.h) == before {
		p.edge = 0 // the end of the transcript: nothing more to show
		return nil
	}
	p.scrolled = true
	m.extendSelection()
	return m.edgeTick()
}

// transcriptLine is the entry and line on row of the transcript's view.
func (m *Model) transcriptLine(row int) (*entry, int, bool) {
	rows := m.transcriptRows()
	if row < 0 || row >= rows {
		return nil, 0, false
	}
	t := m.transcript
	return t.lineAt(t.offset(t.total(), rows) + row)
}

// cardAt is the tool card under a sidebar hit: its index and the row of
// it (0 its top border).
func (m *Model) cardAt(h hit) (int, int, bool) {
	s, st := m.sidebar, m.look.styles.Tools.Sidebar
	row := h.row - st.GetBorderTopSize() - st.GetPaddingTop()
	if row < s.head {
		return 0, 0, false // the title, which does not scroll
	}
	row += s.offset
	for i := 0; i+1 < len(s.tops) && i < len(s.calls); i++ {
		if row >= s.tops[i] && row < s.tops[i+1] {
			return i, row - s.tops[i], true
		}
	}
	return 0, 0, false
}

// lineAt is the entry and line at row of the whole transcript, as last
// drawn.
func (t *transcript) lineAt(row int) (*entry, int, bool) {
	if row < 0 {
		return nil, 0, false
	}
	for _, e := range t.entries {
		if row < len(e.lines) {
			return e, row, true
		}
		row -= len(e.lines)
	}
	return nil, 0, false
}

// index is e's place in the transcript, -1 if it is not there.
func (t *transcript) index(e *entry) int {
	for i, x := range t.entries {
		if x == e {
			return i
		}
	}
	return -1
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
