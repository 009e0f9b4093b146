package cli

import (
	"context"
	"fmt"
	"math"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/stream/mock"
)

func newMockServerCmd() *cobra.Command {
	var (
		addr    string
		speed   float64
		instant bool
		replay  string
		fault   string
		reqLog  string
	)
	cmd := &cobra.Command{
		Use:   "mock-server",
		Short: "Serve scripted OpenAI-compatible streams on loopback, for demos and tests",
		Long: `Mock-server runs a local HTTP server that speaks the OpenAI Responses and Chat
Completions streaming APIs with scripted replies: rich markdown, reasoning summaries and
parallel tool calls. Model names of the form fault:KIND inject failures (fault:429,
fault:500x1, fault:drop, fault:stall, fault:malformed, fault:error-event, ...), and
--fault KIND gives every request one, /v1/models included.

Hostile faults, to see that a client stays safe against a server that misbehaves:
  args-changed  a call whose final arguments differ from those that streamed
  reused-ids    calls that reuse an earlier call's item id and call id
  endless       a reply that never ends, at full speed
  hugeline      one 200 MB SSE line
  echo-auth     a 401 whose message repeats the request's Authorization header
  escapes       terminal escapes in every field (text, reasoning, tool name and
                arguments, citations, model ids, errors)

Attachments (fenced text files, images and PDFs as data URLs, on either API) get a
reply that says what each one is: name, kind, size, lines, pixels, pages.
--request-log FILE appends every request to FILE as a line of JSON (method, path,
body, the attachments read from it; never the headers), to see what a client sent.

The first line on stdout is the base URL; point a client at it and stop the server
with Ctrl-C.`,
		Example: `  parley mock-server
  parley mock-server --addr 127.0.0.1:8080 --speed 2
  parley mock-server --replay testdata/streams/responses-text-1.sse
  parley mock-server --fault escapes   # then: parley models, parley -p hi ...
  parley mock-server --request-log requests.jsonl
  parley -m fault:args-changed         # against a running mock-server`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, _, err := net.SplitHostPort(addr); err != nil {
				return usageError{fmt.Errorf("--addr: %w", err)}
			}
			if speed <= 0 || math.IsInf(speed, 0) || math.IsNaN(speed) {
				return usageError{fmt.Errorf("--speed must be a positive number, not %v", speed)}
			}
			opts := mock.Options{Speed: speed, Instant: instant, Replay: replay, Fault: fault}
			if reqLog != "" {
				// 0600: bodies hold what users attach.
				f, err := os.OpenFile(reqLog, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
				if err != nil {
					return usageError{fmt.Errorf("--request-log: %w", err)}
				}
				defer f.Close()
				opts.RequestLog = f
			}
			srv, err := mock.New(opts)
			if err != nil {
				return usageError{err}
			}
			return serveMock(cmd, srv, addr)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:0", "address to listen on (port 0 picks a free one)")
	cmd.Flags().Float64Var(&speed, "speed", 1, "pace multiplier: 1 is realistic (~70 tokens/s), 2 twice as fast")
	cmd.Flags().BoolVar(&instant, "instant", false, "send every reply at once, without pacing")
	cmd.Flags().StringVar(&replay, "replay", "", "answer every request with this recorded SSE file")
	cmd.Flags().StringVar(&fault, "fault", "", "give every request this fault KIND, whatever its model (e.g. escapes, echo-auth)")
	cmd.Flags().StringVar(&reqLog, "request-log", "", "append every request received to this file, one JSON line each (never its headers)")
	return cmd
}

// serveMock runs srv until an interrupt, SIGTERM or the command's context
// ends, then shuts it down gracefully.
func serveMock(cmd *cobra.Command, srv *mock.Server, addr string) error {
	base, err := srv.Start(addr)
	if err != nil {
		srv.Close()
		return err
	}
	// The URL alone on stdout's first line, so scripts can read it.
	fmt.Fprintln(cmd.OutOrStdout(), base)
	fmt.Fprintf(cmd.ErrOrStderr(), "export OPENAI_BASE_URL=%s OPENAI_API_KEY=mock\n", base)

	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	<-ctx.Done()
	return srv.Close()
}
