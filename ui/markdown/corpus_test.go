package markdown

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// corpus holds documents that exercise every block kind and every pair of
// neighbours the split rule has to get right.
var corpus = map[string]string{
	"headings": "# Title\n\nIntro paragraph.\n\n## Section\n\nText under section.\n\n### Sub\n\n#### Deep heading\nright after a heading\n\nSetext One\n==========\n\nSetext Two\n----------\n\nend.\n",

	"paragraphs": "First paragraph with **bold**, *italic*, `inline code` and a [link](https://example.com/docs).\n\n" +
		"A second paragraph that is long enough to wrap several times at the widths we test, because it keeps going " +
		"with words and more words, some `code spans`, some ~~strikethrough~~, and a URL https://example.org/a/very/long/path?with=query " +
		"until it finally stops.\nIt has a soft line break too.\n\nLast.",

	"bullets": "Things:\n\n- one\n- two with `code`\n  - nested a\n  - nested b\n    - deeper\n- three\n\n* star list\n* second\n\n+ plus list\n\nAfter the lists.\n",

	"numbered": "Steps:\n\n1. first\n2. second\n   1. sub one\n   2. sub two\n3. third\n\n1) paren style\n2) next\n\nDone.\n",

	"loose-lists": "1. Install\n\n   Run `go get` first. This continuation paragraph belongs to item one.\n\n2. Configure\n\n   Edit the file.\n\n   Another paragraph in item two.\n\n3. Run\n\n- loose bullet\n\n- another loose bullet\n\n  continuation of the bullet\n\n- last\n\nParagraph after.\n",

	"list-with-fence": "1. Build it:\n\n   ```bash\n   go build ./...\n\n   ./parley\n   ```\n\n2. Then test:\n\n   ```\n   go test ./...\n   ```\n\nText.\n",

	"fences": "Go:\n\n```go\npackage main\n\nimport \"fmt\"\n\n// main prints a greeting.\nfunc main() {\n\tfmt.Println(\"hi\") // comment\n}\n```\n\nPython:\n\n```python\ndef f(x):\n    # a comment\n\n    return x * 2\n```\n\nNo language:\n\n```\nplain code\n\n\nwith blank lines\n```\n\n~~~\ntilde fence\n```\nnot a close\n~~~\n\n````md\n```go\ninner\n```\n````\n\nAfter.\n",

	"tables": "| Name | Type | Notes |\n|------|:----:|------:|\n| alpha | `int` | first |\n| beta | string | second, longer note |\n\nText between.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n| c | d |\n|---|---|\n| 3 | 4 |\n",

	"quotes": "> A quote\n> over two lines.\n>\n> Second paragraph in the quote.\n\n> Another quote block.\n\n> Third, after a blank.\n\nOutside.\n\n> - list in quote\n> - more\n",

	"rules": "Above.\n\n---\n\nBetween.\n\n***\n\n___\n\n- - -\n\nBelow.\n",

	"inline": "Mix of **bold _nested italic_** and `code` and [a link](https://go.dev) and <https://auto.link> and ~~gone~~.\n\n**Bold line**\n\n*Italic line*\n\n`code line`\n",

	"emoji-cjk": "Emoji: 🎉 🚀 ✅ 👍🏽 and family 👨‍👩‍👧.\n\n中文段落：这是一段很长的中文文本，用来测试宽字符的换行是否正确处理，并且需要足够长才能在窄屏幕上换行。\n\n日本語の文章もテストします。これは折り返しのための長い文です。\n\n- 列表项一\n- 列表项二\n",

	"mixed-transitions": "# H\n- item right after heading\n- item\n\nPara\n```go\nx := 1\n```\nText after fence without blank.\n\n> quote\ncontinued lazily\n\n1. a\n\n   b\n3. c\n\n    indented code block\n\n    still code\n\nfinal",

	"numbering-midstream": "Intro.\n\n3. starts at three\n4. four\n\nInterrupting paragraph.\n\n7. resumes at seven\n8. eight\n",

	"task-lists": "- [ ] todo\n- [x] done\n\nText.\n",

	"trailing-no-newline": "Para one.\n\n## Heading\n\nlast line without newline",

	"leading-blanks": "\n\n\nText after leading blank lines.\n\n\n\n\nText after many blanks.\n\n\n",

	"open-fence-at-end": "Some text.\n\n```go\nfunc unfinished() {\n\n\treturn\n",

	"definition-ish": "Term\n\n: definition after a blank\n\nNext para.\n",

	"list-fence-indent4": "1. Step\n\n    ```python\n    x = 1\n\n    y = 2\n    ```\n\n2. Next\n\n- bullet\n\n    ```\n    code\n\n    more\n    ```\nText.\n",

	"tabs": "```go\nfunc f() {\n\tif x {\n\t\treturn\n\t}\n}\n```\n\n-\tTab bullet\n\nText\twith a tab.\n",
}

