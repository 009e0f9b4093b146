package config

import (
	"fmt"
	"io/fs"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/parley-tui/parley/model/suggest"
)

// efforts are the reasoning efforts Parley sends.
var efforts = []string{"minimal", "low", "medium", "high"}

// The names each table of the file may hold, for unknown keys and hints.
var (
	topKeys = []string{"provider", "model", "reasoning_effort", "role", "web_search", "max_reply_size", "stall_timeout", "mouse",
		"max_attachment_size", "theme", "providers", "roles", "keys", "tools", "mcp"}
	providerKeys = []string{"api", "base_url", "api_key_env", "api_key", "api_key_cmd", "auth_header", "headers", "query", "models"}
	modelKeys    = []string{"context_window", "input_price", "cached_input_price", "output_price", "reasoning"}
	roleKeys     = []string{"prompt", "description"}
	themeKeys    = []string{"name", "palette"}
)

// unknownKey reports a key the file holds but Parley does not read; table
// says the key is a table.
func (f *File) unknownKey(k toml.Key, table bool) Problem {
	p := Problem{Line: f.line(k...), Key: k.String(), Msg: "unknown key"}
	var allowed []string
	switch {
	case len(k) == 1:
		allowed = topKeys
	case k[0] == "providers" && len(k) == 3:
		allowed = providerKeys
	case k[0] == "providers" && len(k) == 5 && k[2] == "models" && table:
		// [providers.x.models.llama3.2] is models -> llama3 -> 2.
		p.Msg = fmt.Sprintf("unknown key; a model name with a dot must be quoted: [providers.%s.models.%q]",
			toml.Key{k[1]}, k[3]+"."+k[4])
		return p
	case k[0] == "providers" && len(k) == 5 && k[2] == "models":
		allowed = modelKeys
	case k[0] == "roles" && len(k) == 3:
		allowed = roleKeys
	case k[0] == "theme" && len(k) == 2:
		allowed = themeKeys
	case k[0] == "tools" && len(k) == 3:
		allowed = toolKeys
	case k[0] == "mcp" && len(k) == 3:
		allowed = mcpKeys
	}
	if len(allowed) > 0 {
		p.Msg += suggest.Hint(k[len(k)-1], allowed) + "; expected one of " + strings.Join(allowed, ", ")
	}
	return p
}

// topUnknown drops keys inside an unknown table, which is reported once.
func topUnknown(keys []toml.Key) []toml.Key {
	var out []toml.Key
	for _, k := range keys {
		inside := slices.ContainsFunc(out, func(o toml.Key) bool {
			return len(o) < len(k) && slices.Equal(o, k[:len(o)])
		})
		if !inside {
			out = append(out, k)
		}
	}
	return out
}

