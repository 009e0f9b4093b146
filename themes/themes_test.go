package themes

import (
	"image/color"
	"math"
	"reflect"
	"slices"
	"strings"
	"testing"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/colorprofile"
)

// paletteColors returns every colour field of p by name, via reflection so
// that a field added later is checked too.
func paletteColors(p Palette) map[string]color.Color {
	out := map[string]color.Color{}
	v := reflect.ValueOf(p)
	colorType := reflect.TypeFor[color.Color]()
	for i := range v.NumField() {
		if f := v.Type().Field(i); f.Type == colorType {
			c, _ := v.Field(i).Interface().(color.Color)
			out[f.Name] = c
		}
	}
	return out
}

func TestBuiltinThemesBuild(t *testing.T) {
	builtin := Builtin()
	if len(builtin) < 4 {
		t.Fatalf("want at least 4 builtin themes, got %d", len(builtin))
	}
	for _, p := range builtin {
		t.Run(p.Name, func(t *testing.T) {
			for name, c := range paletteColors(p) {
				if c == nil {
					t.Errorf("%s is unset", name)
				}
			}
			if p.GlamourBase == "" || p.CodeTheme == "" {
				t.Errorf("GlamourBase %q, CodeTheme %q: want both set", p.GlamourBase, p.CodeTheme)
			}
			st := NewStyles(p)
			if st.Palette.Name != p.Name {
				t.Errorf("Styles.Palette.Name = %q, want %q", st.Palette.Name, p.Name)
			}
			// Render a few styles to make sure nothing panics.
			_ = st.Transcript.UserLabel.Render("You")
			_ = st.Tools.CardFocused.Width(30).Render("card")
			_ = st.Overlay.Render("help")
		})
	}
}

func TestNamesAndByName(t *testing.T) {
	names := Names()
	for _, want := range []string{"dark", "light", "dracula", "tokyo-night"} {
		if !slices.Contains(names, want) {
			t.Errorf("Names() = %v, missing %q", names, want)
		}
	}
	if !slices.Equal(names, Names()) {
		t.Error("Names() order is not stable")
	}
	for _, n := range names {
		p, err := ByName(n)
		if err != nil || p.Name != n {
			t.Errorf("ByName(%q) = %q, %v", n, p.Name, err)
		}
	}
	if p, err := ByName("Dracula"); err != nil || p.Name != "dracula" {
		t.Errorf("ByName is not case-insensitive: %q, %v", p.Name, err)
	}

	_, err := ByName("solarized")
	if err == nil {
		t.Fatal("ByName(unknown) returned no error")
	}
	for _, n := range names {
		if !strings.Contains(err.Error(), n) {
			t.Errorf("error %q does not list %q", err, n)
		}
	}
}

func TestDefault(t *testing.T) {
	if !Default(true).Dark {
		t.Error("Default(true) is not a dark theme")
	}
	if Default(false).Dark {
		t.Error("Default(false) is a dark theme")
	}
}

func TestDarkAndLightStylesDiffer(t *testing.T) {
	d, l := NewStyles(Default(true)), NewStyles(Default(false))
	for name, pair := range map[string][2]lipgloss.Style{
		"UserLabel":   {d.Transcript.UserLabel, l.Transcript.UserLabel},
		"AssistLabel": {d.Transcript.AssistantLabel, l.Transcript.AssistantLabel},
		"Card":        {d.Tools.Card, l.Tools.Card},
		"Status":      {d.Status.StateStreaming, l.Status.StateStreaming},
		"HelpKey":     {d.Help.ShortKey, l.Help.ShortKey},
		"Textarea":    {d.Input.Textarea.Focused.Text, l.Input.Textarea.Focused.Text},
	} {
		if pair[0].Render("x") == pair[1].Render("x") {
			t.Errorf("%s renders the same in dark and light", name)
		}
	}
	if reflect.DeepEqual(d.Markdown, l.Markdown) {
		t.Error("dark and light Markdown configs are equal")
	}
}

// Focused and unfocused frames must be the same size, or focus reflows.
func TestFocusDoesNotChangeFrames(t *testing.T) {
	for _, p := range Builtin() {
		st := NewStyles(p)
		for name, pair := range map[string][2]lipgloss.Style{
			"Card": {st.Tools.Card, st.Tools.CardFocused},
			"Box":  {st.Input.Box, st.Input.BoxFocused},
		} {
			a, b := pair[0], pair[1]
			if a.GetHorizontalFrameSize() != b.GetHorizontalFrameSize() ||
				a.GetVerticalFrameSize() != b.GetVerticalFrameSize() {
				t.Errorf("%s: %s and its focused variant have different frames", p.Name, name)
			}
		}
	}
}

// The palettes must stay legible in truecolor and keep their roles apart
// once Bubble Tea downsamples them to 256 colours.
func TestPaletteLegibility(t *testing.T) {
	for _, p := range Builtin() {
		t.Run(p.Name, func(t *testing.T) {
			for _, c := range []struct {
				name string
				fg   color.Color
				min  float64
			}{
				{"Foreground", p.Foreground, 7},
				{"Muted", p.Muted, 3},
				{"Subtle", p.Subtle, 2},
				{"Primary", p.Primary, 4.5},
				{"Secondary", p.Secondary, 4.5},
				{"Accent", p.Accent, 4.5},
				{"Error", p.Error, 4.5},
			} {
				if r := contrast(c.fg, p.Background); r < c.min {
					t.Errorf("%s on Background: contrast %.2f, want >= %.1f", c.name, r, c.min)
				}
			}
			if r := contrast(p.Foreground, p.Selection); r < 4.5 {
				t.Errorf("Foreground on Selection: contrast %.2f, want >= 4.5", r)
			}
			to256 := func(c color.Color) color.Color { return colorprofile.ANSI256.Convert(c) }
			for _, pair := range [][2]string{
				{"Foreground", "Muted"}, {"Muted", "Subtle"}, {"Selection", "Surface"},
				{"Primary", "Secondary"}, {"Secondary", "Accent"}, {"Primary", "Accent"},
			} {
				cs := paletteColors(p)
				if to256(cs[pair[0]]) == to256(cs[pair[1]]) {
					t.Errorf("%s and %s are the same colour at 256 colours", pair[0], pair[1])
				}
			}
		})
	}
}

// contrast is the WCAG 2 contrast ratio of two colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		x := float64(v) / 0xffff
		if x <= 0.03928 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}
