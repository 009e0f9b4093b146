package jsonfmt_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-tui/parley/ui/jsonfmt"
)

// FuzzFormatter feeds arbitrary bytes in two deltas cut at an arbitrary
// point. It must never panic, must match the one-shot result, must keep
// every byte, and must agree with encoding/json on valid input.
func FuzzFormatter(f *testing.F) {
	for _, doc := range realArguments {
		f.Add(doc, uint(len(doc)/2))
	}
	for _, seed := range []string{
		`{"q":"a\"b\\c\u00e9\ud83d\ude00","n":[-1.5e+3,0,true,false,null],"o":{}}`,
		`{"a" 1}`, `[1,]`, "\"raw\nnewline\"", `{"a":01}`, `1 2 {"x":[]}`, `tru`, `-`, " \t\n",
	} {
		for _, cut := range []uint{0, 1, 5, 11} {
			f.Add(seed, cut)
		}
	}
	f.Fuzz(func(t *testing.T, s string, cut uint) {
		k := int(cut % uint(len(s)+1))
		inc := writeInPieces(s, []int{k})
		sameAsOneShot(t, inc, s, "split at "+strconv.Itoa(k))
		lines := inc.Lines()

		if got, want := dropSpace(allText(lines)), dropSpace(s); got != want {
			t.Fatalf("%q: bytes lost or added: shown %q", s, got)
		}
		if prefix := jsonfmt.Plain(jsonfmt.Format(s[:k], 2)); !strings.HasPrefix(jsonfmt.Plain(lines), prefix) {
			t.Fatalf("%q: output for the first %d bytes %q is not a prefix of the final output", s, k, prefix)
		}

		plain := jsonfmt.Plain(lines)
		if json.Valid([]byte(s)) {
			want, _ := indentOracle(s, 2)
			if plain != want || inc.Err() != nil || !inc.Complete() {
				t.Fatalf("valid %q:\n%s\nerr %v complete %v; json.Indent gives\n%s", s, plain, inc.Err(), inc.Complete(), want)
			}
		}
		want, stream := streamOracle(s, 2)
		if stream && (plain != want || inc.Err() != nil || !inc.Complete()) {
			t.Fatalf("value stream %q:\n%s\nerr %v complete %v; json.Decoder gives\n%s", s, plain, inc.Err(), inc.Complete(), want)
		}
		if inc.Complete() && !stream {
			t.Fatalf("%q reports Complete but json.Decoder rejects it", s)
		}
	})
}
