package markdown

import (
	"strings"
	"testing"

	xansi "github.com/charmbracelet/x/ansi"
)

// hyperlinks returns the URIs of the OSC 8 sequences that open a link in
// out, in order.
func hyperlinks(out string) []string {
	var uris []string
	for i := 0; i < len(out); {
		seq, kind := nextToken(out, i)
		i += len(seq)
		if kind == tokOther && strings.HasPrefix(seq, "\x1b]8;") && !isLinkClose(seq) {
			body := strings.TrimSuffix(strings.TrimSuffix(seq[len("\x1b]8;"):], "\x07"), "\x1b\\")
			_, uri, _ := strings.Cut(body, ";")
			uris = append(uris, uri)
		}
	}
	return uris
}

// Only web and mail links reach the terminal as hyperlinks; any other
// scheme is shown as text that cannot be opened (issue 10, point 5).
func TestOnlyWebAndMailLinksAreHyperlinks(t *testing.T) {
	hostile := map[string]string{
		"javascript":     "[click me](javascript:alert(1))",
		"file":           "[passwords](file:///etc/passwd)",
		"data":           "[x](data:text/html;base64,PHNjcmlwdD4=)",
		"relative":       "[readme](./README.md)",
		"autolink-file":  "<file:///etc/shadow>",
		"custom-scheme":  "[open](vscode://file/etc/passwd)",
		"image-file":     "![logo](file:///tmp/x.png)",
		"uppercase-js":   "[x](JAVASCRIPT:alert(1))",
		"no-host":        "[x](http:///etc/passwd)",
		"in-a-table":     "| a |\n|---|\n| [t](file:///etc/passwd) |",
		"in-a-list":      "- [item](ssh://host)",
		"reference-link": "[ref][r]\n\n[r]: file:///etc/passwd",
	}
	friendly := map[string]string{
		"https":    "[docs](https://go.dev/doc)",
		"http":     "[site](http://example.com/a?b=c)",
		"mailto":   "[mail](mailto:me@example.com)",
		"autolink": "<https://example.com/x>",
		"email":    "<me@example.com>",
		"bare-www": "see www.example.com today",
	}
	for _, width := range []int{80, 30} {
		r := newRenderer(t, width)
		for name, md := range hostile {
			out := strings.Join(r.Render(md), "\n")
			if links := hyperlinks(out); len(links) > 0 {
				t.Errorf("w%d %s: hyperlinks %q in %q", width, name, links, out)
			}
			if strings.Contains(out, "\x1b]") {
				t.Errorf("w%d %s: an OSC sequence reached the output: %q", width, name, out)
			}
		}
		for name, md := range friendly {
			out := strings.Join(r.Render(md), "\n")
			if len(hyperlinks(out)) == 0 {
				t.Errorf("w%d %s: no hyperlink in %q", width, name, out)
			}
		}
	}
	// The text of a neutralised link is still shown, with where it pointed.
	r := newRenderer(t, 80)
	got := xansi.Strip(strings.Join(r.Render("[click me](javascript:alert(1)) now"), "\n"))
	if !strings.Contains(got, "click me javascript:alert(1) now") {
		t.Errorf("neutralised link shows %q", got)
	}
}

// A link wrapped over several rows is a hyperlink on each row, closed at
// the row's end (issue 17): a terminal that draws row by row, or a frame
// composed of some rows only, still links every part.
func TestWrappedLinkStaysALinkOnEveryRow(t *testing.T) {
	r := newRenderer(t, 40)
	md := "Read [the documentation about streaming markdown renderers](https://example.com/a/very/long/path/that/wraps/around/the/row) before you start."
	lines := r.Render(md)
	linked := 0
	for _, l := range lines {
		links := hyperlinks(l)
		text := xansi.Strip(l)
		if strings.Contains(text, "documentation") || strings.Contains(text, "/path/") || strings.Contains(text, "renderers") {
			if len(links) == 0 {
				t.Errorf("row %q shows part of the link but is not linked: %q", text, l)
			}
		}
		if len(links) > 0 {
			linked++
			if !strings.HasSuffix(l, "\x1b]8;;\x07") && !strings.Contains(l, "\x1b]8;;\x07") {
				t.Errorf("row %q leaves its link open", text)
			}
		}
	}
	if linked < 3 {
		t.Errorf("the link spans %d rows, want at least 3:\n%s", linked, strings.Join(plain(lines), "\n"))
	}
}

func TestLinkable(t *testing.T) {
	for dest, want := range map[string]bool{
		"https://go.dev": true, "HTTP://EXAMPLE.COM": true, "mailto:a@b.c": true, " https://x.y ": true,
		"javascript:alert(1)": false, "file:///etc/passwd": false, "data:,x": false, "//example.com": false,
		"/etc/passwd": false, "https://": false, "mailto:": false, "ftp://x.y": false, "": false,
	} {
		if got := linkable(dest); got != want {
			t.Errorf("linkable(%q) = %v, want %v", dest, got, want)
		}
	}
}

// A URL still arriving is shown but not linked: a bare URL or a link's
// destination at the end of the line being written may be cut, and a
// link to half of it would open the wrong page. Once something follows
// it, and in the final render, it is a link to the whole URL (audit T).
func TestPartialURLsAreNotLinkedMidStream(t *testing.T) {
	for _, tt := range []struct {
		name            string
		partial, rest   string
		shown, finalURL string
	}{
		{"bare", "See https://platform.openai.com/docs/gu", "ides/streaming for more.", "https://platform.openai.com/docs/gu", "https://platform.openai.com/docs/guides/streaming"},
		{"bare, a dot so far", "See https://go.dev/doc.", "go for more.", "https://go.dev/doc.", "https://go.dev/doc.go"},
		{"link", "Read [the guide](https://go.dev/d", "oc/effective_go) first.", "the guide", "https://go.dev/doc/effective_go"},
		{"in a list", "- **see https://example.com/a", "b/c** too", "https://example.com/a", "https://example.com/ab/c"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newTestStream(newRenderer(t, 80))
			s.Append(tt.partial)
			out := strings.Join(s.Lines(), "\n")
			if !strings.Contains(xansi.Strip(out), tt.shown) {
				t.Errorf("the partial text is not shown: %q", xansi.Strip(out))
			}
			if l := hyperlinks(out); len(l) != 0 {
				t.Errorf("mid-stream, a partial URL is linked: %q", l)
			}
			s.Append(tt.rest)
			if l := hyperlinks(strings.Join(s.Lines(), "\n")); len(l) == 0 || l[0] != tt.finalURL {
				t.Errorf("once the URL is whole, the links are %q, want %q", l, tt.finalURL)
			}
			if l := hyperlinks(strings.Join(s.Finish(), "\n")); len(l) == 0 || l[0] != tt.finalURL {
				t.Errorf("finished, the links are %q, want %q", l, tt.finalURL)
			}
		})
	}
}
