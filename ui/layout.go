package ui

// Sidebar sizing: it needs room for a readable card, and the transcript
// must keep enough to read; below sidebarMinTerm columns the sidebar folds
// into a one-line indicator and opens as a full-width drawer.
const (
	sidebarMinTerm = 100
	sidebarMin     = 32
	sidebarMax     = 56
	statusRows     = 2
)

// rect is a region of the screen; regions are kept per frame so a mouse
// event can be routed to what is under it.
type rect struct{ x, y, w, h int }

// layout is the screen split, computed once per Update from the terminal
// size and what is shown; components are handed their sizes and never
// measure the terminal. Top to bottom: the body (transcript and sidebar
// column, or the drawer, or the top overlay), an indicator line, the input
// box, the status bar and the footer.
type layout struct {
	width, height int
	body          rect
	transcript    rect // within the body
	sidebar       rect // within the body: a column, or the whole body as a drawer
	drawer        bool
	indicator     rect
	input         rect // box included
	status        rect
	footer        rect
}

// layoutInput is what the split depends on besides the terminal size.
type layoutInput struct {
	inputH    int  // the input box's height, border included
	cards     bool // there are tool calls to show
	hidden    bool // the user hid the sidebar column
	toolsOpen bool // the tools pane has the focus
	indicate  bool // something wants the indicator line
}

func computeLayout(w, h int, in layoutInput) layout {
	l := layout{width: w, height: h}
	inputH := in.inputH
	column := in.cards && !in.hidden && w >= sidebarMinTerm
	l.drawer = in.toolsOpen && !column
	indicator := in.indicate || in.cards && !column && !l.drawer
	bodyH := h - statusRows - inputH - boolInt(indicator)
	if bodyH < 0 {
		// Tiny terminals: the input shrinks before the status bar goes.
		inputH = max(0, inputH+bodyH)
		bodyH = 0
	}
	y := 0
	l.body = rect{0, y, w, bodyH}
	switch {
	case l.drawer:
		l.sidebar = l.body
	case column:
		sw := min(max(w*35/100, sidebarMin), sidebarMax)
		l.transcript = rect{0, y, w - sw, bodyH}
		l.sidebar = rect{w - sw, y, sw, bodyH}
	default:
		l.transcript = l.body
	}
	y += bodyH
	if indicator && h > 0 {
		l.indicator = rect{0, y, w, 1}
		y++
	}
	l.input = rect{0, y, w, inputH}
	y += inputH
	l.status = rect{0, min(y, max(h-2, 0)), w, 1}
	l.footer = rect{0, min(y+1, max(h-1, 0)), w, 1}
	return l
}

// relayout computes the layout for what is on screen now. A new
// transcript width asks for a new markdown renderer, which Update makes
// once resizing settles.
func (m *Model) relayout() {
	w, h := m.layout.width, m.layout.height
	if w <= 0 {
		return
	}
	// The input shows the focus (its border, the cursor) only while it
	// takes keys: no overlay is open over it.
	if focused := m.focus == focusInput && m.overlays.top() == nil; focused != m.input.Focused() {
		if focused {
			m.input.Focus()
		} else {
			m.input.Blur()
		}
	}
	m.input.SetWidth(w)
	_, waiting := m.chat.Pending()
	_, prompt := find[*approvalPrompt](m.overlays)
	m.layout = computeLayout(w, h, layoutInput{
		inputH:    m.input.Height(),
		cards:     len(m.chat.Calls()) > 0,
		hidden:    m.panes.sidebarHidden,
		toolsOpen: m.focus == focusTools && m.overlays.top() == nil,
		indicate:  waiting > 0 && !prompt,
	})
	if tw := m.layout.transcript.w; tw > 0 && tw != m.render.want {
		m.render.stale = true
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
