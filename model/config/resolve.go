package config

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/suggest"
	"github.com/parley-tui/parley/stream"
)

// Flags are the command-line values that take part in resolving; empty
// means not given.
type Flags struct {
	Provider, Model, BaseURL, API, Effort, Role, Theme string
	// Replay answers every prompt with a recorded stream (the mock server).
	Replay string
	// MaxReplySize and MaxAttachmentSize are sizes ("8MiB"), StallTimeout
	// a duration ("90s", "0" for never); NoMouse is --no-mouse.
	MaxReplySize, MaxAttachmentSize, StallTimeout string
	NoMouse                                       bool
}

// SourceKind is where a value came from, strongest first.
type SourceKind string

const (
	FromFlag    SourceKind = "flag"
	FromEnv     SourceKind = "env"
	FromFile    SourceKind = "file"
	FromCommand SourceKind = "command" // a key printed by api_key_cmd
	FromPreset  SourceKind = "preset"
	FromDefault SourceKind = "default"
)

// Source says where a resolved value came from, for `parley doctor`.
type Source struct {
	Kind SourceKind
	// Name is the flag ("--model"), the variable ("PARLEY_MODEL"), the
	// file's path, the command or the preset.
	Name string
	// File and Line place a value from the file (or a command it names).
	File string
	Line int
}

// String reads "flag --model", "env PARLEY_MODEL", "config.toml:3",
// "command `pass show openai` (config.toml:7)", "preset ollama" or
// "default".
func (s Source) String() string {
	where := s.File
	if s.Line > 0 {
		where += fmt.Sprintf(":%d", s.Line)
	}
	switch s.Kind {
	case FromFlag, FromEnv, FromPreset:
		return string(s.Kind) + " " + s.Name
	case FromFile:
		return where
	case FromCommand:
		return fmt.Sprintf("command `%s` (%s)", s.Name, where)
	}
	return string(s.Kind)
}

// Settings is what a chat runs with, resolved from flags, then the
// environment, then the file, then defaults.
type Settings struct {
	File *File
	// Provider is the provider's name; "openai" when none was chosen.
	Provider string
	API      stream.API
	BaseURL  string // empty for the demo and replays
	// Model is empty for the demo or a replay when none was chosen: the
	// caller names its mock.
	Model  string
	Effort string // "" leaves it to the server
	// Role names the role whose prompt is Instructions.
	Role, Instructions string
	// Theme names a built-in theme (or the custom one when Palette is
	// set); empty follows the terminal.
	Theme   string
	Palette *Palette
	// Keys maps "area.binding" to keys, for keymap.KeyMap.Apply.
	Keys map[string][]string
	// Roles are the file's roles, by name, for choosing one in the TUI.
	Roles map[string]Role
	// Tools and MCP are the file's command tools and MCP servers, by name
	// (disabled servers too: see MCPServer.Enabled).
	Tools map[string]Tool
	MCP   map[string]MCPServer
	// Demo says nothing real was configured: no provider, key or base
	// URL anywhere. The chat then talks to its in-process mock.
	Demo bool
	// Replay is a recorded stream to answer every prompt with.
	Replay string

	// Sources says where each value came from, by name: "config",
	// "provider", "api", "base_url", "model", "reasoning_effort", "role",
	// "theme", "max_reply_size", "stall_timeout", "mouse",
	// "max_attachment_size", "api_key" (where the key will be read from;
	// absent when there is none).
	Sources map[string]Source

	// KeyTimeout bounds an api_key_cmd run; zero means DefaultKeyTimeout.
	KeyTimeout time.Duration

	// MaxReplySize bounds one reply's text, reasoning and tool arguments
	// together, in bytes (DefaultMaxReplySize).
	MaxReplySize int64
	// StallTimeout ends a stream that sends nothing for this long, as
	// stream.Config.StallTimeout takes it: negative for never.
	StallTimeout time.Duration
	// Mouse says Parley takes the mouse; false leaves it to the terminal
	// (its own selection and scrolling).
	Mouse bool
	// MaxAttachmentSize bounds one attached file, in bytes
	// (DefaultMaxAttachmentSize).
	MaxAttachmentSize int64

	endpoint *endpoint
	getenv   func(string) string
}

// Palette is a custom palette from the file: colours over a built-in theme.
type Palette struct {
	Base    string            // a built-in theme's name
	Colours map[string]string // palette field in snake_case -> "#rrggbb"
}