// refCorpus holds documents that only a whole-document render gets right.
var refCorpus = map[string]string{
	"reference-links": "See [the docs][docs] and [Go][].\n\nMore text here.\n\n[docs]: https://example.com/docs\n[Go]: https://go.dev\n",
	"footnotes":       "A claim.[^1]\n\nMore.\n\n[^1]: The footnote text.\n",
	"html-block":      "Before.\n\n<details>\n<summary>More</summary>\n\nHidden text.\n\n</details>\n\nAfter.\n",
	"html-comment":    "Before.\n\n<!--\na comment\n\nwith a blank line\n-->\n\nAfter.\n",
}

// llmReply returns a realistic LLM-style reply of at least size bytes:
// headings, prose with inline markup, lists (tight, loose, nested), code in
// several languages, tables and quotes, varied by a fixed seed.
func llmReply(size int) string {
	rng := rand.New(rand.NewPCG(42, 7))
	words := strings.Fields("the a streaming renderer block cache commit boundary terminal width glamour " +
		"delta message user model token latency buffer parser fence table list item quote " +
		"value config server client request response retry timeout context error handler")
	sentence := func() string {
		n := 6 + rng.IntN(14)
		w := make([]string, n)
		for i := range w {
			w[i] = words[rng.IntN(len(words))]
			switch rng.IntN(14) {
			case 0:
				w[i] = "`" + w[i] + "()`"
			case 1:
				w[i] = "**" + w[i] + "**"
			case 2:
				w[i] = "*" + w[i] + "*"
			case 3:
				w[i] = "[" + w[i] + "](https://example.com/" + w[i] + ")"
			}
		}
		s := strings.Join(w, " ")
		return strings.ToUpper(s[:1]) + s[1:] + "."
	}
	para := func() string {
		n := 1 + rng.IntN(5)
		s := make([]string, n)
		for i := range s {
			s[i] = sentence()
		}
		return strings.Join(s, " ")
	}
	var b strings.Builder
	for sec := 0; b.Len() < size; sec++ {
		fmt.Fprintf(&b, "## Section %d: %s\n\n%s\n\n", sec+1, words[rng.IntN(len(words))], para())
		switch sec % 7 {
		case 0:
			for i := range 3 + rng.IntN(3) {
				fmt.Fprintf(&b, "- %s\n", sentence())
				if i == 1 {
					fmt.Fprintf(&b, "  - nested %s\n", sentence())
				}
			}
			b.WriteString("\n")
		case 1:
			for i := range 3 {
				fmt.Fprintf(&b, "%d. **Step %d**\n\n   %s\n\n", i+1, i+1, para())
			}
		case 2:
			fmt.Fprintf(&b, "```go\n// %s\nfunc handle%d(ctx context.Context) error {\n\tif err := run(ctx); err != nil {\n\t\treturn fmt.Errorf(\"run: %%w\", err)\n\t}\n\n\treturn nil\n}\n```\n\n", sentence(), sec)
		case 3:
			fmt.Fprintf(&b, "```python\ndef step_%d(x):\n    # %s\n    return [i * 2 for i in range(x)]\n```\n\n", sec, sentence())
		case 4:
			b.WriteString("| Option | Default | Meaning |\n|---|---|---|\n")
			for i := range 4 {
				fmt.Fprintf(&b, "| `opt%d` | %d | %s |\n", i, rng.IntN(100), sentence())
			}
			b.WriteString("\n")
		case 5:
			fmt.Fprintf(&b, "> **Note:** %s\n>\n> %s\n\n", para(), sentence())
		case 6:
			fmt.Fprintf(&b, "### Details\n\n1. %s\n2. %s\n   - %s\n3. %s\n\n---\n\n", sentence(), sentence(), sentence(), sentence())
		}
		fmt.Fprintf(&b, "%s\n\n", para())
	}
	return b.String()
}

// chunkers cut a document into deltas the way a stream might.
var chunkers = map[string]func(string) []string{
	"1B":     fixedChunks(1),
	"3B":     fixedChunks(3),
	"rand40": randomChunks(1, 40, 1),
	"lines": func(s string) []string {
		return strings.SplitAfter(s, "\n")
	},
}

func fixedChunks(n int) func(string) []string {
	return func(s string) []string {
		var out []string
		for len(s) > n {
			out = append(out, s[:n])
			s = s[n:]
		}
		return append(out, s)
	}
}

// randomChunks cuts s into deltas of min..max bytes with a fixed seed. Cuts
// may split a UTF-8 sequence, as network chunks can.
func randomChunks(lo, hi int, seed uint64) func(string) []string {
	return func(s string) []string {
		rng := rand.New(rand.NewPCG(seed, seed))
		var out []string
		for len(s) > 0 {
			n := min(lo+rng.IntN(hi-lo+1), len(s))
			out = append(out, s[:n])
			s = s[n:]
		}
		return out
	}
}
