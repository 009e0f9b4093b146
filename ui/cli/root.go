// Package cli holds Parley's command line: the cobra command tree, flag
// parsing and the exit codes. Each subcommand lives in its own file.
package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
)

// Exit codes. A usage error (bad flag, unreadable input) is 2, as for most
// Unix tools; any other failure is 1.
const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// usageError marks an error that is the caller's fault (bad flags, a file
// that cannot be read), so Execute can return exitUsage for it.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// NewRoot builds the command tree. It takes the standard streams so tests can
// run commands in-process.
func NewRoot(stdin io.Reader, stdout, stderr io.Writer) *cobra.Command {
	root := &cobra.Command{
		Use:           "parley",
		Short:         "A terminal chat client for large language models",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error {
		return usageError{err}
	})
	root.AddCommand(
		newDecodeCmd(),
	)
	return root
}

// Execute runs the command line and returns the process exit code.
func Execute(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := NewRoot(stdin, stdout, stderr)
	root.SetArgs(args)
	err := root.Execute()
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "parley:", err)
	var ue usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitError
}
