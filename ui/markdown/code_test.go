package markdown

import (
	"strings"
	"testing"

	"charm.land/glamour/v2/styles"
	xansi "github.com/charmbracelet/x/ansi"
)

// At any width a long code line wraps, and its continuation rows keep the
// line's indent; no row is wider than the renderer (issue 17).
func TestWrappedCodeKeepsItsIndent(t *testing.T) {
	src := "func f() {\n\tif len(fields) < 2 {\n\t\tlog.Printf(\"line %d: expected 2 fields, got %d\", i+1, len(fields))\n\t}\n}"
	for _, doc := range []string{
		"```go\n" + src + "\n```",
		"1. Step one:\n\n   ```go\n   " + strings.ReplaceAll(src, "\n", "\n   ") + "\n   ```",
		"> ```go\n> " + strings.ReplaceAll(src, "\n", "\n> ") + "\n> ```",
	} {
		for _, width := range []int{38, 30, 24} {
			r := newRenderer(t, width)
			lines := plain(r.Render(doc))
			for _, l := range lines {
				if w := xansi.StringWidth(l); w > width {
					t.Errorf("w%d: row of %d columns: %q", width, w, l)
				}
			}
			// The rows of the Printf line: every continuation starts at the
			// column where "log" starts.
			first := -1
			for i, l := range lines {
				if strings.Contains(l, "log.Printf") {
					first = i
					break
				}
			}
			if first < 0 {
				t.Fatalf("w%d: no Printf row in\n%s", width, strings.Join(lines, "\n"))
			}
			col := strings.Index(lines[first], "log")
			var words []string
			for i := first; i < len(lines) && !strings.Contains(lines[i], "}"); i++ {
				l := lines[i]
				if i > first && (len(l) <= col || l[col] == ' ' || l[col-1] != ' ') {
					t.Errorf("w%d: continuation %q does not start at column %d", width, l, col)
				}
				words = append(words, strings.Fields(l[min(col, len(l)):])...)
			}
			// Only the spaces at a break may go.
			want := strings.Fields(`log.Printf("line %d: expected 2 fields, got %d", i+1, len(fields))`)
			if strings.Join(words, "") != strings.Join(want, "") {
				t.Errorf("w%d: wrapped line lost text:\n got %q\nwant %q", width, words, want)
			}
		}
	}
}

// A fence without a language is not highlighted and never asks chroma to
// guess a lexer (issue 18): that guess ran every lexer's heuristics, ~5 ms
// per block, and usually found plain text.
func TestBareFenceSkipsLexerLookup(t *testing.T) {
	r := newRenderer(t, 60)
	for _, lang := range []string{"", "text", "plaintext", "no-such-language-xyz"} {
		if l := r.hl.lexer(lang); l != nil {
			t.Errorf("lexer(%q) = %s, want none", lang, l.Config().Name)
		}
	}
	if r.hl.lexer("go") == nil || r.hl.lexer("Python") == nil && r.hl.lexer("python") == nil {
		t.Error("no lexer for a named language")
	}
	// Rendered, a bare fence is all in one colour (the style's text colour),
	// where Go would have several.
	colours := func(out string) map[string]bool {
		seen := map[string]bool{}
		for i := 0; i < len(out); {
			seq, kind := nextToken(out, i)
			i += len(seq)
			if kind == tokSGR && strings.Contains(seq, "38;2;") {
				seen[seq] = true
			}
		}
		return seen
	}
	out := strings.Join(r.Render("```\nx := 1 // not go\n```"), "\n")
	if n := len(colours(out)); n != 1 {
		t.Errorf("bare fence in %d colours: %q", n, out)
	}
	if n := len(colours(strings.Join(r.Render("```go\nx := 1 // go\n```"), "\n"))); n < 3 {
		t.Errorf("go fence in %d colours", n)
	}
	if !strings.Contains(xansi.Strip(out), "x := 1 // not go") {
		t.Errorf("bare fence lost its text: %q", out)
	}
}

