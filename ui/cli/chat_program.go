package cli

import (
	"errors"
	"io"
	"os"

	tea "charm.land/bubbletea/v2"
	"github.com/spf13/cobra"
)

// runProgram runs the chat's model full screen on the command's streams
// until the user quits. When stdin was read for an attachment (-f -),
// Bubble Tea reads keys from the terminal (/dev/tty) instead. Colour follows colourEnviron (NO_COLOR). A panic
// is caught by crashGuard (the terminal is restored, the program quits)
// and returned as crashError; a cancelled context (a signal) is returned
// as its error, which ExecuteContext reports as interrupted.
func runProgram(cmd *cobra.Command, m tea.Model, stdinRead bool) error {
	stopProfile, err := startProfile(os.Getenv)
	if err != nil {
		return err
	}
	defer stopProfile()
	oneProc(os.Getenv)
	guard := newCrashGuard(m, os.Getenv("PARLEY_TEST_PANIC"))
	opts := []tea.ProgramOption{
		tea.WithContext(cmd.Context()),
		tea.WithEnvironment(colourEnviron(os.Environ())),
		tea.WithFPS(rendererFPS),
	}
	if in, ok := cmd.InOrStdin().(*os.File); ok && !stdinRead {
		opts = append(opts, tea.WithInput(in))
	}
	if out, ok := cmd.OutOrStdout().(io.Writer); ok {
		opts = append(opts, tea.WithOutput(out))
	}
	p := tea.NewProgram(guard, opts...)
	guard.rec.quit = p.Quit
	_, err = p.Run()
	if c, ok := guard.caught(); ok {
		return c
	}
	switch {
	case errors.Is(err, tea.ErrProgramPanic):
		// Bubble Tea caught it, outside the guard, and printed the trace.
		return crashError{value: "a panic inside the terminal interface (the trace is above)"}
	case errors.Is(err, tea.ErrInterrupted):
		return interruptedBy{os.Interrupt} // its handler saw SIGINT first
	case errors.Is(err, tea.ErrProgramKilled):
		if ctx := cmd.Context(); ctx != nil && ctx.Err() != nil {
			return ctx.Err() // a signal: ExecuteContext says interrupted
		}
		return nil
	}
	return err
}
