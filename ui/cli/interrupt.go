package cli

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"syscall"
)

// interruptedBy is the cause of a context cancelled by a signal.
type interruptedBy struct{ sig os.Signal }

func (i interruptedBy) Error() string { return "interrupted by " + i.sig.String() }

// InterruptContext is the context main runs the command line with: the
// first SIGINT or SIGTERM cancels it, so a command stops what it is doing,
// keeps what it finished (a one-shot reply's text, the session) and exits
// 130 (143 for SIGTERM). A second signal is not caught: it ends the
// process at once, for a command that does not stop. stop releases the
// signals.
func InterruptContext() (ctx context.Context, stop func()) {
	ctx, cancel := context.WithCancelCause(context.Background())
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case sig := <-ch:
			signal.Stop(ch)
			cancel(interruptedBy{sig})
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(ch); cancel(nil) }
}

// interruptCode is the exit code for a command whose context was
// cancelled: 128 plus the signal's number, as shells report a process
// the signal ended; 130 (SIGINT) when the cause is not a signal.
func interruptCode(ctx context.Context) int {
	var by interruptedBy
	if errors.As(context.Cause(ctx), &by) {
		if s, ok := by.sig.(syscall.Signal); ok && s == syscall.SIGTERM {
			return 128 + int(syscall.SIGTERM)
		}
	}
	return exitInterrupted
}
