package mock

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"strings"
	"unicode"
)

//go:embed scripts/*.md scripts/scripts.json
var scriptFiles embed.FS

// reply is what the mock model says in one turn, independent of the API
// that carries it.
type reply struct {
	// fixedIDs gives every item and call the same ids, in this reply and
	// the next (fault:reused-ids).
	fixedIDs  bool
	summary   []string   // reasoning summary parts; none = no reasoning item
	text      string     // assistant message text; "" = no message item
	citations []citation // url citations on the message text
	calls     []toolCall // function calls, made in parallel
}

type toolCall struct {
	name      string
	arguments string // compact JSON
	// final, when set, is what the done events say the arguments are,
	// unlike what streamed (fault:args-changed).
	final string
}

type citation struct {
	url, title string
}

// scriptBook holds the embedded scripts by name.
type scriptBook map[string]reply

const (
	scriptMarkdown  = "markdown"
	scriptReasoning = "reasoning"
	scriptTools     = "tools"
	scriptShort     = "short" // used by fault:malformed only
	// scriptSky answers the welcome screen's "think about why the sky is
	// blue": reasoning, then an answer about Rayleigh scattering.
	scriptSky = "sky"
)

// cycleOrder is the order of scripts for messages that match no keyword.
func cycleOrder() []string {
	return []string{scriptMarkdown, scriptReasoning, scriptTools}
}

func loadScripts() (scriptBook, error) {
	manifest, err := scriptFiles.ReadFile("scripts/scripts.json")
	if err != nil {
		return nil, err
	}
	var entries []struct {
		Name    string   `json:"name"`
		Summary []string `json:"summary"`
		Text    string   `json:"text"`
		Calls   []struct {
			Name      string          `json:"name"`
			Arguments json.RawMessage `json:"arguments"`
		} `json:"calls"`
	}
	if err := json.Unmarshal(manifest, &entries); err != nil {
		return nil, fmt.Errorf("scripts.json: %w", err)
	}
	book := scriptBook{}
	for _, e := range entries {
		var r reply
		for _, f := range e.Summary {
			s, err := readScriptFile(f)
			if err != nil {
				return nil, err
			}
			r.summary = append(r.summary, s)
		}
		if e.Text != "" {
			if r.text, err = readScriptFile(e.Text); err != nil {
				return nil, err
			}
		}
		for _, c := range e.Calls {
			var args bytes.Buffer
			if err := json.Compact(&args, c.Arguments); err != nil {
				return nil, fmt.Errorf("scripts.json: arguments of %s: %w", c.Name, err)
			}
			r.calls = append(r.calls, toolCall{name: c.Name, arguments: args.String()})
		}
		book[e.Name] = r
	}
	for _, name := range append(cycleOrder(), scriptShort, scriptSky) {
		if _, ok := book[name]; !ok {
			return nil, fmt.Errorf("scripts.json: no script %q", name)
		}
	}
	return book, nil
}

func readScriptFile(name string) (string, error) {
	b, err := scriptFiles.ReadFile("scripts/" + name)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\n"), nil
}

// scriptForMessage applies the keyword rules documented in the package
// comment; ok is false when none match.
func scriptForMessage(msg string) (name string, ok bool) {
	keywordRules := [...]struct {
		script   string
		prefixes []string
	}{
		{scriptTools, []string{"tool", "weather", "calculat", "clock"}},
		{scriptSky, []string{"sky"}},
		{scriptReasoning, []string{"think", "reason", "why"}},
		{scriptMarkdown, []string{"markdown", "demo", "table", "code"}},
	}
	for _, rule := range keywordRules {
		if hasWord(msg, rule.prefixes...) {
			return rule.script, true
		}
	}
	return "", false
}

// hasWord says whether a word of msg (a run of letters and digits, lower
// case) starts with one of prefixes.
func hasWord(msg string, prefixes ...string) bool {
	words := strings.FieldsFunc(strings.ToLower(msg), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
	for _, w := range words {
		for _, p := range prefixes {
			if strings.HasPrefix(w, p) {
				return true
			}
		}
	}
	return false
}

// scriptForModel reads the "parley-mock-<script>" model names.
func scriptForModel(model string, book scriptBook) (string, bool) {
	name, ok := strings.CutPrefix(model, "parley-mock-")
	if !ok || name == scriptShort {
		return "", false
	}
	_, ok = book[name]
	return name, ok
}

// maxQuotedOutput bounds how much of each tool output the follow-up quotes,
// so a huge tool result does not become a huge reply.
const maxQuotedOutput = 600

// followUp is the reply to a request that ends with tool results: it quotes
// each output so a client can check its tool loop end to end.
func followUp(results []toolResult) reply {
	var b strings.Builder
	b.WriteString("Thanks, I have the tool results.\n\n")
	for _, r := range results {
		name := r.name
		if name == "" {
			name = "tool"
		}
		fmt.Fprintf(&b, "**%s** (`%s`) returned:\n\n", name, r.callID)
		out := r.output
		if len(out) > maxQuotedOutput {
			out = truncateUTF8(out, maxQuotedOutput) + "…"
		}
		if out == "" {
			out = "(empty output)"
		}
		for line := range strings.SplitSeq(out, "\n") {
			b.WriteString("> " + line + "\n")
		}
		b.WriteString("\n")
	}
	b.WriteString("Based on these results, that is everything you asked for. Let me know if you want more detail.")
	return reply{text: b.String()}
}

// truncateUTF8 cuts s to at most n bytes, at a character boundary.
func truncateUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
