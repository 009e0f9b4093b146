package cli

import (
	"errors"
	"fmt"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui"
)

// demoModel is the model name the offline demo backend answers as.
const demoModel = "parley-mock-1"

// chatFlags are the root command's flags: how to reach a model.
type chatFlags struct {
	model, baseURL, api, effort, replay, theme string
}

func addChatFlags(cmd *cobra.Command, f *chatFlags) {
	cmd.Flags().StringVarP(&f.model, "model", "m", "", "model to ask (default gpt-5-mini, or the demo model)")
	cmd.Flags().StringVar(&f.baseURL, "base-url", "", "server base URL (default $OPENAI_BASE_URL, else https://api.openai.com/v1)")
	cmd.Flags().StringVar(&f.api, "api", "responses", "wire API: responses or chat (Chat Completions)")
	cmd.Flags().StringVar(&f.effort, "reasoning-effort", "", "reasoning effort for models that reason: minimal, low, medium or high")
	cmd.Flags().StringVar(&f.replay, "replay", "", "answer prompts with a recorded SSE stream (a file from testdata/streams)")
	cmd.Flags().StringVar(&f.theme, "theme", "", "colour theme: "+fmt.Sprint(themes.Names())+" (default follows the terminal)")
}

// backend is where the chat's requests go, and what to close at exit.
type backend struct {
	client *stream.Client
	model  string
	demo   bool
	notice string
	close  func()
}

// resolveBackend picks the server: a replay file or the demo backend run
// in-process on loopback (through the same HTTP and SSE path as a real
// server), or the configured one. With no key and no base URL there is
// nothing real to talk to, so the demo answers.
func resolveBackend(f chatFlags, getenv func(string) string) (*backend, error) {
	api := stream.API(f.api)
	if api != stream.APIResponses && api != stream.APIChat {
		return nil, usageError{fmt.Errorf("--api must be responses or chat, not %q", f.api)}
	}
	switch f.effort {
	case "", "minimal", "low", "medium", "high":
	default:
		return nil, usageError{fmt.Errorf("--reasoning-effort must be minimal, low, medium or high, not %q", f.effort)}
	}
	key := getenv("OPENAI_API_KEY")
	base := f.baseURL
	if base == "" {
		base = getenv("OPENAI_BASE_URL")
	}
	if f.replay != "" || (key == "" && base == "") {
		opts := mock.Options{Speed: 1, Replay: f.replay}
		srv, err := mock.New(opts)
		if err != nil {
			return nil, usageError{err}
		}
		url, err := srv.Start("127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		b := &backend{
			client: stream.NewClient(stream.Config{BaseURL: url, API: api}),
			model:  orDefault(f.model, demoModel),
			demo:   f.replay == "",
			close:  func() { srv.Close() },
		}
		if f.replay != "" {
			b.notice = "Replaying " + f.replay + " for every prompt"
		}
		return b, nil
	}
	if base == "" {
		base = "https://api.openai.com/v1"
	}
	return &backend{
		client: stream.NewClient(stream.Config{BaseURL: base, APIKey: key, API: api}),
		model:  orDefault(f.model, "gpt-5-mini"),
		close:  func() {},
	}, nil
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// runChat runs the full-screen chat until the user quits.
func runChat(cmd *cobra.Command, f chatFlags) error {
	if f.theme != "" {
		if _, err := themes.ByName(f.theme); err != nil {
			return usageError{err}
		}
	}
	b, err := resolveBackend(f, os.Getenv)
	if err != nil {
		return err
	}
	defer b.close()
	m := ui.New(ui.Deps{
		Client: b.client, Model: b.model, Effort: f.effort, Demo: b.demo,
		Notice: b.notice, Theme: f.theme,
	})
	opts := []tea.ProgramOption{tea.WithContext(cmd.Context())}
	if in, ok := cmd.InOrStdin().(*os.File); ok {
		opts = append(opts, tea.WithInput(in))
	}
	if out, ok := cmd.OutOrStdout().(io.Writer); ok {
		opts = append(opts, tea.WithOutput(out))
	}
	_, err = tea.NewProgram(m, opts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) || errors.Is(err, tea.ErrInterrupted) {
		return nil
	}
	return err
}
