package prompt

import (
	"image/color"

	"charm.land/lipgloss/v2"

	"github.com/parley-tui/parley/themes"
)

// Styles style the input. Box and BoxFocused are frames with the same
// size (focus never reflows); the rest are text styles.
type Styles struct {
	Box, BoxFocused   lipgloss.Style
	Text, TextBlurred lipgloss.Style
	Placeholder       lipgloss.Style
	Chip              lipgloss.Style // a chip's label
	ChipActive        lipgloss.Style // the chip the cursor touches: backspace deletes it
	Cursor            color.Color    // the terminal cursor's colour; nil leaves the terminal's
}

// NewStyles takes the input's styles from a theme: its frames, text and
// cursor colours as the textarea had them, and chips in the accent
// colour (themes has no chip style yet).
func NewStyles(s *themes.Styles) Styles {
	in := s.Input
	chip := lipgloss.NewStyle().Foreground(s.Palette.Accent)
	return Styles{
		Box:         in.Box,
		BoxFocused:  in.BoxFocused,
		Text:        in.Textarea.Focused.Text,
		TextBlurred: in.Textarea.Blurred.Text,
		Placeholder: in.Placeholder,
		Chip:        chip,
		ChipActive:  chip.Background(s.Palette.Selection),
		Cursor:      in.Textarea.Cursor.Color,
	}
}
