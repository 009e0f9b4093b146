package markdown

import (
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/themes"
)

// A reasoning summary renders as markdown while it streams: a part's bold
// title shows without its asterisks even before its closing ones arrive,
// inline code without backticks, text in the pane's colour (issue 15, and
// issue 16's raw backticks in expanded reasoning).
func TestReasoningRendersLive(t *testing.T) {
	pal, err := themes.ByName("dark")
	if err != nil {
		t.Fatal(err)
	}
	st := themes.NewStyles(pal)
	r, err := NewRenderer(ReasoningStyle(st.Markdown, st.Reasoning.Text), 40)
	if err != nil {
		t.Fatal(err)
	}
	parts := []string{
		"**Planning the answer**\n\nThe user asks about `strings.Split`; I should check the *docs* first.",
		"**Checking the code**\n\nThe loop calls `parse` once per line.",
	}
	x := NewReasoning(r)
	x.s = newTestStream(r) // no render put off (provDuty)
	var sofar []string
	renders := 0
	for p, part := range parts {
		sofar = append(sofar, "")
		for i := 1; i <= len(part); i += 7 {
			sofar[p] = part[:min(i, len(part))]
			x.Update(sofar)
			before := x.s.provRenders
			rows := x.Lines()
			renders += x.s.provRenders - before
			text := xansi.Strip(strings.Join(rows, "\n"))
			if strings.Contains(text, "**") || strings.Contains(text, "`") {
				t.Fatalf("raw markdown after %q:\n%s", sofar[p], text)
			}
			if len(x.Tail(3)) > 3 {
				t.Fatal("Tail longer than asked")
			}
		}
		sofar[p] = part
		x.Update(sofar)
	}
	if renders < 10 {
		t.Fatalf("the open block was rendered %d times while the summary streamed", renders)
	}
	rows := x.Finish()
	text := xansi.Strip(strings.Join(rows, "\n"))
	for _, want := range []string{"Planning the answer", "Checking the code", "strings.Split", "parse"} {
		if !strings.Contains(text, want) {
			t.Errorf("%q missing from\n%s", want, text)
		}
	}
	muted := "38;2;138;138;138" // the dark theme's Muted, #8a8a8a
	var title, body string
	for _, l := range rows {
		switch {
		case strings.Contains(xansi.Strip(l), "Planning"):
			title = l
		case strings.Contains(xansi.Strip(l), "The user"):
			body = l
		}
	}
	if !strings.Contains(title, "\x1b[1;") || !strings.Contains(title, muted) {
		t.Errorf("title not bold in the pane's colour: %q", title)
	}
	if !strings.Contains(body, "\x1b[3;"+muted) {
		t.Errorf("text not italic in the pane's colour: %q", body)
	}
	if d := diffLines(r.Render(strings.Join(parts, "\n\n")), rows); d != "" {
		t.Errorf("streamed summary differs from a render of it:\n%s", d)
	}

	// A part that grows after a later one began: started again, same result.
	y := NewReasoning(r)
	y.Update([]string{"**A**", "b"})
	y.Update([]string{"**A** more", "b"})
	if d := diffLines(r.Render("**A** more\n\nb"), y.Finish()); d != "" {
		t.Error(d)
	}
}
