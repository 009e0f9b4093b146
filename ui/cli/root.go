// Package cli holds Parley's command line: the cobra command tree, flag
// parsing and the exit codes. Each subcommand lives in its own file.
package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"
)

// Exit codes. A usage error (bad flag, unreadable input, a broken config)
// is 2, as for most Unix tools; any other failure is 1. One-shot mode adds
// 3 for an answer that arrived incomplete; 130 (128+SIGINT, as shells
// report it) is an interrupted command; 70 (EX_SOFTWARE) is a crash.
const (
	exitOK          = 0
	exitError       = 1
	exitUsage       = 2
	exitIncomplete  = 3
	exitCrash       = 70
	exitInterrupted = 130
)

// usageError marks an error that is the caller's fault (bad flags, a file
// that cannot be read), so Execute can return exitUsage for it.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// incompleteError is an answer that arrived, but not whole: its note is
// the one line on stderr, and the exit code is exitIncomplete.
type incompleteError struct{ note string }

func (e incompleteError) Error() string { return e.note }

// NewRoot builds the command tree. It takes the standard streams so tests can
// run commands in-process.
func NewRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	var flags chatFlags
	root := &cobra.Command{
		Use:   "parley",
		Short: "A terminal chat client for large language models",
		Long: `Parley is a terminal chat client for large language models. It streams replies from the
OpenAI Responses API, or any Chat Completions server (--api chat), renders their markdown as it
arrives, and shows the model's reasoning, its tool calls and its token usage.

--provider picks a server: a preset (openai, azure, openrouter, groq, deepseek, ollama, vllm,
lmstudio, llamacpp) or a provider from the config file (see parley config). With none, and
OPENAI_API_KEY set, it talks to OPENAI_BASE_URL (default https://api.openai.com/v1); with neither
a key nor a base URL it runs the built-in offline demo backend.

Flags win over environment variables (PARLEY_PROVIDER, PARLEY_MODEL, PARLEY_BASE_URL, PARLEY_API,
PARLEY_REASONING_EFFORT, PARLEY_ROLE, PARLEY_THEME, PARLEY_CONFIG, and OpenAI's OPENAI_API_KEY,
OPENAI_BASE_URL, OPENAI_ORG_ID, OPENAI_PROJECT_ID), which win over the config file.

-p answers one prompt and exits: 0 answered, 1 failed, 2 usage or config
error, 3 incomplete answer, 130 interrupted.`,
		Example: `  parley                                   # chat (demo backend without OPENAI_API_KEY)
  parley -m gpt-5 --reasoning-effort high
  parley --provider ollama -m llama3.2
  parley --api chat --base-url http://localhost:11434/v1 -m llama3.2
  parley --role reviewer                   # a role from the config file
  parley --replay testdata/streams/responses-web-search-1.sse
  git diff | parley -p "review this"       # one-shot
  parley -p -f notes.txt -f pic.png "what are these"
  parley -p "summarise @docs/design.md"    # @path attaches a file`,
		Args:          rootArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       versionText(),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runChat(cmd, flags, args)
		},
	}
	root.SetVersionTemplate("{{.Version}}")
	addChatFlags(root, &flags)
	addDebugFlag(root)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{err}
	})
	root.AddCommand(
		newConfigCmd(&flags),
		newDecodeCmd(),
		newMockServerCmd(),
		newModelsCmd(&flags),
		newDoctorCmd(&flags),
		newSessionsCmd(),
	)
	return root
}

// Execute runs the command line and returns the process exit code.
func Execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return ExecuteContext(context.Background(), args, stdin, stdout, stderr)
}

// ExecuteContext is Execute with a context whose cancellation means the
// user interrupted the command (InterruptContext): what it was doing
// stops, what it had finished is kept, and the exit code is 130.
//
// Every error line goes through serverText on its way to stderr: many
// carry a server's words, which may echo a key or hold escape sequences.
// A panic is caught here too: its trace goes to the log and stderr gets
// one line (crash.go).
func ExecuteContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	defer func() {
		if r := recover(); r != nil {
			code = reportCrash(stderr, r, stackTrace())
		}
	}()
	root := NewRoot(stdin, stdout, stderr)
	root.SetArgs(movePrompt(rootFlags(root), args))
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	var crash crashError
	if errors.As(err, &crash) {
		return reportCrash(stderr, crash.value, crash.trace)
	}
	var by interruptedBy
	if ctx.Err() != nil || errors.As(err, &by) {
		fmt.Fprintln(stderr, "parley: interrupted")
		return interruptCode(ctx)
	}
	for _, line := range strings.Split(err.Error(), "\n") { // a config error has one line per problem
		fmt.Fprintln(stderr, "parley:", serverText(line))
	}
	var ue usageError
	var ie incompleteError
	switch {
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ie):
		return exitIncomplete
	}
	return exitError
}
