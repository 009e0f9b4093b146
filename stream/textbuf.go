package stream

import "strings"

// textBuf is a turn's text (or refusal) as it grows from the deltas of one
// or more parts, each named by output and content index, and knows where
// each part's text lies so a KindReplace can swap it. Appending to the
// newest part, which is all a real stream does, costs only the append.
type textBuf struct {
	b     *strings.Builder
	spans map[[2]int]*textSpan
	last  *textSpan
}

type textSpan struct {
	start, end int
	// scattered: another part's text came between this part's deltas, so
	// its text is not one run and cannot be replaced; what streamed stays.
	scattered bool
}

// add appends a delta of part (out, part) and returns the whole text.
func (t *textBuf) add(out, part int, d string) string {
	if t.spans == nil {
		t.spans = map[[2]int]*textSpan{}
		t.b = &strings.Builder{}
	}
	k := [2]int{out, part}
	sp := t.spans[k]
	switch {
	case sp == nil:
		sp = &textSpan{start: t.b.Len()}
		t.spans[k] = sp
	case sp != t.last:
		sp.scattered = true
	}
	t.b.WriteString(d)
	sp.end = t.b.Len()
	t.last = sp
	return t.b.String()
}

// replace swaps part (out, part)'s text for final and returns the whole
// text. A part that never streamed is added; a scattered one is kept.
func (t *textBuf) replace(out, part int, final string) string {
	sp := t.spans[[2]int{out, part}]
	if sp == nil {
		return t.add(out, part, final)
	}
	if sp.scattered {
		return t.b.String()
	}
	old := t.b.String()
	nb := &strings.Builder{}
	nb.Grow(len(old) - (sp.end - sp.start) + len(final))
	nb.WriteString(old[:sp.start])
	nb.WriteString(final)
	nb.WriteString(old[sp.end:])
	shift := len(final) - (sp.end - sp.start)
	for _, o := range t.spans {
		if o != sp && o.start >= sp.end {
			o.start += shift
			o.end += shift
		}
	}
	sp.end = sp.start + len(final)
	t.b = nb
	return t.b.String()
}
