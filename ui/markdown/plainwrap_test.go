package markdown

import (
	"slices"
	"testing"
)

func TestAppendWrapped(t *testing.T) {
	got := appendWrapped(nil, "  lead spaces then some words and averyveryverylongwordthatbreaks here 中文中文中文中文中文中文中文中文 end", "| ", 18)
	want := []string{
		"|   lead spaces then",
		"| some words and",
		"| averyveryverylongw",
		"| ordthatbreaks",
		"| here",
		"| 中文中文中文中文中",
		"| 文中文中文中文",
		"| end",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("got\n%q\nwant\n%q", got, want)
	}
}
