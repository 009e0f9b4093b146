package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/model/history"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui"
	"github.com/parley-tui/parley/ui/sanitize"
)

// demoModel is the model name the offline demo backend answers as.
const demoModel = "parley-mock-1"

// chatFlags are the root command's flags: how to reach a model. config,
// provider and role are persistent: subcommands read them too.
type chatFlags struct {
	config, provider, role                     string
	model, baseURL, api, effort, replay, theme string
	yolo, webSearch                            bool
	prompt                                     string
	// The limits (config.Flags): sizes and a duration as typed, parsed
	// with the file's and the environment's by config.Resolve.
	maxReplySize, maxAttachmentSize, stallTimeout string
	noMouse                                       bool
	files                                         []string // -f, in order; "-" is stdin
	sessions                                      sessionFlags
	maxSteps                                      int
}

func addChatFlags(cmd *cobra.Command, f *chatFlags) {
	pf := cmd.PersistentFlags()
	pf.StringVar(&f.config, "config", "", "config file (default $PARLEY_CONFIG, else $XDG_CONFIG_HOME/parley/config.toml)")
	pf.StringVar(&f.provider, "provider", "", "provider: a preset ("+strings.Join(config.PresetNames(), ", ")+") or one from the config")
	pf.StringVar(&f.role, "role", "", "role from the config: its prompt is the system prompt")
	cmd.Flags().StringVarP(&f.model, "model", "m", "", "model to ask (default the provider's: gpt-5-mini for OpenAI, or the demo model)")
	cmd.Flags().StringVar(&f.baseURL, "base-url", "", "server base URL (default the provider's; for OpenAI $OPENAI_BASE_URL, else https://api.openai.com/v1)")
	cmd.Flags().StringVar(&f.api, "api", "", "wire API: responses or chat (Chat Completions) (default the provider's: responses for OpenAI)")
	cmd.Flags().StringVar(&f.effort, "reasoning-effort", "", "reasoning effort for models that reason: minimal, low, medium or high")
	cmd.Flags().StringVar(&f.replay, "replay", "", "answer prompts with a recorded SSE stream (a file from testdata/streams)")
	cmd.Flags().StringVar(&f.theme, "theme", "", "colour theme: "+fmt.Sprint(themes.Names())+" (default follows the terminal)")
	cmd.Flags().StringVarP(&f.prompt, "prompt", "p", "", "one-shot: send `PROMPT` (with piped stdin appended), print the reply, exit; -p may come first, the prompt after the flags")
	cmd.Flags().StringArrayVarP(&f.files, "file", "f", nil, "attach `FILE` to the prompt: text, an image (PNG, JPEG, WebP, GIF) or a PDF; repeatable; - reads standard input")
	addSessionFlags(cmd, &f.sessions)
	cmd.Flags().BoolVar(&f.yolo, "yolo", false, "run every tool call without asking")
	cmd.Flags().BoolVar(&f.webSearch, "web-search", false, "offer the server's hosted web search (Responses API)")
	cmd.Flags().IntVar(&f.maxSteps, "max-steps", ui.DefaultMaxSteps, "most tool rounds one prompt may take")
	cmd.Flags().StringVar(&f.maxReplySize, "max-reply-size", "", "largest reply (text, reasoning and tool arguments together), e.g. 4MiB; a longer one is cut there and kept (default 4MiB)")
	cmd.Flags().StringVar(&f.stallTimeout, "stall-timeout", "", "end a stream silent this long, e.g. 90s; 0 never does (default 120s)")
	cmd.Flags().StringVar(&f.maxAttachmentSize, "max-attachment-size", "", "largest file -f attaches, e.g. 5MiB (default the APIs' own limits per kind)")
	cmd.Flags().BoolVar(&f.noMouse, "no-mouse", false, "leave the mouse to the terminal (its own selection and scrolling)")
}

// backend is where the chat's requests go, and what to close at exit.
type backend struct {
	*setup
	// webSearch offers the server's hosted search (decideWebSearch).
	webSearch bool
	client    *stream.Client
	cfg       stream.Config // the client's, for a caller that needs one of its own
	key       string        // never stored or logged; the store and log redact it
	model     string
	notice    string
	close     func()
	// attachments are the chat's -f files, read and checked, for the
	// first prompt.
	attachments []attach.Attachment
}

