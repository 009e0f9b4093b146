package config

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"
)

const fullFile = `# everything Parley reads
provider = "ollama"
model = "llama3.2"
reasoning_effort = "low"
role = "reviewer"

[providers.ollama]
base_url = "http://gpu-box:11434/v1"

[providers.ollama.models."llama3.2"]
context_window = 131072
input_price = 0
output_price = 0

[providers.azure]
api_key_cmd = "pass show azure"
query = { api-version = "2025-04-01-preview" }

[providers.azure.models.my-deployment]
reasoning = true
input_price = 1.25
output_price = 10

[providers.work]
api = "chat"
base_url = "https://llm.example.com/v1"
api_key_env = "WORK_KEY"
auth_header = "X-Key"
headers = { X-Team = "parley" }

[roles.reviewer]
description = "Terse review"
prompt = """
You review code.
Be brief."""

[keys]
"global.toggle_sidebar" = ["ctrl+b", "f2"]
transcript.copy_code = []
input = { newline = "ctrl+j" }

[theme]
name = "mine"
[theme.palette]
base = "dracula"
primary = "#ff8700"
`

func TestParseFullFile(t *testing.T) {
	f, err := Parse("c.toml", []byte(fullFile))
	if err != nil {
		t.Fatal(err)
	}
	if f.Provider != "ollama" || f.Model != "llama3.2" || f.ReasoningEffort != "low" || f.Role != "reviewer" {
		t.Errorf("top level: %q %q %q %q", f.Provider, f.Model, f.ReasoningEffort, f.Role)
	}
	m := f.Providers["ollama"].Models["llama3.2"]
	if m.ContextWindow != 131072 || m.InputPrice == nil || *m.InputPrice != 0 || m.OutputPrice == nil || m.CachedInputPrice != nil {
		t.Errorf("ollama model %+v", m)
	}
	if az := f.Providers["azure"]; az.APIKeyCmd != "pass show azure" || az.Query["api-version"] != "2025-04-01-preview" ||
		!*az.Models["my-deployment"].Reasoning {
		t.Errorf("azure %+v", az)
	}
	if w := f.Providers["work"]; w.API != "chat" || w.APIKeyEnv != "WORK_KEY" || w.AuthHeader != "X-Key" || w.Headers["X-Team"] != "parley" {
		t.Errorf("work %+v", w)
	}
	if r := f.Roles["reviewer"]; r.Prompt != "You review code.\nBe brief." || r.Description != "Terse review" {
		t.Errorf("role %+v", r)
	}
	wantKeys := map[string][]string{
		"global.toggle_sidebar": {"ctrl+b", "f2"},
		"transcript.copy_code":  {},
		"input.newline":         {"ctrl+j"},
	}
	if !maps.EqualFunc(f.Keys, wantKeys, func(a, b []string) bool { return slices.Equal(a, b) }) {
		t.Errorf("keys %q, want %q", f.Keys, wantKeys)
	}
	if f.Theme.Name != "mine" || f.Theme.Base != "dracula" || !maps.Equal(f.Theme.Palette, map[string]string{"primary": "#ff8700"}) {
		t.Errorf("theme %+v", f.Theme)
	}
	if !slices.Equal(f.order, []string{"ollama", "azure", "work"}) {
		t.Errorf("provider order %q", f.order)
	}
	// Lines of keys written every way TOML allows.
	for key, want := range map[string]int{
		"provider": 2, "providers.ollama": 7, `providers.ollama.models."llama3.2"`: 10,
		"providers.ollama.models.\"llama3.2\".output_price": 13, "providers.azure.query.api-version": 17,
		"roles.reviewer.prompt": 33, `keys."global.toggle_sidebar"`: 38, "keys.transcript.copy_code": 39,
		"keys.input.newline": 40, "theme.palette.primary": 46,
	} {
		if got := f.lines[key]; got != want {
			t.Errorf("line of %s = %d, want %d", key, got, want)
		}
	}
	if got := f.Where("keys", "input", "newline"); got != "c.toml:40" {
		t.Errorf("Where = %q", got)
	}
}

