package config

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func mustParse(t *testing.T, src string) *File {
	t.Helper()
	f, err := Parse("c.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// Each value, from each level: flags, then the environment, then the
// file, then defaults.
func TestPrecedence(t *testing.T) {
	const file = `provider = "ollama"
model = "file-model"
reasoning_effort = "low"
role = "a"
theme = "light"

[roles.a]
prompt = "prompt a"
[roles.b]
prompt = "prompt b"
[roles.c]
prompt = "prompt c"
`
	type want struct{ value, source string }
	cases := []struct {
		name  string
		file  string
		flags Flags
		env   map[string]string
		get   func(*Settings) string
		field string
		want  want
	}{
		{"provider from flag", file, Flags{Provider: "vllm", Model: "m"}, map[string]string{"PARLEY_PROVIDER": "lmstudio"}, func(s *Settings) string { return s.Provider }, "provider", want{"vllm", "flag --provider"}},
		{"provider from env", file, Flags{}, map[string]string{"PARLEY_PROVIDER": "lmstudio", "PARLEY_MODEL": "m"}, func(s *Settings) string { return s.Provider }, "provider", want{"lmstudio", "env PARLEY_PROVIDER"}},
		{"provider from file", file, Flags{}, nil, func(s *Settings) string { return s.Provider }, "provider", want{"ollama", "c.toml:1"}},
		{"provider by default", "", Flags{}, map[string]string{"OPENAI_API_KEY": "sk"}, func(s *Settings) string { return s.Provider }, "provider", want{"openai", "default"}},

		{"model from flag", file, Flags{Model: "flag-model"}, map[string]string{"PARLEY_MODEL": "env-model"}, func(s *Settings) string { return s.Model }, "model", want{"flag-model", "flag --model"}},
		{"model from env beats the file", file, Flags{}, map[string]string{"PARLEY_MODEL": "env-model"}, func(s *Settings) string { return s.Model }, "model", want{"env-model", "env PARLEY_MODEL"}},
		{"model from file", file, Flags{}, nil, func(s *Settings) string { return s.Model }, "model", want{"file-model", "c.toml:2"}},
		{"model from preset", "", Flags{}, map[string]string{"OPENAI_API_KEY": "sk"}, func(s *Settings) string { return s.Model }, "model", want{"gpt-5-mini", "preset openai"}},
		{"model: the file's first for its provider", "provider = \"ollama\"\n[providers.ollama.models.qwen3]\n[providers.ollama.models.gemma3]\n", Flags{}, nil, func(s *Settings) string { return s.Model }, "model", want{"qwen3", "c.toml:2"}},

		{"effort from flag", file, Flags{Effort: "high"}, map[string]string{"PARLEY_REASONING_EFFORT": "medium"}, func(s *Settings) string { return s.Effort }, "reasoning_effort", want{"high", "flag --reasoning-effort"}},
		{"effort from env", file, Flags{}, map[string]string{"PARLEY_REASONING_EFFORT": "medium"}, func(s *Settings) string { return s.Effort }, "reasoning_effort", want{"medium", "env PARLEY_REASONING_EFFORT"}},
		{"effort from file", file, Flags{}, nil, func(s *Settings) string { return s.Effort }, "reasoning_effort", want{"low", "c.toml:3"}},
		{"effort by default", "", Flags{}, nil, func(s *Settings) string { return s.Effort }, "reasoning_effort", want{"", "default"}},

		{"role from flag", file, Flags{Role: "c"}, map[string]string{"PARLEY_ROLE": "b"}, func(s *Settings) string { return s.Role + "=" + s.Instructions }, "role", want{"c=prompt c", "flag --role"}},
		{"role from env", file, Flags{}, map[string]string{"PARLEY_ROLE": "b"}, func(s *Settings) string { return s.Role + "=" + s.Instructions }, "role", want{"b=prompt b", "env PARLEY_ROLE"}},
		{"role from file", file, Flags{}, nil, func(s *Settings) string { return s.Role + "=" + s.Instructions }, "role", want{"a=prompt a", "c.toml:4"}},

		{"theme from flag", file, Flags{Theme: "dracula"}, map[string]string{"PARLEY_THEME": "tokyo-night"}, func(s *Settings) string { return s.Theme }, "theme", want{"dracula", "flag --theme"}},
		{"theme from env", file, Flags{}, map[string]string{"PARLEY_THEME": "tokyo-night"}, func(s *Settings) string { return s.Theme }, "theme", want{"tokyo-night", "env PARLEY_THEME"}},
		{"theme from file", file, Flags{}, nil, func(s *Settings) string { return s.Theme }, "theme", want{"light", "c.toml:5"}},
		{"theme by default", "", Flags{}, nil, func(s *Settings) string { return s.Theme }, "theme", want{"", "default"}},

		{"api from flag", file, Flags{API: "responses"}, map[string]string{"PARLEY_API": "chat"}, func(s *Settings) string { return string(s.API) }, "api", want{"responses", "flag --api"}},
		{"api from env", file, Flags{}, map[string]string{"PARLEY_API": "responses"}, func(s *Settings) string { return string(s.API) }, "api", want{"responses", "env PARLEY_API"}},
		{"api from file", "provider = \"ollama\"\nmodel = \"m\"\n[providers.ollama]\napi = \"responses\"\n", Flags{}, nil, func(s *Settings) string { return string(s.API) }, "api", want{"responses", "c.toml:4"}},
		{"api from preset", file, Flags{}, nil, func(s *Settings) string { return string(s.API) }, "api", want{"chat", "preset ollama"}},
		{"api by default", "[providers.mine]\nbase_url = \"http://h/v1\"\n", Flags{Provider: "mine", Model: "m"}, nil, func(s *Settings) string { return string(s.API) }, "api", want{"responses", "default"}},

		{"base URL from flag", file, Flags{BaseURL: "http://flag/v1"}, map[string]string{"PARLEY_BASE_URL": "http://env/v1"}, func(s *Settings) string { return s.BaseURL }, "base_url", want{"http://flag/v1", "flag --base-url"}},
		{"base URL from PARLEY_BASE_URL", file, Flags{}, map[string]string{"PARLEY_BASE_URL": "http://env/v1", "OLLAMA_HOST": "other:1"}, func(s *Settings) string { return s.BaseURL }, "base_url", want{"http://env/v1", "env PARLEY_BASE_URL"}},
		{"base URL from OLLAMA_HOST beats the file", file + "[providers.ollama]\nbase_url = \"http://file/v1\"\n", Flags{}, map[string]string{"OLLAMA_HOST": "gpu:11434"}, func(s *Settings) string { return s.BaseURL }, "base_url", want{"http://gpu:11434/v1", "env OLLAMA_HOST"}},
		{"base URL from file", file + "[providers.ollama]\nbase_url = \"http://file/v1\"\n", Flags{}, nil, func(s *Settings) string { return s.BaseURL }, "base_url", want{"http://file/v1", "c.toml:14"}},
		{"base URL from preset", file, Flags{}, nil, func(s *Settings) string { return s.BaseURL }, "base_url", want{"http://localhost:11434/v1", "preset ollama"}},
	}
	for _, c := range cases {
		var f *File
		if c.file != "" {
			f = mustParse(t, c.file)
		}
		s, err := Resolve(f, c.flags, env(c.env))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := c.get(s); got != c.want.value {
			t.Errorf("%s: value %q, want %q", c.name, got, c.want.value)
		}
		if got := s.Sources[c.field].String(); got != c.want.source {
			t.Errorf("%s: source %q, want %q", c.name, got, c.want.source)
		}
	}
}

// No default may silently override an environment variable.
func TestEnvironmentBeatsDefaultsAndFile(t *testing.T) {
	// OPENAI_BASE_URL, with a file that says nothing of it, beats the
	// preset's URL, and also beats the file's own base_url.
	for _, file := range []string{"", "[providers.openai]\nbase_url = \"https://file.example/v1\"\n"} {
		var f *File
		if file != "" {
			f = mustParse(t, file)
		}
		s, err := Resolve(f, Flags{}, env(map[string]string{"OPENAI_API_KEY": "sk", "OPENAI_BASE_URL": "http://proxy:4000/v1"}))
		if err != nil {
			t.Fatal(err)
		}
		if s.BaseURL != "http://proxy:4000/v1" || s.Sources["base_url"].String() != "env OPENAI_BASE_URL" {
			t.Errorf("file %q: base URL %s from %s, want OPENAI_BASE_URL's", file, s.BaseURL, s.Sources["base_url"])
		}
	}
	// OPENAI_BASE_URL is OpenAI's: it does not redirect another provider.
	s, err := Resolve(nil, Flags{Provider: "groq", Model: "m"}, env(map[string]string{"OPENAI_BASE_URL": "http://proxy/v1"}))
	if err != nil || s.BaseURL != "https://api.groq.com/openai/v1" {
		t.Errorf("groq went to %s (%v)", s.BaseURL, err)
	}
	// The OpenAI SDK's header variables beat the file's headers.
	f := mustParse(t, "[providers.openai]\nheaders = { OpenAI-Project = \"file\", X-Other = \"kept\" }\n")
	s, err = Resolve(f, Flags{}, env(map[string]string{"OPENAI_API_KEY": "sk", "OPENAI_PROJECT_ID": "proj_env", "OPENAI_ORG_ID": "org_env"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := s.ClientConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Header.Get("OpenAI-Project") != "proj_env" || cfg.Header.Get("OpenAI-Organization") != "org_env" || cfg.Header.Get("X-Other") != "kept" {
		t.Errorf("headers %v", cfg.Header)
	}
	// A key in OPENAI_API_KEY beats the file's command.
	f = mustParse(t, "[providers.openai]\napi_key_cmd = \"false\"\n")
	s, _ = Resolve(f, Flags{}, env(map[string]string{"OPENAI_API_KEY": "sk-env"}))
	if cfg, err := s.ClientConfig(context.Background()); err != nil || cfg.APIKey != "sk-env" || s.Sources["api_key"].String() != "env OPENAI_API_KEY" {
		t.Errorf("key from %s (%v), want OPENAI_API_KEY's", s.Sources["api_key"], err)
	}
}

// The demo runs only when nothing real is configured anywhere.
func TestDemo(t *testing.T) {
	cases := []struct {
		name  string
		file  string
		flags Flags
		env   map[string]string
		demo  bool
	}{
		{"nothing at all", "", Flags{}, nil, true},
		{"a file without a provider", "model = \"m\"\ntheme = \"dark\"\n", Flags{}, nil, true},
		{"OPENAI_API_KEY", "", Flags{}, map[string]string{"OPENAI_API_KEY": "sk"}, false},
		{"OPENAI_BASE_URL", "", Flags{}, map[string]string{"OPENAI_BASE_URL": "http://h/v1"}, false},
		{"PARLEY_BASE_URL", "", Flags{}, map[string]string{"PARLEY_BASE_URL": "http://h/v1"}, false},
		{"--base-url", "", Flags{BaseURL: "http://h/v1"}, nil, false},
		{"a base URL in the file", "[providers.openai]\nbase_url = \"http://h/v1\"\n", Flags{}, nil, false},
		{"a key command in the file", "[providers.openai]\napi_key_cmd = \"pass openai\"\n", Flags{}, nil, false},
		{"a keyless local provider chosen", "", Flags{Provider: "ollama", Model: "llama3.2"}, nil, false},
		{"a provider in the file", "provider = \"lmstudio\"\nmodel = \"m\"\n", Flags{}, nil, false},
		{"PARLEY_PROVIDER", "", Flags{Model: "m"}, map[string]string{"PARLEY_PROVIDER": "llamacpp"}, false},
		{"a replay is not the demo", "", Flags{Replay: "x.sse"}, nil, false},
	}
	for _, c := range cases {
		var f *File
		if c.file != "" {
			f = mustParse(t, c.file)
		}
		s, err := Resolve(f, c.flags, env(c.env))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if s.Demo != c.demo {
			t.Errorf("%s: demo %v, want %v", c.name, s.Demo, c.demo)
		}
		if s.Demo && s.BaseURL != "" {
			t.Errorf("%s: the demo has base URL %q", c.name, s.BaseURL)
		}
	}
}

// A flag or variable choosing another provider drops the file's model,
// which was meant for the file's provider.
func TestFileModelGoesWithFileProvider(t *testing.T) {
	f := mustParse(t, "provider = \"openai\"\nmodel = \"gpt-5\"\n")
	_, err := Resolve(f, Flags{Provider: "ollama"}, env(nil))
	if err == nil || !strings.Contains(err.Error(), "no model chosen for provider ollama: pass --model NAME") {
		t.Errorf("got %v, want a request for a model", err)
	}
	s, err := Resolve(f, Flags{Provider: "openai"}, env(map[string]string{"OPENAI_API_KEY": "sk"}))
	if err != nil || s.Model != "gpt-5" {
		t.Errorf("same provider from a flag: model %q (%v), want the file's", s.Model, err)
	}
	// With no provider in the file, its model goes with any.
	f = mustParse(t, "model = \"llama3.2\"\n")
	s, err = Resolve(f, Flags{Provider: "ollama"}, env(nil))
	if err != nil || s.Model != "llama3.2" {
		t.Errorf("model %q (%v), want the file's", s.Model, err)
	}
}

func TestResolveErrors(t *testing.T) {
	for _, c := range []struct {
		name  string
		file  string
		flags Flags
		env   map[string]string
		want  string
	}{
		{"unknown provider flag", "", Flags{Provider: "olama"}, nil, `--provider: unknown provider "olama" (did you mean ollama?); expected a preset (openai, azure, openrouter, groq, deepseek, ollama, vllm, lmstudio, llamacpp) or a [providers.olama] table in the config`},
		{"unknown provider env", "", Flags{}, map[string]string{"PARLEY_PROVIDER": "nope"}, `PARLEY_PROVIDER: unknown provider "nope"; expected a preset`},
		{"bad api flag", "", Flags{API: "soap"}, nil, `--api must be responses or chat, not "soap"`},
		{"bad api env", "", Flags{}, map[string]string{"PARLEY_API": "soap"}, `PARLEY_API must be responses or chat, not "soap"`},
		{"bad effort flag", "", Flags{Effort: "extreme"}, nil, `--reasoning-effort must be minimal, low, medium or high, not "extreme"`},
		{"bad effort env", "", Flags{}, map[string]string{"PARLEY_REASONING_EFFORT": "max"}, `PARLEY_REASONING_EFFORT must be minimal, low, medium or high, not "max"`},
		{"unknown role, no roles", "", Flags{Role: "coder"}, nil, `--role: unknown role "coder"; define it under [roles.coder] in the config`},
		{"unknown role", "[roles.coders]\nprompt = \"p\"\n[roles.writer]\nprompt = \"w\"\n", Flags{}, map[string]string{"PARLEY_ROLE": "coder"}, `PARLEY_ROLE: unknown role "coder" (did you mean coders?); the config's roles are coders, writer`},
		{"bad base URL flag", "", Flags{BaseURL: "localhost:8080"}, nil, `--base-url: expected an http:// or https:// URL, got "localhost:8080"`},
		{"bad OPENAI_BASE_URL", "", Flags{}, map[string]string{"OPENAI_BASE_URL": "api.example.com"}, `OPENAI_BASE_URL: expected an http:// or https:// URL, got "api.example.com"`},
		{"bad OLLAMA_HOST", "", Flags{Provider: "ollama", Model: "m"}, map[string]string{"OLLAMA_HOST": "http://"}, `OLLAMA_HOST: expected host, host:port or a URL, got "http://"`},
		{"azure without endpoint", "", Flags{Provider: "azure", Model: "m"}, map[string]string{"AZURE_OPENAI_API_KEY": "k"}, "provider azure has no base URL: set AZURE_OPENAI_ENDPOINT (such as https://NAME.openai.azure.com) or base_url under [providers.azure]"},
		{"no model", "", Flags{Provider: "groq"}, nil, "no model chosen for provider groq: pass --model NAME, set PARLEY_MODEL, or list one under [providers.groq.models] in the config"},
	} {
		var f *File
		if c.file != "" {
			f = mustParse(t, c.file)
		}
		_, err := Resolve(f, c.flags, env(c.env))
		if err == nil || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.name, err, c.want)
		}
	}
}

func TestOllamaHost(t *testing.T) {
	for in, want := range map[string]string{
		"gpu-box":                 "http://gpu-box:11434/v1",
		"gpu-box:8000":            "http://gpu-box:8000/v1",
		"0.0.0.0":                 "http://127.0.0.1:11434/v1",
		"0.0.0.0:9999":            "http://127.0.0.1:9999/v1",
		"https://ollama.example/": "https://ollama.example:11434/v1",
		"http://[::1]:5000":       "http://[::1]:5000/v1",
	} {
		got, _, err := ollamaHost(env(map[string]string{"OLLAMA_HOST": in}))
		if err != nil || got != want {
			t.Errorf("OLLAMA_HOST=%s: %q (%v), want %q", in, got, err, want)
		}
	}
}

func TestPresetOverriddenOnlyWhereSet(t *testing.T) {
	f := mustParse(t, `[providers.azure]
base_url = "https://res.openai.azure.com/openai/v1"
query = { api-version = "2025-04-01-preview" }
headers = { x-title = "" }
[providers.openrouter]
headers = { x-title = "" }
[providers.openrouter.models."openai/gpt-4o"]
context_window = 1
`)
	s, err := Resolve(f, Flags{Provider: "azure", Model: "dep"}, env(map[string]string{"AZURE_OPENAI_API_KEY": "az"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := s.ClientConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if cfg.AuthHeader != "api-key" || cfg.APIKey != "az" || cfg.Query.Get("api-version") != "2025-04-01-preview" || cfg.API != "responses" {
		t.Errorf("azure over its preset: %+v", cfg)
	}
	// An empty header value removes the preset's, whatever its case.
	or := s.provider("openrouter")
	if _, ok := or.Headers["X-Title"]; ok || or.APIKeyEnv != "OPENROUTER_API_KEY" || or.BaseURL != "https://openrouter.ai/api/v1" {
		t.Errorf("openrouter over its preset: %+v", or)
	}
}

func TestModelsAndCatalog(t *testing.T) {
	f := mustParse(t, `provider = "ollama"
model = "qwen3"
[providers.work]
base_url = "https://w/v1"
[providers.work.models.big]
reasoning = true
context_window = 200000
[providers.ollama.models.qwen3]
context_window = 40960
input_price = 0
output_price = 0
[providers.ollama.models.gemma3]
[providers.openai.models.gpt-5]
input_price = 1
output_price = 8
[providers.work.models.plain-1]
reasoning = false
`)
	s, err := Resolve(f, Flags{}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := []ModelChoice{
		{"ollama", "qwen3", false}, {"ollama", "gemma3", false},
		{"work", "big", true}, {"work", "plain-1", false},
		{"openai", "gpt-5", true}, {"openai", "gpt-5-mini", true}, {"openai", "gpt-5-nano", true},
		{"openai", "gpt-4.1", false}, {"openai", "gpt-4.1-mini", false}, {"openai", "gpt-4o", false},
		{"openai", "gpt-4o-mini", false}, {"openai", "o3", true}, {"openai", "o4-mini", true},
	}
	if got := s.Models(); !slices.Equal(got, want) {
		t.Errorf("Models:\n got %v\nwant %v", got, want)
	}

	extras := s.CatalogExtras()
	if slices.Sorted(maps.Keys(extras)) == nil || len(extras) != 4 {
		t.Errorf("extras %v, want qwen3, big, plain-1 and gpt-5", extras)
	}
	cat := model.NewCatalog(extras)
	if info, _ := cat.Lookup("qwen3"); info.ContextWindow != 40960 || info.Price == nil || info.Price.Output != 0 {
		t.Errorf("qwen3 %+v", info)
	}
	if cost, ok := cat.Cost("qwen3", model.Usage{Input: 1000, Output: 1000}); !ok || cost != 0 {
		t.Errorf("a free local model costs %v (%v), want 0, known", cost, ok)
	}
	// The file's prices replace the built-in ones; the context window it
	// leaves out stays the built-in one.
	if info, _ := cat.Lookup("gpt-5"); info.Price == nil || info.Price.Input != 1 || info.Price.CachedInput != 1 || info.ContextWindow != 400_000 {
		t.Errorf("gpt-5 %+v", info)
	}
	if info, ok := cat.Lookup("big"); !ok || info.Price != nil || info.ContextWindow != 200000 {
		t.Errorf("big %+v, want a context window and no price", info)
	}
	// What the file says of reasoning reaches the requests.
	if req := cat.Fit(stream.Request{Model: "plain-1", ReasoningEffort: "low"}); !req.NoReasoning || req.ReasoningEffort != "" {
		t.Errorf("a model the file says does not reason is sent %+v", req)
	}
	if req := cat.Fit(stream.Request{Model: "big", ReasoningEffort: "low"}); req.NoReasoning || req.ReasoningEffort != "low" {
		t.Errorf("a model the file says reasons is sent %+v", req)
	}

	// The demo offers only the file's providers.
	s, err = Resolve(mustParse(t, "[providers.work]\nbase_url = \"https://w/v1\"\n[providers.work.models.big]\n"), Flags{}, env(nil))
	if err != nil || !s.Demo {
		t.Fatalf("demo %v (%v)", s.Demo, err)
	}
	if got := s.Models(); !slices.Equal(got, []ModelChoice{{"work", "big", false}}) {
		t.Errorf("demo Models %v", got)
	}
}

func TestThemeSettings(t *testing.T) {
	f := mustParse(t, "[theme]\nname = \"mine\"\n[theme.palette]\nbase = \"light\"\nprimary = \"#123\"\n")
	s, err := Resolve(f, Flags{}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if s.Theme != "mine" || s.Palette == nil || s.Palette.Base != "light" || s.Palette.Colours["primary"] != "#123" {
		t.Errorf("theme %q palette %+v", s.Theme, s.Palette)
	}
	// A theme from a flag replaces the file's, palette and all.
	s, _ = Resolve(f, Flags{Theme: "dracula"}, env(nil))
	if s.Theme != "dracula" || s.Palette != nil {
		t.Errorf("theme %q palette %+v, want dracula alone", s.Theme, s.Palette)
	}
	// A palette without a name.
	s, _ = Resolve(mustParse(t, "[theme.palette]\naccent = \"#fff\"\n"), Flags{}, env(nil))
	if s.Theme != "" || s.Palette == nil || s.Sources["theme"].String() != "c.toml:1" {
		t.Errorf("theme %q palette %+v from %s", s.Theme, s.Palette, s.Sources["theme"])
	}
}
