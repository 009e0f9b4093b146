package attach

import (
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func utf16Bytes(s string, bigEndian, bom bool) []byte {
	var out []byte
	units := utf16.Encode([]rune(s))
	if bom {
		units = append([]uint16{0xfeff}, units...)
	}
	for _, u := range units {
		if bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return out
}

func TestTextEncodings(t *testing.T) {
	dir := t.TempDir()
	french := "Le café était très bon.\nÀ bientôt, René.\n"
	latin1 := []byte(strings.NewReplacer("é", "\xe9", "è", "\xe8", "À", "\xc0", "ô", "\xf4").Replace(french))
	cp1252 := []byte("He said \x93hello\x94 and paid 5\x80.\n")
	// 日本語のテキスト in Shift_JIS.
	sjis := []byte("\x93\xfa\x96\x7b\x8c\xea\x82\xcc\x83\x65\x83\x4c\x83\x58\x83\x67\n\x93\xfa\x96\x7b\x8c\xea\n")
	damaged := []byte("naïve café, über\nline two \xff here\n")
	text := "hello, world\nsecond line\n"
	for _, tc := range []struct {
		name  string
		data  []byte
		parts []string
	}{
		{"utf16le.txt", utf16Bytes(text, false, true), []string{"it is UTF-16 (little-endian) text (it starts with a byte-order mark), not UTF-8; convert it first, e.g. iconv -f UTF-16 -t UTF-8"}},
		{"utf16be.txt", utf16Bytes(text, true, true), []string{"UTF-16 (big-endian) text"}},
		{"utf16le-nobom.txt", utf16Bytes(text, false, false), []string{"it looks like UTF-16 (little-endian) text without a byte-order mark"}},
		{"utf16be-nobom.txt", utf16Bytes(text, true, false), []string{"UTF-16 (big-endian) text without a byte-order mark"}},
		{"utf32le.txt", append([]byte("\xff\xfe\x00\x00"), "h\x00\x00\x00"...), []string{"UTF-32 (little-endian) text"}},
		{"utf32be.txt", append([]byte("\x00\x00\xfe\xff"), "\x00\x00\x00h"...), []string{"UTF-32 (big-endian) text"}},
		{"latin1.txt", latin1, []string{"it looks like Latin-1 (ISO 8859-1) text, not UTF-8 (the first byte that is not UTF-8, 0xE9, is on line 1); convert it to UTF-8 first, e.g. iconv -f LATIN1 -t UTF-8"}},
		{"cp1252.txt", cp1252, []string{"Windows-1252 text", "0x93, is on line 1", "iconv -f WINDOWS-1252"}},
		{"sjis.txt", sjis, []string{"it is text in an encoding other than UTF-8, such as Shift_JIS"}},
		{"damaged.txt", damaged, []string{"it is UTF-8 text with bytes in it that are not UTF-8 (the first byte that is not UTF-8, 0xFF, is on line 2)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Load(write(t, dir, tc.name, tc.data), Limits{})
			wantProblem(t, err, Encoding, tc.parts...)
		})
	}
}

// A file whose first 8 KB are clean but whose rest is not is judged by
// all of it: nothing non-UTF-8 is ever sent.
func TestEncodingPastTheSniff(t *testing.T) {
	data := []byte(strings.Repeat("clean ascii line\n", 1000) + "caf\xe9\n")
	_, err := Load(write(t, t.TempDir(), "late.txt", data), Limits{})
	wantProblem(t, err, Encoding, "Latin-1", "is on line 1001")
}

func TestTextThatIsText(t *testing.T) {
	for name, s := range map[string]string{
		"ansi colours":   "\x1b[31merror\x1b[0m: it broke\n",
		"man overstrike": "N\bNA\bAM\bME\bE\n",
		"windows lines":  "a\r\nb\r\n",
		"cjk":            "日本語のテキスト\n",
		"emoji":          "ok 👍\n",
		"form feed":      "page one\fpage two\n",
	} {
		if c := checkText([]byte(s), true); !c.ok {
			t.Errorf("%s: %q is not taken as text (%+v)", name, s, c)
		}
	}
}

// A sniff of the first bytes may end inside a character.
func TestSniffCutCharacter(t *testing.T) {
	head := []byte(strings.Repeat("é", 100))
	head = head[:len(head)-1] // half an é
	if k, ok := Sniff(head); !ok || k != Text {
		t.Errorf("Sniff = %s, %v", k, ok)
	}
	if k, ok := Sniff([]byte("caf\xe9 au lait")); !ok || k != Text {
		t.Errorf("Latin-1 text is offered (Load names its encoding): %s %v", k, ok)
	}
	if _, ok := Sniff([]byte("\x00\x01\x02\x03binary")); ok {
		t.Error("binary is offered")
	}
	if k, ok := Sniff([]byte(minimalPDF)); !ok || k != PDF {
		t.Errorf("PDF: %s %v", k, ok)
	}
}

// FuzzFromBytes: whatever the bytes, the result is an *Error or an
// attachment of a kind we send, and text that is sent is UTF-8: never
// mojibake.
func FuzzFromBytes(f *testing.F) {
	for _, s := range []string{"hello\n", "caf\xe9", "\xff\xfeh\x00", "%PDF-1.7", "\x89PNG\r\n\x1a\n", "GIF89a", "RIFF\x00\x00\x00\x00WEBPVP8L", "\x00\x01"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := FromBytes("f", "f", data, Limits{})
		if err != nil {
			if ProblemOf(err) == "" {
				t.Fatalf("error %v is not an *attach.Error", err)
			}
			return
		}
		switch a.Kind {
		case Text:
			if !utf8.ValidString(a.Fenced()) {
				t.Fatalf("text %q is sent as invalid UTF-8", data)
			}
		case Image:
			if a.Width <= 0 || a.Height <= 0 {
				t.Fatalf("image without dimensions: %+v", a)
			}
		case PDF:
		default:
			t.Fatalf("kind %q", a.Kind)
		}
	})
}
