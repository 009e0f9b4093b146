package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The open block is rendered as it grows, by the same renderer as the
// finished block, from its text closed provisionally: what is there is
// rendered as it will be when the block is complete, and what cannot be
// known yet is left out for a moment rather than shown raw and then
// changed. So the rows of the open block grow at its end, and when it
// closes its render equals the last provisional one but for the last line.
//
//   - An open fence needs nothing: a fence that is not closed runs to the
//     end of the document. A last line that may be the closing fence ("``")
//     waits.
//   - A table shows once its delimiter row is complete, then row by row:
//     until then its header would be a paragraph of pipes, and a row
//     being written would be drawn with cells still missing.
//   - The last line, still being written, waits while it is only markers
//     ("-", "##", "1.", "---", "```py", ">"): it could still become a list
//     item, a heading, a rule, a setext underline that turns the line above
//     into a heading, or a fence. Once it has text, its unclosed inline
//     spans are closed (code, emphasis, strikethrough, a link destination)
//     and a trailing marker that opens nothing yet is left out. A link or
//     bare URL at the end of the line being written is shown as text, not
//     linked (links.go): a link to half a URL would open the wrong page.

// provisional returns the markdown to render for an open block whose last
// line, from offset partial on, is still being written; fenced says whether
// that line is inside a fence (of kind f). "" shows nothing.
func provisional(open string, partial int, fenced bool, f fence) string {
	done, last := open[:partial], open[partial:]
	if fenced {
		if last == "" || mayClose(f, last) {
			return done
		}
		return done + last + "\n"
	}
	if table, known := tableState(done); table || !known {
		if !known {
			return ""
		}
		return trimBlankLines(done) // rows show as they complete
	}
	if isBlank(last) || !hasText(last) {
		return trimBlankLines(done)
	}
	// The line being written ends with a newline, as it will: at the end of
	// a document a paragraph without one renders differently in a list.
	return done + closeInline(last) + "\n"
}

// mayClose reports whether a line being written may turn out to close f.
func mayClose(f fence, line string) bool {
	if indentOf(line) > 3 {
		return false
	}
	body := strings.TrimLeft(line, " \t")
	n := runLength(body, f.char)
	return strings.Trim(body[n:], " \t") == ""
}

// trimBlankLines drops blank lines at the end of s (whole lines ending in
// a newline), keeping the newline of its last line.
func trimBlankLines(s string) string {
	for {
		t := strings.TrimSuffix(s, "\n")
		i := strings.LastIndexByte(t, '\n')
		if !isBlank(t[i+1:]) || t == s {
			return s
		}
		if i < 0 {
			return ""
		}
		s = t[:i+1]
	}
}

// tableState reports whether the complete lines done start a table (a
// first line starting with "|" and a delimiter row), and whether that is
// known yet: a first line of pipes with no second line may be a header.
func tableState(done string) (table, known bool) {
	first, rest, _ := strings.Cut(done, "\n")
	if indentOf(first) > 3 || !strings.HasPrefix(strings.TrimLeft(first, " "), "|") {
		return false, true
	}
	second, _, complete := strings.Cut(rest, "\n")
	if !complete {
		return false, false
	}
	return isDelimiterRow(second), true
}

// isDelimiterRow reports whether line is a table's delimiter row
// ("|---|:--:|").
func isDelimiterRow(line string) bool {
	t := strings.TrimSpace(line)
	return strings.Contains(t, "-") && strings.Trim(t, "|-: \t") == "" && strings.ContainsAny(t, "|")
}

// hasText reports whether a line being written has text beyond block
// markers (quote, list item, heading, rule, fence, table and definition
// markers), so that what it will be is settled.
func hasText(line string) bool {
	body := strings.TrimLeft(line, " \t")
	for {
		switch {
		case strings.HasPrefix(body, ">"):
			body = strings.TrimLeft(body[1:], " \t")
			continue
		case isListItem(body):
			i := strings.IndexAny(body, " \t")
			if i < 0 {
				return false // "-" or "1." alone
			}
			body = strings.TrimLeft(body[i:], " \t")
			continue
		}
		break
	}
	switch {
	case body == "", strings.HasPrefix(body, "```"), strings.HasPrefix(body, "~~~"), body[0] == '|':
		return false
	case body[0] == '<' && !strings.Contains(body, ">"):
		return false // an HTML tag or autolink being written
	}
	return strings.Trim(body, "-=*_#`~:+.|0123456789 \t") != ""
}

