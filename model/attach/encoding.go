package attach

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// textCheck is whether bytes are UTF-8 text we can send; when they are
// text in another encoding, encoding is the rest of the error sentence
// naming it. Neither: binary.
type textCheck struct {
	ok       bool
	encoding string
}

var boms = []struct {
	bom, name, iconv string
}{
	// UTF-32 first: its little-endian mark starts with UTF-16's.
	{"\x00\x00\xfe\xff", "UTF-32 (big-endian)", "UTF-32"},
	{"\xff\xfe\x00\x00", "UTF-32 (little-endian)", "UTF-32"},
	{"\xfe\xff", "UTF-16 (big-endian)", "UTF-16"},
	{"\xff\xfe", "UTF-16 (little-endian)", "UTF-16"},
}

const utf8BOM = "\xef\xbb\xbf"

// checkText decides whether data (the whole file when complete, else its
// first bytes) is UTF-8 text, text in another encoding, or binary. It
// never guesses a conversion: sending a guess would be mojibake.
func checkText(data []byte, complete bool) textCheck {
	for _, b := range boms {
		if bytes.HasPrefix(data, []byte(b.bom)) {
			return textCheck{encoding: fmt.Sprintf("it is %s text (it starts with a byte-order mark), not UTF-8; convert it first, e.g. iconv -f %s -t UTF-8", b.name, b.iconv)}
		}
	}
	data = bytes.TrimPrefix(data, []byte(utf8BOM))
	if bytes.IndexByte(data, 0) >= 0 {
		if name := utf16NoBOM(data); name != "" {
			return textCheck{encoding: "it looks like " + name + " text without a byte-order mark, not UTF-8; convert it first, e.g. iconv -f UTF-16 -t UTF-8"}
		}
		return textCheck{}
	}
	if controls(data)*100 > len(data) {
		return textCheck{}
	}
	if !complete {
		data = cutPartialRune(data)
	}
	if utf8.Valid(data) {
		return textCheck{ok: true}
	}
	return textCheck{encoding: nameEncoding(data)}
}

// controls counts the bytes no text file holds: C0 controls other than
// tab, newlines, form feed, backspace and escape (logs keep their colours,
// man pages their overstrikes), and DEL.
func controls(data []byte) int {
	n := 0
	for _, c := range data {
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != '\b' && c != 0x1b || c == 0x7f {
			n++
		}
	}
	return n
}

// utf16NoBOM names UTF-16 text that has no byte-order mark: mostly ASCII
// characters, so every other byte is zero. "" when data is not that.
func utf16NoBOM(data []byte) string {
	data = data[:min(len(data), 4096)&^1]
	pairs := len(data) / 2
	if pairs < 2 {
		return ""
	}
	var even, odd int
	for i := 0; i < len(data); i += 2 {
		if data[i] == 0 {
			even++
		}
		if data[i+1] == 0 {
			odd++
		}
	}
	switch {
	case odd*10 >= pairs*7 && even*20 <= pairs:
		return "UTF-16 (little-endian)"
	case even*10 >= pairs*7 && odd*20 <= pairs:
		return "UTF-16 (big-endian)"
	}
	return ""
}

// cutPartialRune drops a multi-byte character cut off at the end of a
// sample, so a sample is judged like the whole file.
func cutPartialRune(data []byte) []byte {
	for i := 1; i <= 3 && i <= len(data); i++ {
		c := data[len(data)-i]
		if c < 0x80 {
			return data // ASCII: nothing cut
		}
		if utf8.RuneStart(c) {
			if !utf8.FullRune(data[len(data)-i:]) {
				return data[:len(data)-i]
			}
			return data
		}
	}
	return data
}

// nameEncoding says, as the rest of an error sentence, what non-UTF-8
// text data probably is and where its first non-UTF-8 byte is. Single
// high bytes between ASCII letters are Latin-1 ("café"); with bytes from
// 0x80 to 0x9F (curly quotes, the euro sign) Windows-1252. Runs of high
// bytes are some other legacy encoding (Shift_JIS, GBK, KOI8-R...), which
// we do not try to tell apart. Valid UTF-8 characters beside invalid
// bytes are a UTF-8 file with damage in it.
func nameEncoding(data []byte) string {
	first, validMulti := -1, 0
	for i := 0; i < len(data); {
		r, size := utf8.DecodeRune(data[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			if first < 0 {
				first = i
			}
		case size > 1:
			validMulti++
		}
		i += size
	}
	line := bytes.Count(data[:first], []byte("\n")) + 1
	where := fmt.Sprintf("the first byte that is not UTF-8, 0x%02X, is on line %d", data[first], line)
	var high, isolated, c1 int
	for i, c := range data {
		if c < 0x80 {
			continue
		}
		high++
		if c < 0xa0 {
			c1++
		}
		if (i == 0 || data[i-1] < 0x80) && (i == len(data)-1 || data[i+1] < 0x80) {
			isolated++
		}
	}
	const convert = "; convert it to UTF-8 first, e.g. iconv -f %s -t UTF-8"
	switch {
	case validMulti > 0 && validMulti >= high/4:
		return "it is UTF-8 text with bytes in it that are not UTF-8 (" + where + "); fix or remove them first"
	case isolated*2 >= high && c1 > 0:
		return "it looks like Windows-1252 text, not UTF-8 (" + where + ")" + fmt.Sprintf(convert, "WINDOWS-1252")
	case isolated*2 >= high:
		return "it looks like Latin-1 (ISO 8859-1) text, not UTF-8 (" + where + ")" + fmt.Sprintf(convert, "LATIN1")
	}
	return "it is text in an encoding other than UTF-8, such as Shift_JIS, GBK or Windows-1251 (" + where + ")" + fmt.Sprintf(convert, "ENCODING")
}
