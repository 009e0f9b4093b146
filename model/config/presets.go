package config

import (
	"fmt"
	"maps"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// presetOrder is the order presets are listed in.
var presetOrder = []string{"openai", "azure", "openrouter", "groq", "deepseek", "ollama", "vllm", "lmstudio", "llamacpp"}

// PresetNames lists the built-in providers.
func PresetNames() []string { return append([]string(nil), presetOrder...) }

// Presets returns the built-in providers, so `--provider ollama --model
// llama3.2` works with no file. Each call returns fresh values.
func Presets() map[string]Provider { return presets() }

func presets() map[string]Provider {
	yes, no := true, false
	reasoning, plain := Model{Reasoning: &yes}, Model{Reasoning: &no}
	return map[string]Provider{
		"openai": {
			API: "responses", BaseURL: "https://api.openai.com/v1", APIKeyEnv: "OPENAI_API_KEY",
			baseFromEnv:  fromEnv("OPENAI_BASE_URL"),
			defaultModel: "gpt-5-mini",
			Models: map[string]Model{
				"gpt-5": reasoning, "gpt-5-mini": reasoning, "gpt-5-nano": reasoning,
				"gpt-4.1": plain, "gpt-4.1-mini": plain, "gpt-4o": plain, "gpt-4o-mini": plain,
				"o3": reasoning, "o4-mini": reasoning,
			},
			modelOrder: []string{"gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-4.1", "gpt-4.1-mini", "gpt-4o", "gpt-4o-mini", "o3", "o4-mini"},
		},
		// Azure's v1 API: {endpoint}/openai/v1/responses?api-version=preview,
		// the key in an api-key header. Models are the user's deployments.
		"azure": {
			API: "responses", APIKeyEnv: "AZURE_OPENAI_API_KEY", AuthHeader: "api-key",
			Query:       map[string]string{"api-version": "preview"},
			baseFromEnv: azureEndpoint,
			needsBase:   "set AZURE_OPENAI_ENDPOINT (such as https://NAME.openai.azure.com) or base_url under [providers.azure]",
		},
		"openrouter": {
			API: "chat", BaseURL: "https://openrouter.ai/api/v1", APIKeyEnv: "OPENROUTER_API_KEY",
			Headers: map[string]string{"X-Title": "Parley"}, // OpenRouter's app attribution
		},
		"groq": {API: "chat", BaseURL: "https://api.groq.com/openai/v1", APIKeyEnv: "GROQ_API_KEY"},
		"deepseek": {
			API: "chat", BaseURL: "https://api.deepseek.com/v1", APIKeyEnv: "DEEPSEEK_API_KEY",
			defaultModel: "deepseek-chat",
			// deepseek-reasoner thinks but takes no effort setting.
			Models:     map[string]Model{"deepseek-chat": plain, "deepseek-reasoner": plain},
			modelOrder: []string{"deepseek-chat", "deepseek-reasoner"},
		},
		"ollama":   {API: "chat", BaseURL: "http://localhost:11434/v1", keyOptional: true, baseFromEnv: ollamaHost},
		"vllm":     {API: "chat", BaseURL: "http://localhost:8000/v1", APIKeyEnv: "VLLM_API_KEY", keyOptional: true},
		"lmstudio": {API: "chat", BaseURL: "http://localhost:1234/v1", keyOptional: true},
		"llamacpp": {API: "chat", BaseURL: "http://localhost:8080/v1", keyOptional: true},
	}
}

// fromEnv takes the base URL from an environment variable as it is.
func fromEnv(name string) func(func(string) string) (string, string, error) {
	return func(getenv func(string) string) (string, string, error) {
		return getenv(name), name, nil
	}
}

// azureEndpoint is $AZURE_OPENAI_ENDPOINT + "/openai/v1".
func azureEndpoint(getenv func(string) string) (string, string, error) {
	const name = "AZURE_OPENAI_ENDPOINT"
	e := strings.TrimRight(getenv(name), "/")
	if e == "" {
		return "", name, nil
	}
	if !strings.HasSuffix(e, "/openai/v1") {
		e += "/openai/v1"
	}
	return e, name, nil
}

// ollamaHost reads OLLAMA_HOST as Ollama does: "host", "host:port" or a
// URL, with http and port 11434 by default. A listen-on-all address
// (0.0.0.0, ::) means this machine.
func ollamaHost(getenv func(string) string) (string, string, error) {
	const name = "OLLAMA_HOST"
	h := strings.TrimSpace(getenv(name))
	if h == "" {
		return "", name, nil
	}
	if !strings.Contains(h, "://") {
		h = "http://" + h
	}
	u, err := url.Parse(h)
	if err != nil || u.Hostname() == "" && u.Port() == "" {
		return "", name, fmt.Errorf("expected host, host:port or a URL, got %q", getenv(name))
	}
	host, port := u.Hostname(), u.Port()
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	if port == "" {
		port = "11434"
	}
	u.Host = net.JoinHostPort(host, port)
	u.Path = strings.TrimRight(u.Path, "/") + "/v1"
	return u.String(), name, nil
}

// merge lays a file's [providers.NAME] table over the preset of that name:
// only the fields the table sets change, down to each model's. An empty
// header or query value removes the preset's entry.
func merge(base, over Provider) Provider {
	out := base
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&out.API, over.API)
	set(&out.BaseURL, over.BaseURL)
	set(&out.APIKeyEnv, over.APIKeyEnv)
	set(&out.APIKey, over.APIKey)
	set(&out.APIKeyCmd, over.APIKeyCmd)
	set(&out.AuthHeader, over.AuthHeader)
	out.Headers = overlay(canonical(base.Headers), canonical(over.Headers))
	out.Query = overlay(base.Query, over.Query)
	out.Models = maps.Clone(base.Models)
	if out.Models == nil {
		out.Models = map[string]Model{}
	}
	for name, m := range over.Models {
		out.Models[name] = mergeModel(out.Models[name], m)
	}
	return out
}

func mergeModel(base, over Model) Model {
	if over.ContextWindow != 0 {
		base.ContextWindow = over.ContextWindow
	}
	for _, f := range []struct{ dst, src **float64 }{
		{&base.InputPrice, &over.InputPrice}, {&base.CachedInputPrice, &over.CachedInputPrice}, {&base.OutputPrice, &over.OutputPrice},
	} {
		if *f.src != nil {
			*f.dst = *f.src
		}
	}
	if over.Reasoning != nil {
		base.Reasoning = over.Reasoning
	}
	return base
}

// canonical spells header names as net/http does, so "x-title" in a
// file replaces a preset's "X-Title".
func canonical(h map[string]string) map[string]string {
	if h == nil {
		return nil
	}
	out := make(map[string]string, len(h))
	for k, v := range h {
		out[http.CanonicalHeaderKey(k)] = v
	}
	return out
}

func overlay(base, over map[string]string) map[string]string {
	out := maps.Clone(base)
	if out == nil {
		out = map[string]string{}
	}
	for k, v := range over {
		if v == "" {
			delete(out, k)
		} else {
			out[k] = v
		}
	}
	return out
}
