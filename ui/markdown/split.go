package markdown

import "strings"

// The safe split rule (docs/performance-baseline.md §2). Rendering blocks
// separately equals rendering them together only if no later line can change
// how an earlier block parses. A blank line outside a fence therefore only
// proposes a boundary; the next non-blank line confirms it unless that line
// could continue the block above. Every doubt merges: a merged block is
// rendered together, exactly as in a full render, so merging costs speed,
// never correctness.

// blockState describes the open (not yet committed) block as far as the
// split rule needs it.
type blockState struct {
	hasContent    bool   // a non-blank line was seen
	hasList       bool   // some line is a list item
	lastQuote     bool   // the last non-blank line starts a blockquote line
	lastTable     bool   // the last non-blank line is a table row
	hasDefinition bool   // some line is a definition-list definition (": ...")
	htmlEnd       string // end marker of an open HTML block that may contain blank lines
}

// observe records a non-blank line outside a fence.
func (b *blockState) observe(line string) {
	b.hasContent = true
	body := strings.TrimLeft(line, " \t")
	b.hasList = b.hasList || isListItem(body)
	b.lastQuote = strings.HasPrefix(body, ">")
	b.lastTable = strings.HasPrefix(body, "|")
	b.hasDefinition = b.hasDefinition || strings.HasPrefix(body, ":")
	if b.htmlEnd != "" {
		if strings.Contains(strings.ToLower(line), b.htmlEnd) {
			b.htmlEnd = ""
		}
		return
	}
	if indentOf(line) <= 3 {
		if end := htmlBlockEnd(body); end != "" && !strings.Contains(strings.ToLower(body[1:]), end) {
			b.htmlEnd = end
		}
	}
}

// decide reports whether line, the first non-blank line after a blank one,
// starts a new block, so the blank line is a boundary. line may be the
// beginning of a line still streaming (complete=false); known is false while
// it is too short to tell, e.g. "-" (a list item or a rule?).
func (b *blockState) decide(line string, complete bool) (confirm, known bool) {
	switch {
	case b.htmlEnd != "":
		return false, true // e.g. an HTML comment with blank lines inside
	case line[0] == ' ' || line[0] == '\t':
		return false, true // indented: list continuation, indented code
	case b.lastQuote && line[0] == '>':
		return false, true
	case b.lastTable && line[0] == '|':
		return false, true
	case line[0] == ':':
		return false, true // a definition-list definition continues the term above
	}
	item, known := listItemPrefix(line, complete)
	switch {
	case b.hasList && (!known || item):
		return false, known // the next item of a loose list continues it
	case b.hasDefinition:
		// After a definition list any paragraph line may be the next term
		// (even "| a |" or "<b>x</b>"); only a line that cannot be one ends
		// the list: a fence, a quote, a heading or a list item.
		if strings.IndexByte("`~>", line[0]) >= 0 {
			return true, true
		}
		if heading, known := atxHeadingPrefix(line, complete); !known || heading {
			return heading, known
		}
		return known && item, known
	}
	return true, true
}

// atxHeadingPrefix reports whether line starts an ATX heading ("## x").
func atxHeadingPrefix(line string, complete bool) (heading, known bool) {
	n := runLength(line, '#')
	switch {
	case n == 0 || n > 6:
		return false, true
	case n == len(line):
		return complete, complete
	}
	return line[n] == ' ' || line[n] == '\t', true
}

func isBlank(line string) bool {
	return strings.Trim(line, " \t\r") == ""
}

// indentOf returns the columns of leading whitespace (tab stops of 4).
func indentOf(line string) int {
	col := 0
	for _, c := range []byte(line) {
		switch c {
		case ' ':
			col++
		case '\t':
			col += 4 - col%4
		default:
			return col
		}
	}
	return col
}

// isListItem reports whether body (a line without leading whitespace) starts
// a bullet (-, *, +) or ordered (1. or 1)) list item.
func isListItem(body string) bool {
	item, _ := listItemPrefix(body, true)
	return item
}

