package jsonfmt_test

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-tui/parley/ui/jsonfmt"
)

// realArguments are tool arguments as models actually streamed them.
var realArguments = []string{
	`{"country":"France"}`,
	`{"location":"Florence, Italy"}`,
	`{"a":2,"b":3}`,
	`{"city": "Edinburgh", "country": "GB", "units": "c"}`,
}

// corpus returns the real arguments, hand-picked edge cases and generated
// documents, all valid JSON.
func corpus() []string {
	docs := append([]string{}, realArguments...)
	docs = append(docs,
		`{}`, `[]`, `[[[]]]`, `0`, `-0.5E-10`, `"\u00e9\\\""`, `null`,
		`{"q":"line\nbreak \"quoted\" \u00e9 😀","n":[1,-2.5,3e+8,0],"ok":true,"none":null}`,
		" \r\n{ \"k\" : [ { } , [ ] , \"v\" ] }\t\n",
	)
	return append(docs, generatedDocs(300)...)
}

// TestEverySplitMatchesIndent is the property the card relies on: however
// the arguments are cut into deltas, the result equals json.Indent of the
// whole, and equals the one-shot result span for span.
func TestEverySplitMatchesIndent(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, doc := range corpus() {
		want, ok := indentOracle(doc, 2)
		if !ok {
			t.Fatalf("corpus document is not valid JSON: %q", doc)
		}
		if got := jsonfmt.Plain(jsonfmt.Format(doc, 2)); got != want {
			t.Fatalf("Format(%q):\n%s\nwant:\n%s", doc, got, want)
		}

		// All 1-byte deltas.
		bytewise := jsonfmt.New(2)
		for i := range len(doc) {
			bytewise.Write(doc[i : i+1])
			bytewise.Lines()
		}
		sameAsOneShot(t, bytewise, doc, "1-byte deltas")

		// All 2-way splits for short documents.
		if len(doc) <= 400 {
			for cut := 0; cut <= len(doc); cut++ {
				sameAsOneShot(t, writeInPieces(doc, []int{cut}), doc, "split at "+strconv.Itoa(cut))
			}
		}

		// Random splits.
		for range 20 {
			cuts := randomCuts(r, len(doc), 1+r.IntN(16))
			sameAsOneShot(t, writeInPieces(doc, cuts), doc, "random split")
		}
	}
}

// TestPrefixesGrowTheOutput checks the streaming invariants at every prefix
// of valid documents: never an error, completion only at the end (or where a
// top-level number could end), frozen lines equal to the final ones, and the
// text shown so far a prefix of the final text.
func TestPrefixesGrowTheOutput(t *testing.T) {
	for _, doc := range corpus() {
		if len(doc) > 600 {
			continue // quadratic check
		}
		final := jsonfmt.Format(doc, 2)
		finalText := jsonfmt.Plain(final)
		f := jsonfmt.New(2)
		for i := range len(doc) {
			f.Write(doc[i : i+1])
			lines := f.Lines()
			if f.Err() != nil {
				t.Fatalf("prefix %q of valid %q: %v", doc[:i+1], doc, f.Err())
			}
			for j := 0; j+1 < len(lines); j++ {
				if !reflect.DeepEqual(lines[j], final[j]) {
					t.Fatalf("prefix %q: line %d is %s, final %s", doc[:i+1], j,
						dump(lines[j:j+1]), dump(final[j:j+1]))
				}
			}
			if got := jsonfmt.Plain(lines); !strings.HasPrefix(finalText, got) {
				t.Fatalf("prefix %q shows %q, not a prefix of %q", doc[:i+1], got, finalText)
			}
			rest := strings.TrimSpace(doc[i+1:])
			first := strings.TrimLeft(doc, " \t\r\n")[0]
			topNumber := first == '-' || '0' <= first && first <= '9'
			if f.Complete() && rest != "" && !topNumber {
				t.Fatalf("prefix %q of %q reports Complete", doc[:i+1], doc)
			}
			if !f.Complete() && rest == "" {
				t.Fatalf("%q does not report Complete", doc)
			}
		}
	}
}
