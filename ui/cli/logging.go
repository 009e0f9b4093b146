package cli

import (
	"fmt"
	"io"
	stdlog "log"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model/logging"
	"github.com/parley-tui/parley/stream"
)

// addDebugFlag adds the persistent --debug flag to the root command.
func addDebugFlag(root *cobra.Command) {
	root.PersistentFlags().Bool("debug", false,
		"trace requests and streams in the log file, keys redacted (also PARLEY_DEBUG=1)")
}

// debugWanted says --debug was given or PARLEY_DEBUG is true.
func debugWanted(cmd *cobra.Command, getenv func(string) string) bool {
	if f := cmd.Flag("debug"); f != nil && f.Value.String() == "true" {
		return true
	}
	on, _ := strconv.ParseBool(getenv("PARLEY_DEBUG"))
	return on
}

// setupLogging opens the log file and makes it slog's default logger, and
// so the log package's, until the returned func runs: then nothing a
// library logs can reach the terminal behind the TUI's back. A log that
// cannot be opened is a warning, printed before any TUI starts, unless
// --debug asked for it; then it is an error.
func setupLogging(cmd *cobra.Command, getenv func(string) string) (*slog.Logger, func(), error) {
	debug := debugWanted(cmd, getenv)
	logger, closer, err := logging.Open(getenv, debug)
	if err != nil {
		if debug {
			return nil, nil, fmt.Errorf("--debug: cannot open the log file: %w", err)
		}
		fmt.Fprintln(cmd.ErrOrStderr(), "parley: warning: no log file:", err)
		logger, closer = slog.New(slog.DiscardHandler), io.NopCloser(nil)
	}
	prevSlog, prevOut, prevFlags := slog.Default(), stdlog.Writer(), stdlog.Flags()
	slog.SetDefault(logger)
	start := time.Now()
	logger.Info("start", "command", cmd.CommandPath(), "pid", os.Getpid(), "debug", debug)
	return logger, func() {
		logger.Info("stop", "command", cmd.CommandPath(), "elapsed", time.Since(start).Round(time.Millisecond))
		slog.SetDefault(prevSlog)
		stdlog.SetOutput(prevOut)
		stdlog.SetFlags(prevFlags)
		closer.Close()
	}, nil
}

// withLogging returns cfg sending its notes to logger through a transport
// that traces requests (logger nil leaves cfg as it is). Either way the
// key, and the value of every configured header whatever its name, are
// registered with logging.AddSecret, so no log line and no message a
// command prints shows them, whatever their form.
func withLogging(cfg stream.Config, logger *slog.Logger) stream.Config {
	logging.AddSecret(cfg.APIKey)
	for _, vs := range cfg.Header {
		for _, v := range vs {
			logging.AddSecret(v)
		}
	}
	// Whatever a server says (error bodies, error events, model ids) is
	// redacted with every registered secret before anyone shows it.
	cfg.Redact = logging.Redact
	if logger == nil {
		return cfg
	}
	cfg.Logger = logger
	client := http.Client{}
	if cfg.HTTPClient != nil {
		client = *cfg.HTTPClient
	}
	client.Transport = logging.Transport(client.Transport, logger)
	cfg.HTTPClient = &client
	return cfg
}

// logBackend notes what the chat talks to: never the key.
func logBackend(logger *slog.Logger, b *backend) {
	s := b.settings
	switch {
	case s.Replay != "":
		logger.Info("chat", "backend", "replay", "file", s.Replay)
	case s.Demo:
		logger.Info("chat", "backend", "demo", "model", b.model)
	default:
		logger.Info("chat", "provider", s.Provider, "model", b.model, "api", s.API, "url", b.client.Endpoint())
	}
}
