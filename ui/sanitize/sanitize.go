// Package sanitize neutralises terminal control sequences in text that came
// from the network (model output, reasoning, tool arguments, server error
// messages) before it is displayed. A model must never be able to set the
// window title, write the clipboard (OSC 52), draw hyperlinks, move the
// cursor or ring the bell on the user's terminal.
//
// The rule is stateless on purpose: every C0 control except newline and tab,
// DEL, and every C1 control is replaced, so no escape sequence can form even
// when one is split across two deltas. ESC becomes a visible "␛" so a user
// reading a hostile reply can see that something was there.
package sanitize

import (
	"strings"
	"unicode/utf8"
)

// Text returns s with control characters neutralised. Newlines and tabs are
// kept; a CR is dropped (it would let text overwrite itself); invalid UTF-8
// becomes U+FFFD. Text that needs no change is returned as is, without
// allocating.
func Text(s string) string {
	if clean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteRune('\uFFFD')
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r == '\r':
			// dropped: \r\n becomes \n, a lone \r cannot rewind the line
		case r == 0x1b:
			b.WriteRune('␛')
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f):
			// other C0 (BEL, BS...), DEL, and C1 (CSI 0x9b, OSC 0x9d, DCS 0x90...)
			b.WriteRune('\uFFFD')
		case isBidiControl(r):
			// Bidi overrides can make text read differently from what it is.
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// clean reports whether s needs no change: the common case, checked fast.
func clean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\n' && c != '\t' || c == 0x7f {
			return false
		}
		if c >= 0x80 {
			return cleanFrom(s[i:])
		}
	}
	return true
}

func cleanFrom(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			return false
		}
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || (r >= 0x80 && r <= 0x9f) || isBidiControl(r) {
			return false
		}
		i += size
	}
	return true
}

func isBidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}
