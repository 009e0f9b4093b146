package cli

import (
	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/model/logging"
)

// registerConfigSecrets tells the redactor every credential the config
// holds, before any request is made or any line logged: each provider's
// header values and literal key, whatever the header is called (a custom
// X-Custom-Auth is as secret as Authorization), and MCP servers' headers.
// Values of sensitive-named environment entries given to tools and MCP
// servers (GITHUB_TOKEN...) count too. Keys read from the environment or
// api_key_cmd are registered when a client is built (withLogging).
func registerConfigSecrets(s *config.Settings) {
	if s == nil || s.File == nil {
		return
	}
	for _, p := range s.File.Providers {
		logging.AddSecret(p.APIKey)
		for _, v := range p.Headers {
			logging.AddSecret(v)
		}
	}
	for _, m := range s.MCP {
		for _, v := range m.Headers {
			logging.AddSecret(v)
		}
		addSensitiveEnv(m.Env)
	}
	for _, t := range s.Tools {
		addSensitiveEnv(t.Env)
	}
}

func addSensitiveEnv(env map[string]string) {
	for k, v := range env {
		if logging.SensitiveName(k) {
			logging.AddSecret(v)
		}
	}
}
