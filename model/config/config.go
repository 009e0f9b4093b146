// Package config reads Parley's configuration file (TOML, at
// $XDG_CONFIG_HOME/parley/config.toml) and resolves the settings a chat
// runs with from flags, environment variables, the file and defaults, in
// that order, remembering where each value came from.
//
// The file names providers (server profiles, over built-in presets for
// OpenAI, Azure OpenAI, OpenRouter, Groq, DeepSeek, Ollama, vLLM, LM Studio
// and llama.cpp), roles (named system prompts), key bindings and a theme.
// Key binding names, theme names and colours stay strings here: the keymap
// and themes packages check them, and File.Errorf places their complaints
// at the file's line.
package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// File is the configuration file as written. Every field is optional.
type File struct {
	Provider        string // the provider to use: a preset or a key of Providers
	Model           string
	ReasoningEffort string // minimal, low, medium or high
	Role            string // a key of Roles
	Theme           Theme
	// WebSearch offers OpenAI's hosted web search with every request
	// (Responses API providers only).
	WebSearch bool
	// Limits are max_reply_size, stall_timeout, mouse and
	// max_attachment_size, as the file sets them.
	Limits Limits

	Providers map[string]Provider
	Roles     map[string]Role
	// Keys maps a binding, "area.binding" in snake_case such as
	// "global.toggle_sidebar", to its keys; an empty list disables it.
	Keys map[string][]string
	// Tools are local commands the model may call, by name; MCP are the
	// MCP servers whose tools it may call.
	Tools map[string]Tool
	MCP   map[string]MCPServer

	// Path is where the file is (or would be); Exists says it was read.
	Path   string
	Exists bool

	lines map[string]int // key path -> line, from keyLines
	// bindings maps a Keys name to its key path as written: quoted
	// ("keys.\"global.quit\"") or dotted ("keys.global.quit").
	bindings map[string][]string
	order    []string            // provider names in file order
	models   map[string][]string // provider -> model names in file order
}

// Provider is one server profile: a [providers.NAME] table, or a preset.
// For a preset's name, the table changes only the fields it sets.
type Provider struct {
	API     string `toml:"api"` // "responses" or "chat"
	BaseURL string `toml:"base_url"`
	// The key: from the environment variable APIKeyEnv when it is set,
	// else written here as APIKey, else printed by the command APIKeyCmd
	// (an argv string, run without a shell; write "sh -c '...'" for one).
	APIKeyEnv string `toml:"api_key_env"`
	APIKey    string `toml:"api_key"`
	APIKeyCmd string `toml:"api_key_cmd"`
	// AuthHeader carries the key as that header's whole value instead of
	// "Authorization: Bearer" (Azure's "api-key").
	AuthHeader string `toml:"auth_header"`
	// Headers and Query are added to every request. Over a preset, an
	// empty value removes the preset's entry.
	Headers map[string]string `toml:"headers"`
	Query   map[string]string `toml:"query"`
	Models  map[string]Model  `toml:"models"`

	// Set by presets only.
	keyOptional  bool   // send a key when there is one; never ask for one
	needsBase    string // what to set when no base URL is found
	defaultModel string
	modelOrder   []string
	// baseFromEnv reads a base URL from the environment (OPENAI_BASE_URL,
	// AZURE_OPENAI_ENDPOINT, OLLAMA_HOST) and names the variable.
	baseFromEnv func(getenv func(string) string) (url, variable string, err error)
}

// Model is what Parley knows of one model: a [providers.P.models.NAME] table.
type Model struct {
	ContextWindow int `toml:"context_window"` // tokens; 0 unknown
	// Prices in US dollars per million tokens; unset means unknown, and
	// then no cost is shown. CachedInputPrice defaults to InputPrice.
	InputPrice       *float64 `toml:"input_price"`
	CachedInputPrice *float64 `toml:"cached_input_price"`
	OutputPrice      *float64 `toml:"output_price"`
	// Reasoning says the model takes a reasoning effort; nil is unsaid
	// (false, or the preset's word for a preset's model).
	Reasoning *bool `toml:"reasoning"`
}

// Role is a named system prompt: a [roles.NAME] table.
type Role struct {
	Prompt      string `toml:"prompt"`
	Description string `toml:"description"`
}

// Theme is `theme = "NAME"`, or a [theme] table with a name and an
// optional [theme.palette] of colours over a built-in base theme.
type Theme struct {
	Name    string
	Base    string            // the built-in theme a palette starts from
	Palette map[string]string // palette field in snake_case -> "#rrggbb"
}

