package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"maps"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/model/logging"
)

func newDoctorCmd(f *chatFlags) *cobra.Command {
	var keys, verbose bool
	cmd := &cobra.Command{
		Use:   "doctor",
		Short: "Check the configuration, the providers and the terminal",
		Long: `Doctor checks what Parley depends on, one line each: ok, warn (works, but
not as well as it could) or FAIL, each problem followed by how to fix it.

  - the config file: where it is, whether it parses, its permissions, and
    with --verbose where each setting came from;
  - each provider (the one in use first, then every one the file defines):
    whether its key is there (never printed: its source and length at
    most) and whether its server answers GET /models within 5 seconds;
  - the terminal: size, colour profile, background, whether shift+enter
    can be told from enter, the clipboard (OSC 52, tmux), the mouse.

api_key_cmd is not run unless --keys is given. Doctor exits 1 when a check
FAILed, else 0.`,
		Example: `  parley doctor
  parley doctor --provider ollama
  parley doctor --keys --verbose`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			logger, closeLog, err := setupLogging(cmd, os.Getenv)
			if err != nil {
				return err
			}
			defer closeLog()
			ctx := commandContext(cmd)
			failed := runDoctor(ctx, cmd.OutOrStdout(), doctorOptions{
				flags: *f, keys: keys, verbose: verbose, getenv: os.Getenv,
				term: newTTY(cmd, colourEnviron(os.Environ()), os.Getenv), logger: logger,
			})
			if failed > 0 {
				return fmt.Errorf("doctor: %d %s failed", failed, plural(failed, "check"))
			}
			return nil
		},
	}
	cmd.Flags().BoolVar(&keys, "keys", false, "run api_key_cmd to check the keys it prints")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "say where each setting came from")
	return cmd
}

// doctorOptions is what runDoctor checks, and with what.
type doctorOptions struct {
	flags         chatFlags // --config, --provider, --role
	keys, verbose bool
	getenv        func(string) string
	term          terminal
	logger        *slog.Logger // nil: requests are not logged
	// reachTimeout bounds each GET /models; zero means 5 s.
	reachTimeout time.Duration
}

// level is how a check went.
type level int

const (
	levelOK level = iota
	levelWarn
	levelFail
	levelSkip
)

var levelTags = [...]string{levelOK: "ok  ", levelWarn: "warn", levelFail: "FAIL", levelSkip: "skip"}

// finding is one check's outcome, printed as "ok   what", or
// "FAIL what: reason" with indented details and a "fix:" line below.
type finding struct {
	level   level
	what    string
	reason  string
	details []string
	fix     string
}

func ok(what string) finding { return finding{level: levelOK, what: what} }

// print writes f through serverText: a key that reached a server's error
// message is masked, and its escape sequences neutralised, before it is
// shown.
func (f finding) print(w io.Writer) {
	line := levelTags[f.level] + " " + f.what
	if f.reason != "" {
		line += ": " + f.reason
	}
	fmt.Fprintln(w, serverText(line))
	for _, d := range f.details {
		fmt.Fprintln(w, "     "+serverText(d))
	}
	if f.fix != "" {
		fmt.Fprintln(w, "     fix: "+serverText(f.fix))
	}
}

// runDoctor prints every check to out and returns how many FAILed.
func runDoctor(ctx context.Context, out io.Writer, o doctorOptions) int {
	failed := 0
	report := func(found []finding) {
		for _, f := range found {
			f.print(out)
			if f.level == levelFail {
				failed++
			}
		}
	}
	st, found := checkConfig(o)
	report(found)
	report([]finding{checkLog(o.getenv)})
	var theme string
	if st != nil {
		report(checkProviders(ctx, o, st))
		report(checkMCPServers(ctx, o, st))
		theme = st.settings.Theme
	}
	report(checkTerminal(o.term, o.getenv, theme, mouseSettingOf(st)))
	return failed
}