func TestParseShortForms(t *testing.T) {
	f, err := Parse("c.toml", []byte("theme = \"dracula\"\n[keys]\n\"global.quit\" = \"ctrl+q\"\n"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Theme.Name != "dracula" || f.Theme.Palette != nil {
		t.Errorf("theme %+v", f.Theme)
	}
	if !slices.Equal(f.Keys["global.quit"], []string{"ctrl+q"}) {
		t.Errorf("a single key: %q", f.Keys["global.quit"])
	}
	if f, err := Parse("c.toml", nil); err != nil || f.Provider != "" {
		t.Errorf("empty file: %v", err)
	}
}

// Every error message, exactly: file, line, key, what was expected.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ src, want string }{
		// Syntax, from the library's ParseError.
		{"[providers.ollama]\napi = soap\n",
			`c.toml:2: providers.ollama.api: expected a value, got soap: a string needs quotes, as in "soap"`},
		{"model = \"a\"\nmodel = \"b\"\n", "c.toml:2: model: Key 'model' has already been defined."},
		// Types.
		{"model = 5\n", "c.toml:1: model: expected a string, got an integer"},
		{"[providers.ollama]\napi = 5\n", "c.toml:2: providers.ollama.api: expected a string, got an integer"},
		{"[providers.ollama.models.m]\ncontext_window = \"128k\"\n",
			"c.toml:2: providers.ollama.models.m.context_window: expected a whole number, got a string"},
		{"[providers.ollama.models.m]\nreasoning = \"yes\"\n", "c.toml:2: providers.ollama.models.m.reasoning: expected true or false, got a string"},
		{"[providers.ollama.models.m]\ninput_price = \"1\"\n", "c.toml:2: providers.ollama.models.m.input_price: expected a number, got a string"},
		{"[providers]\nollama = \"x\"\n", "c.toml:2: providers.ollama: expected a table, got a string"},
		{"providers = 3\n", "c.toml:1: providers: expected a table, got an integer"},
		{"[providers.ollama]\nheaders = \"x\"\n", "c.toml:2: providers.ollama.headers: expected a table, got a string"},
		{"[roles.a]\nprompt = [\"x\"]\n", "c.toml:2: roles.a.prompt: expected a string, got a list"},
		{"theme = 5\n", "c.toml:1: theme: expected a theme name or a [theme] table, got an integer"},
		{"[theme.palette]\nprimary = 5\n", "c.toml:2: theme.palette.primary: expected a string, got an integer"},
		{"[keys]\n\"global.quit\" = [\"a\", 5]\n", `c.toml:2: keys."global.quit": expected a string, got an integer`},
		{"[keys]\nglobal.quit = 5\n", `c.toml:2: keys.global.quit: expected a list of keys such as ["ctrl+b"], got an integer`},
		// Unknown keys, with a hint.
		{"[providers.ollama]\nbase_ulr = \"http://x\"\n",
			"c.toml:2: providers.ollama.base_ulr: unknown key (did you mean base_url?); expected one of api, base_url, api_key_env, api_key, api_key_cmd, auth_header, headers, query, models"},
		{"modle = \"x\"\n",
			"c.toml:1: modle: unknown key (did you mean model or role or mouse?); expected one of provider, model, reasoning_effort, role, web_search, max_reply_size, stall_timeout, mouse, max_attachment_size, theme, providers, roles, keys, tools, mcp"},
		{"[providers.ollama.models.llama3.2]\ncontext_window = 5\n",
			`c.toml:1: providers.ollama.models.llama3.2: unknown key; a model name with a dot must be quoted: [providers.ollama.models."llama3.2"]`},
		{"[providers.ollama.models.m]\ncontext = 5\n",
			"c.toml:2: providers.ollama.models.m.context: unknown key (did you mean context_window?); expected one of context_window, input_price, cached_input_price, output_price, reasoning"},
		{"[roles.a]\nprompt = \"p\"\nsystem = \"s\"\n", "c.toml:3: roles.a.system: unknown key; expected one of prompt, description"},
		{"[theme]\ncolour = \"x\"\n", "c.toml:2: theme.colour: unknown key; expected one of name, palette"},
		{"[ui]\nwidth = 3\n", "c.toml:1: ui: unknown key; expected one of provider, model, reasoning_effort, role, web_search, max_reply_size, stall_timeout, mouse, max_attachment_size, theme, providers, roles, keys, tools, mcp"},
		// Values.
		{"[providers.ollama]\napi = \"soap\"\n", `c.toml:2: providers.ollama.api: expected "responses" or "chat", got "soap"`},
		{"[providers.x]\nbase_url = \"localhost:11434/v1\"\n", `c.toml:2: providers.x.base_url: expected an http:// or https:// URL, got "localhost:11434/v1"`},
		{"[providers.x]\nbase_url = \"ftp://h/v1\"\n", `c.toml:2: providers.x.base_url: expected an http:// or https:// URL, got "ftp://h/v1"`},
		{"[providers.x]\napi = \"chat\"\n", `c.toml:1: providers.x: expected a base_url: "x" is not a preset (openai, azure, openrouter, groq, deepseek, ollama, vllm, lmstudio, llamacpp)`},
		{"[providers.x]\nbase_url = \"http://h/v1\"\napi_key_env = \"MY-KEY\"\n", `c.toml:3: providers.x.api_key_env: expected the name of an environment variable, such as MY_API_KEY, got "MY-KEY"`},
		{"[providers.openai]\napi_key = \"k\"\napi_key_cmd = \"pass x\"\n", "c.toml:3: providers.openai.api_key_cmd: expected api_key or api_key_cmd, not both"},
		{"[providers.openai]\napi_key_cmd = \"pass 'x\"\n", "c.toml:2: providers.openai.api_key_cmd: expected a command line, but it has an unclosed ' quote"},
		{"[providers.openai]\napi_key_cmd = \"  \"\n", `c.toml:2: providers.openai.api_key_cmd: expected a command, such as "pass show openai"`},
		{"[providers.azure]\nauth_header = \"api key\"\n", `c.toml:2: providers.azure.auth_header: expected a header name, such as api-key, got "api key"`},
		{"[providers.azure]\nheaders = { \"a b\" = \"x\" }\n", `c.toml:2: providers.azure.headers."a b": expected a header name of letters, digits and -`},
		{"[providers.azure]\nheaders = { X-A = \"x\\ny\" }\n", "c.toml:2: providers.azure.headers.X-A: expected a header value without control characters"},
		{"[providers.ollama.models.m]\ncontext_window = -1\n", "c.toml:2: providers.ollama.models.m.context_window: expected a number of tokens, 0 or more, got -1"},
		{"[providers.ollama.models.m]\ninput_price = -1\noutput_price = 1\n",
			"c.toml:2: providers.ollama.models.m.input_price: expected a price in US dollars per million tokens, 0 or more, got -1"},
		{"[providers.ollama.models.m]\ninput_price = nan\noutput_price = 1\n",
			"c.toml:2: providers.ollama.models.m.input_price: expected a price in US dollars per million tokens, 0 or more, got NaN"},
		{"[providers.ollama.models.m]\ninput_price = 1\n", "c.toml:2: providers.ollama.models.m.input_price: expected output_price too: a cost needs both prices"},
		{"[providers.ollama.models.m]\noutput_price = 1\n", "c.toml:2: providers.ollama.models.m.output_price: expected input_price too: a cost needs both prices"},
		{"[providers.ollama.models.m]\ncached_input_price = 1\n", "c.toml:2: providers.ollama.models.m.cached_input_price: expected input_price and output_price too"},
		{"reasoning_effort = \"max\"\n", `c.toml:1: reasoning_effort: expected minimal, low, medium or high, got "max"`},
		{"provider = \"olama\"\n", `c.toml:1: provider: unknown provider "olama" (did you mean ollama?); expected a preset (openai, azure, openrouter, groq, deepseek, ollama, vllm, lmstudio, llamacpp) or a [providers.olama] table`},
		{"role = \"coder\"\n[roles.coders]\nprompt = \"p\"\n", `c.toml:1: role: unknown role "coder" (did you mean coders?); define it under [roles.coder]`},
		{"[roles.a]\ndescription = \"d\"\n", "c.toml:1: roles.a: expected a prompt: the role's system prompt"},
		{"[keys]\n\"global.quit\" = [\"\"]\n", `c.toml:2: keys."global.quit": expected key names such as "ctrl+b", got an empty one`},
	} {
		f, err := Parse("c.toml", []byte(c.src))
		if err == nil {
			t.Errorf("%q: no error, want %s", c.src, c.want)
			continue
		}
		if f != nil {
			t.Errorf("%q: a File with an error", c.src)
		}
		var ce *Error
		if !errors.As(err, &ce) {
			t.Errorf("%q: error %T, want *Error", c.src, err)
		}
		if err.Error() != c.want {
			t.Errorf("%q:\n got %s\nwant %s", c.src, err, c.want)
		}
	}
}