// Backslashes, tabs and markdown-looking text inside code come out as
// written (glamour unescapes "\\." in code it does not highlight).
func TestCodeTextIsVerbatim(t *testing.T) {
	r := newRenderer(t, 80)
	code := `re := regexp.MustCompile("\\.go$|\*\*|\[x\]")` + "\n\tpath := `C:\\dir\\file`\n# not a heading **not bold**"
	for _, lang := range []string{"go", ""} {
		got := strings.Join(plain(r.Render("```"+lang+"\n"+code+"\n```")), "\n")
		for _, l := range strings.Split(strings.ReplaceAll(code, "\t", "    "), "\n") {
			if !strings.Contains(got, l) {
				t.Errorf("lang %q: %q missing from\n%s", lang, l, got)
			}
		}
	}
}

// Code is highlighted with the style's chroma section or theme, whichever
// it has, and never through chroma's global style registry.
func TestCodeStyleFromConfig(t *testing.T) {
	withSection := styles.DarkStyleConfig // has a Chroma section
	r1, err := NewRenderer(withSection, 60)
	if err != nil {
		t.Fatal(err)
	}
	withTheme := styles.DarkStyleConfig
	withTheme.CodeBlock.Chroma = nil
	withTheme.CodeBlock.Theme = "monokai"
	r2, err := NewRenderer(withTheme, 60)
	if err != nil {
		t.Fatal(err)
	}
	md := "```go\nfunc main() {}\n```"
	a, b := strings.Join(r1.Render(md), ""), strings.Join(r2.Render(md), "")
	if !strings.Contains(a, "38;2;") || !strings.Contains(b, "38;2;") || a == b {
		t.Errorf("styles not applied:\n%q\n%q", a, b)
	}
}

// A block that is one fence is drawn without glamour (fence.go): its rows
// must be exactly those glamour draws, for every style and width, whatever
// the code: so a streamed reply still equals a full render.
func TestFenceFastPathMatchesGlamour(t *testing.T) {
	fences := []string{
		"```go\nfunc main() {\n\tfmt.Println(\"hi\") // comment\n}\n```",
		"```\nplain text\n\n\nwith blank lines\n```",
		"```python\n\n\ndef f(x):\n    \"\"\"Doc.\n\n    More.\n    \"\"\"\n    return x  # done\n\n```",
		"```unknown-lang\nsome code\n```",
		"~~~json\n{\"a\": [1, 2, {\"b\": null}], \"long\": \"" + strings.Repeat("x", 150) + "\"}\n~~~",
		"```go\n\t\tif err := run(ctx, with, many, arguments, that, do, not, fit, on, one, row); err != nil {\n\t\t\treturn err\n\t\t}\n```",
		"```\n中文代码注释 // 很长的一行中文文本用来测试宽字符的换行是否正确处理\n```",
		"```go\nx := 1   \n```",
		"````md\n```go\ninner\n```\n````",
		"```go\nunclosed := true\n\nstill",
	}
	for _, name := range sortedKeys(styles.DefaultStyles) {
		for _, width := range []int{100, 41, 24} {
			fast, err := NewRenderer(*styles.DefaultStyles[name], width)
			if err != nil {
				t.Fatal(err)
			}
			if !fast.fenceFrame.ok {
				t.Errorf("style %s: no fast path", name)
				continue
			}
			slow := fast.Clone()
			slow.fenceFrame.ok = false
			for _, f := range fences {
				calls := fast.calls
				a, b := fast.renderBlock(f), slow.renderBlock(f)
				if fast.calls != calls {
					t.Errorf("style %s: %q went through glamour", name, f[:min(len(f), 30)])
				}
				if d := diffLines(b.lines, a.lines); d != "" || a.lead != b.lead || a.trail != b.trail {
					t.Errorf("style %s w%d %q: lead %d/%d trail %d/%d\n%s", name, width, f[:min(len(f), 30)], a.lead, b.lead, a.trail, b.trail, d)
				}
			}
		}
	}
}