// ModelChoice is a configured model, for the TUI's model picker.
type ModelChoice struct {
	Provider, Model string
	Reasoning       bool // the model takes a reasoning effort
}

// chain is one value's candidates, strongest first.
type candidate struct {
	value string
	src   Source
}

func first(cs ...candidate) (string, Source) {
	for _, c := range cs {
		if c.value != "" {
			return c.value, c.src
		}
	}
	return "", Source{Kind: FromDefault}
}

// Resolve works out the settings from flags, then the environment
// (PARLEY_*, and OPENAI_API_KEY, OPENAI_BASE_URL, OPENAI_ORG_ID and
// OPENAI_PROJECT_ID for the openai provider), then the file, then
// defaults. f may be nil: no file. It does not run api_key_cmd (ClientConfig
// does), so a missing key is reported there.
func Resolve(f *File, flags Flags, getenv func(string) string) (*Settings, error) {
	if f == nil {
		f = &File{}
	}
	s := &Settings{File: f, Keys: f.Keys, Roles: f.Roles, Tools: f.Tools, MCP: f.MCP, Replay: flags.Replay, Sources: map[string]Source{}, getenv: getenv}
	if f.Exists {
		s.Sources["config"] = Source{Kind: FromFile, File: f.Path}
	}
	flag := func(v, name string) candidate { return candidate{v, Source{Kind: FromFlag, Name: name}} }
	env := func(name string) candidate { return candidate{getenv(name), Source{Kind: FromEnv, Name: name}} }
	file := func(v string, key ...string) candidate {
		return candidate{v, Source{Kind: FromFile, File: f.Path, Line: f.line(key...)}}
	}

	// Provider.
	var src Source
	s.Provider, src = first(flag(flags.Provider, "--provider"), env("PARLEY_PROVIDER"), file(f.Provider, "provider"))
	chosen := s.Provider != ""
	if !chosen {
		s.Provider = "openai"
	} else if !f.hasProvider(s.Provider) {
		return nil, fmt.Errorf("%s: unknown provider %q%s; expected a preset (%s) or a [providers.%s] table in the config",
			src.label(), s.Provider, suggest.Hint(s.Provider, f.providerNames()), strings.Join(PresetNames(), ", "), s.Provider)
	}
	s.Sources["provider"] = src

	// Model. The file's model goes with the file's provider: when a flag
	// or variable picks another provider, it does not apply.
	fileModel := file(f.Model, "model")
	if chosen && src.Kind != FromFile && f.Provider != "" && f.Provider != s.Provider {
		fileModel.value = ""
	}
	s.Model, s.Sources["model"] = first(flag(flags.Model, "--model"), env("PARLEY_MODEL"), fileModel)

	// Effort.
	s.Effort, src = first(flag(flags.Effort, "--reasoning-effort"), env("PARLEY_REASONING_EFFORT"), file(f.ReasoningEffort, "reasoning_effort"))
	if s.Effort != "" && !slices.Contains(efforts, s.Effort) {
		return nil, fmt.Errorf("%s must be %s, not %q", src.label(), orList(efforts), s.Effort)
	}
	s.Sources["reasoning_effort"] = src

	// Role.
	s.Role, src = first(flag(flags.Role, "--role"), env("PARLEY_ROLE"), file(f.Role, "role"))
	if s.Role != "" {
		r, ok := f.Roles[s.Role]
		if !ok {
			return nil, fmt.Errorf("%s: unknown role %q%s", src.label(), s.Role, f.rolesHint(s.Role))
		}
		s.Instructions = r.Prompt
	}
	s.Sources["role"] = src

	// Theme: a flag or variable replaces the file's whole theme, palette
	// included.
	s.Theme, src = first(flag(flags.Theme, "--theme"), env("PARLEY_THEME"), file(f.Theme.Name, "theme"))
	if (src.Kind == FromFile || src.Kind == FromDefault) && f.Theme.Palette != nil {
		s.Palette = &Palette{Base: f.Theme.Base, Colours: f.Theme.Palette}
		if src.Kind == FromDefault {
			src = Source{Kind: FromFile, File: f.Path, Line: f.line("theme", "palette")}
		}
	}
	s.Sources["theme"] = src

	if err := s.resolveLimits(f, flags); err != nil {
		return nil, err
	}

	// The demo: nothing real anywhere. A chosen provider, a key or a base
	// URL for OpenAI is something real.
	e, err := s.resolveEndpoint(s.Provider, true, !chosen, flags)
	if err != nil {
		return nil, err
	}
	s.API = e.api
	s.Sources["api"] = e.apiSrc
	if !chosen && flags.Replay == "" && e.key.kind == keyNone && e.baseSrc.Kind == FromPreset {
		s.Demo = true
	}
	if s.Demo || s.Replay != "" {
		return s, nil
	}
	if e.baseErr != nil {
		return nil, e.baseErr
	}
	s.endpoint = e
	s.BaseURL = e.baseURL
	s.Sources["base_url"] = e.baseSrc
	if e.key.kind != keyNone {
		s.Sources["api_key"] = e.key.src
	}
	if s.Model == "" {
		m, src, err := s.defaultModel(e)
		if err != nil {
			return nil, err
		}
		s.Model, s.Sources["model"] = m, src
	}
	return s, nil
}