// Every problem is reported, in line order; keys inside an unknown table
// are not reported again.
func TestParseReportsEveryProblem(t *testing.T) {
	src := "provider = \"nope\"\n" +
		"[providers.ollama]\n" +
		"api = \"soap\"\n" +
		"[extra]\n" +
		"a = 1\n" +
		"b = 2\n" +
		"[providers.ollama.models.m]\n" +
		"price = 3\n"
	_, err := Parse("c.toml", []byte(src))
	var ce *Error
	if !errors.As(err, &ce) {
		t.Fatalf("error %v", err)
	}
	var lines []int
	for _, p := range ce.Problems {
		lines = append(lines, p.Line)
	}
	if !slices.Equal(lines, []int{1, 3, 4, 8}) {
		t.Errorf("problems at lines %v, want 1, 3, 4, 8:\n%s", lines, err)
	}
	if n := strings.Count(err.Error(), "\n"); n != 3 {
		t.Errorf("%d lines of error, want one per problem:\n%s", n+1, err)
	}
}

// A table made only by a deeper header has no line of its own: problems
// with it are placed at its first line.
func TestImplicitTableLine(t *testing.T) {
	_, err := Parse("c.toml", []byte("model = \"m\"\n\n[providers.x.models.m]\nreasoning = true\n"))
	want := `c.toml:3: providers.x: expected a base_url: "x" is not a preset (openai, azure, openrouter, groq, deepseek, ollama, vllm, lmstudio, llamacpp)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v\nwant %s", err, want)
	}
}

func TestKeyLines(t *testing.T) {
	src := `a = 1 # comment with = sign
"b.c" = 'x'
d.e = """
f = 2
"""
g = [
  { h = 1 },
  "i = 3",
]
j = { k = { l = 1 }, m = 2 }
[n."o p".q]   # header
r = '''
s = 1'''
[[t]]
u = 1
`
	got := keyLines(src)
	for key, want := range map[string]int{
		"a": 1, `"b.c"`: 2, "d": 3, "d.e": 3, "g": 6, "j": 10, "j.k": 10, "j.k.l": 10, "j.m": 10,
		`n."o p".q`: 11, `n."o p".q.r`: 12, "t": 14,
	} {
		if got[key] != want {
			t.Errorf("line of %s = %d, want %d", key, got[key], want)
		}
	}
	for _, absent := range []string{"f", "h", "i", "s", "g.h"} {
		if n, ok := got[absent]; ok {
			t.Errorf("%s located at line %d: it is inside a string or an array", absent, n)
		}
	}
}

func TestWebSearchSwitch(t *testing.T) {
	f, err := Parse("c.toml", []byte("web_search = true\n"))
	if err != nil || !f.WebSearch {
		t.Fatalf("web_search: %v %+v", err, f)
	}
	if _, err := Parse("c.toml", []byte("web_search = \"yes\"\n")); err == nil {
		t.Fatal("a string for web_search must be an error")
	}
}
