package cli

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/stream"
)

// defaultReachTimeout bounds doctor's GET /models to each provider.
const defaultReachTimeout = 5 * time.Second

// localStart says how to start the server of each local preset.
var localStart = map[string]string{
	"ollama":   "ollama serve",
	"vllm":     "vllm serve MODEL",
	"lmstudio": "lms server start",
	"llamacpp": "llama-server -m MODEL.gguf --port 8080",
}

// checkProviders checks the provider in use, then every other one the
// file defines, all at once; their findings come back in that order.
func checkProviders(ctx context.Context, o doctorOptions, st *setup) []finding {
	s := st.settings
	var names []string
	if !s.Demo {
		names = append(names, s.Provider)
	}
	for _, n := range s.FileProviders() {
		if !slices.Contains(names, n) {
			names = append(names, n)
		}
	}
	results := make([][]finding, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() { results[i] = checkProvider(ctx, o, s, name) })
	}
	wg.Wait()
	var out []finding
	for _, r := range results {
		out = append(out, r...)
	}
	return out
}

// keyState is what a provider's key check found, for its server check.
type keyState int

const (
	keySent    keyState = iota // a key is sent
	keyNone                    // none is configured, and none is needed
	keyMissing                 // one is needed and there is none, or it could not be read
	keyUnread                  // api_key_cmd was not run (no --keys)
)

// checkProvider checks that provider name has a key when it needs one and
// that its server answers.
func checkProvider(ctx context.Context, o doctorOptions, s *config.Settings, name string) []finding {
	label := "provider " + name
	info, err := s.Inspect(name)
	if err != nil {
		return []finding{{level: levelFail, what: label, reason: err.Error(), fix: "parley config edit"}}
	}
	if info.BaseErr != nil {
		return []finding{{level: levelFail, what: label, reason: "no base URL", details: []string{info.BaseErr.Error()},
			fix: fmt.Sprintf("set base_url under [providers.%s] in the config", name)}}
	}
	kf, cfg, state := checkKey(ctx, o, s, info)
	out := []finding{kf}
	if state == keyMissing {
		return append(out, finding{level: levelSkip, what: label + " server", reason: "not asked without a key"})
	}
	sf := checkServer(ctx, o, info, cfg, state)
	if o.verbose {
		sf.details = append(sf.details,
			fmt.Sprintf("api = %s (%s)", info.API, info.APISource),
			fmt.Sprintf("base_url = %s (%s)", info.BaseURL, info.BaseSource))
	}
	return append(out, sf)
}

// checkKey says where the key is and how long it is, never what it is.
// It returns the config to ask the server with.
func checkKey(ctx context.Context, o doctorOptions, s *config.Settings, info config.ProviderInfo) (finding, stream.Config, keyState) {
	what := "provider " + info.Name + " key"
	k := info.Key
	read := func(from string) (finding, stream.Config, keyState) {
		cfg, err := s.ProviderConfig(ctx, info.Name)
		if err != nil {
			return finding{level: levelFail, what: what, reason: err.Error(), fix: keyFix(info)}, cfg, keyMissing
		}
		if cfg.APIKey == "" {
			return finding{level: levelFail, what: what, reason: from + " is empty", fix: keyFix(info)}, cfg, keyMissing
		}
		return ok(fmt.Sprintf("%s: %s (%d characters)", what, from, len(cfg.APIKey))), cfg, keySent
	}
	switch k.Kind {
	case config.KeyEnv:
		return read("$" + k.Env)
	case config.KeyFile:
		return read("api_key at " + k.Source.String())
	case config.KeyCommand:
		from := fmt.Sprintf("printed by api_key_cmd (%s)", k.Source.File)
		if k.Source.Line > 0 {
			from = fmt.Sprintf("printed by api_key_cmd (%s:%d)", k.Source.File, k.Source.Line)
		}
		if o.keys {
			return read(from)
		}
		if _, err := exec.LookPath(k.Program); err != nil {
			return finding{level: levelFail, what: what, reason: fmt.Sprintf("api_key_cmd runs %q, which is not on the PATH", k.Program),
				fix: "install it, or correct api_key_cmd at " + k.Source.File}, info.Config, keyMissing
		}
		return ok(what + ": " + from + "; not run (parley doctor --keys runs it)"), info.Config, keyUnread
	}
	if k.Required {
		return finding{level: levelFail, what: what, reason: "none set", fix: keyFix(info)}, info.Config, keyMissing
	}
	if k.Env != "" {
		return ok(what + ": none needed ($" + k.Env + " is sent when set)"), info.Config, keyNone
	}
	return ok(what + ": none configured, none sent"), info.Config, keyNone
}