// fileTOML is File as decoded. Theme and key entries take more than one
// shape, so they stay Primitive until their TOML type is known.
type fileTOML struct {
	Provider        string                    `toml:"provider"`
	Model           string                    `toml:"model"`
	ReasoningEffort string                    `toml:"reasoning_effort"`
	Role            string                    `toml:"role"`
	WebSearch       bool                      `toml:"web_search"`
	Theme           toml.Primitive            `toml:"theme"`
	Providers       map[string]Provider       `toml:"providers"`
	Roles           map[string]Role           `toml:"roles"`
	Keys            map[string]toml.Primitive `toml:"keys"`
	Tools           map[string]toolTOML       `toml:"tools"`
	MCP             map[string]mcpTOML        `toml:"mcp"`
	limitsTOML
}

type themeTOML struct {
	Name    string            `toml:"name"`
	Palette map[string]string `toml:"palette"`
}

// DefaultPath is $XDG_CONFIG_HOME/parley/config.toml, or
// ~/.config/parley/config.toml when XDG_CONFIG_HOME is unset or relative
// (as the XDG spec says), on every platform.
func DefaultPath(getenv func(string) string) (string, error) {
	if dir := getenv("XDG_CONFIG_HOME"); filepath.IsAbs(dir) {
		return filepath.Join(dir, "parley", "config.toml"), nil
	}
	if home := getenv("HOME"); home != "" {
		return filepath.Join(home, ".config", "parley", "config.toml"), nil
	}
	return "", errors.New("cannot tell where the config file is: set XDG_CONFIG_HOME or HOME, or pass --config")
}

// Path is the config file to use: flagPath (--config) when set, else
// $PARLEY_CONFIG, else DefaultPath. Explicit says the user named it.
func Path(flagPath string, getenv func(string) string) (path string, explicit bool, err error) {
	if flagPath != "" {
		return flagPath, true, nil
	}
	if p := getenv("PARLEY_CONFIG"); p != "" {
		return p, true, nil
	}
	p, err := DefaultPath(getenv)
	return p, false, err
}

// Open reads the config file Path chooses. A missing file at the default
// path (or no default path at all) gives an empty File; a missing file the
// user named is an error. The warnings are for the user, such as a key in
// a file others can read.
func Open(flagPath string, getenv func(string) string) (*File, []string, error) {
	path, explicit, err := Path(flagPath, getenv)
	if err != nil {
		return &File{}, nil, nil
	}
	f, warnings, err := Load(path)
	if !explicit && errors.Is(err, fs.ErrNotExist) {
		return &File{Path: path}, nil, nil
	}
	return f, warnings, err
}

// Load reads and checks the file at path. Every problem found is in the
// returned *Error, each with the file, the line when known, the key and
// what was expected. A missing file is an error wrapping fs.ErrNotExist.
func Load(path string) (*File, []string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	f, err := Parse(path, data)
	if err != nil {
		return nil, nil, err
	}
	var warnings []string
	if st, err := os.Stat(path); err == nil {
		warnings = f.permissionWarnings(st.Mode().Perm())
	}
	return f, warnings, nil
}

// Parse checks a config file's contents; path is only for messages.
func Parse(path string, data []byte) (*File, error) {
	f := &File{Path: path, Exists: true, lines: keyLines(string(data))}
	var raw fileTOML
	md, err := toml.Decode(string(data), &raw)
	if err == nil {
		err = f.decodeShapes(&md, &raw)
	}
	if err != nil {
		return nil, &Error{Path: path, Problems: []Problem{f.libraryProblem(err)}}
	}
	f.Provider, f.Model, f.ReasoningEffort, f.Role = raw.Provider, raw.Model, raw.ReasoningEffort, raw.Role
	f.WebSearch = raw.WebSearch
	f.Providers, f.Roles = raw.Providers, raw.Roles
	f.models = map[string][]string{}
	// The order tables first appear in, implicit ones ([a.b.c] makes a.b) too.
	for _, k := range md.Keys() {
		if len(k) >= 2 && k[0] == "providers" && !slices.Contains(f.order, k[1]) {
			f.order = append(f.order, k[1])
		}
		if len(k) >= 4 && k[0] == "providers" && k[2] == "models" && !slices.Contains(f.models[k[1]], k[3]) {
			f.models[k[1]] = append(f.models[k[1]], k[3])
		}
	}

	var problems []Problem
	problems = append(problems, f.loadTools(&md, &raw)...)
	problems = append(problems, f.loadLimits(&md, &raw.limitsTOML)...)
	for _, k := range topUnknown(slices.DeleteFunc(md.Undecoded(), inParameters)) {
		problems = append(problems, f.unknownKey(k, md.Type(k...) == "Hash"))
	}
	problems = append(problems, f.validate()...)
	if len(problems) > 0 {
		slices.SortStableFunc(problems, func(a, b Problem) int { return a.Line - b.Line })
		return nil, &Error{Path: path, Problems: problems}
	}
	return f, nil
}

