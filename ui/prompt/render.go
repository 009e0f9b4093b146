package prompt

import (
	"strings"

	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"
)

func (p *Prompt) frame() lipgloss.Style {
	if p.focused {
		return p.styles.BoxFocused
	}
	return p.styles.Box
}

// frameSize is the box's frame in cells, measured once per styles:
// lipgloss works each size out from the border's runes on every call.
type frameSize struct{ w, h, left, top int }

func (p *Prompt) frameSize() frameSize {
	i := 0
	if p.focused {
		i = 1
	}
	if !p.sizes[i].ok {
		f := p.frame()
		p.sizes[i].frameSize = frameSize{
			w: f.GetHorizontalFrameSize(), h: f.GetVerticalFrameSize(),
			left: f.GetBorderLeftSize() + f.GetPaddingLeft(), top: f.GetBorderTopSize() + f.GetPaddingTop(),
		}
		p.sizes[i].ok = true
	}
	return p.sizes[i].frameSize
}

// SetWidthMethod says how the terminal measures text: ansi.GraphemeWidth
// (the default, as lipgloss measures) or ansi.WcWidth. Bubble Tea draws
// with WcWidth until the terminal reports Unicode mode 2027, so a root that
// sees tea.ModeReportMsg for ansi.ModeUnicodeCore can keep the input's
// widths the same as the renderer's: they differ for ZWJ emoji.
func (p *Prompt) SetWidthMethod(m ansi.Method) {
	if m == p.method {
		return
	}
	p.method = m
	for _, ch := range p.chips.byID {
		ch.measure(m)
	}
	for i := range p.lines.Len() {
		p.lines.At(i).invalidate()
	}
	p.paint, p.drawn, p.laid = painter{}, drawn{}, laid{}
}

// SetPlaceholder sets what an empty input shows (say, the send key's
// name from the keymap).
func (p *Prompt) SetPlaceholder(s string) {
	p.placeholder = s
	p.drawn = drawn{}
}

// SetWidth sets the box's whole width (border included), for Height.
func (p *Prompt) SetWidth(w int) { p.width = w }

// SetStyles changes the styles, as on a theme change.
func (p *Prompt) SetStyles(s Styles) {
	p.styles = s
	p.paint = painter{}
	p.drawn, p.laid = drawn{}, laid{}
	p.sizes = [2]struct {
		frameSize
		ok bool
	}{}
}

// wrapWidth is the width rows wrap at: the box's inside.
func (p *Prompt) wrapWidth() int {
	if p.width <= 0 {
		return 1 << 20 // no width yet: a line is a row
	}
	return max(1, p.width-p.frameSize().w)
}

// Height is the box's height at the width last given, frame included:
// the draft's rows, from one up to MaxRows. It reads only as many lines
// as the box has rows.
func (p *Prompt) Height() int {
	return p.visibleRows() + p.frameSize().h
}

// Render draws the box at width, Height() rows tall, showing the rows
// around the cursor. Only the rows in view are read, and a row is drawn
// again only when its line, the width, the focus or the chip under the
// cursor changed, so a frame costs the same whatever the draft's length.
// The cursor is not drawn: put Cursor() in the view, and the terminal
// draws and blinks it.
func (p *Prompt) Render(width int) string {
	p.SetWidth(width)
	h := p.scroll()
	w := p.wrapWidth()
	key := drawnKey{p.laid.key, -1}
	if ch := p.activeChip(); ch != nil {
		key.active = ch.ID
	}
	if p.drawn.key == key && p.drawn.box != "" {
		return p.drawn.box // nothing changed since the last frame
	}
	p.drawn = drawn{key, p.render(width, w, h)}
	return p.drawn.box
}

// drawn is the last frame, returned again while nothing it shows changed.
type drawn struct {
	key drawnKey
	box string
}

type drawnKey struct {
	layout layoutKey
	active int
}

func (p *Prompt) render(width, w, h int) string {
	rows := make([]paintedRow, 0, h)
	if p.Empty() {
		shown, sw := p.fit(strings.ReplaceAll(p.placeholder, "\n", " "), w)
		rows = append(rows, paintedRow{p.styles.Placeholder.Render(shown), sw})
	} else {
		key := paintKey{w: w, focused: p.focused, active: -1, chips: p.chips.epoch}
		if ch := p.activeChip(); ch != nil && p.focused {
			key.active = ch.ID
		}
		p.paint.startFrame()
		for rp := p.top; len(rows) < h; {
			rows = append(rows, p.paint.row(p, rp, key))
			next, moved := p.advance(rp, 1)
			if moved == 0 {
				break
			}
			rp = next
		}
		p.paint.endFrame()
	}
	return p.paint.box(p.frame(), p.focused, width, w, rows)
}

// Cursor is where the terminal's cursor goes, relative to the box's top
// left corner (add the box's place on screen); nil when the input has no
// focus. The terminal blinks it, so an idle input redraws nothing.
func (p *Prompt) Cursor() *tea.Cursor {
	if !p.focused {
		return nil
	}
	p.scroll()
	f := p.frameSize()
	c := tea.NewCursor(f.left+min(p.laid.x, p.wrapWidth()-1), f.top+p.laid.y)
	c.Color = p.styles.Cursor
	return c
}
