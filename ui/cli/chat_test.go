package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/attach"
)

// TestMain keeps every test here away from the user's own config file
// and PARLEY_ variables.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "parley-cli-test-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", dir)
	// Sessions go to a temporary database, never the user's.
	os.Setenv("XDG_DATA_HOME", dir)
	os.Unsetenv("PARLEY_DB")
	os.Setenv("XDG_STATE_HOME", dir) // the log file
	for _, v := range []string{"PARLEY_DEBUG", "PARLEY_CONFIG", "PARLEY_PROVIDER", "PARLEY_MODEL", "PARLEY_BASE_URL", "PARLEY_API",
		"PARLEY_REASONING_EFFORT", "PARLEY_ROLE", "PARLEY_THEME", "OPENAI_API_KEY", "OPENAI_BASE_URL"} {
		os.Unsetenv(v)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

// writeConfig writes a config file and returns its path.
func writeConfig(t *testing.T, src string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "config.toml")
	if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestResolveBackend(t *testing.T) {
	cfg := writeConfig(t, `provider = "work"
role = "terse"
[providers.work]
api = "chat"
base_url = "http://work.example/v1"
api_key_cmd = "echo work-key"
[providers.work.models.big]
[roles.terse]
prompt = "Be terse."
`)
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
		{"replay answers as the recorded model", chatFlags{api: "responses", replay: "../../testdata/streams/responses-text-1.sse"}, map[string]string{"OPENAI_API_KEY": "sk"}, false, "gpt-4o-mini-2024-07-18", "http://127.0.0.1:"},
		// Providers and the config file.
		{"ollama preset", chatFlags{provider: "ollama", model: "llama3.2"}, nil, false, "llama3.2", "http://localhost:11434/v1/chat/completions"},
		{"azure preset", chatFlags{provider: "azure", model: "dep"}, map[string]string{"AZURE_OPENAI_ENDPOINT": "https://r.openai.azure.com", "AZURE_OPENAI_API_KEY": "k"}, false, "dep", "https://r.openai.azure.com/openai/v1/responses?api-version=preview"},
		{"provider from the config", chatFlags{config: cfg}, nil, false, "big", "http://work.example/v1/chat/completions"},
		{"PARLEY_ variables", chatFlags{}, map[string]string{"PARLEY_CONFIG": cfg, "PARLEY_PROVIDER": "lmstudio", "PARLEY_MODEL": "qwen"}, false, "qwen", "http://localhost:1234/v1/chat/completions"},
	}
	for _, tc := range cases {
		b, err := resolveBackend(context.Background(), tc.flags, env(tc.env), nil)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if b.settings.Demo != tc.demo || b.model != tc.model || !strings.HasPrefix(b.client.Endpoint(), tc.url) {
			t.Errorf("%s: demo=%v model=%s endpoint=%s", tc.name, b.settings.Demo, b.model, b.client.Endpoint())
		}
		b.close()
	}

	// The file's role and key command reach the chat.
	b, err := resolveBackend(context.Background(), chatFlags{config: cfg}, env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if b.settings.Instructions != "Be terse." {
		t.Errorf("instructions %q", b.settings.Instructions)
	}
	if c, _ := b.settings.ClientConfig(context.Background()); c.APIKey != "work-key" {
		t.Errorf("key %q, want the command's", c.APIKey)
	}
}

func TestSetupKeysThemeCatalog(t *testing.T) {
	cfg := writeConfig(t, `[keys]
"global.toggle_sidebar" = ["f2"]
transcript.copy_code = []
[theme]
name = "mine"
[theme.palette]
base = "light"
primary = "#ff8700"
[providers.ollama.models.qwen3]
context_window = 40960
input_price = 0
output_price = 0
`)
	st, err := loadSetup(chatFlags{config: cfg, provider: "ollama", model: "qwen3"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if !key.Matches(tea.KeyPressMsg{Code: tea.KeyF2}, st.keys.Global.ToggleSidebar) || st.keys.Transcript.CopyCode.Enabled() {
		t.Error("the key overrides were not applied")
	}
	if st.palette == nil || st.palette.Name != "mine" || st.palette.Dark {
		t.Errorf("palette %+v, want mine over light", st.palette)
	}
	if info, ok := st.catalog.Lookup("qwen3"); !ok || info.ContextWindow != 40960 {
		t.Errorf("catalog qwen3 %+v", info)
	}
	// A theme named in the file, and one from a flag.
	for _, c := range []struct {
		flags chatFlags
		file  string
	}{
		{chatFlags{}, `theme = "dracula"`},
		{chatFlags{theme: "tokyo-night"}, `theme = "dracula"`},
	} {
		c.flags.config = writeConfig(t, c.file)
		if _, err := loadSetup(c.flags, env(nil)); err != nil {
			t.Errorf("%s %+v: %v", c.file, c.flags, err)
		}
	}
}

// Every problem with the flags or the config stops Parley before the TUI
// starts, with exit 2 and a message that names the flag, or the file, line
// and key.
func TestChatFlagErrorsExit2(t *testing.T) {
	for _, c := range []struct {
		args []string
		file string // a config file to pass with --config
		want string // on stderr
	}{
		{[]string{"--api", "soap"}, "", `parley: --api must be responses or chat, not "soap"`},
		{[]string{"--reasoning-effort", "extreme"}, "", "parley: --reasoning-effort must be minimal, low, medium or high"},
		{[]string{"--theme", "neon"}, "", `parley: --theme: unknown theme "neon"`},
		{[]string{"--replay", "/no/such/file.sse"}, "", "parley: "},
		{[]string{"unexpected-arg"}, "", "parley: "},
		{[]string{"--provider", "nope"}, "", `parley: --provider: unknown provider "nope"`},
		{[]string{"--role", "nope"}, "", `parley: --role: unknown role "nope"`},
		{[]string{"--provider", "groq", "-m", "m"}, "", "parley: provider groq needs an API key: set GROQ_API_KEY"},
		{[]string{"--config", "/no/such/config.toml"}, "", "parley: open /no/such/config.toml: no such file or directory"},
		{nil, "model = 5\n[providers.x]\n", "parley: CONFIG:1: model: expected a string, got an integer"},
		{nil, "[providers.ollama]\napi = \"soap\"\nbase_url = \"localhost\"\n",
			"parley: CONFIG:2: providers.ollama.api: expected \"responses\" or \"chat\", got \"soap\"\nparley: CONFIG:3: providers.ollama.base_url: expected an http:// or https:// URL"},
		{nil, "[keys]\n\"global.toggle_sidbar\" = [\"f2\"]\n", `parley: CONFIG:2: keys."global.toggle_sidbar": unknown binding (did you mean global.toggle_sidebar?)`},
		{nil, "[keys]\nglobal.quit = [\"crtl+q\"]\n", `parley: CONFIG:2: keys.global.quit: key "crtl+q": unknown modifier "crtl"`},
		{nil, "[keys]\n\"global.toggle_sidebar\" = [\"ctrl+t\"]\n", "parley: CONFIG: [keys]: ctrl+t is bound to both global.toggle_reasoning and global.toggle_sidebar (input focused"},
		{nil, "\ntheme = \"neon\"\n", `parley: CONFIG:2: theme: unknown theme "neon": valid themes are dark, light, dracula, tokyo-night`},
		{nil, "[theme.palette]\nbase = \"dark\"\nprimary = \"orange\"\n", `parley: CONFIG:3: theme.palette.primary: expected a colour as #rgb or #rrggbb, got "orange"`},
		{nil, "[theme.palette]\nbase = \"neon\"\nprimary = \"#fff\"\n", `parley: CONFIG:2: theme.palette.base: unknown theme "neon"`},
		{nil, "[theme.palette]\nprimay = \"#fff\"\n", `parley: CONFIG:2: theme.palette.primay: unknown colour (did you mean primary?)`},
	} {
		args := c.args
		path := ""
		if c.file != "" {
			path = writeConfig(t, c.file)
			args = append([]string{"--config", path}, args...)
		}
		var out, errb bytes.Buffer
		if code := Execute(args, strings.NewReader(""), &out, &errb); code != exitUsage {
			t.Errorf("%v: exit %d, want 2 (stderr %q)", args, code, errb.String())
		}
		if want := strings.ReplaceAll(c.want, "CONFIG", path); !strings.HasPrefix(errb.String(), want) {
			t.Errorf("%v:\n got %q\nwant %q", args, errb.String(), want)
		}
	}
}

// A --replay file that is not there is one sentence, exit 2.
func TestReplayFileMissing(t *testing.T) {
	var out, errb bytes.Buffer
	code := Execute([]string{"--replay", "nosuch.sse"}, strings.NewReader(""), &out, &errb)
	if code != exitUsage || errb.String() != "parley: --replay nosuch.sse: there is no such file\n" {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// The limits from flags, the environment or the file reach every client
// the chat and -p build, and -f's size limit reaches the attachments.
func TestLimitsReachTheClientConfig(t *testing.T) {
	b, err := resolveBackend(context.Background(), chatFlags{maxReplySize: "2MiB", stallTimeout: "45s", maxAttachmentSize: "1KiB", noMouse: true},
		env(map[string]string{}), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	if b.cfg.StallTimeout != 45*time.Second || b.cfg.MaxReplyBytes != 2<<20 {
		t.Fatalf("client config: stall %v, reply %d", b.cfg.StallTimeout, b.cfg.MaxReplyBytes)
	}
	if lim := b.attachLimits(); lim.Text != 1024 || lim.Image != 1024 || lim.PDF != 1024 {
		t.Fatalf("attachment limits %+v", lim)
	}
	if b.settings.Mouse {
		t.Fatal("--no-mouse left the mouse on")
	}
	never, err := resolveBackend(context.Background(), chatFlags{}, env(map[string]string{"PARLEY_STALL_TIMEOUT": "0"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer never.close()
	if never.cfg.StallTimeout >= 0 || never.cfg.MaxReplyBytes != 4<<20 || never.attachLimits() != (attach.Limits{}) {
		t.Fatalf("defaults: stall %v, reply %d, attachments %+v", never.cfg.StallTimeout, never.cfg.MaxReplyBytes, never.attachLimits())
	}
}
