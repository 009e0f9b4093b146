package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/ui/sanitize"
)

// deniedOutput is what the model is told of a call -p did not run.
const deniedOutput = "The call was not run: Parley is running non-interactively (parley -p), where only " +
	"tools the user pre-approved run, and this one is not pre-approved. Answer without it, or say what it would have done."

// maxShownArgs bounds the arguments quoted in a denial on stderr.
const maxShownArgs = 200

// runTools runs the reply's calls that are approved, all at once, denies
// the rest (saying so on stderr), and adds every result to the
// conversation and the session, as the chat does. A cancel (a signal)
// ends the running calls; their results say so.
func (o *oneShot) runTools(ctx context.Context, reply *model.Message) {
	calls := reply.Turn.ToolCalls
	results := make([]tools.Result, len(calls))
	var running runningCalls
	var approved []int
	for i, c := range calls {
		if !o.approve(c.Name) {
			results[i] = tools.Result{Output: deniedOutput, Failed: true}
			o.prog.println(fmt.Sprintf("parley: denied %s %s: -p runs only pre-approved tools; %s",
				sanitize.Text(c.Name), shownArgs(c.Arguments), o.allowHint(c.Name)))
			continue
		}
		approved = append(approved, i)
		running.add(i, sanitize.Text(c.Name))
	}
	o.prog.set(running.text())
	var wg sync.WaitGroup
	for _, i := range approved {
		c := calls[i]
		wg.Go(func() {
			results[i] = o.tools.Call(ctx, c.Name, c.Arguments)
			running.done(i, func(name, now string) {
				o.prog.finished(name, results[i].Failed)
				o.prog.set(now)
			})
		})
	}
	wg.Wait()
	var msgs []*model.Message
	for i, c := range calls {
		r := results[i]
		msgs = append(msgs, o.conv.AddToolResult(c.CallID, c.Name, r.Output, c.Type == "custom_tool_call", r.Failed, r.Duration))
	}
	if o.w != nil {
		o.w.ToolResults(reply, msgs)
	}
}

// runningCalls is what -p's progress line says runs, as calls end in
// any order.
type runningCalls struct {
	mu    sync.Mutex
	calls []int // indexes into the reply's calls, in order
	names map[int]string
}

func (r *runningCalls) add(i int, name string) {
	if r.names == nil {
		r.names = map[int]string{}
	}
	r.calls = append(r.calls, i)
	r.names[i] = name
}

// done takes call i off the list and tells show its name and what the
// line says now, under the lock, so two calls ending at once are shown
// in the order they ended.
func (r *runningCalls) done(i int, show func(name, now string)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.calls = slices.DeleteFunc(r.calls, func(c int) bool { return c == i })
	show(r.names[i], r.text())
}

// text is "running calculator, weather", or "" when none runs. Callers
// of done hold mu; add comes before any call starts.
func (r *runningCalls) text() string {
	if len(r.calls) == 0 {
		return ""
	}
	names := make([]string, len(r.calls))
	for k, i := range r.calls {
		names[k] = r.names[i]
	}
	return "running " + strings.Join(names, ", ")
}

// shownArgs is a call's arguments as stderr quotes them: one line, safe
// for the terminal, cut short.
func shownArgs(args string) string {
	s := strings.Join(strings.Fields(serverText(args)), " ")
	if r := []rune(s); len(r) > maxShownArgs {
		s = string(r[:maxShownArgs]) + "…"
	}
	return s
}

// allowHint says how to let a denied call run next time: the config
// setting that pre-approves the tool, or --yolo.
func allowHint(s *config.Settings, name string) string {
	if _, ok := s.Tools[name]; ok {
		return fmt.Sprintf("to allow it, set approve = true under [tools.%s] in the config, or pass --yolo", name)
	}
	if server, tool, ok := strings.Cut(name, "__"); ok {
		if _, ok := s.MCP[server]; ok {
			return fmt.Sprintf("to allow it, add %q to approve under [mcp.%s] in the config, or pass --yolo", sanitize.Text(tool), server)
		}
	}
	return "pass --yolo to run every call"
}
