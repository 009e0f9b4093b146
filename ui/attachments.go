package ui

import (
	"strings"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/sanitize"
)

// A sent prompt lists its files under its text in the transcript (files
// attached to the next prompt are chips in the input: attach_input.go).

// chipText describes one attachment: its name, kind, size, and the tokens
// a text file or an image will cost (an estimate).
func chipText(a attach.Attachment) string {
	var b strings.Builder
	b.WriteString("📎 " + sanitize.OneLine(a.Label()) + " · " + string(a.Kind))
	switch {
	case a.Kind == attach.Text && a.Lines > 0:
		b.WriteString(", " + thousands(a.Lines) + " lines")
	case a.Kind == attach.Image && a.Width > 0:
		b.WriteString(", " + itoa(a.Width) + "×" + itoa(a.Height))
	}
	b.WriteString(" · " + attach.Size(a.Size))
	if a.Tokens > 0 {
		b.WriteString(" · ~" + thousands(a.Tokens) + " tokens")
	}
	return b.String()
}

// chipLines lays the chips out in width columns, one per line, with the
// total estimate when there are several.
func chipLines(atts []attach.Attachment, width int, st *themes.Styles) []string {
	if len(atts) == 0 || width < 1 {
		return nil
	}
	var out []string
	total := 0
	for _, a := range atts {
		out = append(out, fit(st.Input.Chip.Render(chipText(a)), width))
		total += a.Tokens
	}
	if len(atts) > 1 && total > 0 {
		out = append(out, fit(st.Status.Dim.Render(itoa(len(atts))+" files · ~"+thousands(total)+" tokens"), width))
	}
	return out
}
