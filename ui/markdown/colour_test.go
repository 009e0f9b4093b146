package markdown

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"charm.land/glamour/v2/ansi"
	"charm.land/glamour/v2/styles"
	"github.com/rivo/uniseg"

	"github.com/parley-tui/parley/themes"
)

// cell is one character on screen and how it looks.
type cell struct {
	text  string
	style string
}

// cells parses a rendered line into what a terminal shows: each character
// with its attributes and hyperlink. A space's colour shows nothing, so
// spaces keep only the attributes that make them visible.
func cells(line string) []cell {
	var st look
	link := ""
	var out []cell
	for i := 0; i < len(line); {
		seq, kind := nextToken(line, i)
		i += len(seq)
		switch {
		case kind == tokSGR:
			st.apply(seq[2 : len(seq)-1])
		case kind == tokOther && strings.HasPrefix(seq, "\x1b]8;"):
			link = ""
			if !isLinkClose(seq) {
				body := strings.TrimSuffix(strings.TrimSuffix(seq[4:], "\x07"), "\x1b\\")
				_, link, _ = strings.Cut(body, ";")
			}
		case kind == tokText:
			g := uniseg.NewGraphemes(seq)
			for g.Next() {
				c := cell{text: g.Str()}
				if c.text == " " && !st.visibleSpace() {
					c.style = "link=" + link
				} else {
					c.style = fmt.Sprintf("%+v link=%s", st, link)
				}
				out = append(out, c)
			}
		}
	}
	// Trailing unstyled spaces are not there.
	for len(out) > 0 && out[len(out)-1].text == " " && !strings.Contains(out[len(out)-1].style, "{") {
		out = out[:len(out)-1]
	}
	return out
}

// The document's colour is taken out of glamour's style and given back by
// trimStyled (pipeline.go): every character must look exactly as it did,
// in every built-in glamour style and every theme.
func TestLiftedColourLooksTheSame(t *testing.T) {
	reply, err := os.ReadFile("testdata/reply-64k.md")
	if err != nil {
		t.Fatal(err)
	}
	docs := map[string]string{"every-element": everyElement, "reply": string(reply)[:16<<10], "llm": llmReply(8 << 10)}
	for k, v := range corpus {
		docs[k] = v
	}
	cfgs := allStyles()
	lifted := 0
	for _, name := range sortedKeys(cfgs) {
		for _, w := range []int{80, 37} {
			with, err := NewRenderer(cfgs[name], w)
			if err != nil {
				t.Fatal(err)
			}
			if with.docFg != "" {
				lifted++
			}
			without := with.Clone()
			without.md, without.docFg, without.hl.docFg = without.mdTables, "", ""
			for _, doc := range sortedKeys(docs) {
				a, b := without.Render(docs[doc]), with.Render(docs[doc])
				if len(a) != len(b) {
					t.Errorf("%s w%d %s: %d rows, %d with the colour lifted", name, w, doc, len(a), len(b))
					continue
				}
				for i := range a {
					ca, cb := cells(a[i]), cells(b[i])
					if fmt.Sprint(ca) != fmt.Sprint(cb) {
						t.Errorf("%s w%d %s row %d looks different:\n%q\n%q", name, w, doc, i, a[i], b[i])
						break
					}
				}
			}
		}
	}
	if lifted < 4 {
		t.Errorf("the colour was lifted in %d configurations only", lifted)
	}
}

// everyElement has one of each thing glamour draws.
const everyElement = "# H1 title\n\n## H2 **bold** title\n\n### H3\n\n#### H4\n\n##### H5\n\n###### H6\n\n" +
	"Para with *em*, **strong**, ***both***, ~~strike~~, `code`, [link](https://x.y/z), <https://auto.link>, " +
	"<me@x.y>, ![img](https://x.y/i.png) and a very long line that wraps at the width for sure, more words.\n" +
	"Soft break.  \nHard break.\n\n- item **b**\n- item `c`\n  - nested *e*\n\n1. one\n2. two\n   1. sub\n\n" +
	"- [ ] task\n- [x] done\n\n> quote *em*\n> more\n>\n> - list in quote\n\n---\n\n" +
	"| a | b |\n|---|:-:|\n| **x** | [l](https://q.r) |\n| `c` | long cell content here and more |\n\n" +
	"Term\n: definition *em*\n\n<div>html block</div>\n\ninline <b>html</b> here\n\n```go\nx := 1\n```\n\n" +
	"```\nbare\n```\n\n    indented code\n\nLast."

// allStyles is every built-in glamour style and the style of every theme.
func allStyles() map[string]ansi.StyleConfig {
	cfgs := map[string]ansi.StyleConfig{}
	for n, s := range styles.DefaultStyles {
		cfgs["glamour-"+n] = *s
	}
	for _, p := range themes.Builtin() {
		cfgs["theme-"+p.Name] = themes.NewStyles(p).Markdown
	}
	return cfgs
}
