package jsonfmt_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/parley-tui/parley/ui/jsonfmt"
)

func TestFormatComplete(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"object", `{"country":"France"}`, "{\n  \"country\": \"France\"\n}"},
		{"two keys", `{"a":2,"b":3}`, "{\n  \"a\": 2,\n  \"b\": 3\n}"},
		{"nested", `{"filters":{"city":"Paris","tags":["a","b"]},"limit":5}`,
			"{\n  \"filters\": {\n    \"city\": \"Paris\",\n    \"tags\": [\n      \"a\",\n      \"b\"\n    ]\n  },\n  \"limit\": 5\n}"},
		{"empty containers", `{"o":{},"a":[],"n":[{},[]]}`,
			"{\n  \"o\": {},\n  \"a\": [],\n  \"n\": [\n    {},\n    []\n  ]\n}"},
		{"empty top-level object", `{}`, `{}`},
		{"empty top-level array", ` [ ] `, `[]`},
		{"escapes kept verbatim", `{"q":"say \"hi\"\\n\n\t\/ \u00e9\uD83D\uDE00"}`,
			"{\n  \"q\": \"say \\\"hi\\\"\\\\n\\n\\t\\/ \\u00e9\\uD83D\\uDE00\"\n}"},
		{"raw unicode", `{"城市":"Zürich 😀"}`, "{\n  \"城市\": \"Zürich 😀\"\n}"},
		{"punctuation inside strings", `{"a":"{[,:]}"}`, "{\n  \"a\": \"{[,:]}\"\n}"},
		{"numbers", `[0,-0,12,-3.25,1e9,1E+2,-2.5e-3,0.0]`,
			"[\n  0,\n  -0,\n  12,\n  -3.25,\n  1e9,\n  1E+2,\n  -2.5e-3,\n  0.0\n]"},
		{"literals", `[true,false,null]`, "[\n  true,\n  false,\n  null\n]"},
		{"array of objects", `[{"id":1},{"id":2}]`, "[\n  {\n    \"id\": 1\n  },\n  {\n    \"id\": 2\n  }\n]"},
		{"top-level string", `"just text"`, `"just text"`},
		{"top-level number", `-12.5e3`, `-12.5e3`},
		{"top-level literal", `true`, `true`},
		{"whitespace heavy", " \n\t{ \"city\" :\r\n \"Edinburgh\" ,\n\n \"units\"\t:\t\"c\"  ,\"n\" : [ 1 ,\n 2 ] } \n",
			"{\n  \"city\": \"Edinburgh\",\n  \"units\": \"c\",\n  \"n\": [\n    1,\n    2\n  ]\n}"},
		{"real tool call", `{"city": "Edinburgh", "country": "GB", "units": "c"}`,
			"{\n  \"city\": \"Edinburgh\",\n  \"country\": \"GB\",\n  \"units\": \"c\"\n}"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := jsonfmt.New(2)
			f.Write(tc.in)
			if got := jsonfmt.Plain(f.Lines()); got != tc.want {
				t.Fatalf("Format(%q):\n%s\nwant:\n%s", tc.in, got, tc.want)
			}
			if want, _ := indentOracle(tc.in, 2); want != tc.want {
				t.Fatalf("test case disagrees with json.Indent:\n%s", want)
			}
			if f.Err() != nil || !f.Complete() || f.ActiveKey() != "" || f.Bytes() != len(tc.in) {
				t.Fatalf("state: err %v complete %v key %q bytes %d", f.Err(), f.Complete(), f.ActiveKey(), f.Bytes())
			}
		})
	}
}

func TestFormatIndentWidths(t *testing.T) {
	in := `{"a":[1,{"b":null}]}`
	for _, indent := range []int{0, 1, 4, 8} {
		want, _ := indentOracle(in, indent)
		if got := jsonfmt.Plain(jsonfmt.Format(in, indent)); got != want {
			t.Errorf("indent %d:\n%s\nwant:\n%s", indent, got, want)
		}
	}
	if got, want := jsonfmt.Plain(jsonfmt.Format(in, -3)), jsonfmt.Plain(jsonfmt.Format(in, 0)); got != want {
		t.Errorf("negative indent: %q, want %q", got, want)
	}
}

