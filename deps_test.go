package main

// Regression tests for bugs in dependencies that users would see.

import (
	"strings"
	"testing"
	"time"

	"github.com/alecthomas/chroma/v2"
	"github.com/dlclark/regexp2"
)

// chroma gives every regexp a 250 ms match timeout, checked against
// regexp2's coarse clock, which stops when no match has run for about a
// second. regexp2 before v1.11.5 restarted it from the stale time it
// stopped at, so the first tick after an idle spell expired every match
// then running, however young: the rule was skipped and the token came out
// in another colour (under -race, ui/markdown's TestRunsMatchWholeRender
// saw `len` coloured as a name instead of a builtin). A rule that takes
// well under the timeout must match after an idle spell too.
func TestHighlighterMatchesAfterIdle(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for regexp2's clock to stop")
	}
	// The first branch fails after exponential backtracking, the second
	// matches: a rule that matches, slowly. Grow the input until one match
	// takes about 150 ms here (more than the clock's 100 ms tick, well
	// under the 250 ms timeout), timed without a timeout.
	const pattern = `(?:(a+)+c|a+b)`
	probe := regexp2.MustCompile(pattern, 0)
	n, took := 12, time.Duration(0)
	for ; n < 40; n++ {
		start := time.Now()
		if ok, _ := probe.MatchString(strings.Repeat("a", n) + "b"); !ok {
			t.Fatal("the probe does not match")
		}
		if took = time.Since(start); took > 150*time.Millisecond {
			break
		}
	}
	t.Logf("a match on %d characters takes %v", n, took)
	if took > 200*time.Millisecond {
		t.Skipf("the machine is too busy to time a match under the timeout (%v)", took)
	}
	lexer := chroma.MustNewLexer(&chroma.Config{Name: "slow"}, func() chroma.Rules {
		return chroma.Rules{"root": {
			{Pattern: pattern, Type: chroma.Keyword},
			{Pattern: `(?s).`, Type: chroma.Text},
		}}
	})
	first := func(text string) chroma.Token {
		it, err := lexer.Tokenise(nil, text)
		if err != nil {
			t.Fatal(err)
		}
		return it()
	}
	first("ab")                 // compiles the rules and starts the clock
	time.Sleep(2 * time.Second) // the clock stops
	if tok := first(strings.Repeat("a", n) + "b"); tok.Type != chroma.Keyword {
		t.Errorf("after an idle spell the rule timed out: the first token is %v, want a keyword", tok.Type)
	}
}
