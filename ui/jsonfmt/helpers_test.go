package jsonfmt_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/parley-tui/parley/ui/jsonfmt"
)

// indentOracle is what json.Indent makes of s with the given indent. We drop
// whitespace after the value where json.Indent copies it, so s is trimmed
// first; ok is false when json.Indent rejects s.
func indentOracle(s string, indent int) (string, bool) {
	var dst bytes.Buffer
	src := bytes.TrimRight([]byte(s), " \t\r\n")
	if err := json.Indent(&dst, src, "", strings.Repeat(" ", indent)); err != nil {
		return "", false
	}
	return dst.String(), true
}

// streamOracle is what json.Decoder reads from s as a stream of values,
// each indented, joined by newlines; ok is false when the stream is
// invalid or empty.
func streamOracle(s string, indent int) (string, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	var out []string
	for {
		var v json.RawMessage
		err := dec.Decode(&v)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", false
		}
		one, ok := indentOracle(string(v), indent)
		if !ok {
			return "", false
		}
		out = append(out, one)
	}
	return strings.Join(out, "\n"), len(out) > 0
}

// writeInPieces feeds s to a new Formatter cut at the given offsets
// (ascending), calling Lines after every Write as the card would.
func writeInPieces(s string, cuts []int) *jsonfmt.Formatter {
	f := jsonfmt.New(2)
	prev := 0
	for _, c := range cuts {
		f.Write(s[prev:c])
		f.Lines()
		prev = c
	}
	f.Write(s[prev:])
	return f
}

// randomCuts splits len n into pieces of 1..maxPiece bytes.
func randomCuts(r *rand.Rand, n, maxPiece int) []int {
	var cuts []int
	for at := r.IntN(maxPiece) + 1; at < n; at += r.IntN(maxPiece) + 1 {
		cuts = append(cuts, at)
	}
	return cuts
}

// sameAsOneShot fails t unless f's observable state equals that of a
// Formatter given s in one Write.
func sameAsOneShot(t *testing.T, f *jsonfmt.Formatter, s string, how string) {
	t.Helper()
	one := jsonfmt.New(2)
	one.Write(s)
	if !reflect.DeepEqual(f.Lines(), one.Lines()) {
		t.Fatalf("%s: %q\nincremental:\n%s\none-shot:\n%s", how, s,
			dump(f.Lines()), dump(one.Lines()))
	}
	if f.ActiveKey() != one.ActiveKey() || f.Complete() != one.Complete() ||
		f.Bytes() != one.Bytes() || errString(f.Err()) != errString(one.Err()) {
		t.Fatalf("%s: %q: state differs: key %q/%q complete %v/%v bytes %d/%d err %v/%v", how, s,
			f.ActiveKey(), one.ActiveKey(), f.Complete(), one.Complete(),
			f.Bytes(), one.Bytes(), f.Err(), one.Err())
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// dump shows lines with span kinds, for failure messages.
func dump(lines []jsonfmt.Line) string {
	var b strings.Builder
	for _, l := range lines {
		for _, s := range l {
			b.WriteString(s.Kind.String())
			b.WriteString("(")
			b.WriteString(strings.ReplaceAll(s.Text, "\n", `\n`))
			b.WriteString(") ")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// allText concatenates every span's text.
func allText(lines []jsonfmt.Line) string {
	var b strings.Builder
	for _, l := range lines {
		for _, s := range l {
			b.WriteString(s.Text)
		}
	}
	return b.String()
}

// dropSpace removes JSON whitespace bytewise (strings.Map would rewrite
// invalid UTF-8).
func dropSpace(s string) string {
	b := make([]byte, 0, len(s))
	for i := range len(s) {
		if c := s[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			b = append(b, c)
		}
	}
	return string(b)
}

// docGen writes random valid JSON text, with varied whitespace, escapes,
// unicode and number forms, to exercise every state of the formatter.
type docGen struct {
	r     *rand.Rand
	b     strings.Builder
	space bool // put random whitespace between tokens
	fan   int  // most members per container
}

var (
	genWords   = []string{"a", "city", "Paris", "x y", "日本", "é", "😀", "{", "}]", ",", ":", " ", "ümlaut"}
	genEscapes = []string{`\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00e9`, `\u00E9`, `\ud83d\ude00`, `\u0000`}
	genSpaces  = []string{" ", "  ", "\n", "\t", "\r\n", "\n    "}
)

func (g *docGen) ws() {
	if g.space && g.r.IntN(3) == 0 {
		g.b.WriteString(genSpaces[g.r.IntN(len(genSpaces))])
	}
}

func (g *docGen) value(depth int) {
	g.ws()
	n := 7
	if depth >= 5 {
		n = 5 // scalars only
	}
	g.valueOf(g.r.IntN(n), depth)
	g.ws()
}

func (g *docGen) valueOf(kind, depth int) {
	switch kind {
	case 0, 3, 4:
		g.str()
	case 1:
		g.number()
	case 2:
		g.b.WriteString([]string{"true", "false", "null"}[g.r.IntN(3)])
	case 5:
		g.list('{', '}', func() {
			g.ws()
			g.str()
			g.ws()
			g.b.WriteByte(':')
			g.value(depth + 1)
		})
	case 6:
		g.list('[', ']', func() { g.value(depth + 1) })
	}
}

// list writes up to fan members between open and close.
func (g *docGen) list(open, close byte, member func()) {
	g.b.WriteByte(open)
	for i, n := 0, g.r.IntN(g.fan+1); i < n; i++ {
		if i > 0 {
			g.ws()
			g.b.WriteByte(',')
		}
		member()
	}
	g.ws()
	g.b.WriteByte(close)
}

func (g *docGen) str() {
	g.b.WriteByte('"')
	for i, n := 0, g.r.IntN(6); i < n; i++ {
		if g.r.IntN(3) == 0 {
			g.b.WriteString(genEscapes[g.r.IntN(len(genEscapes))])
		} else {
			g.b.WriteString(genWords[g.r.IntN(len(genWords))])
		}
	}
	g.b.WriteByte('"')
}

func (g *docGen) number() {
	if g.r.IntN(2) == 0 {
		g.b.WriteByte('-')
	}
	if g.r.IntN(4) == 0 {
		g.b.WriteByte('0')
	} else {
		g.b.WriteByte(byte('1' + g.r.IntN(9)))
		for i, n := 0, g.r.IntN(4); i < n; i++ {
			g.b.WriteByte(byte('0' + g.r.IntN(10)))
		}
	}
	if g.r.IntN(2) == 0 {
		g.b.WriteByte('.')
		for i, n := 0, 1+g.r.IntN(3); i < n; i++ {
			g.b.WriteByte(byte('0' + g.r.IntN(10)))
		}
	}
	if g.r.IntN(3) == 0 {
		g.b.WriteString([]string{"e", "E", "e+", "e-", "E-"}[g.r.IntN(5)])
		g.b.WriteByte(byte('0' + g.r.IntN(10)))
	}
}

// generatedDocs returns n documents from a fixed seed, about half with
// whitespace between tokens; every tenth is a large object (kilobytes).
func generatedDocs(n int) []string {
	r := rand.New(rand.NewPCG(20260101, 7))
	docs := make([]string, n)
	for i := range docs {
		g := docGen{r: r, space: i%2 == 1, fan: 4}
		if i%10 == 9 {
			g.fan = 9
			g.ws()
			g.valueOf(5, 0) // an object
			g.ws()
		} else {
			g.value(0)
		}
		docs[i] = g.b.String()
	}
	return docs
}
