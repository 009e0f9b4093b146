package config

import (
	"context"
	"slices"

	"github.com/parley-tui/parley/stream"
)

// KeyKind says where a provider's key comes from.
type KeyKind string

const (
	KeyNone    KeyKind = "none"
	KeyEnv     KeyKind = "env"     // an environment variable
	KeyFile    KeyKind = "file"    // api_key in the config file
	KeyCommand KeyKind = "command" // printed by api_key_cmd
)

// KeyInfo says where a provider's key will be read from, without reading
// it: for `parley doctor`, which runs api_key_cmd only when asked.
type KeyInfo struct {
	Kind KeyKind
	// Env is the variable the key is read from (KeyEnv), or the one to
	// set when there is no key; empty when the provider names none.
	Env string
	// Command is api_key_cmd, and Program its first word, to look up on
	// the PATH without running it.
	Command, Program string
	Source           Source
	// Required says there is no key and the provider needs one.
	Required bool
}

// ProviderInfo describes a provider as ProviderConfig would build its
// client, without reading the key.
type ProviderInfo struct {
	Name string
	// Preset says a built-in preset of that name exists (the file's table,
	// if any, lies over it); InFile says the file has a table for it.
	Preset, InFile bool
	API            stream.API
	APISource      Source
	BaseURL        string
	BaseSource     Source
	// BaseErr says no base URL was found anywhere, and what to set.
	BaseErr error
	Key     KeyInfo
	// Config is the client's configuration with no key in it.
	Config stream.Config
}

// FileProviders lists the providers the config file has tables for, in
// the file's order.
func (s *Settings) FileProviders() []string { return slices.Clone(s.File.order) }

// Inspect describes provider name. For the provider the chat starts with,
// flags and PARLEY_ variables apply as in ClientConfig; for others, as in
// ProviderConfig.
func (s *Settings) Inspect(name string) (ProviderInfo, error) {
	e := s.endpoint
	if e == nil || name != s.Provider {
		var err error
		if e, err = s.resolveEndpoint(name, false, false, Flags{}); err != nil {
			return ProviderInfo{}, err
		}
	}
	_, preset := presets()[name]
	_, inFile := s.File.Providers[name]
	info := ProviderInfo{
		Name: name, Preset: preset, InFile: inFile,
		API: e.api, APISource: e.apiSrc, BaseURL: e.baseURL, BaseSource: e.baseSrc, BaseErr: e.baseErr,
		Key: KeyInfo{Env: e.key.env, Command: e.key.command, Source: e.key.src, Required: e.key.required},
	}
	switch e.key.kind {
	case keyEnv:
		info.Key.Kind = KeyEnv
	case keyLiteral:
		info.Key.Kind = KeyFile
	case keyCommand:
		info.Key.Kind = KeyCommand
		if argv, err := splitCommand(e.key.command); err == nil && len(argv) > 0 {
			info.Key.Program = argv[0]
		}
	default:
		info.Key.Kind = KeyNone
	}
	// The same config with no key to read: clientConfig cannot fail then.
	keyless := *e
	keyless.key = keySpec{}
	info.Config, _ = s.clientConfig(context.Background(), &keyless)
	return info, nil
}