// keyFix says where a provider's key may come from.
func keyFix(info config.ProviderInfo) string {
	if info.Key.Env != "" {
		return fmt.Sprintf("export %s=...; or set api_key_cmd under [providers.%s] in the config", info.Key.Env, info.Name)
	}
	return fmt.Sprintf("set api_key_env or api_key_cmd under [providers.%s] in the config", info.Name)
}

// checkServer asks the server for its models.
func checkServer(ctx context.Context, o doctorOptions, info config.ProviderInfo, cfg stream.Config, key keyState) finding {
	what := "provider " + info.Name + " server"
	timeout := o.reachTimeout
	if timeout <= 0 {
		timeout = defaultReachTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ids, err := stream.NewClient(withLogging(cfg, o.logger)).ListModels(ctx)
	if err == nil {
		return ok(fmt.Sprintf("%s: %s answers (%d %s)", what, info.BaseURL, len(ids), plural(len(ids), "model")))
	}
	return reachFinding(what, info, err, key, timeout)
}

// reachFinding explains why a server did not list its models.
func reachFinding(what string, info config.ProviderInfo, err error, key keyState, timeout time.Duration) finding {
	f := finding{level: levelFail, what: what}
	base := info.BaseURL
	where := "base_url"
	if src := info.BaseSource; src.Kind == config.FromFile {
		where = "base_url at " + src.String()
	} else if src.Kind == config.FromFlag || src.Kind == config.FromEnv {
		where = src.Name
	}
	var se *stream.Error
	errors.As(err, &se)
	status := 0
	if se != nil {
		status = se.HTTPStatus
	}
	var dns *net.DNSError
	var ne net.Error
	var unknownCA x509.UnknownAuthorityError
	var badCert x509.HostnameError
	switch {
	case errors.Is(err, syscall.ECONNREFUSED) || strings.Contains(err.Error(), "connection refused"):
		f.reason = base + ": connection refused"
		if start, ok := localStart[info.Name]; ok && info.Preset {
			f.fix = fmt.Sprintf("is the server running? start it with `%s`", start)
		} else {
			f.fix = "is the server running? start it, or correct " + where
		}
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		f.reason = fmt.Sprintf("%s: no answer within %v", base, timeout)
		f.fix = "check " + where + ", your network and any proxy (HTTPS_PROXY)"
	case errors.As(err, &dns):
		f.reason = fmt.Sprintf("%s: cannot find the host %s", base, dns.Name)
		f.fix = "check " + where
	case errors.As(err, &unknownCA) || errors.As(err, &badCert):
		f.reason = base + ": its TLS certificate is not trusted: " + err.Error()
		f.fix = "check " + where + " (http or https?) and the server's certificate"
	case status == http.StatusUnauthorized && key == keyUnread:
		f.level = levelWarn
		f.reason = base + " answers, and wants a key (HTTP 401)"
		f.fix = "parley doctor --keys runs api_key_cmd and sends the key it prints"
	case status == http.StatusUnauthorized && key == keyNone:
		f.reason = base + " wants a key (HTTP 401): " + se.Message
		f.fix = keyFix(info)
	case status == http.StatusUnauthorized:
		f.reason = "the key was refused (HTTP 401): " + se.Message
		f.fix = "check the key " + keySourceName(info) + " gives"
	case status == http.StatusForbidden:
		f.level = levelWarn
		f.reason = base + " answers, but will not list models with this key (HTTP 403): " + se.Message
		f.fix = "check the key's permissions on the provider's site"
	case status == http.StatusNotFound:
		f.level = levelWarn
		f.reason = fmt.Sprintf("%s answers, but has no model list at %s/models (HTTP 404)", base, base)
		f.fix = "check " + where + ": it usually ends in /v1"
	default:
		f.reason = base + ": " + err.Error()
		f.fix = "check " + where + "; the log file has the server's request id"
	}
	return f
}

// keySourceName names where a provider's key comes from, for a fix.
func keySourceName(info config.ProviderInfo) string {
	switch info.Key.Kind {
	case config.KeyEnv:
		return "$" + info.Key.Env
	case config.KeyFile:
		return "api_key at " + info.Key.Source.String()
	case config.KeyCommand:
		return "api_key_cmd"
	}
	return "the config"
}
