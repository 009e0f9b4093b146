package ui

import (
	"strings"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/themes"
)

const (
	helpMaxWidth  = 110
	helpColumnGap = 4
	// helpTwoColumns is the inner width from which groups flow into two
	// columns.
	helpTwoColumns = 90
	// helpKeyWidth bounds the keys' cell; a binding with many keys lists
	// them over several lines.
	helpKeyWidth = 16
)

// helpOverlay lists every binding by area, generated from the same KeyMap
// the keys are matched with, so help and behaviour cannot drift apart.
type helpOverlay struct {
	offset int // first row shown, when it is taller than the screen
	page   int // rows a page scroll moves, from the last render
}

func (h *helpOverlay) title() string { return "help" }

func (h *helpOverlay) shortHelp(k *keymap.KeyMap) []key.Binding {
	return []key.Binding{k.Overlay.Up, k.Overlay.Down, k.Global.PageDown, k.Overlay.Close}
}

func (h *helpOverlay) key(k tea.KeyPressMsg, env *overlayEnv) (action, tea.Cmd) {
	o, g := env.keys.Overlay, env.keys.Global
	switch {
	case key.Matches(k, o.Close, g.Help):
		return closeOverlay{}, nil
	case key.Matches(k, o.Down):
		h.offset++
	case key.Matches(k, o.Up):
		h.offset--
	case key.Matches(k, g.PageDown):
		h.offset += max(1, h.page)
	case key.Matches(k, g.PageUp):
		h.offset -= max(1, h.page)
	}
	return consumed{}, nil
}

func (h *helpOverlay) render(width, height int, env *overlayEnv) []string {
	st := env.st
	inner := min(width, helpMaxWidth) - st.Overlay.GetHorizontalFrameSize()
	if inner < 8 || height < 3 {
		return overlayBox(st, "", width, helpMaxWidth, height)
	}
	var blocks [][]string
	for _, g := range env.keys.Groups() {
		blocks = append(blocks, helpBlock(g, st))
		if g.Title == "Transcript" {
			blocks = append(blocks, mouseHelp(env.keys, st))
		}
	}
	var body []string
	if inner >= helpTwoColumns {
		col := (inner - helpColumnGap) / 2
		left, right := splitBlocks(blocks)
		l, r := layoutColumn(left, col, st), layoutColumn(right, col, st)
		for i := 0; i < max(len(l), len(r)); i++ {
			a, b := "", ""
			if i < len(l) {
				a = l[i]
			}
			if i < len(r) {
				b = r[i]
			}
			body = append(body, padRight(a, col)+strings.Repeat(" ", helpColumnGap)+b)
		}
	} else {
		body = layoutColumn(blocks, inner, st)
	}
	body = append(body, "")
	for _, l := range wrapText(mouseNote(env.keys), inner) {
		body = append(body, st.Status.Dim.Render(l))
	}
	// The box's frame, its title and the scroll line take rows of their own.
	view := max(1, height-overlayFrame(st, height).GetVerticalFrameSize()-3)
	h.page = max(1, view-2)
	h.offset = min(max(h.offset, 0), max(len(body)-view, 0))
	shown := body[h.offset:min(len(body), h.offset+view)]
	scroll := ""
	if len(body) > view {
		scroll = st.Status.Dim.Render(fit("lines "+itoa(h.offset+1)+"–"+itoa(h.offset+len(shown))+" of "+itoa(len(body))+" · "+
			keyName(env.keys.Overlay.Down)+"/"+keyName(env.keys.Overlay.Up)+" "+keyName(env.keys.Global.PageDown)+" scroll", inner))
		if h.offset+view < len(body) {
			scroll = st.Status.Key.Render("↓ ") + scroll
		}
	}
	content := st.OverlayTitle.Render("Keys") + "\n\n" + strings.Join(shown, "\n") + "\n" + scroll
	return overlayBox(st, content, width, helpMaxWidth, height)
}

// helpBlock is a group's title and its rows, each a binding's keys and
// what it does; the two parts are laid out by layoutColumn.
func helpBlock(g keymap.Group, st *themes.Styles) []string {
	rows := []string{st.Status.Key.Render(g.Title)}
	for _, b := range g.Bindings {
		rows = append(rows, keymap.AllKeys(b)+"\t"+b.Help().Desc)
	}
	return rows
}

// splitBlocks puts about half of the rows in each column, whole groups in
// each.
func splitBlocks(blocks [][]string) (left, right [][]string) {
	total := 0
	for _, b := range blocks {
		total += len(b) + 1
	}
	acc, i := 0, 0
	for i < len(blocks)-1 && acc+len(blocks[i])/2 < total/2 {
		acc += len(blocks[i]) + 1
		i++
	}
	return blocks[:i], blocks[i:]
}

// layoutColumn lays blocks out in a column width wide: keys in a cell as
// wide as the column's widest (at most half of it), descriptions wrapped in
// what remains, so nothing runs into the next column.
func layoutColumn(blocks [][]string, width int, st *themes.Styles) []string {
	keyW := 0
	for _, b := range blocks {
		for _, r := range b[1:] {
			k, _, _ := strings.Cut(r, "\t")
			keyW = max(keyW, lipgloss.Width(k))
		}
	}
	keyW = min(keyW, helpKeyWidth, width/2)
	descW := max(1, width-keyW-4)
	var out []string
	for i, b := range blocks {
		if i > 0 {
			out = append(out, "")
		}
		out = append(out, fit(b[0], width))
		for _, r := range b[1:] {
			k, desc, _ := strings.Cut(r, "\t")
			keys := packKeys(k, keyW)
			descs := wrapText(desc, descW)
			for j := 0; j < max(len(keys), len(descs)); j++ {
				kc, dc := "", ""
				if j < len(keys) {
					kc = st.Status.Value.Render(keys[j])
				}
				if j < len(descs) {
					dc = st.Status.Dim.Render(descs[j])
				}
				out = append(out, "  "+padRight(kc, keyW)+"  "+dc)
			}
		}
	}
	return out
}

// packKeys breaks "shift+enter/alt+enter/ctrl+j" into lines of at most
// width columns, between keys where it can; a line that goes on ends with
// its slash.
func packKeys(keys string, width int) []string {
	var lines []string
	cur := ""
	for _, k := range strings.Split(keys, "/") {
		switch {
		case cur == "":
			cur = k
		case lipgloss.Width(cur+"/"+k) <= width:
			cur += "/" + k
		default:
			lines = append(lines, cur+"/")
			cur = k
		}
	}
	var out []string
	for _, l := range append(lines, cur) {
		out = append(out, wrapText(l, width)...)
	}
	return out
}
