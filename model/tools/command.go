package tools

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"

	"github.com/parley-tui/parley/model/proc"
	"github.com/parley-tui/parley/stream"
)

// DefaultMaxOutput caps what a command's output may send back to the model.
const DefaultMaxOutput = 64 << 10

// CommandSpec declares a local command tool.
type CommandSpec struct {
	Spec stream.ToolSpec
	// Argv runs without a shell; a user who wants one writes sh -c.
	Argv      []string
	Dir       string
	Timeout   time.Duration
	MaxOutput int
	// The command's environment is proc.Environ's: a small default set
	// from Parley's, the variables PassEnv names, and Env (KEY=value).
	PassEnv []string
	Env     []string
}

// Command makes a tool that runs a local command: the call's arguments go
// to its stdin as JSON, its stdout is the result. A non-zero exit or a
// timeout is a failed call whose result says so first, then gives its
// stderr (or its stdout when stderr is empty).
func Command(c CommandSpec) Tool {
	if c.MaxOutput <= 0 {
		c.MaxOutput = DefaultMaxOutput
	}
	return Tool{Spec: c.Spec, Run: func(ctx context.Context, args string) Result {
		return runCommand(ctx, c, args)
	}}
}

func runCommand(ctx context.Context, c CommandSpec, args string) Result {
	if len(c.Argv) == 0 {
		return Result{Output: "The tool has no command configured.", Failed: true}
	}
	if c.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.Timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, c.Argv[0], c.Argv[1:]...)
	cmd.Dir = c.Dir
	cmd.Env = proc.Environ(os.Environ(), c.PassEnv, c.Env)
	cmd.Stdin = strings.NewReader(args)
	stdout := &capped{max: c.MaxOutput}
	stderr := &capped{max: c.MaxOutput}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// A group of its own, so a cancel ends the children it started too.
	group := proc.NewGroup(cmd)
	cmd.Cancel = func() error { group.Kill(); return nil }
	cmd.WaitDelay = time.Second
	err := cmd.Start()
	if err == nil {
		group.Started()
		err = cmd.Wait()
		group.Release()
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return Result{Output: fmt.Sprintf("Error: the command timed out after %s.%s", c.Timeout, tail("stderr", stderr)), Failed: true}
	case ctx.Err() != nil:
		return Result{Output: Cancelled, Failed: true}
	case err != nil:
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			out := stderr.String()
			if strings.TrimSpace(out) == "" {
				out = stdout.String()
			}
			return Result{Output: fmt.Sprintf("Error: the command exited with status %d.\n%s", exit.ExitCode(), out), Failed: true}
		}
		return Result{Output: "Error: the command could not run: " + err.Error(), Failed: true}
	}
	return Result{Output: stdout.String()}
}

// Cap cuts s to limit bytes (DefaultMaxOutput when limit <= 0) and says
// how many more there were, as a command's output is cut.
func Cap(s string, limit int) string {
	if limit <= 0 {
		limit = DefaultMaxOutput
	}
	c := &capped{max: limit}
	c.Write([]byte(s))
	return c.String()
}

func tail(name string, c *capped) string {
	if c.buf.Len() == 0 {
		return ""
	}
	return "\n" + name + ":\n" + c.String()
}

// capped keeps the first max bytes and says how many more there were, so
// the model knows the output was cut.
type capped struct {
	buf     bytes.Buffer
	max     int
	dropped int
}

func (c *capped) Write(p []byte) (int, error) {
	room := c.max - c.buf.Len()
	if room > 0 {
		c.buf.Write(p[:min(room, len(p))])
	}
	if len(p) > room {
		c.dropped += len(p) - max(room, 0)
	}
	return len(p), nil
}

func (c *capped) String() string {
	if c.dropped == 0 {
		return c.buf.String()
	}
	return fmt.Sprintf("%s\n[output cut at %d bytes; %d more bytes were dropped]", c.buf.String(), c.max, c.dropped)
}