// checkConfig checks the file and resolves the settings from it, the
// flags and the environment. The setup is nil when that failed.
func checkConfig(o doctorOptions) (*setup, []finding) {
	var out []finding
	path, explicit, err := config.Path(o.flags.config, o.getenv)
	if err != nil {
		// Open reads no file then: the defaults apply.
		out = append(out, finding{level: levelWarn, what: "config", reason: err.Error(),
			fix: "set XDG_CONFIG_HOME or HOME, or pass --config PATH"})
	}
	file, warnings, err := config.Open(o.flags.config, o.getenv)
	switch {
	case err != nil:
		f := finding{level: levelFail, what: "config " + path, fix: "parley config edit opens it, and checks it again when you are done"}
		var ce *config.Error
		switch {
		case errors.As(err, &ce):
			f.reason = fmt.Sprintf("%d %s", len(ce.Problems), plural(len(ce.Problems), "problem"))
			f.details = strings.Split(err.Error(), "\n")
		case explicit && errors.Is(err, fs.ErrNotExist):
			f.reason = "no such file"
			f.fix = "parley config init writes one there; or correct --config or $PARLEY_CONFIG"
		default:
			f.reason = err.Error()
		}
		return nil, append(out, f)
	case file.Exists:
		out = append(out, ok("config "+path))
	case path == "":
	default:
		out = append(out, ok("config "+path+": no file, so the built-in defaults apply (parley config init writes one)"))
	}
	for _, w := range warnings {
		out = append(out, finding{level: levelWarn, what: "config permissions", reason: w, fix: "chmod 600 " + path})
	}

	st, noModel, err := loadSetupAnyModel(o.flags, o.getenv)
	if err != nil {
		return nil, append(out, finding{level: levelFail, what: "settings", reason: "cannot resolve them",
			details: strings.Split(err.Error(), "\n"), fix: "parley config edit, or correct the flag or variable named"})
	}
	s := st.settings
	if noModel != nil { // the providers can still be checked
		return st, append(out, finding{level: levelFail, what: "settings", reason: noModel.Error(),
			fix: "parley models lists the models " + s.Provider + " has"})
	}
	f := ok(fmt.Sprintf("settings: provider %s, model %s", s.Provider, s.Model))
	if s.Demo {
		f = ok("settings: no provider, key or base URL set, so the chat uses the built-in demo backend (model " + demoModel + ")")
	}
	if o.verbose {
		f.details = settingSources(s)
		if s.Demo {
			f.details = demoSources(f.details)
		}
	}
	return st, append(out, f)
}

// demoSources rewrites the setting lines that the demo backend overrides:
// with no provider, key or base URL set, the provider, model and API
// resolved by default (openai, none, openai's) are not what the chat
// uses, and naming the openai preset would say it talks to OpenAI.
func demoSources(lines []string) []string {
	var out []string
	for _, l := range lines {
		switch {
		case strings.HasPrefix(l, "provider = "):
			out = append(out, "provider = the built-in demo backend (no provider, key or base URL set)")
		case strings.HasPrefix(l, "model = (unset)"): // a model given with -m is the one used
			out = append(out, "model = "+demoModel+" (the demo backend's; -m picks another of its models)")
		case strings.HasPrefix(l, "api = ") && strings.Contains(l, "(preset "): // no --api, PARLEY_API or config chose it
			api, _, _ := strings.Cut(strings.TrimPrefix(l, "api = "), " ")
			out = append(out, "api = "+api+" (the demo backend's default; it serves --api chat too)")
		case strings.HasPrefix(l, "base_url = "):
			// the demo backend runs on loopback, at a port chosen at start
		default:
			out = append(out, l)
		}
	}
	return out
}

// settingSources lists each setting with its value and where it came
// from; the key only by where it is read from.
func settingSources(s *config.Settings) []string {
	values := map[string]string{
		"config": s.File.Path, "provider": s.Provider, "api": string(s.API), "base_url": s.BaseURL,
		"model": s.Model, "reasoning_effort": s.Effort, "role": s.Role, "theme": s.Theme,
	}
	maps.Copy(values, s.LimitValues())
	names := make([]string, 0, len(s.Sources))
	for name := range s.Sources {
		names = append(names, name)
	}
	sort.Strings(names)
	var out []string
	for _, name := range names {
		src := s.Sources[name]
		switch name {
		case "api_key":
			out = append(out, fmt.Sprintf("api_key from %s", src))
			continue
		case "config":
			out = append(out, "config = "+s.File.Path)
			continue
		}
		v := values[name]
		if v == "" {
			v = "(unset)"
		}
		out = append(out, fmt.Sprintf("%s = %s (%s)", name, v, src))
	}
	return out
}

// checkLog says where the log is, and how big.
func checkLog(getenv func(string) string) finding {
	path, err := logging.Path(getenv)
	if err != nil {
		return finding{level: levelWarn, what: "log", reason: err.Error(), fix: "set XDG_STATE_HOME or HOME"}
	}
	size := "empty"
	if st, err := os.Stat(path); err == nil {
		size = fmt.Sprintf("%.1f KB", float64(st.Size())/1024)
	}
	return ok(fmt.Sprintf("log %s (%s; --debug adds request traces)", path, size))
}

func plural(n int, word string) string {
	if n == 1 {
		return word
	}
	return word + "s"
}
