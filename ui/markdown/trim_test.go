package markdown

import (
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"
)

func TestTrimLine(t *testing.T) {
	const (
		fg    = "\x1b[38;5;252m"
		bg    = "\x1b[38;5;228;48;5;63;1m"
		bgOut = "\x1b[1;38;5;228;48;5;63m" // canonical order: attributes, then colours
		reset = "\x1b[m"
		link  = "\x1b]8;id=1;https://go.dev\x07"
		unlnk = "\x1b]8;;\x07"
	)
	pad := strings.Repeat(fg+" "+reset, 5)
	tests := []struct{ name, in, want string }{
		{"plain", "  text   ", "  text"},
		{"padding pairs", "  " + fg + "Hello" + reset + pad, "  " + fg + "Hello" + reset},
		{"blank line of padding", "  " + fg + reset + pad, ""},
		{"no-op in the middle", "  " + fg + reset + fg + "x" + reset, "  " + fg + "x" + reset},
		{"reset of default", reset + "x" + reset + reset, "x"},
		{"reset after a dropped style still resets", "\x1b[1mA\x1b[31m" + reset + "B", "\x1b[1mA" + reset + "B"},
		{"open style closed", fg + "x", fg + "x" + reset},
		{"background space kept, one style run", bg + " " + reset + bg + "Title" + reset + bg + " " + reset + pad,
			bgOut + " Title " + reset},
		{"256 colour 48 is not a background", "\x1b[38;5;48mx " + reset + pad, "\x1b[38;5;48mx" + reset},
		{"underlined space kept", "\x1b[4mx " + reset, "\x1b[4mx " + reset},
		{"hyperlink closed after cut", link + fg + "go" + reset + pad + unlnk, link + fg + "go" + reset + unlnk},
		{"nbsp is visible", fg + "\u00a0code\u00a0" + reset + pad, fg + "\u00a0code\u00a0" + reset},
		{"tabs expanded", "    " + fg + "\tx" + reset, "        " + fg + "x" + reset},
		{"styled indent is plain spaces", "  " + fg + " " + reset + fg + " " + reset + fg + "code" + reset, "    " + fg + "code" + reset},
		{"foreground overridden before text", fg + "\x1b[38;2;1;2;3mx" + reset, "\x1b[38;2;1;2;3mx" + reset},
		{"bold kept when colour overrides", "\x1b[1m\x1b[38;2;1;2;3mx" + reset, "\x1b[1;38;2;1;2;3mx" + reset},
		{"spaces under a background stay styled", bg + "  x" + reset, bgOut + "  x" + reset},
		{"same look, same bytes", "\x1b[38;5;252;1mA" + reset + "\x1b[1m\x1b[38;5;252mB" + reset, "\x1b[1;38;5;252mAB" + reset},
		{"colon sub-parameters", "\x1b[4:3mx" + reset + "\x1b[4:0my", "\x1b[4:3mx" + reset + "y"},
		{"tab after wide char", "中\tx", "中  x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := trimLine(tt.in)
			if got != tt.want {
				t.Fatalf("trimLine(%q)\n got %q\nwant %q", tt.in, got, tt.want)
			}
			if again := trimLine(got); again != got {
				t.Fatalf("not idempotent: %q -> %q", got, again)
			}
		})
	}
}

// Trimming must not change what a glamour render looks like: same visible
// text, minus trailing spaces.
func TestRenderTrimsPaddingOnly(t *testing.T) {
	r := newRenderer(t, 60)
	doc := corpus["paragraphs"] + "\n\n" + corpus["tables"] + "\n\n" + corpus["headings"]
	raw, _, err := r.render(r.parse(doc))
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for l := range strings.SplitSeq(raw, "\n") {
		want = append(want, strings.TrimRight(xansi.Strip(l), " "))
	}
	want = trimLines(want)
	got := r.Render(doc)
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d", len(got), len(want))
	}
	rawBytes, gotBytes := len(raw), 0
	for i, l := range got {
		if strings.TrimRight(xansi.Strip(l), " ") != want[i] {
			t.Errorf("line %d: got %q, want %q", i, xansi.Strip(l), want[i])
		}
		if w := xansi.StringWidth(l); w > r.Width() {
			t.Errorf("line %d is %d columns wide, more than %d", i, w, r.Width())
		}
		gotBytes += len(l) + 1
	}
	if gotBytes*3 > rawBytes {
		t.Errorf("trimmed output is %d bytes, raw %d: padding not removed", gotBytes, rawBytes)
	}
}