var (
	envName    = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	headerName = regexp.MustCompile("^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
)

// validate checks the values the decoder cannot: names that must exist,
// enumerations, URLs, prices.
func (f *File) validate() []Problem {
	var out []Problem
	bad := func(key []string, format string, args ...any) {
		out = append(out, Problem{Line: f.line(key...), Key: toml.Key(key).String(), Msg: fmt.Sprintf(format, args...)})
	}
	if f.Provider != "" && !f.hasProvider(f.Provider) {
		bad([]string{"provider"}, "unknown provider %q%s; expected a preset (%s) or a [providers.%s] table",
			f.Provider, suggest.Hint(f.Provider, f.providerNames()), strings.Join(PresetNames(), ", "), toml.Key{f.Provider})
	}
	if f.ReasoningEffort != "" && !slices.Contains(efforts, f.ReasoningEffort) {
		bad([]string{"reasoning_effort"}, "expected %s, got %q", orList(efforts), f.ReasoningEffort)
	}
	if f.Role != "" {
		if _, ok := f.Roles[f.Role]; !ok {
			bad([]string{"role"}, "unknown role %q%s; define it under [roles.%s]", f.Role, suggest.Hint(f.Role, sortedKeys(f.Roles)), toml.Key{f.Role})
		}
	}
	for _, name := range sortedKeys(f.Providers) {
		out = append(out, f.validateProvider(name, f.Providers[name])...)
	}
	for _, name := range sortedKeys(f.Roles) {
		if strings.TrimSpace(f.Roles[name].Prompt) == "" {
			bad([]string{"roles", name}, "expected a prompt: the role's system prompt")
		}
	}
	for name, keys := range f.Keys {
		for _, k := range keys {
			if strings.TrimSpace(k) == "" {
				bad(f.BindingKey(name), `expected key names such as "ctrl+b", got an empty one`)
			}
		}
	}
	return out
}

func (f *File) validateProvider(name string, p Provider) []Problem {
	var out []Problem
	at := func(key ...string) []string { return append([]string{"providers", name}, key...) }
	bad := func(key []string, format string, args ...any) {
		out = append(out, Problem{Line: f.line(key...), Key: toml.Key(key).String(), Msg: fmt.Sprintf(format, args...)})
	}
	_, preset := presets()[name]
	if strings.TrimSpace(name) == "" {
		bad(at(), "expected a provider name")
	}
	if p.API != "" && p.API != "responses" && p.API != "chat" {
		bad(at("api"), `expected "responses" or "chat", got %q`, p.API)
	}
	if p.BaseURL != "" {
		if err := checkURL(p.BaseURL); err != nil {
			bad(at("base_url"), "%v", err)
		}
	} else if !preset {
		bad(at(), "expected a base_url: %q is not a preset (%s)", name, strings.Join(PresetNames(), ", "))
	}
	if p.APIKeyEnv != "" && !envName.MatchString(p.APIKeyEnv) {
		bad(at("api_key_env"), "expected the name of an environment variable, such as MY_API_KEY, got %q", p.APIKeyEnv)
	}
	if p.APIKey != "" && p.APIKeyCmd != "" {
		bad(at("api_key_cmd"), "expected api_key or api_key_cmd, not both")
	}
	if p.APIKeyCmd != "" {
		if argv, err := splitCommand(p.APIKeyCmd); err != nil {
			bad(at("api_key_cmd"), "expected a command line, but it %v", err)
		} else if len(argv) == 0 {
			bad(at("api_key_cmd"), "expected a command, such as \"pass show openai\"")
		}
	}
	if p.AuthHeader != "" && !headerName.MatchString(p.AuthHeader) {
		bad(at("auth_header"), "expected a header name, such as api-key, got %q", p.AuthHeader)
	}
	for _, h := range sortedKeys(p.Headers) {
		switch v := p.Headers[h]; {
		case !headerName.MatchString(h):
			bad(at("headers", h), "expected a header name of letters, digits and -")
		case strings.ContainsFunc(v, isControl):
			bad(at("headers", h), "expected a header value without control characters")
		}
	}
	for _, m := range sortedKeys(p.Models) {
		out = append(out, f.validateModel(at("models", m), p.Models[m])...)
	}
	return out
}

func (f *File) validateModel(key []string, m Model) []Problem {
	var out []Problem
	bad := func(k string, format string, args ...any) {
		key := append(slices.Clip(key), k)
		out = append(out, Problem{Line: f.line(key...), Key: toml.Key(key).String(), Msg: fmt.Sprintf(format, args...)})
	}
	if m.ContextWindow < 0 {
		bad("context_window", "expected a number of tokens, 0 or more, got %d", m.ContextWindow)
	}
	for _, p := range []struct {
		name  string
		price *float64
	}{{"input_price", m.InputPrice}, {"cached_input_price", m.CachedInputPrice}, {"output_price", m.OutputPrice}} {
		if p.price != nil && !(*p.price >= 0) { // also catches NaN
			bad(p.name, "expected a price in US dollars per million tokens, 0 or more, got %v", *p.price)
		}
	}
	switch {
	case m.InputPrice != nil && m.OutputPrice == nil:
		bad("input_price", "expected output_price too: a cost needs both prices")
	case m.InputPrice == nil && m.OutputPrice != nil:
		bad("output_price", "expected input_price too: a cost needs both prices")
	case m.InputPrice == nil && m.CachedInputPrice != nil:
		bad("cached_input_price", "expected input_price and output_price too")
	}
	return out
}

// checkURL accepts an absolute http or https URL.
func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("expected an http:// or https:// URL, got %q", s)
	}
	return nil
}

func isControl(r rune) bool { return r < 0x20 && r != '\t' || r == 0x7f }

// hasProvider says name is a preset or defined in the file.
func (f *File) hasProvider(name string) bool {
	if _, ok := presets()[name]; ok {
		return true
	}
	_, ok := f.Providers[name]
	return ok
}

// providerNames lists the presets, then the file's own providers.
func (f *File) providerNames() []string {
	names := PresetNames()
	for _, n := range sortedKeys(f.Providers) {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	return names
}

// secretNames are header and query names whose values are credentials.
var secretNames = regexp.MustCompile(`(?i)authorization|key|token|secret|password`)

// permissionWarnings warns when the file holds a key and its mode lets
// other users read it.
func (f *File) permissionWarnings(mode fs.FileMode) []string {
	if mode&0o044 == 0 {
		return nil
	}
	var where []string
	for _, name := range sortedKeys(f.Providers) {
		p := f.Providers[name]
		if p.APIKey != "" {
			where = append(where, f.describe("providers", name, "api_key"))
		}
		for _, h := range sortedKeys(p.Headers) {
			if p.Headers[h] != "" && secretNames.MatchString(h) {
				where = append(where, f.describe("providers", name, "headers", h))
			}
		}
		for _, q := range sortedKeys(p.Query) {
			if p.Query[q] != "" && secretNames.MatchString(q) {
				where = append(where, f.describe("providers", name, "query", q))
			}
		}
	}
	where = append(where, f.toolSecrets()...)
	if len(where) == 0 {
		return nil
	}
	return []string{fmt.Sprintf("%s holds a key (%s) and other users can read it (mode %04o): run chmod 600 %s",
		f.Path, strings.Join(where, ", "), mode, f.Path)}
}

// describe names a key with its line: "providers.x.api_key at line 7".
func (f *File) describe(key ...string) string {
	s := toml.Key(key).String()
	if n := f.line(key...); n > 0 {
		s += fmt.Sprintf(" at line %d", n)
	}
	return s
}

func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
