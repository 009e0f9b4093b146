package ui

// Sidebar sizing: it needs room for a readable card, and the transcript
// must keep enough to read; below sidebarMinTerm columns the sidebar folds
// into a one-line indicator.
const (
	sidebarMinTerm = 100
	sidebarMin     = 32
	sidebarMax     = 56
	statusRows     = 2
)

// layout is the screen split, computed from the terminal size and what is
// shown; components are handed their sizes and never measure the terminal.
type layout struct {
	width, height   int
	transcriptWidth int
	bodyHeight      int
	sidebarWidth    int // 0 when hidden or folded
	indicator       bool
	inputHeight     int // box included
}

func computeLayout(w, h, inputRows int, hasCards, showSidebar bool) layout {
	l := layout{width: w, height: h}
	l.inputHeight = inputRows + 2
	if hasCards && showSidebar && w >= sidebarMinTerm {
		l.sidebarWidth = min(max(w*35/100, sidebarMin), sidebarMax)
	} else if hasCards {
		l.indicator = true
	}
	l.transcriptWidth = w - l.sidebarWidth
	l.bodyHeight = h - statusRows - l.inputHeight
	if l.indicator {
		l.bodyHeight--
	}
	if l.bodyHeight < 0 {
		// Tiny terminals: the input shrinks before the status bar goes.
		l.inputHeight = max(0, l.inputHeight+l.bodyHeight)
		l.bodyHeight = 0
	}
	return l
}

// relayout recomputes the layout after anything that changes it. A new
// transcript width asks for a new markdown renderer, which Update makes
// once resizing settles.
func (m *Model) relayout() {
	if m.width == 0 {
		return
	}
	old := m.layout.transcriptWidth
	m.input.setWidth(m.width - 4)
	m.layout = computeLayout(m.width, m.height, m.input.height(), len(m.sidebar.cards) > 0, m.showSidebar)
	if m.layout.transcriptWidth != old {
		m.rendererStale = true
	}
}