// resolveBackend picks the server from the settings: a replay file or the
// demo backend run in-process on loopback (through the same HTTP and SSE
// path as a real server), or the configured provider, whose key it reads
// (running api_key_cmd if that is where the key is). Its client logs to
// logger (nil: nowhere).
func resolveBackend(ctx context.Context, f chatFlags, getenv func(string) string, logger *slog.Logger) (*backend, error) {
	st, err := loadSetup(f, getenv)
	if err != nil {
		return nil, err
	}
	s := st.settings
	if s.Demo || s.Replay != "" {
		if err := checkReplay(s.Replay); err != nil {
			return nil, err
		}
		srv, err := mock.New(mock.Options{Speed: 1, Replay: s.Replay})
		if err != nil {
			return nil, usageError{errors.New(strings.TrimPrefix(err.Error(), "mock: "))}
		}
		url, err := srv.Start("127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		cfg := st.withLimits(withLogging(stream.Config{BaseURL: url, API: s.API}, logger))
		b := &backend{
			setup:  st,
			client: stream.NewClient(cfg), cfg: cfg,
			model: cmp.Or(s.Model, demoModel),
			close: func() { srv.Close() },
		}
		if s.Replay != "" {
			b.notice = "Replaying " + s.Replay + " for every prompt"
			// Name the model the recording answers as, so the status bar
			// and the reply header agree.
			b.model = cmp.Or(srv.ReplayModel(), b.model)
		}
		return b, nil
	}
	cfg, err := s.ClientConfig(ctx)
	if err != nil {
		return nil, usageError{err}
	}
	cfg = st.withLimits(withLogging(cfg, logger))
	return &backend{setup: st, client: stream.NewClient(cfg), cfg: cfg, model: s.Model, key: cfg.APIKey, close: func() {}}, nil
}

// commandContext is the command's context, or Background when it has
// none (a command run directly in a test).
func commandContext(cmd *cobra.Command) context.Context {
	if ctx := cmd.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

// openBackend is the start the chat and one-shot modes share: the log,
// then the backend. done closes both.
func openBackend(cmd *cobra.Command, f chatFlags) (context.Context, *slog.Logger, *backend, func(), error) {
	ctx := commandContext(cmd)
	logger, closeLog, err := setupLogging(cmd, os.Getenv)
	if err != nil {
		return nil, nil, nil, nil, err
	}
	b, err := resolveBackend(ctx, f, os.Getenv, logger)
	if err != nil {
		closeLog()
		return nil, nil, nil, nil, err
	}
	if err := b.decideWebSearch(f.webSearch); err != nil {
		b.close()
		closeLog()
		return nil, nil, nil, nil, err
	}
	logBackend(logger, b)
	return ctx, logger, b, func() { b.close(); closeLog() }, nil
}

// runChat runs the full-screen chat until the user quits.
func runChat(cmd *cobra.Command, f chatFlags, args []string) error {
	if cmd.Flags().Changed("prompt") {
		return runOneShot(cmd, f, promptText(f.prompt, args))
	}
	if dumbTerminal(os.Getenv) {
		return errDumbTerminal
	}
	ctx, logger, b, done, err := openBackend(cmd, f)
	if err != nil {
		return err
	}
	defer done()
	files, err := loadAttachments(f.files, "", cmd.InOrStdin(), b.attachLimits())
	if err != nil {
		return usageError{err}
	}
	// Checked against the model the chat starts with; the chat checks
	// again when it sends (model.Conversation.CheckSend), the model may
	// have changed by then.
	var none model.Conversation
	if err := none.CheckSend(b.attachTarget("", b.model), files.atts); err != nil {
		return usageError{err}
	}
	b.attachments = files.atts
	for _, w := range b.warnings {
		fmt.Fprintln(cmd.ErrOrStderr(), "parley: warning:", w)
	}
	// Retries are announced to the status bar, which counts them down;
	// the client never waits for the screen.
	retries := make(chan stream.Retry, 8)
	onRetry := func(r stream.Retry) {
		select {
		case retries <- r:
		default:
		}
	}
	cfg := b.cfg
	cfg.OnRetry = onRetry
	b.client = stream.NewClient(cfg)
	s := b.settings
	deps := ui.Deps{
		Client: b.client, Model: b.model, Effort: s.Effort, Demo: s.Demo,
		Notice: b.notice, Theme: s.Theme, Palette: b.palette, Instructions: s.Instructions,
		Catalog: b.catalog, Keys: &b.keys,
		Yolo: f.yolo, WebSearch: b.webSearch, MaxSteps: f.maxSteps, Role: s.Role,
		Retries: retries, Mouse: s.Mouse,
		Attachments: b.attachments, AttachTarget: b.attachTarget, AttachLimits: b.attachLimits(),
		HistoryReadOnly: f.sessions.noSave,
	}
	if p, err := history.Path(os.Getenv); err == nil {
		deps.History = history.Open(p, history.Limits{})
	}
	for _, name := range sortedRoleNames(s.Roles) {
		r := s.Roles[name]
		deps.Roles = append(deps.Roles, ui.RoleOption{Name: name, Description: r.Description, Prompt: r.Prompt})
	}
	if deps.Notice == "" && len(b.warnings) > 0 {
		deps.Notice = "Warning: " + b.warnings[0]
	}
	closeTools := setupTools(ctx, cmd.ErrOrStderr(), &deps, s)
	defer closeTools()
	st, err := openSessionStore(f.sessions)
	var usage usageError
	switch {
	case errors.As(err, &usage):
		return err
	case errors.Is(err, store.ErrReadOnly): // nothing to read either: it cannot even be created
		deps.NotSaved = notSavedNotice(err)
	case err != nil:
		// The chat still runs; it just is not saved.
		fmt.Fprintln(cmd.ErrOrStderr(), "parley: warning: sessions will not be saved:", err)
		deps.NotSaved = "Sessions are not saved: " + sanitize.Text(err.Error())
	case st != nil:
		defer st.Close()
		if b.key != "" {
			st.Redact(b.key)
		}
		deps.Store, deps.Dir, deps.Logger = st, workingDir(), logger
		if ro := st.ReadOnly(); ro != nil {
			deps.NotSaved = notSavedNotice(ro)
		}
		if deps.Open, err = resolveOpen(ctx, st, f.sessions); err != nil {
			return err
		}
		restoreChoices(ctx, st, b, deps.Open)
		applyChoices(&deps, b)
	}
	if f.sessions.continued || f.sessions.session != "" {
		if deps.Store == nil {
			return errors.New("cannot reopen a session without the session database")
		}
	}
	if !s.Demo && s.Replay == "" {
		deps.Provider = s.Provider
	}
	for _, c := range s.Models() {
		deps.Models = append(deps.Models, ui.ModelOption{Provider: c.Provider, Model: c.Model, Reasoning: c.Reasoning})
	}
	if os.Getenv("TMUX") != "" {
		// What parley doctor finds of tmux's clipboard settings, asked
		// once by the chat in a command: a copy it may not pass says so.
		deps.ClipboardCheck = func() string {
			if f := checkClipboard(&tty{}, os.Getenv, true); f.level == levelWarn {
				return strings.TrimSuffix(f.reason, ": ctrl+y cannot reach the clipboard")
			}
			return ""
		}
	}
	deps.ClientFor = func(provider string) (ui.Streamer, error) {
		cfg, err := s.ProviderConfig(context.Background(), provider)
		if err != nil {
			return nil, err
		}
		cfg = b.withLimits(withLogging(cfg, logger))
		cfg.OnRetry = onRetry
		return stream.NewClient(cfg), nil
	}
	return runProgram(cmd, ui.New(deps), files.stdin)
}

func sortedRoleNames(roles map[string]config.Role) []string {
	names := make([]string, 0, len(roles))
	for n := range roles {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// decideWebSearch settles whether requests offer hosted web search: asked
// for by --web-search or the file's web_search, and only where the server
// has it (Chat Completions servers other than OpenAI's do not). Asked for
// on the command line where it cannot work is a usage error; from the file,
// a warning, so one setting does not stop every other provider.
func (b *backend) decideWebSearch(flag bool) error {
	asked := flag || b.settings.File.WebSearch
	if !asked || b.client.CanWebSearch() {
		b.webSearch = asked
		return nil
	}
	why := "this server (" + string(b.settings.API) + " API at " + b.client.Endpoint() + ") has no hosted web search: only the Responses API and OpenAI's own Chat Completions offer it"
	if flag {
		return usageError{errors.New("--web-search: " + why)}
	}
	b.warnings = append(b.warnings, "web_search is set in the config file, but "+why+"; searching is off")
	return nil
}
