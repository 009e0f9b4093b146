package mock

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseFault(t *testing.T) {
	for _, tc := range []struct {
		model      string
		kind       string
		times, ra  int
		notFault   bool
		wantErrSub string
	}{
		{model: "gpt-4o", notFault: true},
		{model: "parley-mock-1", notFault: true},
		{model: "fault:429", kind: "429", ra: 1},
		{model: "fault:429:30", kind: "429", ra: 30},
		{model: "fault:429x2", kind: "429", times: 2, ra: 1},
		{model: "fault:429:5x3", kind: "429", times: 3, ra: 5},
		{model: "fault:429-once", kind: "429", times: 1, ra: 1},
		{model: "fault:503x1", kind: "503", times: 1},
		{model: "fault:context", kind: "context"},
		{model: "fault:contextx2", kind: "context", times: 2},
		{model: "fault:error-event", kind: "error-event"},
		{model: "fault:drop-once", kind: "drop", times: 1},
		{model: "fault:418", wantErrSub: "unknown fault"},
		{model: "fault:", wantErrSub: "unknown fault"},
		{model: "fault:429x0", wantErrSub: "repeat count"},
		{model: "fault:429:0", wantErrSub: "Retry-After"},
		{model: "fault:500:2", wantErrSub: "only 429"},
		{model: "fault:429:abc", wantErrSub: "Retry-After"},
	} {
		f, ok, err := parseFault(tc.model)
		switch {
		case tc.notFault:
			if ok || err != nil {
				t.Errorf("%s: read as a fault", tc.model)
			}
		case tc.wantErrSub != "":
			if !ok || err == nil || !strings.Contains(err.Error(), tc.wantErrSub) {
				t.Errorf("%s: err %v, want one about %q", tc.model, err, tc.wantErrSub)
			}
		default:
			if !ok || err != nil || f.kind != tc.kind || f.times != tc.times || f.retryAfter != tc.ra {
				t.Errorf("%s: got %+v, %v, %v", tc.model, f, ok, err)
			}
		}
	}
}

func TestSplitText(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, text := range []string{
		"Hello, world! How are you?",
		"  leading space and trailing\n\n",
		"Ünïcödé — 東京 and emoji 🙂 mixed_in code `x := 1`",
		"",
	} {
		pieces := splitText(text, rng)
		var b strings.Builder
		for _, p := range pieces {
			if p.tokens < 1 || p.tokens > 6 || p.text == "" || !utf8.ValidString(p.text) {
				t.Errorf("bad piece %+v", p)
			}
			b.WriteString(p.text)
		}
		if b.String() != text {
			t.Errorf("pieces of %q join to %q", text, b.String())
		}
	}
	if got := len(textUnits("Hello, world!")); got != 4 {
		t.Errorf("units of %q: %d, want 4 (Hello , world !)", "Hello, world!", got)
	}
}

func TestSplitArguments(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	args := `{"city":"Zürich, 東京","units":"metric","note":"🙂🙂🙂"}`
	pieces := splitArguments(args, rng)
	var b strings.Builder
	for i, p := range pieces {
		if !utf8.ValidString(p.text) {
			t.Errorf("piece %q splits a rune", p.text)
		}
		if len(p.text) < 3 && i != len(pieces)-1 {
			t.Errorf("piece %q shorter than 3 bytes", p.text)
		}
		if len(p.text) > 8+3 { // up to 3 more to finish a rune
			t.Errorf("piece %q too long", p.text)
		}
		b.WriteString(p.text)
	}
	if b.String() != args {
		t.Errorf("pieces join to %q", b.String())
	}
}

func TestScriptsLoad(t *testing.T) {
	book, err := loadScripts()
	if err != nil {
		t.Fatal(err)
	}
	if r := book[scriptReasoning]; len(r.summary) != 2 || r.text == "" {
		t.Errorf("reasoning script: %d parts", len(r.summary))
	}
	if r := book[scriptTools]; len(r.calls) < 2 {
		t.Errorf("tools script: %d calls", len(r.calls))
	}
}
