package prompt_test

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/prompt"
)

// A root model's whole use of the input: keys and pastes in, a box and a
// cursor out, the prompt taken on send.
func Example() {
	palette, _ := themes.ByName("dark")
	in := prompt.New(prompt.Options{Styles: prompt.NewStyles(themes.NewStyles(palette)), Placeholder: "Ask anything…"})
	keys := prompt.DefaultKeyMap()

	for _, r := range "explain " {
		in.Update(tea.KeyPressMsg{Code: r, Text: string(r)}, keys)
	}
	in.Update(tea.PasteMsg{Content: strings.Repeat("a log line\r\n", 5000)}, keys)

	fmt.Println(ansi.Strip(in.Render(60)))
	c := in.Cursor()
	fmt.Println("cursor at", c.X, c.Y, "of a box", in.Height(), "rows tall")

	text, chips := in.Take()
	fmt.Println(len(text), "bytes sent;", len(chips), "chip:", chips[0].Label)
	// Output:
	// ╭──────────────────────────────────────────────────────────╮
	// │ explain [paste #1: 5,000 lines, 53.7 KB]                 │
	// ╰──────────────────────────────────────────────────────────╯
	// cursor at 42 1 of a box 3 rows tall
	// 55008 bytes sent; 1 chip: paste #1: 5,000 lines, 53.7 KB
}
