package markdown

import (
	"testing"

	xansi "github.com/charmbracelet/x/ansi"
)

// The session picker previews a message in one line: no markdown syntax
// (issue 16: "## Short answer … **without** …"), no tab or newline.
func TestPlainPreview(t *testing.T) {
	tests := []struct {
		md    string
		width int
		want  string
	}{
		{"## Short answer\n\nUse it **without** a lock.", 80, "Short answer Use it without a lock."},
		{"## Short answer … **without** …", 80, "Short answer … without …"},
		{"- one\n- `two`\n\t- three", 80, "one two three"},
		{"See [the docs](https://go.dev) and <https://x.y>.", 80, "See the docs and https://x.y."},
		{"```go\nx := 1\n```\nafter", 80, "x := 1 after"},
		{"| a | b |\n|---|---|\n| 1 | 2 |", 80, "a b 1 2"},
		{"> quoted *text*\n\n1. first\n2. second", 80, "quoted text first second"},
		{"tabs\tand\nnew\r\nlines", 80, "tabs and new lines"},
		{"A long line that does not fit in the width", 20, "A long line that do…"},
		{"中文标题很长很长", 9, "中文标题…"},
		{"\x1b]0;title\x07 <b>html</b> text", 80, "␛]0;title� html text"},
		{"", 10, ""},
	}
	for _, tt := range tests {
		got := PlainPreview(tt.md, tt.width)
		if got != tt.want {
			t.Errorf("PlainPreview(%q, %d) = %q, want %q", tt.md, tt.width, got, tt.want)
		}
		if w := xansi.StringWidth(got); w > tt.width {
			t.Errorf("PlainPreview(%q, %d) is %d columns", tt.md, tt.width, w)
		}
	}
}
