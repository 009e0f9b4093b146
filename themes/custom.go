package themes

import (
	"fmt"
	"image/color"
	"regexp"
	"slices"
	"strings"

	"charm.land/lipgloss/v2"

	"github.com/parley-tui/parley/model/suggest"
)

// colourFields maps each colour of a Palette to its name in a config
// file (snake_case). A test checks it covers every colour field.
func colourFields(p *Palette) map[string]*color.Color {
	return map[string]*color.Color{
		"background": &p.Background, "surface": &p.Surface, "foreground": &p.Foreground,
		"muted": &p.Muted, "subtle": &p.Subtle,
		"primary": &p.Primary, "secondary": &p.Secondary, "accent": &p.Accent,
		"success": &p.Success, "warning": &p.Warning, "error": &p.Error, "info": &p.Info,
		"selection": &p.Selection, "code_background": &p.CodeBackground,
	}
}

// ColourNames lists the colours a custom palette may set, sorted.
func ColourNames() []string {
	var names []string
	for n := range colourFields(&Palette{}) {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

var hexColour = regexp.MustCompile(`^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// FromConfig builds a custom palette: the built-in theme base (dark when
// empty) with colours replaced, each named as in ColourNames and written
// #rgb or #rrggbb. The palette is called name ("custom" when empty); its
// markdown and code styles are base's. The error is a *ColourError.
func FromConfig(name, base string, colours map[string]string) (Palette, error) {
	if base == "" {
		base = "dark"
	}
	p, err := ByName(base)
	if err != nil {
		return Palette{}, &ColourError{Name: "base", Msg: err.Error()}
	}
	p.Name = name
	if p.Name == "" {
		p.Name = "custom"
	}
	fields := colourFields(&p)
	keys := make([]string, 0, len(colours))
	for k := range colours {
		keys = append(keys, k)
	}
	slices.Sort(keys) // the first problem, in a stable order
	for _, k := range keys {
		field, ok := fields[k]
		if !ok {
			return Palette{}, &ColourError{Name: k, Msg: fmt.Sprintf("unknown colour%s; expected one of %s",
				suggest.Hint(k, ColourNames()), strings.Join(ColourNames(), ", "))}
		}
		v := strings.TrimSpace(colours[k])
		if !hexColour.MatchString(v) {
			return Palette{}, &ColourError{Name: k, Msg: fmt.Sprintf("expected a colour as #rgb or #rrggbb, got %q", colours[k])}
		}
		*field = lipgloss.Color(v)
	}
	return p, nil
}

// ColourError is a bad entry of a custom palette: Name is the colour's
// name as written, or "base".
type ColourError struct {
	Name string
	Msg  string
}

func (e *ColourError) Error() string { return e.Name + ": " + e.Msg }
