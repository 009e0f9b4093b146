package config

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

func keyFrom(t *testing.T, file string, envs map[string]string, timeout time.Duration) (string, error) {
	t.Helper()
	f := mustParse(t, file)
	s, err := Resolve(f, Flags{Provider: "work", Model: "m"}, env(envs))
	if err != nil {
		t.Fatal(err)
	}
	s.KeyTimeout = timeout
	cfg, err := s.ClientConfig(context.Background())
	return cfg.APIKey, err
}

const work = "[providers.work]\nbase_url = \"http://h/v1\"\n"

func TestKeyCommand(t *testing.T) {
	for _, c := range []struct{ cmd, want string }{
		{`echo secret-1`, "secret-1"},
		{`printf '  secret-2  \n'`, "secret-2"},
		// pass prints the password first, then other fields.
		{`printf 'secret-3\nuser: me\nurl: x\n'`, "secret-3"},
		{`sh -c 'echo "secret-$((2+2))"'`, "secret-4"},
	} {
		key, err := keyFrom(t, work+"api_key_cmd = \""+strings.ReplaceAll(c.cmd, `"`, `\"`)+"\"\n", nil, 0)
		if err != nil || key != c.want {
			t.Errorf("%s: key %q (%v), want %q", c.cmd, key, err, c.want)
		}
	}
}