// decodeShapes decodes the values that take more than one shape: theme
// (a name or a table) and each key binding (a list, one key, or a table
// of bindings when the name was written dotted, unquoted).
func (f *File) decodeShapes(md *toml.MetaData, raw *fileTOML) error {
	if err := checkTables(md); err != nil {
		return err
	}
	if err := checkToolShapes(md, raw); err != nil {
		return err
	}
	var theme any
	if md.IsDefined("theme") {
		theme = probe(md, raw.Theme)
	}
	switch v := theme.(type) {
	case nil:
	case string:
		f.Theme.Name = v
	case map[string]any:
		var t themeTOML
		if err := md.PrimitiveDecode(raw.Theme, &t); err != nil {
			return err
		}
		f.Theme.Name = t.Name
		if t.Palette != nil {
			f.Theme.Base = t.Palette["base"]
			delete(t.Palette, "base")
			f.Theme.Palette = t.Palette
		}
	default:
		return shapeError{[]string{"theme"}, "expected a theme name or a [theme] table, got " + goTypeName(fmt.Sprintf("%T", v))}
	}
	if raw.Keys == nil {
		return nil
	}
	f.Keys = map[string][]string{}
	f.bindings = map[string][]string{}
	var decode func(prefix []string, entries map[string]toml.Primitive) error
	decode = func(prefix []string, entries map[string]toml.Primitive) error {
		for name, p := range entries {
			path := append(slices.Clone(prefix), name)
			full := append([]string{"keys"}, path...)
			var err error
			switch v := probe(md, p).(type) {
			case []any:
				var keys []string
				err = md.PrimitiveDecode(p, &keys)
				f.Keys[strings.Join(path, ".")] = keys
				f.bindings[strings.Join(path, ".")] = full
			case string:
				f.Keys[strings.Join(path, ".")] = []string{v}
				f.bindings[strings.Join(path, ".")] = full
				err = md.PrimitiveDecode(p, &v) // marks it decoded
			case map[string]any:
				var sub map[string]toml.Primitive
				if err = md.PrimitiveDecode(p, &sub); err == nil {
					err = decode(path, sub)
				}
			default:
				err = shapeError{full, `expected a list of keys such as ["ctrl+b"], got ` + goTypeName(fmt.Sprintf("%T", v))}
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	return decode(nil, raw.Keys)
}

// probe returns a defined Primitive's value as decoded into any, to see
// its shape. Decoding into any does not count as decoding for
// MetaData.Undecoded.
func probe(md *toml.MetaData, p toml.Primitive) any {
	var v any
	if md.PrimitiveDecode(p, &v) != nil {
		return nil
	}
	return v
}

// checkTables reports a value where a table belongs ("providers = 3",
// "headers = 'x'"): the library passes over those without a word.
func checkTables(md *toml.MetaData) error {
	for _, k := range md.Keys() {
		table := len(k) == 1 && slices.Contains([]string{"providers", "roles", "keys", "tools", "mcp"}, k[0]) ||
			len(k) == 2 && slices.Contains([]string{"providers", "roles", "tools", "mcp"}, k[0]) ||
			len(k) == 2 && k[0] == "theme" && k[1] == "palette" ||
			len(k) == 3 && k[0] == "providers" && slices.Contains([]string{"headers", "query", "models"}, k[2]) ||
			len(k) == 3 && k[0] == "mcp" && k[2] == "headers" ||
			len(k) == 4 && k[0] == "providers" && k[2] == "models"
		if t := md.Type(k...); table && t != "Hash" && t != "" {
			return shapeError{k, "expected a table, got " + tomlTypeName(t)}
		}
	}
	return nil
}

// shapeError is a value of the wrong TOML type found by decodeShapes.
type shapeError struct {
	key []string
	msg string
}

func (e shapeError) Error() string { return e.msg }