// listItemPrefix is isListItem for a line that may still be streaming: known
// is false while the marker is not followed by anything yet.
func listItemPrefix(body string, complete bool) (item, known bool) {
	i := 0
	switch {
	case body == "":
		return false, complete
	case body[0] == '-' || body[0] == '*' || body[0] == '+':
		i = 1
	default:
		for i < len(body) && body[i] >= '0' && body[i] <= '9' {
			i++
			if i > 9 {
				return false, true // CommonMark allows at most 9 digits
			}
		}
		if i == 0 {
			return false, true
		}
		if i == len(body) {
			return false, complete
		}
		if body[i] != '.' && body[i] != ')' {
			return false, true
		}
		i++
	}
	if i == len(body) {
		return complete, complete // "-" alone is an empty item; "-" + more is unknown
	}
	return body[i] == ' ' || body[i] == '\t', true
}

// fence describes an open fenced code block.
type fence struct {
	char   byte // '`' or '~'
	length int  // length of the opening run
	indent int  // indent of the opener, removed from content lines
}

// openFence reports whether line opens a fenced code block.
func openFence(line string) (fence, bool) {
	indent := indentOf(line)
	if indent > 3 {
		return fence{}, false
	}
	body := strings.TrimLeft(line, " \t")
	if body == "" || (body[0] != '`' && body[0] != '~') {
		return fence{}, false
	}
	n := runLength(body, body[0])
	if n < 3 {
		return fence{}, false
	}
	if body[0] == '`' && strings.IndexByte(body[n:], '`') >= 0 {
		return fence{}, false // a backtick info string may not contain backticks
	}
	return fence{char: body[0], length: n, indent: indent}, true
}

// closes reports whether line closes f.
func (f fence) closes(line string) bool {
	if indentOf(line) > 3 {
		return false
	}
	body := strings.TrimLeft(line, " \t")
	n := runLength(body, f.char)
	return n >= f.length && strings.Trim(body[n:], " \t\r") == ""
}

func runLength(s string, c byte) int {
	n := 0
	for n < len(s) && s[n] == c {
		n++
	}
	return n
}

// isReferenceDefinition reports whether line looks like a link reference
// definition or footnote ("[id]: ..." / "[^1]: ..."). goldmark resolves
// these per document, so a message containing one is rendered whole.
func isReferenceDefinition(line string) bool {
	if indentOf(line) > 3 {
		return false
	}
	body := strings.TrimLeft(line, " \t")
	if !strings.HasPrefix(body, "[") {
		return false
	}
	end := strings.Index(body, "]:")
	return end > 1 && !strings.ContainsAny(body[1:end], "[]")
}

// htmlBlockEnd returns the end marker of an HTML block that CommonMark keeps
// open across blank lines (types 1-5), or "" if body does not start one.
func htmlBlockEnd(body string) string {
	if !strings.HasPrefix(body, "<") {
		return ""
	}
	lower := strings.ToLower(body)
	for _, tag := range []string{"script", "pre", "style", "textarea"} {
		if strings.HasPrefix(lower[1:], tag) {
			rest := lower[1+len(tag):]
			if rest == "" || rest[0] == ' ' || rest[0] == '>' || rest[0] == '\t' {
				return "</" + tag + ">"
			}
		}
	}
	switch {
	case strings.HasPrefix(lower, "<!--"):
		return "-->"
	case strings.HasPrefix(lower, "<?"):
		return "?>"
	case strings.HasPrefix(lower, "<![cdata["):
		return "]]>"
	case len(lower) > 2 && lower[1] == '!' && lower[2] >= 'a' && lower[2] <= 'z':
		return ">"
	}
	return ""
}

// isHTMLBlockStart reports whether line may start any HTML block. glamour
// renders HTML blocks with spacing that depends on their neighbours, so a
// message containing one is rendered whole when it finishes.
func isHTMLBlockStart(line string) bool {
	if indentOf(line) > 3 {
		return false
	}
	body := strings.TrimLeft(line, " \t")
	if len(body) < 2 || body[0] != '<' {
		return false
	}
	c := body[1]
	return c == '/' || c == '!' || c == '?' || (c|0x20 >= 'a' && c|0x20 <= 'z')
}
