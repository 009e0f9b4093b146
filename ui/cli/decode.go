package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/stream"
)

func newDecodeCmd() *cobra.Command {
	var api string
	var choices bool
	cmd := &cobra.Command{
		Use:   "decode [FILE|-]",
		Short: "Decode a raw SSE body and print the turn it carries, as JSON",
		Long: `Decode reads a raw server-sent-events body, as an OpenAI-compatible server sent it
(Responses API or Chat Completions), and prints the accumulated turn as one JSON object:
status, text, reasoning parts, tool calls with their final arguments, usage, and how many
frames were unknown or malformed. With --choices it prints one JSON line per decoded choice,
the values Parley's UI receives. Use it to see what a provider really sent.

It exits 0 whenever the input could be read to its end, whatever the turn's status, and 1
when the input is not a server-sent event stream at all (no data: line).`,
		Example: `  parley decode testdata/streams/responses-text-1.sse
  curl -sN https://api.openai.com/v1/responses ... | parley decode --choices -`,
		Args: usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(cmd *cobra.Command, args []string) error {
			format := stream.API(api)
			switch format {
			case stream.APIAuto, stream.APIResponses, stream.APIChat:
			default:
				return usageError{fmt.Errorf("--api must be auto, responses or chat, not %q", api)}
			}
			in, name, err := openInput(cmd, args)
			if err != nil {
				return usageError{err}
			}
			defer in.Close()
			return runDecode(cmd.OutOrStdout(), cmd.ErrOrStderr(), &errReader{r: in}, name, format, choices)
		},
	}
	cmd.Flags().StringVar(&api, "api", "auto", "wire format: auto, responses or chat")
	cmd.Flags().BoolVar(&choices, "choices", false, "print one JSON line per decoded choice instead of the turn")
	return cmd
}

// usageArgs marks argument-count errors as usage errors (exit 2).
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

func openInput(cmd *cobra.Command, args []string) (io.ReadCloser, string, error) {
	if len(args) == 0 || args[0] == "-" {
		return io.NopCloser(cmd.InOrStdin()), "standard input", nil
	}
	f, err := os.Open(args[0])
	if err != nil {
		return nil, "", fmt.Errorf("cannot decode %w", fileProblem(args[0], err))
	}
	if st, err := f.Stat(); err == nil && st.IsDir() {
		f.Close()
		return nil, "", fmt.Errorf("cannot decode %s: it is a directory", args[0])
	}
	return f, args[0], nil
}

func runDecode(stdout, stderr io.Writer, in *errReader, name string, api stream.API, choices bool) error {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	d := stream.NewDecoder(in, api, stream.WithLogger(log))
	defer d.Close()
	turn := stream.NewTurn()
	enc := json.NewEncoder(c1Escaper{stdout})
	for {
		c, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		turn.Add(c)
		if choices {
			if err := enc.Encode(c); err != nil {
				return err
			}
		}
	}
	if in.err != nil {
		return usageError{fmt.Errorf("reading %s: %w", name, in.err)}
	}
	if notSSE(d, turn) {
		return fmt.Errorf("%s is not a server-sent event stream: it has no data: line", name)
	}
	if choices {
		return nil
	}
	turn.API = d.API()
	turn.Events = d.Stats()
	enc.SetIndent("", "  ")
	return enc.Encode(turn)
}

// notSSE says the input held no SSE frame at all: the decoder found no
// data line (not even [DONE]) before the input ended.
func notSSE(d *stream.Decoder, turn *stream.Turn) bool {
	return d.Stats().Total == 0 && turn.Status == stream.StatusTruncated &&
		turn.Error != nil && turn.Error.Code == stream.CodeTruncated
}

// errReader remembers the first read error other than EOF, so a file that
// could not be read to its end is told apart from a stream that was cut.
type errReader struct {
	r   io.Reader
	err error
}

func (e *errReader) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && e.err == nil {
		e.err = err
	}
	return n, err
}

// c1Escaper writes JSON with the C1 control characters U+0080-U+009F as
// \u escapes. encoding/json escapes ESC and the other C0 controls but
// passes C1 through as UTF-8, and terminals may act on them (U+009B is
// CSI, U+009D OSC), so a hostile stream printed to a terminal could drive
// it. The JSON value is unchanged. It relies on json.Encoder writing each
// value in one Write, and on 0xC2 only ever starting a UTF-8 sequence.
type c1Escaper struct{ w io.Writer }

func (e c1Escaper) Write(p []byte) (int, error) {
	var out []byte
	last := 0
	for i := 0; i+1 < len(p); i++ {
		if p[i] == 0xC2 && p[i+1] >= 0x80 && p[i+1] <= 0x9F {
			out = append(out, p[last:i]...)
			out = fmt.Appendf(out, `\u%04x`, p[i+1])
			last = i + 2
			i++
		}
	}
	if out == nil {
		return e.w.Write(p)
	}
	if _, err := e.w.Write(append(out, p[last:]...)); err != nil {
		return 0, err
	}
	return len(p), nil
}
