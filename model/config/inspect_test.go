package config

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

func TestInspectReadsNoKey(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	f, err := Parse("config.toml", []byte(`provider = "work"
model = "m"
[providers.work]
api = "chat"
base_url = "http://work/v1"
api_key_cmd = "touch `+marker+`"
headers = { X-Team = "t" }
[providers.lit]
base_url = "http://lit/v1"
api_key = "literal-key-123"
[providers.groq.models."llama"]
`))
	if err != nil {
		t.Fatal(err)
	}
	s, err := Resolve(f, Flags{BaseURL: "http://flag/v1"}, env(map[string]string{"GROQ_API_KEY": "gsk_123456789"}))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.FileProviders(); !slices.Equal(got, []string{"work", "lit", "groq"}) {
		t.Errorf("FileProviders = %v", got)
	}
	cases := []struct {
		name, base string
		kind       KeyKind
		program    string
		preset     bool
	}{
		{"work", "http://flag/v1", KeyCommand, "touch", false}, // the flag applies to the provider in use
		{"lit", "http://lit/v1", KeyFile, "", false},
		{"groq", "https://api.groq.com/openai/v1", KeyEnv, "", true},
	}
	for _, c := range cases {
		info, err := s.Inspect(c.name)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if info.BaseURL != c.base || info.Key.Kind != c.kind || info.Key.Program != c.program || info.Preset != c.preset || !info.InFile {
			t.Errorf("%s: %+v", c.name, info)
		}
		if info.Config.APIKey != "" || info.Config.BaseURL != c.base {
			t.Errorf("%s: config %+v", c.name, info.Config)
		}
	}
	if _, err := os.Stat(marker); err == nil {
		t.Error("Inspect ran api_key_cmd")
	}
	info, _ := s.Inspect("openrouter")
	if info.Key.Kind != KeyNone || !info.Key.Required || info.Key.Env != "OPENROUTER_API_KEY" {
		t.Errorf("openrouter without its key: %+v", info.Key)
	}
	if _, err := s.Inspect("nope"); err == nil {
		t.Error("an unknown provider: want an error")
	}
}
