package markdown

import (
	"strings"
	"testing"
)

// A loose list item's second paragraph starts a row of its own, whole and
// streamed: glamour glues it to the first ("1. AlternativesNote that",
// glamour#167), and models write "1. **Title**", a blank line and an
// indented paragraph all the time.
func TestLooseListItemParagraphsStayApart(t *testing.T) {
	doc := "Options:\n\n1. **Alternatives**\n\n   Note that the slice is re-sliced.\n\n2. **Bullets**\n\n   - nested *one*\n\n     and its second paragraph\n"
	r := newRenderer(t, 60)
	rows := plain(r.Render(doc))
	for _, want := range []string{"1. Alternatives", "Note that the slice is re-sliced.", "2. Bullets", "and its second paragraph"} {
		if !hasRowStarting(rows, want) {
			t.Errorf("no row starts with %q:\n%s", want, strings.Join(rows, "\n"))
		}
	}
	s := newTestStream(newRenderer(t, 60))
	for i := range len(doc) {
		s.Append(doc[i : i+1])
		if got := strings.Join(plain(s.Lines()), "\n"); strings.Contains(got, "AlternativesN") || strings.Contains(got, "oneand") {
			t.Fatalf("after %q the paragraphs are glued:\n%s", doc[:i+1], got)
		}
	}
}

func hasRowStarting(rows []string, prefix string) bool {
	for _, r := range rows {
		if strings.HasPrefix(strings.TrimSpace(r), prefix) {
			return true
		}
	}
	return false
}
