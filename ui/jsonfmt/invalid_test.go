package jsonfmt_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/parley-tui/parley/ui/jsonfmt"
)

func TestInvalidKeepsEveryByte(t *testing.T) {
	cases := []struct {
		in     string
		offset int // of the first byte that cannot be JSON
	}{
		{`{"a" 1}`, 5},
		{`{"a":1,}`, 7},
		{`[1,]`, 3},
		{`[1 2]`, 3},
		{`{,}`, 1},
		{`{"a":01}`, 6},
		{`{"a":-}`, 6},
		{`1.e5`, 2},
		{`{"a":1.}`, 7},
		{`tru e`, 3},
		{`nulL`, 3},
		{`"bad \x escape"`, 6},
		{`"\u12G4"`, 5},
		{"\"raw\nnewline\"", 4},
		{"\"esc \x1b[31m\"", 5},
		{`}`, 0},
		{`{"a":1}}`, 7},
		{`{"a":1]`, 6},
		{`[1}`, 2},
		{`{"a":[1,2],"b":{"c":x}}`, 20},
		{`{1:2}`, 1},
		{`'single'`, 0},
		{"{\"a\":1,\n  oops\n more}", 10},
	}
	for _, tc := range cases {
		lines := jsonfmt.Format(tc.in, 2)
		var serr *jsonfmt.SyntaxError
		f := jsonfmt.New(2)
		f.Write(tc.in)
		if !errors.As(f.Err(), &serr) || serr.Offset != tc.offset {
			t.Errorf("%q: Err = %v, want a SyntaxError at byte %d", tc.in, f.Err(), tc.offset)
		}
		if json.Valid([]byte(tc.in)) {
			t.Errorf("%q: test case is valid JSON", tc.in)
		}
		if got, want := dropSpace(allText(lines)), dropSpace(tc.in); got != want {
			t.Errorf("%q: lost bytes: shown %q", tc.in, got)
		}
		if f.Complete() || f.ActiveKey() != "" {
			t.Errorf("%q: Complete %v, ActiveKey %q after an error", tc.in, f.Complete(), f.ActiveKey())
		}
		if last := lines[len(lines)-1]; len(last) == 0 || last[len(last)-1].Kind != jsonfmt.Invalid {
			t.Errorf("%q: the tail is not shown as Invalid:\n%s", tc.in, dump(lines))
		}
	}
}

func TestInvalidTailShownVerbatim(t *testing.T) {
	in := "{\"a\": 1,\n  oops\n more}"
	want := "{\n  \"a\": 1,\n  oops\n more}"
	lines := jsonfmt.Format(in, 2)
	if got := jsonfmt.Plain(lines); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	if got := jsonfmt.Plain(jsonfmt.Format(`{"a" 1}`, 2)); got != "{\n  \"a\" 1}" {
		t.Fatalf(`{"a" 1} shows %q`, got)
	}
}

// TestInvalidSplits: the invalid tail, too, is the same for every split.
func TestInvalidSplits(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	docs := []string{"{\"a\" 1}", "[1,\n 2,]\n\nzz\n", "\"ab\x01cd\"", "{\"k\": tx\r\nyz}", "{\"a\":1,}"}
	for _, doc := range docs {
		for cut := 0; cut <= len(doc); cut++ {
			sameAsOneShot(t, writeInPieces(doc, []int{cut}), doc, "split")
		}
		for range 50 {
			sameAsOneShot(t, writeInPieces(doc, randomCuts(r, len(doc), 4)), doc, "random split")
		}
	}
}

func TestMaxDepth(t *testing.T) {
	ok := strings.Repeat("[", 10000) + strings.Repeat("]", 10000)
	if f := jsonfmt.Format(ok, 0); len(f) != 19999 || !json.Valid([]byte(ok)) { // the innermost [] shares a line
		t.Fatalf("10000 levels: %d lines", len(f))
	}
	f := jsonfmt.New(2)
	f.Write(strings.Repeat("[", 10001))
	if f.Err() == nil || json.Valid([]byte(strings.Repeat("[", 10001)+strings.Repeat("]", 10001))) {
		t.Fatalf("10001 levels: err %v", f.Err())
	}
}