func TestSpanKinds(t *testing.T) {
	got := jsonfmt.Format(`{"a":[1,"s",true,null],"b":{}}`, 2)
	sp := func(k jsonfmt.TokenKind, s string) jsonfmt.Span { return jsonfmt.Span{Kind: k, Text: s} }
	ind := func(n int) jsonfmt.Span { return sp(jsonfmt.Space, strings.Repeat(" ", n)) }
	want := []jsonfmt.Line{
		{sp(jsonfmt.Punct, "{")},
		{ind(2), sp(jsonfmt.Key, `"a"`), sp(jsonfmt.Punct, ":"), sp(jsonfmt.Space, " "), sp(jsonfmt.Punct, "[")},
		{ind(4), sp(jsonfmt.Number, "1"), sp(jsonfmt.Punct, ",")},
		{ind(4), sp(jsonfmt.String, `"s"`), sp(jsonfmt.Punct, ",")},
		{ind(4), sp(jsonfmt.Bool, "true"), sp(jsonfmt.Punct, ",")},
		{ind(4), sp(jsonfmt.Null, "null")},
		{ind(2), sp(jsonfmt.Punct, "]"), sp(jsonfmt.Punct, ",")},
		{ind(2), sp(jsonfmt.Key, `"b"`), sp(jsonfmt.Punct, ":"), sp(jsonfmt.Space, " "), sp(jsonfmt.Punct, "{"), sp(jsonfmt.Punct, "}")},
		{sp(jsonfmt.Punct, "}")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got:\n%s\nwant:\n%s", dump(got), dump(want))
	}
}

// TestPartial checks what the card shows while arguments are still arriving.
func TestPartial(t *testing.T) {
	cases := []struct {
		in, want, key string
		complete      bool
	}{
		{``, "", "", false},
		{`  `, "", "", false},
		{`{`, "{", "", false},
		{`{"ci`, "{\n  \"ci", "", false},
		{`{"city"`, "{\n  \"city\"", "", false},
		{`{"city": `, "{\n  \"city\": ", "city", false},
		{`{"city": "Par`, "{\n  \"city\": \"Par", "city", false},
		{`{"city": "Paris"`, "{\n  \"city\": \"Paris\"", "", false},
		{`{"city": "Paris",`, "{\n  \"city\": \"Paris\",", "", false},
		{`{"city": "Paris", "un`, "{\n  \"city\": \"Paris\",\n  \"un", "", false},
		{`{"q": "a \`, "{\n  \"q\": \"a \\", "q", false},
		{`{"q": "\u00`, "{\n  \"q\": \"\\u00", "q", false},
		{`{"n": -1.5e`, "{\n  \"n\": -1.5e", "n", false},
		{`{"n": 12`, "{\n  \"n\": 12", "n", false},
		{`{"ok": tr`, "{\n  \"ok\": tr", "ok", false},
		{`{"filters": {`, "{\n  \"filters\": {", "filters", false},
		{`{"filters": {"city": "X`, "{\n  \"filters\": {\n    \"city\": \"X", "filters.city", false},
		{`{"items": [`, "{\n  \"items\": [", "items", false},
		{`{"items": [1`, "{\n  \"items\": [\n    1", "items[0]", false},
		{`{"items": [1, 2, `, "{\n  \"items\": [\n    1,\n    2,", "items[2]", false},
		{`{"items": [1, 2, {"a": `, "{\n  \"items\": [\n    1,\n    2,\n    {\n      \"a\": ", "items[2].a", false},
		{`[{"id": 1}, {"id": `, "[\n  {\n    \"id\": 1\n  },\n  {\n    \"id\": ", "[1].id", false},
		{`{"a": {"b": 1}`, "{\n  \"a\": {\n    \"b\": 1\n  }", "", false},
		{`{"a": 1}`, "{\n  \"a\": 1\n}", "", true},
		{`12`, "12", "", true},
		{`12.`, "12.", "", false},
		{`-`, "-", "", false},
		{`nul`, "nul", "", false},
		{`"open`, `"open`, "", false},
	}
	for _, tc := range cases {
		f := jsonfmt.New(2)
		f.Write(tc.in)
		if got := jsonfmt.Plain(f.Lines()); got != tc.want {
			t.Errorf("%q shows\n%s\nwant\n%s", tc.in, got, tc.want)
		}
		if got := f.ActiveKey(); got != tc.key {
			t.Errorf("%q: ActiveKey = %q, want %q", tc.in, got, tc.key)
		}
		if f.Complete() != tc.complete || f.Err() != nil {
			t.Errorf("%q: Complete = %v, Err = %v; want %v, nil", tc.in, f.Complete(), f.Err(), tc.complete)
		}
	}
}

func TestOpenSpansKeepTheirKind(t *testing.T) {
	lines := jsonfmt.Format(`{"ci`, 2)
	if last := lines[len(lines)-1]; last[len(last)-1] != (jsonfmt.Span{Kind: jsonfmt.Key, Text: `"ci`}) {
		t.Errorf("open key: %s", dump(lines))
	}
	lines = jsonfmt.Format(`{"city": "Par`, 2)
	if last := lines[len(lines)-1]; last[len(last)-1] != (jsonfmt.Span{Kind: jsonfmt.String, Text: `"Par`}) {
		t.Errorf("open string: %s", dump(lines))
	}
}

// TestConcatenatedValues: some models send several objects back to back;
// each is shown from its own line.
func TestConcatenatedValues(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"a":1}{"b":2}`, "{\n  \"a\": 1\n}\n{\n  \"b\": 2\n}"},
		{"1 2\n[3]", "1\n2\n[\n  3\n]"},
		{`"a""b"truefalse`, "\"a\"\n\"b\"\ntrue\nfalse"},
	}
	for _, tc := range cases {
		f := jsonfmt.New(2)
		f.Write(tc.in)
		if got := jsonfmt.Plain(f.Lines()); got != tc.want || f.Err() != nil || !f.Complete() {
			t.Errorf("%q shows\n%s\nerr %v complete %v; want\n%s", tc.in, got, f.Err(), f.Complete(), tc.want)
		}
		if want, ok := streamOracle(tc.in, 2); !ok || want != tc.want {
			t.Errorf("%q: json.Decoder reads %q (ok %v)", tc.in, want, ok)
		}
	}
}

func TestLinesFrozen(t *testing.T) {
	f := jsonfmt.New(2)
	f.Write(`{"a": "x`)
	first := f.Lines()
	firstLine := first[0]
	f.Write(`yz", "b": [1, 2]}`)
	if !reflect.DeepEqual(firstLine, jsonfmt.Line{{Kind: jsonfmt.Punct, Text: "{"}}) {
		t.Errorf("a frozen line changed: %s", dump([]jsonfmt.Line{firstLine}))
	}
	if got := f.Lines()[1][4].Text; got != `"xyz"` {
		t.Errorf("grown string = %q", got)
	}
}

func TestLinesDoesNotAllocate(t *testing.T) {
	f := jsonfmt.New(2)
	f.Write(`{"content": "` + strings.Repeat("abc ", 1000))
	if n := testing.AllocsPerRun(100, func() { f.Lines() }); n != 0 {
		t.Errorf("Lines allocates %v times per call", n)
	}
}
