package ui

import (
	"charm.land/bubbles/v2/key"
	"charm.land/lipgloss/v2"

	"github.com/parley-tui/parley/themes"
)

// frameCache keeps what the last frame computed from inputs that rarely
// change, so a frame re-measures and re-styles only what changed. Bubble
// Tea calls View after every message, several times a frame while a reply
// streams; before this, measuring every row's width, styling the key hints
// and the status bar were a third of a frame's cost.
type frameCache struct {
	rows       rowFits
	styled     styled
	help       helpKey
	helpOut    string
	keyScratch []helpBinding
}

// rowFits cuts a frame's rows to the width like fit, measuring only rows
// the last frame did not have: a streaming transcript scrolls, so the same
// rows come back a row or two higher.
type rowFits struct {
	width      int
	last, next map[string]string // row -> fitted: the last frame's, this one's
	out        []string
}

// fit returns rows cut to width. The slice is the cache's own, valid
// until the next call.
func (c *rowFits) fit(rows []string, width int) []string {
	if width != c.width || c.last == nil {
		c.width, c.last, c.next = width, map[string]string{}, map[string]string{}
	}
	c.out = c.out[:0]
	for _, r := range rows {
		f, ok := c.last[r]
		if !ok {
			f = fit(r, width)
		}
		c.next[r] = f
		c.out = append(c.out, f)
	}
	c.last, c.next = c.next, c.last
	clear(c.next)
	return c.out
}

// helpBinding is what shortHelp reads of a binding.
type helpBinding struct {
	key, desc string
	enabled   bool
}

// helpKey is what shortHelp's result depends on.
type helpKey struct {
	bindings []helpBinding
	width    int
	all      bool
	st       *themes.Styles
}

func (k *helpKey) equal(o *helpKey) bool {
	if k.width != o.width || k.all != o.all || k.st != o.st || len(k.bindings) != len(o.bindings) {
		return false
	}
	for i := range k.bindings {
		if k.bindings[i] != o.bindings[i] {
			return false
		}
	}
	return true
}

// shortHelp is shortHelp, computed again only when the bindings' names,
// the width or the styles changed.
func (c *frameCache) shortHelp(bindings []key.Binding, width int, all bool, st *themes.Styles) string {
	k := helpKey{bindings: c.keyScratch[:0], width: width, all: all, st: st}
	for _, b := range bindings {
		h := b.Help()
		k.bindings = append(k.bindings, helpBinding{h.Key, h.Desc, b.Enabled()})
	}
	c.keyScratch = k.bindings
	if k.equal(&c.help) && c.help.bindings != nil {
		return c.helpOut
	}
	c.helpOut = shortHelp(bindings, width, all, st)
	c.help = helpKey{bindings: append([]helpBinding{}, k.bindings...), width: width, all: all, st: st}
	return c.helpOut
}

// styled keeps lipgloss renders of short texts by style and text: a
// render parses and measures its text each time, and most of what a bar
// styles is the same from frame to frame. A nil *styled renders directly.
type styled struct {
	last map[styledKey]string
}

type styledKey struct {
	style *lipgloss.Style
	width int
	text  string
}

// maxStyled bounds the renders kept; past it they are dropped, and the
// texts still in use are styled again once.
const maxStyled = 256

func (c *styled) render(s *lipgloss.Style, text string) string { return c.renderWidth(s, 0, text) }

// renderWidth is s.Width(width).Render(text), or s.Render(text) for a
// width of 0.
func (c *styled) renderWidth(s *lipgloss.Style, width int, text string) string {
	if c == nil {
		return renderWidth(s, width, text)
	}
	k := styledKey{s, width, text}
	if out, ok := c.last[k]; ok {
		return out
	}
	if c.last == nil || len(c.last) >= maxStyled {
		c.last = make(map[styledKey]string, maxStyled)
	}
	out := renderWidth(s, width, text)
	c.last[k] = out
	return out
}

func renderWidth(s *lipgloss.Style, width int, text string) string {
	if width > 0 {
		return s.Width(width).Render(text)
	}
	return s.Render(text)
}
