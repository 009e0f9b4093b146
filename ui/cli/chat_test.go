package cli

import (
	"bytes"
	"strings"
	"testing"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestResolveBackend(t *testing.T) {
	cases := []struct {
		name  string
		flags chatFlags
		env   map[string]string
		demo  bool
		model string
		url   string
	}{
		{"no key, no url: demo", chatFlags{api: "responses"}, nil, true, demoModel, "http://127.0.0.1:"},
		{"key: OpenAI", chatFlags{api: "responses"}, map[string]string{"OPENAI_API_KEY": "sk"}, false, "gpt-5-mini", "https://api.openai.com/v1/responses"},
		{"key and base URL", chatFlags{api: "chat", model: "m"}, map[string]string{"OPENAI_API_KEY": "sk", "OPENAI_BASE_URL": "http://h/v1"}, false, "m", "http://h/v1/chat/completions"},
		{"local server, no key", chatFlags{api: "chat", baseURL: "http://localhost:11434/v1"}, nil, false, "gpt-5-mini", "http://localhost:11434/v1/chat/completions"},
		{"flag beats env", chatFlags{api: "responses", baseURL: "http://flag/v1"}, map[string]string{"OPENAI_API_KEY": "sk", "OPENAI_BASE_URL": "http://env/v1"}, false, "gpt-5-mini", "http://flag/v1/responses"},
		{"replay", chatFlags{api: "responses", replay: "../../testdata/streams/responses-text-1.sse"}, map[string]string{"OPENAI_API_KEY": "sk"}, false, demoModel, "http://127.0.0.1:"},
	}
	for _, tc := range cases {
		b, err := resolveBackend(tc.flags, env(tc.env))
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if b.demo != tc.demo || b.model != tc.model || !strings.HasPrefix(b.client.Endpoint(), tc.url) {
			t.Errorf("%s: demo=%v model=%s endpoint=%s", tc.name, b.demo, b.model, b.client.Endpoint())
		}
		b.close()
	}
}

func TestChatFlagErrorsExit2(t *testing.T) {
	for _, args := range [][]string{
		{"--api", "soap"},
		{"--reasoning-effort", "extreme"},
		{"--theme", "neon"},
		{"--replay", "/no/such/file.sse"},
		{"unexpected-arg"},
	} {
		var out, errb bytes.Buffer
		if code := Execute(args, strings.NewReader(""), &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, errb.String())
		}
		if errb.Len() == 0 {
			t.Errorf("%v: no message on stderr", args)
		}
	}
}
