package themes

import (
	"fmt"
	"image/color"
	"reflect"

	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
)

// markdownConfig derives the glamour style for p: glamour's built-in style
// closest to the theme, deep-copied, with the colours that the rest of the
// transcript also uses patched in from the palette.
func markdownConfig(p Palette) ansi.StyleConfig {
	base, ok := styles.DefaultStyles[p.GlamourBase]
	if !ok {
		base = &styles.LightStyleConfig
		if p.Dark {
			base = &styles.DarkStyleConfig
		}
	}
	cfg := cloneStyleConfig(*base)

	// The transcript lays out messages itself: no margin and no blank line
	// before or after the document. Glamour still pads each line to the
	// wrap width, so callers trim trailing spaces.
	cfg.Document.Margin = uintPtr(0)
	cfg.Document.BlockPrefix, cfg.Document.BlockSuffix = "", ""
	cfg.Document.Color = colorPtr(p.Foreground)

	cfg.Heading.Color = colorPtr(p.Primary)
	if cfg.H1.BackgroundColor != nil { // the dark and light bases draw H1 as a banner
		cfg.H1.Color = colorPtr(p.Background)
		cfg.H1.BackgroundColor = colorPtr(p.Primary)
	}
	cfg.H6.Color = colorPtr(p.Muted)
	cfg.BlockQuote.Color = colorPtr(p.Muted)
	cfg.HorizontalRule.Color = colorPtr(p.Subtle)
	cfg.Link.Color = colorPtr(p.Accent)
	cfg.LinkText.Color = colorPtr(p.Accent)
	cfg.Image.Color = colorPtr(p.Accent)
	cfg.ImageText.Color = colorPtr(p.Muted)

	// Inline code: green text (as in the dracula and tokyo-night styles) on
	// the code background, padded with non-breaking spaces so the background
	// reads as a pill and the span never wraps at its edges.
	cfg.Code.Color = colorPtr(p.Success)
	cfg.Code.BackgroundColor = colorPtr(p.CodeBackground)
	cfg.Code.Prefix, cfg.Code.Suffix = "\u00a0", "\u00a0"

	// Fenced code is highlighted by a chroma style named in CodeTheme rather
	// than by a Chroma section: glamour registers a Chroma section in chroma's
	// global registry under the one name "charm", once per process, so the
	// first config rendered would colour the code of every theme after it.
	// (With its default terminal256 formatter glamour also drops chroma's
	// background, so no code-block background is drawn either way.)
	cfg.CodeBlock.Chroma = nil
	cfg.CodeBlock.Theme = p.CodeTheme
	if cfg.CodeBlock.Theme == "" {
		cfg.CodeBlock.Theme = "github"
		if p.Dark {
			cfg.CodeBlock.Theme = "github-dark"
		}
	}
	cfg.CodeBlock.Color = colorPtr(p.Foreground) // used when chroma cannot lex the block
	return cfg
}

// cloneStyleConfig returns a deep copy of c. Glamour's built-in configs are
// package-level values made of pointers (*string, *bool, *uint, *Chroma): a
// plain struct copy would share them with glamour, and writing through one
// would restyle every renderer in the process.
func cloneStyleConfig(c ansi.StyleConfig) ansi.StyleConfig {
	var out ansi.StyleConfig
	deepCopy(reflect.ValueOf(&out).Elem(), reflect.ValueOf(c))
	return out
}

// deepCopy copies src into dst, allocating a new target for every non-nil
// pointer. StyleConfig holds only structs, pointers and plain values; a test
// fails if glamour ever adds a slice, map or interface, which this would share.
func deepCopy(dst, src reflect.Value) {
	switch src.Kind() {
	case reflect.Pointer:
		if src.IsNil() {
			return
		}
		p := reflect.New(src.Type().Elem())
		deepCopy(p.Elem(), src.Elem())
		dst.Set(p)
	case reflect.Struct:
		for i := range src.NumField() {
			deepCopy(dst.Field(i), src.Field(i))
		}
	default:
		dst.Set(src)
	}
}

// colorPtr formats c as a "#rrggbb" string for glamour; nil stays unset.
func colorPtr(c color.Color) *string {
	if c == nil {
		return nil
	}
	r, g, b, _ := c.RGBA()
	s := fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
	return &s
}

func uintPtr(u uint) *uint { return &u }