// label names a source in an error about its value: "--model",
// "PARLEY_MODEL", or the file and line.
func (s Source) label() string {
	if s.Kind == FromFlag || s.Kind == FromEnv {
		return s.Name
	}
	return s.String()
}

func (f *File) rolesHint(name string) string {
	names := sortedKeys(f.Roles)
	if len(names) == 0 {
		return fmt.Sprintf("; define it under [roles.%s] in the config", name)
	}
	return suggest.Hint(name, names) + "; the config's roles are " + strings.Join(names, ", ")
}

// defaultModel is the model when none was chosen: the preset's, else the
// first the file lists for the provider.
func (s *Settings) defaultModel(e *endpoint) (string, Source, error) {
	if e.provider.defaultModel != "" {
		return e.provider.defaultModel, Source{Kind: FromPreset, Name: e.name}, nil
	}
	if ms := s.File.models[e.name]; len(ms) > 0 {
		return ms[0], Source{Kind: FromFile, File: s.File.Path, Line: s.File.line("providers", e.name, "models", ms[0])}, nil
	}
	return "", Source{}, fmt.Errorf("no model chosen for provider %s: pass --model NAME, set PARLEY_MODEL, or list one under [providers.%s.models] in the config", e.name, e.name)
}

// Models lists the configured models for the model picker: the current
// provider's first, then those of the other providers the file defines,
// in the file's order. The demo offers only the file's providers.
func (s *Settings) Models() []ModelChoice {
	var out []ModelChoice
	add := func(provider string) {
		p := s.provider(provider)
		names := append(slices.Clone(p.modelOrder), s.File.models[provider]...)
		for _, m := range names {
			r := p.Models[m].Reasoning
			c := ModelChoice{Provider: provider, Model: m, Reasoning: r != nil && *r}
			if !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	if !s.Demo && s.Replay == "" {
		add(s.Provider)
	}
	for _, name := range s.File.order {
		if name != s.Provider || s.Demo || s.Replay != "" {
			add(name)
		}
	}
	return out
}

// provider is a preset with the file's table laid over it.
func (s *Settings) provider(name string) Provider {
	p := presets()[name]
	if fp, ok := s.File.Providers[name]; ok {
		p = merge(p, fp)
	}
	return p
}

// CatalogExtras are the prices, context windows and reasoning the file
// gives its models, for model.NewCatalog. What a model's table leaves out comes from
// the built-in table. Names are matched as the catalog does: lower case,
// without an OpenRouter-style "vendor/" prefix.
func (s *Settings) CatalogExtras() map[string]model.ModelInfo {
	builtin := model.NewCatalog(nil)
	out := map[string]model.ModelInfo{}
	for _, pname := range sortedKeys(s.File.Providers) {
		for _, mname := range sortedKeys(s.File.Providers[pname].Models) {
			m := s.File.Providers[pname].Models[mname]
			if m.ContextWindow == 0 && m.InputPrice == nil && m.Reasoning == nil {
				continue
			}
			key := strings.ToLower(mname)
			if i := strings.LastIndexByte(key, '/'); i >= 0 {
				key = key[i+1:]
			}
			info, _ := builtin.Lookup(key)
			if m.ContextWindow > 0 {
				info.ContextWindow = m.ContextWindow
			}
			if m.Reasoning != nil {
				info.Reasoning = m.Reasoning
			}
			if m.InputPrice != nil && m.OutputPrice != nil {
				cached := *m.InputPrice
				if m.CachedInputPrice != nil {
					cached = *m.CachedInputPrice
				}
				info.Price = &model.Price{Input: *m.InputPrice, CachedInput: cached, Output: *m.OutputPrice}
			}
			out[key] = info
		}
	}
	return out
}
