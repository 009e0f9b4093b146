package config

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
)

// seen is one request as it reached the server, query included (the mock
// records the path only).
type seen struct {
	path, query string
	header      http.Header
	body        map[string]any
}

// presetServer is the mock server behind a front that accepts any path
// prefix before /v1 (Azure's /openai/v1, OpenRouter's /api/v1) and
// records what arrived.
func presetServer(t *testing.T) (base string, requests func() []seen) {
	t.Helper()
	srv, err := mock.New(mock.Options{Instant: true})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var log []seen
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s := seen{path: r.URL.Path, query: r.URL.RawQuery, header: r.Header.Clone()}
		json.Unmarshal(body, &s.body)
		mu.Lock()
		log = append(log, s)
		mu.Unlock()
		if i := strings.Index(r.URL.Path, "/v1/"); i > 0 {
			r.URL.Path = r.URL.Path[i:]
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		srv.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(func() { ts.Close(); srv.Close() })
	return ts.URL, func() []seen {
		mu.Lock()
		defer mu.Unlock()
		return append([]seen(nil), log...)
	}
}

// ask sends one prompt with the settings' client and reads the reply.
func ask(t *testing.T, s *Settings) {
	t.Helper()
	cfg, err := s.ClientConfig(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	cfg.MaxRetries = -1
	st, err := stream.NewClient(cfg).Stream(context.Background(), stream.Request{
		Model: s.Model, Input: []stream.InputItem{{Role: "user", Text: "hello"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	for {
		c, err := st.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if c.Kind == stream.KindError {
			t.Fatalf("the mock answered with an error: %v", c.Err)
		}
	}
}

// Each preset builds the right URL, auth, headers, query and body: a real
// request through the mock server, with the preset's path shape kept.
func TestPresetsAgainstMockServer(t *testing.T) {
	base, requests := presetServer(t)
	host := strings.TrimPrefix(base, "http://")
	cases := []struct {
		provider string
		flags    Flags
		env      map[string]string
		// what the server must see
		path, query string
		auth        [2]string // header and value; empty header: none at all
		headers     map[string]string
		api         string
		// the preset's own endpoint, without overrides
		endpoint string
	}{
		{"openai", Flags{}, map[string]string{"OPENAI_BASE_URL": base + "/v1", "OPENAI_API_KEY": "sk-openai", "OPENAI_ORG_ID": "org-1", "OPENAI_PROJECT_ID": "proj-1"},
			"/v1/responses", "", [2]string{"Authorization", "Bearer sk-openai"}, map[string]string{"OpenAI-Organization": "org-1", "OpenAI-Project": "proj-1"}, "responses",
			"https://api.openai.com/v1/responses"},
		{"azure", Flags{Model: "my-deployment"}, map[string]string{"AZURE_OPENAI_ENDPOINT": base + "/", "AZURE_OPENAI_API_KEY": "az-key"},
			"/openai/v1/responses", "api-version=preview", [2]string{"Api-Key", "az-key"}, nil, "responses",
			""},
		{"openrouter", Flags{BaseURL: base + "/api/v1", Model: "openai/gpt-4o"}, map[string]string{"OPENROUTER_API_KEY": "or-key"},
			"/api/v1/chat/completions", "", [2]string{"Authorization", "Bearer or-key"}, map[string]string{"X-Title": "Parley"}, "chat",
			"https://openrouter.ai/api/v1/chat/completions"},
		{"groq", Flags{BaseURL: base + "/openai/v1", Model: "llama-3.3-70b-versatile"}, map[string]string{"GROQ_API_KEY": "gsk"},
			"/openai/v1/chat/completions", "", [2]string{"Authorization", "Bearer gsk"}, nil, "chat",
			"https://api.groq.com/openai/v1/chat/completions"},
		{"deepseek", Flags{BaseURL: base + "/v1"}, map[string]string{"DEEPSEEK_API_KEY": "ds"},
			"/v1/chat/completions", "", [2]string{"Authorization", "Bearer ds"}, nil, "chat",
			"https://api.deepseek.com/v1/chat/completions"},
		{"ollama", Flags{Model: "llama3.2"}, map[string]string{"OLLAMA_HOST": host, "OPENAI_API_KEY": "sk-not-for-ollama"},
			"/v1/chat/completions", "", [2]string{}, nil, "chat",
			"http://localhost:11434/v1/chat/completions"},
		{"vllm", Flags{BaseURL: base + "/v1", Model: "Qwen/Qwen3-8B"}, nil,
			"/v1/chat/completions", "", [2]string{}, nil, "chat",
			"http://localhost:8000/v1/chat/completions"},
		{"lmstudio", Flags{BaseURL: base + "/v1", Model: "m"}, nil,
			"/v1/chat/completions", "", [2]string{}, nil, "chat",
			"http://localhost:1234/v1/chat/completions"},
		{"llamacpp", Flags{BaseURL: base + "/v1", Model: "m"}, nil,
			"/v1/chat/completions", "", [2]string{}, nil, "chat",
			"http://localhost:8080/v1/chat/completions"},
	}
	for _, c := range cases {
		t.Run(c.provider, func(t *testing.T) {
			flags := c.flags
			flags.Provider = c.provider
			s, err := Resolve(nil, flags, env(c.env))
			if err != nil {
				t.Fatal(err)
			}
			before := len(requests())
			ask(t, s)
			all := requests()
			if len(all) != before+1 {
				t.Fatalf("%d requests, want 1", len(all)-before)
			}
			r := all[len(all)-1]
			if r.path != c.path || r.query != c.query {
				t.Errorf("request to %s?%s, want %s?%s", r.path, r.query, c.path, c.query)
			}
			if c.auth[0] == "" {
				if v := r.header.Get("Authorization"); v != "" {
					t.Errorf("a keyless server got Authorization %q", v)
				}
			} else if v := r.header.Get(c.auth[0]); v != c.auth[1] {
				t.Errorf("%s: %q, want %q", c.auth[0], v, c.auth[1])
			}
			if c.auth[0] != "" && c.auth[0] != "Authorization" && r.header.Get("Authorization") != "" {
				t.Errorf("Authorization sent besides %s", c.auth[0])
			}
			for h, v := range c.headers {
				if got := r.header.Get(h); got != v {
					t.Errorf("header %s: %q, want %q", h, got, v)
				}
			}
			if r.body["model"] != s.Model || r.body["stream"] != true {
				t.Errorf("body model %v stream %v", r.body["model"], r.body["stream"])
			}
			_, hasInput := r.body["input"]
			_, hasMessages := r.body["messages"]
			if c.api == "responses" && (!hasInput || hasMessages) || c.api == "chat" && (hasInput || !hasMessages) {
				t.Errorf("body keys input=%v messages=%v, want the %s shape", hasInput, hasMessages, c.api)
			}

			// Without overrides, the preset's own endpoint.
			if c.endpoint == "" {
				return
			}
			keys := map[string]string{"OPENAI_API_KEY": "k", "OPENROUTER_API_KEY": "k", "GROQ_API_KEY": "k", "DEEPSEEK_API_KEY": "k"}
			s, err = Resolve(nil, Flags{Provider: c.provider, Model: "m"}, env(keys))
			if err != nil {
				t.Fatal(err)
			}
			cfg, err := s.ClientConfig(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if got := stream.NewClient(cfg).Endpoint(); got != c.endpoint {
				t.Errorf("endpoint %s, want %s", got, c.endpoint)
			}
		})
	}
}

// Azure's endpoint from AZURE_OPENAI_ENDPOINT, with or without the path.
func TestAzureEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"https://res.openai.azure.com":             "https://res.openai.azure.com/openai/v1/responses?api-version=preview",
		"https://res.openai.azure.com/":            "https://res.openai.azure.com/openai/v1/responses?api-version=preview",
		"https://res.openai.azure.com/openai/v1/":  "https://res.openai.azure.com/openai/v1/responses?api-version=preview",
		"https://res.cognitiveservices.azure.com/": "https://res.cognitiveservices.azure.com/openai/v1/responses?api-version=preview",
	} {
		s, err := Resolve(nil, Flags{Provider: "azure", Model: "d"}, env(map[string]string{"AZURE_OPENAI_ENDPOINT": in, "AZURE_OPENAI_API_KEY": "k"}))
		if err != nil {
			t.Fatal(err)
		}
		cfg, _ := s.ClientConfig(context.Background())
		if got := stream.NewClient(cfg).Endpoint(); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}

// vLLM's key is optional: sent when VLLM_API_KEY is set.
func TestVLLMOptionalKey(t *testing.T) {
	s, err := Resolve(nil, Flags{Provider: "vllm", Model: "m"}, env(map[string]string{"VLLM_API_KEY": "vk"}))
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := s.ClientConfig(context.Background())
	if err != nil || cfg.APIKey != "vk" {
		t.Errorf("key %q (%v), want VLLM_API_KEY's", cfg.APIKey, err)
	}
}

// Query values reach the URL encoded.
func TestQueryEncoding(t *testing.T) {
	f := mustParse(t, "[providers.x]\nbase_url = \"http://h/v1\"\nquery = { a = \"1 2\", b = \"&\" }\n")
	s, err := Resolve(f, Flags{Provider: "x", Model: "m"}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	cfg, _ := s.ClientConfig(context.Background())
	u, err := url.Parse(stream.NewClient(cfg).Endpoint())
	if err != nil || u.Query().Get("a") != "1 2" || u.Query().Get("b") != "&" {
		t.Errorf("endpoint %v (%v)", u, err)
	}
}
