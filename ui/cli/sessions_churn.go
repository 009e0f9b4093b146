package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
)

// churnFlags shape `parley sessions churn`.
type churnFlags struct {
	tag               string
	turns, perSession int
	deltas            int
	delay, interval   time.Duration
	cancelEvery       int
}

// newSessionsChurnCmd is a test aid, hidden from help: it writes sessions
// through the same store.Writer the chat uses, with replies whose text is a
// function of their prompt (churnPrompt, churnDelta), so a test can kill it
// at any moment and check what survived.
func newSessionsChurnCmd(open openStore) *cobra.Command {
	var f churnFlags
	cmd := &cobra.Command{
		Use:    "churn",
		Short:  "Test aid: write scripted sessions until killed (for crash and concurrency tests)",
		Hidden: true,
		Args:   usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.deltas < 1 || f.perSession < 1 || f.turns < 0 {
				return usageError{fmt.Errorf("--deltas and --per-session must be positive, --turns not negative")}
			}
			if f.tag == "" {
				f.tag = strconv.Itoa(os.Getpid())
			}
			st, err := open()
			if err != nil {
				return err
			}
			defer st.Close()
			return churn(cmd, st, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.tag, "tag", "", "names this writer's prompts (default the pid)")
	fl.IntVar(&f.turns, "turns", 0, "turns to write, then exit (0: until killed)")
	fl.IntVar(&f.perSession, "per-session", 3, "turns per session")
	fl.IntVar(&f.deltas, "deltas", 40, "text deltas per reply")
	fl.DurationVar(&f.delay, "delay", time.Millisecond, "pause between deltas")
	fl.DurationVar(&f.interval, "interval", store.DefaultInterval, "the writer's streaming-update interval")
	fl.IntVar(&f.cancelEvery, "cancel-every", 5, "cancel every Nth reply halfway (0: never)")
	return cmd
}

// churn prints "ready", then "streaming TAG N" once turn N's reply is
// stored as streaming and "committed TAG N" once it is finished and
// flushed: a committed turn must survive any kill that follows.
func churn(cmd *cobra.Command, st *store.Store, f churnFlags) error {
	out := cmd.OutOrStdout()
	fmt.Fprintln(out, "ready")
	var w *store.Writer
	defer func() {
		if w != nil {
			w.Close()
		}
	}()
	for n := 0; f.turns == 0 || n < f.turns; n++ {
		if n%f.perSession == 0 {
			if w != nil {
				if err := w.Close(); err != nil {
					return err
				}
			}
			w = store.NewSessionWriter(st, store.Session{Title: fmt.Sprintf("churn %s from turn %d", f.tag, n),
				Model: churnModel}, store.WithInterval(f.interval))
		}
		conv := &model.Conversation{}
		u := conv.AddUser(churnPrompt(f.tag, n, f.deltas), time.Now())
		w.UserSent(u)
		r := conv.AddAssistant(churnModel, "low", time.Now())
		cancelAt := -1
		if f.cancelEvery > 0 && n%f.cancelEvery == f.cancelEvery-1 {
			cancelAt = f.deltas / 2
		}
		for i, c := range churnChoices(f.tag, n, f.deltas) {
			if i == cancelAt {
				r.Cancelled = true
				r.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusTruncated}})
				break
			}
			r.Turn.Add(c)
			switch {
			case i == 0:
				r.FirstToken = time.Now()
				w.AssistantStarted(r)
				if err := w.Flush(); err != nil {
					return err
				}
				fmt.Fprintln(out, "streaming", f.tag, n)
			default:
				w.AssistantProgress(r)
			}
			if f.delay > 0 {
				time.Sleep(f.delay)
			}
		}
		r.Finished = time.Now()
		w.AssistantFinished(r)
		if err := w.Flush(); err != nil {
			return err
		}
		fmt.Fprintln(out, "committed", f.tag, n)
	}
	return nil
}

const churnModel = "churn-model"

func churnPrompt(tag string, n, deltas int) string {
	return fmt.Sprintf("churn %s turn %d deltas %d", tag, n, deltas)
}

// parseChurnPrompt reads back what churnPrompt wrote.
func parseChurnPrompt(p string) (tag string, n, deltas int, ok bool) {
	_, err := fmt.Sscanf(p, "churn %s turn %d deltas %d", &tag, &n, &deltas)
	return tag, n, deltas, err == nil
}

func churnDelta(tag string, n, i int) string { return fmt.Sprintf("%s.%d.%d ", tag, n, i) }

// churnChoices is turn n's reply as a stream would deliver it: reasoning,
// a tool call, the text in deltas (the first choice is text, so the reply
// starts with its first delta), then its raw item, usage and done.
func churnChoices(tag string, n, deltas int) []stream.Choice {
	var cs []stream.Choice
	for i := range deltas {
		cs = append(cs, stream.Choice{Kind: stream.KindText, Delta: churnDelta(tag, n, i)})
		if i < 3 {
			cs = append(cs, stream.Choice{Kind: stream.KindReasoning, Delta: churnDelta(tag, n, i),
				Reasoning: &stream.ReasoningRef{ItemID: "rs_1"}})
		}
		if i == 1 {
			cs = append(cs, stream.Choice{Kind: stream.KindToolDone, OutputIndex: 1, Tool: &stream.ToolRef{
				ItemID: "fc_1", CallID: "call_" + strconv.Itoa(n), Name: "lookup", Kind: stream.ToolFunction,
				Arguments: churnArgs(n)}})
		}
	}
	text := churnText(tag, n, deltas)
	item, _ := json.Marshal(map[string]any{"type": "message", "role": "assistant",
		"content": []any{map[string]any{"type": "output_text", "text": text}}})
	return append(cs,
		stream.Choice{Kind: stream.KindItem, Item: item},
		stream.Choice{Kind: stream.KindUsage, Usage: &stream.Usage{Input: 10, Output: deltas, Total: 10 + deltas}},
		stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}},
	)
}

func churnText(tag string, n, deltas int) string {
	s := ""
	for i := range deltas {
		s += churnDelta(tag, n, i)
	}
	return s
}

func churnArgs(n int) string { return fmt.Sprintf(`{"turn":%d}`, n) }
