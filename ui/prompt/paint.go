package prompt

import (
	"strings"

	"charm.land/lipgloss/v2"
)

// painter turns rows of the draft into styled strings, keeping what it
// drew for the rows in view by their text: a key changes one row (or, in
// a long line, the rows from it to where the wrap falls as before), so
// the other rows of the box are reused as they were. It also keeps the
// box's frame, drawn once by lipgloss per width, focus and height.
// lipgloss measures every line it frames, grapheme by grapheme; a frame
// of eight rows did ten times the work of the rows themselves.
type painter struct {
	rows, prev map[rowKey]paintedRow // this frame's rows, the last frame's

	frames map[frameKey]*frameParts // for one width and focus, a box per height

	pre, post [2]string // text style (focused, blurred) as SGR around a run
	plain     bool      // the text styles are colours and attributes only
	split     bool      // pre, post and plain are known
}

type paintKey struct {
	w       int
	focused bool
	active  int // the chip the cursor touches, -1 for none
	chips   int // the draft's chips epoch: a chip rune may stand for another label
}

// rowKey is what a drawn row depends on. A row without a chip rune does
// not depend on the chips.
type rowKey struct {
	text string // the row's bytes in the draft
	paintKey
}

type paintedRow struct {
	s string
	w int // cells
}

type frameKey struct {
	width, h int
	focused  bool
}

// frameParts is the box cut around its rows: the lines above them, each
// row's left and right, and the lines below. ok is false when the style
// could not be cut (then lipgloss frames every time).
type frameParts struct {
	top, bot    string
	left, right []string
	ok          bool
}

func (pt *painter) startFrame() {
	pt.prev, pt.rows = pt.rows, make(map[rowKey]paintedRow, 8)
}

// endFrame forgets the rows that left the view, so what the painter keeps
// is bounded by the box, not the draft.
func (pt *painter) endFrame() { pt.prev = nil }

func (pt *painter) row(p *Prompt, rp rowPos, key paintKey) paintedRow {
	l := p.lines.At(rp.line)
	rows := p.rowsOf(l, key.w)
	k := rowKey{l.s[rows[rp.row]:rowEnd(l, rows, rp.row)], key}
	if !strings.Contains(k.text, chipPrefix) {
		k.active, k.chips = -1, 0
	}
	if r, ok := pt.rows[k]; ok {
		return r
	}
	r, ok := pt.prev[k]
	if !ok {
		r = pt.draw(p, k)
	}
	pt.rows[k] = r
	return r
}

// draw styles one row.
func (pt *painter) draw(p *Prompt, key rowKey) paintedRow {
	pt.textStyles(p.styles)
	text := p.styles.Text
	pre, post := pt.pre[0], pt.post[0]
	if !key.focused {
		text, pre, post = p.styles.TextBlurred, pt.pre[1], pt.post[1]
	}
	var b, run strings.Builder
	flush := func() {
		if run.Len() == 0 {
			return
		}
		if pt.plain {
			b.WriteString(pre + run.String() + post)
		} else {
			b.WriteString(text.Render(run.String()))
		}
		run.Reset()
	}
	w, col := key.w, 0
	for i := 0; i < len(key.text); {
		g := p.glyphAt(key.text[i:])
		i += g.n
		gw := min(g.w, w)
		if col+gw > w {
			break // white space hanging past the row's end
		}
		col += gw
		switch {
		case g.chip != nil:
			flush()
			st := p.styles.Chip
			if g.chip.ID == key.active {
				st = p.styles.ChipActive
			}
			shown, sw := p.fit(g.chip.shown, w)
			b.WriteString(st.Render(shown + strings.Repeat(" ", gw-sw)))
		case g.w > w:
			// Wider than the whole row (a tab or a wide emoji in a very
			// narrow box): as many cells as the row has, no more.
			if g.space {
				run.WriteString(strings.Repeat(" ", w))
			} else {
				run.WriteString("…" + strings.Repeat(" ", w-1))
			}
		default:
			run.WriteString(g.shown)
		}
	}
	flush()
	return paintedRow{b.String(), col}
}

// textStyles splits the text styles into the SGR before and after a run,
// once per styles, when lipgloss renders them that way (colours and
// attributes, which is what themes' text styles are).
func (pt *painter) textStyles(s Styles) {
	if pt.split {
		return
	}
	pt.split, pt.plain = true, true
	for i, st := range []lipgloss.Style{s.Text, s.TextBlurred} {
		x := st.Render("X")
		pre, post, ok := strings.Cut(x, "X")
		if !ok || st.Render("a b") != pre+"a b"+post {
			pt.plain = false
			return
		}
		pt.pre[i], pt.post[i] = pre, post
	}
}

// box frames rows, each w cells or less, in the box style.
func (pt *painter) box(f lipgloss.Style, focused bool, width, w int, rows []paintedRow) string {
	fp := pt.frameParts(f, frameKey{width, len(rows), focused}, w)
	if !fp.ok {
		lines := make([]string, len(rows))
		for i, r := range rows {
			lines[i] = r.s
		}
		return f.Width(width).Render(strings.Join(lines, "\n"))
	}
	var b strings.Builder
	b.WriteString(fp.top)
	for i, r := range rows {
		b.WriteString(fp.left[i])
		b.WriteString(r.s)
		b.WriteString(strings.Repeat(" ", max(0, w-r.w)))
		b.WriteString(fp.right[i])
		b.WriteByte('\n')
	}
	b.WriteString(fp.bot)
	return b.String()
}

// frameParts has lipgloss draw the box once around rows of Xs and cuts
// it into its parts, kept per height for the current width and focus.
func (pt *painter) frameParts(f lipgloss.Style, key frameKey, w int) *frameParts {
	if fp := pt.frames[key]; fp != nil {
		return fp
	}
	for k := range pt.frames {
		if k.width != key.width || k.focused != key.focused {
			clear(pt.frames) // a resize or a focus change: the old boxes are done with
			break
		}
	}
	if pt.frames == nil {
		pt.frames = map[frameKey]*frameParts{}
	}
	fp := &frameParts{}
	pt.frames[key] = fp
	h := key.h
	xs := strings.Repeat("X", w)
	lines := strings.Split(f.Width(key.width).Render(strings.TrimSuffix(strings.Repeat(xs+"\n", h), "\n")), "\n")
	above := f.GetBorderTopSize() + f.GetPaddingTop()
	if len(lines) < above+h || w < 1 {
		return fp
	}
	fp.left, fp.right = make([]string, h), make([]string, h)
	for i := range h {
		left, right, ok := strings.Cut(lines[above+i], xs)
		if !ok || strings.Contains(right, "X") {
			return fp
		}
		fp.left[i], fp.right[i] = left, right
	}
	fp.top = strings.Join(lines[:above], "\n")
	if above > 0 {
		fp.top += "\n"
	}
	fp.bot = strings.Join(lines[above+h:], "\n")
	fp.ok = true
	return fp
}
