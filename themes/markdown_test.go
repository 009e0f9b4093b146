package themes

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"charm.land/glamour/v2"
	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	chromastyles "github.com/alecthomas/chroma/v2/styles"
	xansi "github.com/charmbracelet/x/ansi"
)

const sampleMarkdown = "# Release notes\n\n" +
	"Some `inline` code and a [link](https://example.com).\n\n" +
	"- alpha\n- beta\n\n" +
	"```go\nfunc main() { fmt.Println(\"hi\") }\n```\n"

func render(t *testing.T, opt glamour.TermRendererOption, md string) string {
	t.Helper()
	r, err := glamour.NewTermRenderer(opt, glamour.WithWordWrap(60))
	if err != nil {
		t.Fatal(err)
	}
	out, err := r.Render(md)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// glamourBuiltins renders sampleMarkdown with each of glamour's own styles
// that a theme starts from, and snapshots their config values.
func glamourBuiltins(t *testing.T) (renders map[string]string, snapshot string) {
	t.Helper()
	renders = map[string]string{}
	for _, name := range []string{styles.DarkStyle, styles.LightStyle, styles.DraculaStyle, styles.TokyoNightStyle} {
		renders[name] = render(t, glamour.WithStandardStyle(name), sampleMarkdown)
	}
	b, err := json.Marshal(styles.DefaultStyles)
	if err != nil {
		t.Fatal(err)
	}
	return renders, string(b)
}

func TestMarkdownDoesNotMutateGlamourStyles(t *testing.T) {
	before, snapBefore := glamourBuiltins(t)

	for _, p := range Builtin() {
		cfg := NewStyles(p).Markdown
		// Write through every pointer the theme's config holds: if any were
		// shared with glamour's package-level styles, glamour would change.
		poison(reflect.ValueOf(&cfg).Elem())
	}

	after, snapAfter := glamourBuiltins(t)
	if snapBefore != snapAfter {
		t.Error("building the themes changed glamour's built-in style values")
	}
	for name, out := range before {
		if after[name] != out {
			t.Errorf("glamour's %q style renders differently after building the themes", name)
		}
	}
}

// poison overwrites every value reachable through a pointer in v.
func poison(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			poison(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			poison(v.Field(i))
		}
	case reflect.String:
		v.SetString("#ff0000")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Uint:
		v.SetUint(v.Uint() + 7)
	}
}

// cloneStyleConfig is deep only while StyleConfig holds nothing but structs,
// pointers and plain values; fail loudly if glamour changes that.
func TestStyleConfigHasNoSharedContainers(t *testing.T) {
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type, string)
	walk = func(typ reflect.Type, path string) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		switch typ.Kind() {
		case reflect.Pointer:
			walk(typ.Elem(), path)
		case reflect.Struct:
			for i := range typ.NumField() {
				f := typ.Field(i)
				if !f.IsExported() {
					t.Errorf("%s.%s is unexported: cloneStyleConfig cannot copy it", path, f.Name)
				}
				walk(f.Type, path+"."+f.Name)
			}
		case reflect.Slice, reflect.Map, reflect.Interface, reflect.Func, reflect.Chan, reflect.Array:
			t.Errorf("%s is a %s: cloneStyleConfig would share it", path, typ.Kind())
		}
	}
	walk(reflect.TypeFor[ansi.StyleConfig](), "StyleConfig")
}

func TestMarkdownRendersWithEveryTheme(t *testing.T) {
	for _, p := range Builtin() {
		t.Run(p.Name, func(t *testing.T) {
			cfg := NewStyles(p).Markdown
			if cfg.Document.Margin == nil || *cfg.Document.Margin != 0 {
				t.Errorf("Document.Margin = %v, want 0", cfg.Document.Margin)
			}
			if _, ok := chromastyles.Registry[cfg.CodeBlock.Theme]; !ok {
				t.Errorf("CodeBlock.Theme %q is not a chroma style", cfg.CodeBlock.Theme)
			}
			out := render(t, glamour.WithStyles(cfg), sampleMarkdown)
			plain := xansi.Strip(out)
			for _, want := range []string{"Release notes", "inline", "link", "alpha", "beta", "fmt.Println", `"hi"`} {
				if !strings.Contains(plain, want) {
					t.Errorf("render lacks %q:\n%s", want, plain)
				}
			}
			if strings.HasPrefix(plain, "\n") {
				t.Error("render starts with a blank line")
			}
			if !strings.Contains(plain, "\n• alpha") {
				t.Errorf("list item is indented by a document margin:\n%s", plain)
			}
			if again := render(t, glamour.WithStyles(cfg), sampleMarkdown); again != out {
				t.Error("rendering twice gave different output")
			}
		})
	}
}

// Code highlighting must follow the theme's CodeTheme, whichever theme (or
// glamour style with a Chroma section) happened to render first: glamour
// registers a Chroma section once per process, under one name.
func TestCodeHighlightingFollowsCodeTheme(t *testing.T) {
	const code = "```go\nfunc main() { return 42 }\n```\n"
	p, err := ByName("dracula")
	if err != nil {
		t.Fatal(err)
	}
	q := p
	q.CodeTheme = "github"
	renderWith := func(p Palette) string {
		return render(t, glamour.WithStyles(NewStyles(p).Markdown), code)
	}

	first := renderWith(p)
	_ = render(t, glamour.WithStandardStyle(styles.DarkStyle), code) // registers glamour's Chroma section
	other := renderWith(q)
	if renderWith(p) != first {
		t.Error("the same theme highlights code differently after other styles were used")
	}
	if other == first {
		t.Error("changing only CodeTheme does not change the highlighting")
	}
}