// closeInline closes the inline spans a line being written leaves open, so
// that they render as they will once it is complete: a code span, emphasis
// and strikethrough, a link's destination. A delimiter run at the very end
// that closes nothing (the start of a span whose text has not come yet) is
// left out. The rules are CommonMark's, simplified: at worst the line
// renders differently for a moment, and only the line being written.
func closeInline(s string) string {
	var stack []opener
	code, codeAt := 0, -1 // open code span: its backtick run
	dest := 0             // parentheses open in a link destination
	lastRun, lastMatched := -1, false
	// A run at the very end that closes an opener with fewer characters
	// than it has ("**bold*") is the closer still arriving: it is dropped
	// and the opener closed whole, not matched as a shorter span that
	// leaves a "*" showing for a frame.
	var endStack []opener
	partialClose := false
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case code > 0:
			n := 1
			if c == '`' {
				if n = runLength(s[i:], '`'); n == code {
					code = 0
				}
			}
			i += n
			continue
		case dest > 0:
			if c == '(' {
				dest++
			} else if c == ')' {
				dest--
			}
			i++
			continue
		}
		switch c {
		case '\\':
			i += 2
			continue
		case '`':
			code, codeAt = runLength(s[i:], '`'), i
			i += code
			continue
		case ']':
			if i+1 < len(s) && s[i+1] == '(' {
				dest = 1
				i += 2
				continue
			}
		case '*', '_', '~':
			n := runLength(s[i:], c)
			prev, next := runeBefore(s, i), runeAfter(s, i+n)
			left := next != 0 && !unicode.IsSpace(next) &&
				(!isPunct(next) || prev == 0 || unicode.IsSpace(prev) || isPunct(prev))
			right := prev != 0 && !unicode.IsSpace(prev) &&
				(!isPunct(prev) || next == 0 || unicode.IsSpace(next) || isPunct(next))
			canOpen, canClose := left, right
			if c == '_' {
				canOpen = left && (!right || isPunct(prev))
				canClose = right && (!left || isPunct(next))
			}
			lastRun, lastMatched = i, false
			if canClose {
				for k := len(stack) - 1; k >= 0; k-- {
					if stack[k].c == c {
						if i+n == len(s) && n < stack[k].n {
							endStack, partialClose = append([]opener(nil), stack...), true
						}
						stack, lastMatched = stack[:k], true
						break
					}
				}
			}
			if !lastMatched && canOpen {
				stack = append(stack, opener{c, n, i})
			}
			i += n
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if partialClose {
		s, stack, lastRun = s[:lastRun], endStack, -1
	}
	switch {
	case code > 0 && codeAt+code == len(s):
		s = s[:codeAt] // "`" alone: the span has no text yet
	case code > 0:
		return s + strings.Repeat("`", code) + closers(stack)
	case dest > 0:
		s += strings.Repeat(")", dest)
	}
	if lastRun >= 0 && !lastMatched && strings.Trim(s[lastRun:], "*_~") == "" {
		// A run at the end that closes nothing opens nothing visible yet.
		s = s[:lastRun]
		if n := len(stack); n > 0 && stack[n-1].at == lastRun {
			stack = stack[:n-1]
		}
	}
	s = strings.TrimRight(s, " \t")
	for len(stack) > 0 && stack[len(stack)-1].at+stack[len(stack)-1].n >= len(s) {
		// An opener the trim left at the end would open nothing.
		s = s[:stack[len(stack)-1].at]
		stack = stack[:len(stack)-1]
		s = strings.TrimRight(s, " \t")
	}
	return s + closers(stack)
}

// opener is an emphasis or strikethrough run that may still be closed.
type opener struct {
	c     byte
	n, at int
}

// closers returns the runs that close open, innermost first.
func closers(open []opener) string {
	var b strings.Builder
	for i := len(open) - 1; i >= 0; i-- {
		b.WriteString(strings.Repeat(string(open[i].c), open[i].n))
	}
	return b.String()
}

func runeBefore(s string, i int) rune {
	if i == 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(s[:i])
	return r
}

func runeAfter(s string, i int) rune {
	if i >= len(s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(s[i:])
	return r
}

func isPunct(r rune) bool {
	return unicode.IsPunct(r) || unicode.IsSymbol(r)
}
