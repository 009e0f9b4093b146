package config

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/parley-tui/parley/model/suggest"
	"github.com/parley-tui/parley/stream"
)

// endpoint is one provider resolved: where requests go and how the key
// will be found.
type endpoint struct {
	name     string
	provider Provider // the preset with the file's table over it
	api      stream.API
	apiSrc   Source
	baseURL  string
	baseSrc  Source
	baseErr  error // no base URL anywhere (Azure without its endpoint)
	header   map[string]string
	query    map[string]string
	key      keySpec
}

type keyKind int

const (
	keyNone keyKind = iota
	keyEnv
	keyLiteral
	keyCommand
)

// keySpec is where a provider's key comes from. The key itself is read
// only when a client is built, and never appears in an error.
type keySpec struct {
	kind     keyKind
	env      string // the variable holding it, or the one to ask for
	command  string
	literal  string
	src      Source
	required bool
}

// openAIHeaders are the OpenAI SDKs' environment variables for headers.
var openAIHeaders = map[string]string{
	"OPENAI_ORG_ID":     "OpenAI-Organization",
	"OPENAI_PROJECT_ID": "OpenAI-Project",
}

// resolveEndpoint resolves provider name. top says it is the provider
// the chat starts with, so --base-url, --api and their PARLEY_ variables
// apply; defaulted says no provider was chosen at all, so a key is used
// when there is one and never asked for (a keyless OPENAI_BASE_URL server).
func (s *Settings) resolveEndpoint(name string, top, defaulted bool, flags Flags) (*endpoint, error) {
	f := s.File
	preset, isPreset := presets()[name]
	fp, inFile := f.Providers[name]
	if !isPreset && !inFile {
		return nil, fmt.Errorf("unknown provider %q%s", name, suggest.Hint(name, f.providerNames()))
	}
	p := preset
	if inFile {
		p = merge(preset, fp)
	}
	e := &endpoint{name: name, provider: p, header: p.Headers, query: p.Query}
	at := func(key string) Source {
		return Source{Kind: FromFile, File: f.Path, Line: f.line("providers", name, key)}
	}
	presetSrc := Source{Kind: FromPreset, Name: name}
	flag := func(v, n string) candidate { return candidate{v, Source{Kind: FromFlag, Name: n}} }
	env := func(n string) candidate { return candidate{s.getenv(n), Source{Kind: FromEnv, Name: n}} }
	var none candidate

	// API.
	apiFlag, apiEnv := none, none
	if top {
		apiFlag, apiEnv = flag(flags.API, "--api"), env("PARLEY_API")
	}
	api, src := first(apiFlag, apiEnv, candidate{fp.API, at("api")}, candidate{preset.API, presetSrc})
	switch api {
	case "":
		api = "responses"
	case "responses", "chat":
	default: // the file's value was checked by Load
		return nil, fmt.Errorf("%s must be responses or chat, not %q", src.label(), api)
	}
	e.api, e.apiSrc = stream.API(api), src

	// Base URL.
	baseFlag, baseEnv := none, none
	if top {
		baseFlag, baseEnv = flag(flags.BaseURL, "--base-url"), env("PARLEY_BASE_URL")
	}
	provEnv := none
	if p.baseFromEnv != nil {
		u, name, err := p.baseFromEnv(s.getenv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		provEnv = candidate{u, Source{Kind: FromEnv, Name: name}}
	}
	e.baseURL, e.baseSrc = first(baseFlag, baseEnv, provEnv, candidate{fp.BaseURL, at("base_url")}, candidate{preset.BaseURL, presetSrc})
	switch {
	case e.baseURL == "" && p.needsBase != "":
		e.baseErr = fmt.Errorf("provider %s has no base URL: %s", name, p.needsBase)
	case e.baseURL == "":
		e.baseErr = fmt.Errorf("provider %s has no base URL: set base_url under [providers.%s]", name, name)
	case e.baseSrc.Kind == FromFlag || e.baseSrc.Kind == FromEnv:
		if err := checkURL(e.baseURL); err != nil {
			return nil, fmt.Errorf("%s: %w", e.baseSrc.label(), err)
		}
	}

	// Headers from the OpenAI SDKs' variables beat the file's.
	if name == "openai" {
		for v, h := range openAIHeaders {
			if val := s.getenv(v); val != "" {
				e.header = overlay(e.header, map[string]string{http.CanonicalHeaderKey(h): val})
			}
		}
	}

	// The key: its variable, else the file, else the command.
	k := keySpec{env: p.APIKeyEnv}
	switch {
	case p.APIKeyEnv != "" && s.getenv(p.APIKeyEnv) != "":
		k.kind, k.src = keyEnv, Source{Kind: FromEnv, Name: p.APIKeyEnv}
	case p.APIKey != "":
		k.kind, k.literal, k.src = keyLiteral, p.APIKey, at("api_key")
	case p.APIKeyCmd != "":
		k.kind, k.command, k.src = keyCommand, p.APIKeyCmd, at("api_key_cmd")
		k.src.Kind, k.src.Name = FromCommand, p.APIKeyCmd
	default:
		k.required = p.APIKeyEnv != "" && !p.keyOptional && !defaulted
	}
	e.key = k
	return e, nil
}

// ClientConfig is the stream.Config for the provider the chat starts
// with. It reads the key, running api_key_cmd if that is where it comes
// from. For the demo and replays only API is set: the caller points the
// client at its mock.
func (s *Settings) ClientConfig(ctx context.Context) (stream.Config, error) {
	if s.endpoint == nil {
		return stream.Config{API: s.API}, nil
	}
	return s.clientConfig(ctx, s.endpoint)
}

// ProviderConfig is the stream.Config for any provider, for switching to
// one of Models. Flags and PARLEY_ variables about the server (--base-url,
// --api) belong to the starting provider and do not apply to others.
func (s *Settings) ProviderConfig(ctx context.Context, name string) (stream.Config, error) {
	if s.endpoint != nil && name == s.Provider {
		return s.clientConfig(ctx, s.endpoint)
	}
	e, err := s.resolveEndpoint(name, false, false, Flags{})
	if err != nil {
		return stream.Config{}, err
	}
	if e.baseErr != nil {
		return stream.Config{}, e.baseErr
	}
	return s.clientConfig(ctx, e)
}

func (s *Settings) clientConfig(ctx context.Context, e *endpoint) (stream.Config, error) {
	key, err := s.readKey(ctx, e)
	if err != nil {
		return stream.Config{}, err
	}
	cfg := stream.Config{BaseURL: e.baseURL, APIKey: key, AuthHeader: e.provider.AuthHeader, API: e.api}
	if len(e.header) > 0 {
		cfg.Header = http.Header{}
		for k, v := range e.header {
			cfg.Header.Set(k, v)
		}
	}
	if len(e.query) > 0 {
		cfg.Query = url.Values{}
		for k, v := range e.query {
			cfg.Query.Set(k, v)
		}
	}
	return cfg, nil
}

// readKey reads the provider's key. Errors name where the key was looked
// for, never the key.
func (s *Settings) readKey(ctx context.Context, e *endpoint) (string, error) {
	k := e.key
	switch k.kind {
	case keyEnv:
		return checkKey(s.getenv(k.env), e.name, "$"+k.env)
	case keyLiteral:
		return checkKey(k.literal, e.name, "api_key")
	case keyCommand:
		timeout := s.KeyTimeout
		if timeout <= 0 {
			timeout = DefaultKeyTimeout
		}
		key, err := runKeyCommand(ctx, k.command, timeout)
		if err != nil {
			return "", fmt.Errorf("provider %s: api_key_cmd %q %w", e.name, k.command, err)
		}
		return checkKey(key, e.name, "api_key_cmd")
	}
	if !k.required {
		return "", nil
	}
	where := "the config file"
	if s.File.Path != "" {
		where = s.File.Path
	}
	return "", fmt.Errorf("provider %s needs an API key: set %s, or api_key_cmd under [providers.%s] in %s",
		e.name, k.env, e.name, where)
}

// checkKey refuses a key no HTTP header can carry.
func checkKey(key, provider, from string) (string, error) {
	if strings.ContainsFunc(key, isControl) {
		return "", errors.New("provider " + provider + ": the key from " + from + " holds control characters")
	}
	return key, nil
}