// A failing command's error says why, quotes its stderr, and holds no key.
func TestKeyCommandErrors(t *testing.T) {
	for _, c := range []struct {
		cmd, want string
	}{
		{`sh -c 'echo sk-leaked-secret; echo gpg: decryption failed >&2; exit 3'`,
			`provider work: api_key_cmd "sh -c 'echo sk-leaked-secret; echo gpg: decryption failed >&2; exit 3'" failed: exit status 3: gpg: decryption failed`},
		// stderr repeating what went to stdout is blanked.
		{`sh -c 'echo sk-leaked-secret; echo got sk-leaked-secret >&2; exit 1'`,
			`failed: exit status 1: got [redacted]`},
		{`true`, `provider work: api_key_cmd "true" printed nothing`},
		{`/no/such/program`, `provider work: api_key_cmd "/no/such/program" failed: fork/exec /no/such/program: no such file or directory`},
		{`sleep 5`, `provider work: api_key_cmd "sleep 5" did not finish within 100ms`},
		{`printf 'a\033b'`, `provider work: the key from api_key_cmd holds control characters`},
	} {
		start := time.Now()
		key, err := keyFrom(t, work+"api_key_cmd = \""+strings.ReplaceAll(c.cmd, `\`, `\\`)+"\"\n", nil, 100*time.Millisecond)
		if err == nil || key != "" {
			t.Errorf("%s: key %q, err %v", c.cmd, key, err)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s:\n got %v\nwant %s", c.cmd, err, c.want)
		}
		if strings.Contains(strings.ReplaceAll(err.Error(), c.cmd, ""), "sk-leaked-secret") {
			t.Errorf("%s: the error shows the key: %v", c.cmd, err)
		}
		if d := time.Since(start); d > 3*time.Second {
			t.Errorf("%s: took %v", c.cmd, d)
		}
	}
}

func TestKeySources(t *testing.T) {
	// The variable named by api_key_env, then api_key, then the command.
	file := work + "api_key_env = \"WORK_KEY\"\napi_key = \"from-file\"\n"
	if key, err := keyFrom(t, file, map[string]string{"WORK_KEY": "from-env"}, 0); key != "from-env" || err != nil {
		t.Errorf("key %q (%v), want the variable's", key, err)
	}
	if key, err := keyFrom(t, file, nil, 0); key != "from-file" || err != nil {
		t.Errorf("key %q (%v), want the file's", key, err)
	}
	if key, err := keyFrom(t, work+"api_key_env = \"WORK_KEY\"\napi_key_cmd = \"echo from-cmd\"\n", nil, 0); key != "from-cmd" || err != nil {
		t.Errorf("key %q (%v), want the command's", key, err)
	}
	// A provider of one's own with no key setting is keyless.
	if key, err := keyFrom(t, work, map[string]string{"OPENAI_API_KEY": "sk"}, 0); key != "" || err != nil {
		t.Errorf("key %q (%v), want none", key, err)
	}
	// A key with a newline cannot go in a header.
	if _, err := keyFrom(t, work+"api_key_env = \"WORK_KEY\"\n", map[string]string{"WORK_KEY": "a\nb"}, 0); err == nil ||
		err.Error() != "provider work: the key from $WORK_KEY holds control characters" {
		t.Errorf("got %v", err)
	}
}

// A preset that needs a key says which variable to set.
func TestMissingKey(t *testing.T) {
	for provider, want := range map[string]string{
		"openai":     "provider openai needs an API key: set OPENAI_API_KEY, or api_key_cmd under [providers.openai] in c.toml",
		"groq":       "provider groq needs an API key: set GROQ_API_KEY, or api_key_cmd under [providers.groq] in c.toml",
		"openrouter": "provider openrouter needs an API key: set OPENROUTER_API_KEY",
		"deepseek":   "provider deepseek needs an API key: set DEEPSEEK_API_KEY",
		"azure":      "provider azure needs an API key: set AZURE_OPENAI_API_KEY",
	} {
		s, err := Resolve(mustParse(t, ""), Flags{Provider: provider, Model: "m"}, env(map[string]string{"AZURE_OPENAI_ENDPOINT": "https://r.openai.azure.com"}))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ClientConfig(context.Background()); err == nil || !strings.HasPrefix(err.Error(), want) {
			t.Errorf("%s: %v, want %s", provider, err, want)
		}
	}
	// Local servers never ask for one.
	for _, provider := range []string{"ollama", "vllm", "lmstudio", "llamacpp"} {
		s, err := Resolve(nil, Flags{Provider: provider, Model: "m"}, env(nil))
		if err != nil {
			t.Fatal(err)
		}
		if cfg, err := s.ClientConfig(context.Background()); err != nil || cfg.APIKey != "" {
			t.Errorf("%s: key %q (%v)", provider, cfg.APIKey, err)
		}
	}
}

// ProviderConfig builds another provider's client: flags about the
// server belong to the starting provider only.
func TestProviderConfig(t *testing.T) {
	f := mustParse(t, work+"api = \"chat\"\n")
	s, err := Resolve(f, Flags{Provider: "ollama", Model: "m", BaseURL: "http://flag/v1", API: "responses"}, env(map[string]string{"GROQ_API_KEY": "g"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := s.ProviderConfig(context.Background(), "ollama")
	if err != nil || cfg.BaseURL != "http://flag/v1" || cfg.API != "responses" {
		t.Errorf("ollama: %+v (%v)", cfg, err)
	}
	cfg, err = s.ProviderConfig(context.Background(), "work")
	if err != nil || cfg.BaseURL != "http://h/v1" || cfg.API != "chat" {
		t.Errorf("work: %+v (%v)", cfg, err)
	}
	cfg, err = s.ProviderConfig(context.Background(), "groq")
	if err != nil || cfg.APIKey != "g" || cfg.BaseURL != "https://api.groq.com/openai/v1" {
		t.Errorf("groq: %+v (%v)", cfg, err)
	}
	if _, err := s.ProviderConfig(context.Background(), "openai"); err == nil || !strings.Contains(err.Error(), "needs an API key: set OPENAI_API_KEY") {
		t.Errorf("openai without a key: %v", err)
	}
	if _, err := s.ProviderConfig(context.Background(), "nope"); err == nil || err.Error() != `unknown provider "nope"` {
		t.Errorf("unknown: %v", err)
	}
}

func TestSplitCommand(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"pass show openai", []string{"pass", "show", "openai"}},
		{"  a   b\tc ", []string{"a", "b", "c"}},
		{`sh -c 'pass show x | head -1'`, []string{"sh", "-c", "pass show x | head -1"}},
		{`op read "op://Private/OpenAI/api key"`, []string{"op", "read", "op://Private/OpenAI/api key"}},
		{`a "b \"c\" \\ d" e\ f`, []string{"a", `b "c" \ d`, "e f"}},
		{`a''b ""`, []string{"ab", ""}},
		{`echo $HOME ~`, []string{"echo", "$HOME", "~"}},
		{"", nil},
	} {
		got, err := splitCommand(c.in)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("splitCommand(%q) = %q (%v), want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`a 'b`, `a "b`, `"a\"`} {
		if _, err := splitCommand(bad); err == nil {
			t.Errorf("splitCommand(%q) accepted", bad)
		}
	}
}
