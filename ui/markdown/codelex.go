package markdown

import (
	"strings"

	"github.com/alecthomas/chroma/v2"
)

// Lexing code costs ~35 µs a line (chroma's regexp2), so re-lexing a
// growing block on every frame would be quadratic: a 2,000-line listing
// streaming a few lines a frame would cost seconds. A provisional render
// (of a block still streaming) therefore keeps the tokens of the lines
// before a verified restart point and lexes only from there. A line start
// is a candidate when the token before it ends the line and is neither a
// string nor a multi-line comment; it is verified when lexing from there,
// in the lexer's initial state, gives the same tokens for the next line as
// lexing straight through. A final render (of a complete block) always
// lexes the whole block in one pass, so the cache never changes it.

// codeState is a block as far as provisional renders have lexed it.
type codeState struct {
	lang    string
	content string    // content[:next] is what lines covers
	next    int       // a verified restart point at a line start
	lines   [][]token // tokens of each line before next
	// rows[i] are the rows of lines[i], made for width and pad; desc[i]
	// describe them.
	rows  [][]string
	desc  [][]Row
	width int
	pad   string
}

// token is a chroma token within one line (its newline included).
type token struct {
	typ   chroma.TokenType
	value string
}

// codeLines returns the tokens of each line of content (tabs expanded; every
// line ends in a newline but perhaps the last), and the cache entry used by
// a provisional render, if any.
func (h *highlighter) codeLines(lang, content string, provisional bool) ([][]token, *codeState) {
	lx := h.lexer(lang)
	if lx == nil {
		var out [][]token
		for l := range strings.SplitAfterSeq(content, "\n") {
			if l != "" {
				out = append(out, []token{{chroma.Text, l}})
			}
		}
		return out, nil
	}
	if !provisional {
		return splitLines(lexAll(lx, content), nil), nil
	}
	st := h.lookup(lang, content)
	if st.next > 0 {
		h.inexact = true
	}
	lines := splitLines(lexAll(lx, content[st.next:]), st.lines[:len(st.lines):len(st.lines)])
	// Find a restart point for the next call near the end: the start of
	// the last complete line, or of the one before.
	first := len(st.lines)
	off := st.next
	starts := make([]int, 0, len(lines)-first)
	for _, l := range lines[first:] {
		starts = append(starts, off)
		off += lineLen(l)
	}
	for k := len(lines) - 2; k > first && k >= len(lines)-3; k-- {
		prev := lines[k-1]
		if !restartable(prev[len(prev)-1].typ) {
			continue
		}
		q := starts[k-first]
		if !strings.HasSuffix(content, "\n") && k == len(lines)-1 {
			continue
		}
		fresh := splitLines(lexAll(lx, content[q:]), nil)
		if len(fresh) == 0 || !sameTokens(fresh[0], lines[k]) {
			continue
		}
		// Lines from k on come from the restarted lexer, as they will next time.
		lines = append(lines[:k], fresh...)
		h.inexact = true
		st.content, st.next, st.lines = content, q, lines[:k:k]
		break
	}
	return lines, st
}

// lookup returns the cached state content extends, or a new one. A few
// blocks are kept: finished blocks rendered between two frames must not
// evict the one that is streaming.
func (h *highlighter) lookup(lang, content string) *codeState {
	for i := len(h.cache) - 1; i >= 0; i-- {
		st := h.cache[i]
		if st.lang == lang && strings.HasPrefix(content, st.content[:st.next]) {
			h.cache = append(append(h.cache[:i:i], h.cache[i+1:]...), st)
			return st
		}
	}
	st := &codeState{lang: lang}
	if len(h.cache) == 4 {
		h.cache = h.cache[1:]
	}
	h.cache = append(h.cache, st)
	return st
}

// restartable reports whether a token that ends a line leaves the lexer
// where a new one starts, as far as its type can tell.
func restartable(tt chroma.TokenType) bool {
	return !tt.InCategory(chroma.LiteralString) && tt != chroma.CommentMultiline && tt != chroma.Error
}

func sameTokens(a, b []token) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func lineLen(l []token) int {
	n := 0
	for _, t := range l {
		n += len(t.value)
	}
	return n
}

// splitLines appends the lines of toks to dst, cutting tokens that span
// lines at their newlines.
func splitLines(toks []token, dst [][]token) [][]token {
	var cur []token
	for _, t := range toks {
		v := t.value
		for {
			i := strings.IndexByte(v, '\n')
			if i < 0 {
				if v != "" {
					cur = append(cur, token{t.typ, v})
				}
				break
			}
			cur = append(cur, token{t.typ, v[:i+1]})
			dst = append(dst, cur)
			cur = nil
			v = v[i+1:]
		}
	}
	if len(cur) > 0 {
		dst = append(dst, cur)
	}
	return dst
}

// lexAll returns every token of text. Tokens are not coalesced, so a line
// break stays a token boundary where the lexer made one.
func lexAll(lx chroma.Lexer, text string) []token {
	it, err := lx.Tokenise(nil, text)
	if err != nil {
		return []token{{chroma.Text, text}}
	}
	var out []token
	left := len(text)
	for t := it(); t != chroma.EOF && left > 0; t = it() {
		if len(t.Value) > left {
			// EnsureNL added a final newline the text does not have.
			t.Value = t.Value[:left]
		}
		left -= len(t.Value)
		if t.Value != "" {
			out = append(out, token{t.Type, t.Value})
		}
	}
	return out
}
