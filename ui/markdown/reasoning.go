package markdown

import (
	"fmt"
	"image/color"

	"charm.land/glamour/v2/ansi"
	"charm.land/lipgloss/v2"

	"github.com/parley-tui/parley/ui/sanitize"
)

// A model's reasoning summary is markdown too: parts that open with a bold
// title ("**Planning the answer**"), with inline code and emphasis. A
// Reasoning renders it like a reply, live, in the pane's own colours.

// Reasoning is a reply's reasoning summary being streamed: its parts, joined
// by blank lines, through a Stream. Not safe for concurrent use.
type Reasoning struct {
	s    *Stream
	seen []int // bytes of each part already appended
}

// NewReasoning starts an empty summary rendered with r, a Renderer made
// with ReasoningStyle at the pane's inner width.
func NewReasoning(r *Renderer) *Reasoning {
	return &Reasoning{s: NewStream(r)}
}

// Update takes the summary parts so far (a stream.Turn's Reasoning) and
// appends what is new, sanitised. Parts grow at their end and new ones are
// added after them; should an earlier part grow after a later one began,
// the summary is started again from the parts, once.
func (x *Reasoning) Update(parts []string) {
	for i, p := range parts {
		switch {
		case i < len(x.seen) && len(p) == x.seen[i]:
			continue
		case i < len(x.seen) && len(p) > x.seen[i] && i == len(x.seen)-1:
			x.s.Append(sanitize.Text(p[x.seen[i]:]))
		case i == len(x.seen):
			if i > 0 {
				x.s.Append("\n\n")
			}
			x.s.Append(sanitize.Text(p))
			x.seen = append(x.seen, 0)
		default:
			x.restart(parts)
			return
		}
		x.seen[i] = len(p)
	}
}

func (x *Reasoning) restart(parts []string) {
	r := x.s.r
	*x = Reasoning{s: NewStream(r)}
	x.Update(parts)
}

// Lines returns the summary's rows, the open block rendered as it grows;
// like Stream.Lines, the slice is reused. Tail returns its last n rows, for
// the live view while the model thinks.
func (x *Reasoning) Lines() []string { return x.s.Lines() }

// Rows describes the rows the last Lines returned (see Stream.Rows).
func (x *Reasoning) Rows() []Row { return x.s.Rows() }

// Tail returns the last n rows of Lines.
func (x *Reasoning) Tail(n int) []string {
	l := x.s.Lines()
	return l[max(0, len(l)-n):]
}

// Finish closes the summary and returns its final rows.
func (x *Reasoning) Finish() []string { return x.s.Finish() }

// SetRenderer switches to r (a new width or theme) and renders the summary
// again with it.
func (x *Reasoning) SetRenderer(r *Renderer) { x.s.SetRenderer(r) }

// ReasoningStyle derives the style of a reasoning pane from a reply's
// style and the pane's text style: text in the pane's colour (and italic if
// it is), titles and headings bold in that colour, no banner, no margin;
// inline code, emphasis and links keep the reply's look, so a summary reads
// as the reply does, quieter. Only fields of the copy are replaced, so
// reply, whose fields point at shared values, is left as it was.
func ReasoningStyle(reply ansi.StyleConfig, text lipgloss.Style) ansi.StyleConfig {
	st := reply
	fg := hexColour(text.GetForeground())
	italic := text.GetItalic()
	zero := uint(0)
	st.Document.StylePrimitive = ansi.StylePrimitive{Color: fg, Italic: &italic}
	st.Document.Margin, st.Document.Indent = &zero, nil
	bold := true
	st.Heading.StylePrimitive = ansi.StylePrimitive{Color: fg, Bold: &bold, BlockSuffix: reply.Heading.BlockSuffix}
	for _, h := range []*ansi.StyleBlock{&st.H1, &st.H2, &st.H3, &st.H4, &st.H5, &st.H6} {
		h.StylePrimitive = ansi.StylePrimitive{Prefix: h.Prefix}
	}
	st.H1.StylePrimitive = ansi.StylePrimitive{Prefix: "# "}
	st.Text = ansi.StylePrimitive{}
	st.Paragraph.StylePrimitive.Color = nil
	return st
}

// hexColour formats c for glamour; nil stays unset.
func hexColour(c color.Color) *string {
	if c == nil {
		return nil
	}
	if _, ok := c.(lipgloss.NoColor); ok {
		return nil
	}
	r, g, b, _ := c.RGBA()
	s := fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
	return &s
}
