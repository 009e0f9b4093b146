package markdown

import "testing"

func TestListItemPrefix(t *testing.T) {
	tests := []struct {
		in              string
		complete        bool
		item, wantKnown bool
	}{
		{"- a", true, true, true},
		{"-", true, true, true},
		{"-", false, false, false},
		{"--", false, false, true},
		{"---", true, false, true},
		{"* b", false, true, true},
		{"*emphasis*", false, false, true},
		{"+\tx", false, true, true},
		{"1. a", false, true, true},
		{"12", false, false, false},
		{"12", true, false, true},
		{"12)", false, false, false},
		{"12) x", false, true, true},
		{"1.5 is a number", false, false, true},
		{"1234567890. too long", false, false, true},
		{"Text", false, false, true},
	}
	for _, tt := range tests {
		item, known := listItemPrefix(tt.in, tt.complete)
		if item != tt.item || known != tt.wantKnown {
			t.Errorf("listItemPrefix(%q, %v) = %v, %v; want %v, %v", tt.in, tt.complete, item, known, tt.item, tt.wantKnown)
		}
	}
}

func TestFences(t *testing.T) {
	tests := []struct {
		open, line string
		opens      bool
		closes     bool
	}{
		{"```go", "```", true, true},
		{"```", "````", true, true},
		{"````md", "```", true, false},
		{"~~~", "```", true, false},
		{"~~~", "~~~~  ", true, true},
		{"   ```", "   ```", true, true},
		{"```", "    ```", true, false}, // indented 4: code content
		{"```", "``` x", true, false},   // a closer has no info string
		{"    ```", "", false, false},   // indented code, not a fence
		{"``", "", false, false},
		{"``` a`b", "", false, false}, // backtick in a backtick info string
		{"~~~ a`b", "~~~", true, true},
	}
	for _, tt := range tests {
		f, ok := openFence(tt.open)
		if ok != tt.opens {
			t.Errorf("openFence(%q) = %v, want %v", tt.open, ok, tt.opens)
			continue
		}
		if ok && f.closes(tt.line) != tt.closes {
			t.Errorf("fence %q closed by %q = %v, want %v", tt.open, tt.line, !tt.closes, tt.closes)
		}
	}
}

func TestDecide(t *testing.T) {
	para := blockState{hasContent: true}
	list := blockState{hasContent: true, hasList: true}
	quote := blockState{hasContent: true, lastQuote: true}
	table := blockState{hasContent: true, lastTable: true}
	comment := blockState{hasContent: true, htmlEnd: "-->"}
	deflist := blockState{hasContent: true, hasDefinition: true}
	tests := []struct {
		name           string
		b              blockState
		line           string
		complete       bool
		confirm, known bool
	}{
		{"paragraph after paragraph", para, "Next", true, true, true},
		{"indented continuation", list, "   more", true, false, true},
		{"next loose item", list, "2. b", true, false, true},
		{"bullet undecided", list, "-", false, false, false},
		{"rule after list", list, "---", true, true, true},
		{"paragraph after list", list, "After", false, true, true},
		{"list after paragraph", para, "- a", false, true, true},
		{"quote after quote", quote, "> more", true, false, true},
		{"paragraph after quote", quote, "Text", true, true, true},
		{"row after table", table, "| x |", true, false, true},
		{"open html comment", comment, "Text", true, false, true},
		{"definition", para, ": def", true, false, true},
		{"term after definition list", deflist, "Term two", true, false, true},
		{"heading after definition list", deflist, "## H", true, true, true},
		{"hashtag after definition list", deflist, "#tag", true, false, true},
		{"heading undecided", deflist, "##", false, false, false},
		{"list after definition list", deflist, "- a", false, true, true},
		{"fence after definition list", deflist, "```", false, true, true},
	}
	for _, tt := range tests {
		confirm, known := tt.b.decide(tt.line, tt.complete)
		if confirm != tt.confirm || known != tt.known {
			t.Errorf("%s: decide(%q) = %v, %v; want %v, %v", tt.name, tt.line, confirm, known, tt.confirm, tt.known)
		}
	}
}

func TestReferenceAndHTMLDetection(t *testing.T) {
	for line, want := range map[string]bool{
		"[docs]: https://x": true, "[^1]: note": true, "   [a]: b": true,
		"[link](x): no": false, "    [a]: b": false, "[]: x": false, "text [a]: b": false,
	} {
		if got := isReferenceDefinition(line); got != want {
			t.Errorf("isReferenceDefinition(%q) = %v", line, got)
		}
	}
	for line, want := range map[string]bool{
		"<details>": true, "<!-- c -->": true, "</div>": true, "< not": false, "<3 you": false, "a <b>": false,
	} {
		if got := isHTMLBlockStart(line); got != want {
			t.Errorf("isHTMLBlockStart(%q) = %v", line, got)
		}
	}
	if end := htmlBlockEnd("<!-- open"); end != "-->" {
		t.Errorf("htmlBlockEnd: %q", end)
	}
	if end := htmlBlockEnd("<pre class=x>"); end != "</pre>" {
		t.Errorf("htmlBlockEnd: %q", end)
	}
	if end := htmlBlockEnd("<details>"); end != "" {
		t.Errorf("htmlBlockEnd: %q", end)
	}
}
