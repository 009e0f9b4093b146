package finder

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// glob matches one path segment against one pattern segment, as
// fnmatch(3) does for git: "*" any run, "?" one character, "[a-z]" and
// "[!a-z]" (or "[^a-z]") a class, "\x" the character x. A malformed
// class matches nothing, as in git.
func glob(pat, name string) bool {
	// Iterative with one backtrack point: the last "*" seen.
	px, nx := 0, 0
	starPx, starNx := -1, -1
	for nx < len(name) || px < len(pat) {
		if px < len(pat) {
			switch c := pat[px]; c {
			case '*':
				for px < len(pat) && pat[px] == '*' {
					px++
				}
				starPx, starNx = px, nx
				continue
			case '?':
				if nx < len(name) {
					_, size := decodeRune(name[nx:])
					px, nx = px+1, nx+size
					continue
				}
			case '[':
				if nx < len(name) {
					r, size := decodeRune(name[nx:])
					if ok, width := matchClass(pat[px:], r); ok {
						px, nx = px+width, nx+size
						continue
					}
				}
			case '\\':
				if px+1 < len(pat) && nx < len(name) && pat[px+1] == name[nx] {
					px, nx = px+2, nx+1
					continue
				}
			default:
				if nx < len(name) && c == name[nx] {
					px, nx = px+1, nx+1
					continue
				}
			}
		}
		if starPx >= 0 && starNx < len(name) {
			_, size := decodeRune(name[starNx:])
			starNx += size
			px, nx = starPx, starNx
			continue
		}
		return false
	}
	return true
}

// matchClass matches r against the class at the start of pat ("[...]"),
// and says how long the class is; a class with no closing "]" matches
// nothing. Named classes ("[[:digit:]]") are understood. "]" first in the class is literal, as is "-" first or last.
func matchClass(pat string, r rune) (matched bool, width int) {
	i := 1
	negate := false
	if i < len(pat) && (pat[i] == '!' || pat[i] == '^') {
		negate, i = true, i+1
	}
	first := true
	for i < len(pat) {
		if pat[i] == ']' && !first {
			return matched != negate, i + 1
		}
		first = false
		if strings.HasPrefix(pat[i:], "[:") {
			if end := strings.Index(pat[i+2:], ":]"); end >= 0 {
				in, known := posixClass(pat[i+2:i+2+end], r)
				if !known {
					return false, 0
				}
				matched = matched || in
				i += end + 4
				continue
			}
		}
		lo, size := classChar(pat[i:])
		if size == 0 {
			return false, 0
		}
		i += size
		hi := lo
		if i+1 < len(pat) && pat[i] == '-' && pat[i+1] != ']' {
			hi, size = classChar(pat[i+1:])
			if size == 0 {
				return false, 0
			}
			i += 1 + size
		}
		if lo <= r && r <= hi {
			matched = true
		}
	}
	return false, 0
}

// posixClass matches r against a named class such as "alpha", as
// "[[:alpha:]]"; known is false for a name git does not know.
func posixClass(name string, r rune) (in, known bool) {
	is := posixClasses[name]
	if is == nil {
		return false, false
	}
	return is(r), true
}

var posixClasses = map[string]func(rune) bool{
	"alnum": func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) },
	"alpha": unicode.IsLetter, "blank": func(r rune) bool { return r == ' ' || r == '\t' },
	"cntrl": unicode.IsControl, "digit": unicode.IsDigit, "graph": func(r rune) bool { return unicode.IsGraphic(r) && r != ' ' },
	"lower": unicode.IsLower, "print": unicode.IsPrint, "punct": unicode.IsPunct, "space": unicode.IsSpace,
	"upper": unicode.IsUpper, "xdigit": func(r rune) bool { return strings.ContainsRune("0123456789abcdefABCDEF", r) },
}

// classChar is the character at the start of s in a class, "\x" being x.
func classChar(s string) (rune, int) {
	if s[0] == '\\' {
		if len(s) < 2 {
			return 0, 0
		}
		r, size := decodeRune(s[1:])
		return r, size + 1
	}
	return decodeRune(s)
}

func decodeRune(s string) (rune, int) {
	if s[0] < utf8.RuneSelf {
		return rune(s[0]), 1
	}
	return utf8.DecodeRuneInString(s)
}
