package themes

import (
	"image/color"
	"reflect"
	"strings"
	"testing"
)

// Every colour of a Palette can be set from a config file.
func TestColourFieldsCoverPalette(t *testing.T) {
	var p Palette
	fields := colourFields(&p)
	colourType := reflect.TypeFor[color.Color]()
	v := reflect.ValueOf(&p).Elem()
	n := 0
	for i := range v.NumField() {
		if v.Type().Field(i).Type != colourType {
			continue
		}
		n++
		ptr := v.Field(i).Addr().Interface().(*color.Color)
		found := false
		for _, f := range fields {
			found = found || f == ptr
		}
		if !found {
			t.Errorf("Palette.%s has no config name", v.Type().Field(i).Name)
		}
	}
	if n != len(fields) {
		t.Errorf("%d colour fields, %d config names", n, len(fields))
	}
}

func TestFromConfig(t *testing.T) {
	p, err := FromConfig("mine", "dracula", map[string]string{"primary": "#ff8700", "code_background": "#abc"})
	if err != nil {
		t.Fatal(err)
	}
	base, _ := ByName("dracula")
	if p.Name != "mine" || !p.Dark || p.GlamourBase != "dracula" || p.CodeTheme != base.CodeTheme {
		t.Errorf("palette %q dark=%v glamour=%q code=%q, want mine over dracula", p.Name, p.Dark, p.GlamourBase, p.CodeTheme)
	}
	if !sameColour(p.Primary, "#ff8700") || !sameColour(p.CodeBackground, "#aabbcc") {
		t.Errorf("primary %v code background %v, want the configured colours", p.Primary, p.CodeBackground)
	}
	if !sameColour(p.Accent, "#ff79c6") {
		t.Errorf("accent %v, want dracula's, untouched", p.Accent)
	}
	NewStyles(p) // a custom palette builds styles like any other

	p, err = FromConfig("", "", nil)
	if err != nil || p.Name != "custom" || p.GlamourBase != "dark" {
		t.Errorf("empty config gives %q over %q (%v), want custom over dark", p.Name, p.GlamourBase, err)
	}

	for _, c := range []struct {
		base    string
		colours map[string]string
		want    string
	}{
		{"neon", nil, `base: unknown theme "neon": valid themes are dark, light, dracula, tokyo-night`},
		{"dark", map[string]string{"primay": "#fff"}, "primay: unknown colour (did you mean primary?); expected one of accent, background,"},
		{"dark", map[string]string{"primary": "orange"}, `primary: expected a colour as #rgb or #rrggbb, got "orange"`},
		{"dark", map[string]string{"primary": "#ff87"}, `primary: expected a colour as #rgb or #rrggbb, got "#ff87"`},
	} {
		_, err := FromConfig("x", c.base, c.colours)
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("FromConfig(%q, %v) = %v, want %q", c.base, c.colours, err, c.want)
		}
	}
}

func sameColour(c color.Color, hex string) bool {
	r1, g1, b1, _ := c.RGBA()
	r2, g2, b2, _ := parseHex(hex).RGBA()
	return r1 == r2 && g1 == g2 && b1 == b2
}

func parseHex(hex string) color.Color {
	var r, g, b uint8
	for i, dst := range []*uint8{&r, &g, &b} {
		s := hex[1+2*i : 3+2*i]
		var v uint8
		for _, ch := range s {
			v <<= 4
			switch {
			case ch >= '0' && ch <= '9':
				v |= uint8(ch - '0')
			default:
				v |= uint8(ch-'a') + 10
			}
		}
		*dst = v
	}
	return color.RGBA{r, g, b, 0xff}
}
