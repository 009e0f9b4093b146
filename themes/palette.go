// Package themes holds Parley's colour themes: a small semantic Palette per
// theme, and the Styles (lipgloss, help, textarea and glamour) derived from it.
// Adding a theme means writing one Palette constructor in builtin.go.
package themes

import (
	"fmt"
	"image/color"
	"strings"
)

// Palette is the semantic colour set of one theme. Everything in Styles is
// derived from it by NewStyles.
type Palette struct {
	Name string
	Dark bool // the palette is meant for a dark terminal background

	Background color.Color // the terminal background the theme assumes; rarely painted
	Surface    color.Color // panels and bars that sit on the background
	Foreground color.Color // body text
	Muted      color.Color // secondary text: timestamps, labels, reasoning
	Subtle     color.Color // borders, rules, separators, placeholders

	Primary   color.Color // brand; the user label; headings
	Secondary color.Color // the assistant label
	Accent    color.Color // highlights: focus bars, links, the active JSON key

	Success color.Color
	Warning color.Color
	Error   color.Color
	Info    color.Color

	Selection      color.Color // background of a selected row or highlighted text
	CodeBackground color.Color // background of inline code spans

	// GlamourBase names the built-in glamour style the Markdown config starts
	// from (a key of glamour's styles.DefaultStyles, e.g. "dracula"). Empty or
	// unknown means "dark" or "light" according to Dark.
	GlamourBase string
	// CodeTheme names the chroma style used to highlight fenced code blocks
	// (e.g. "dracula", "github"). See markdown.go for why it is a name.
	CodeTheme string
}

// Names returns the names of the built-in themes, in Builtin's order.
func Names() []string {
	builtin := Builtin()
	names := make([]string, len(builtin))
	for i, p := range builtin {
		names[i] = p.Name
	}
	return names
}

// ByName returns the built-in theme called name, ignoring case. The error
// for an unknown name lists the valid ones.
func ByName(name string) (Palette, error) {
	for _, p := range Builtin() {
		if strings.EqualFold(p.Name, strings.TrimSpace(name)) {
			return p, nil
		}
	}
	return Palette{}, fmt.Errorf("unknown theme %q: valid themes are %s",
		name, strings.Join(Names(), ", "))
}

// Default returns the theme used when none is configured: "dark" on a dark
// terminal background, "light" otherwise.
func Default(darkBackground bool) Palette {
	if darkBackground {
		return dark()
	}
	return light()
}
