package chat

import (
	"context"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
)

// The tool phase, driven without a screen: calls streamed by hand, their
// runs fed back as their commands return them.

// recorder is a tool that records the arguments it ran with.
type recorder struct {
	mu   sync.Mutex
	args []string
}

func (r *recorder) tool(name string) tools.Tool {
	return tools.Tool{Spec: stream.ToolSpec{Name: name}, Run: func(_ context.Context, args string) tools.Result {
		r.mu.Lock()
		r.args = append(r.args, args)
		r.mu.Unlock()
		return tools.Result{Output: "ok " + name}
	}}
}

// runAll runs a command's batch and feeds back what it returns, except
// ticks and requests (which never answer here).
func runAll(t *testing.T, c *Controller, cmd tea.Cmd) {
	t.Helper()
	var msgs []tea.Msg
	var collect func(tea.Cmd)
	collect = func(cmd tea.Cmd) {
		if cmd == nil {
			return
		}
		ch := make(chan tea.Msg, 1)
		go func() { ch <- cmd() }()
		select {
		case msg := <-ch:
			if b, ok := msg.(tea.BatchMsg); ok {
				for _, x := range b {
					collect(x)
				}
				return
			}
			msgs = append(msgs, msg)
		case <-time.After(100 * time.Millisecond): // a tick or a request
		}
	}
	collect(cmd)
	for _, msg := range msgs {
		if _, ok := msg.(toolResultMsg); ok {
			next, _ := c.Handle(msg)
			runAll(t, c, next)
		}
	}
}

func call(id, callID, name string) stream.Choice {
	return stream.Choice{Kind: stream.KindToolStart, Tool: &stream.ToolRef{ItemID: id, CallID: callID, Name: name, Kind: stream.ToolFunction}}
}

func args(id, delta string) stream.Choice {
	return stream.Choice{Kind: stream.KindToolArgs, Delta: delta, Tool: &stream.ToolRef{ItemID: id}}
}

func argsDone(id, callID, name, final string) stream.Choice {
	return stream.Choice{Kind: stream.KindToolDone, Tool: &stream.ToolRef{ItemID: id, CallID: callID, Name: name, Kind: stream.ToolFunction, Arguments: final}}
}

// What runs is the final arguments, which is what the Call shows from the
// moment it can be decided; it says when they differ from what streamed.
func TestFinalArgumentsRunAndShow(t *testing.T) {
	rec := &recorder{}
	c := newController(t, Config{Tools: tools.NewRegistry(rec.tool("echo"))})
	submit(t, c, "use echo")
	feed(c, call("fc_1", "call_1", "echo"), args("fc_1", `{"msg": "hello"}`))
	first := c.Calls()[0]
	if first.Status != CallStreaming || first.Args() != `{"msg": "hello"}` {
		t.Fatalf("streaming call: %s %q", statusName(first), first.Args())
	}
	if c.Decide(first, AllowOnce) != nil {
		t.Fatal("a call was decided before its arguments were final")
	}
	final := `{"msg": "rm -rf ~ EXECUTED-FINAL"}`
	feed(c, argsDone("fc_1", "call_1", "echo", final))
	if !first.Changed() || first.Args() != final {
		t.Fatalf("final arguments not shown as changed: %q changed=%v", first.Args(), first.Changed())
	}
	feed(c, done(stream.StatusCompleted))
	pending, n := c.Pending()
	if pending != first || n != 1 || c.State() != StateApproval {
		t.Fatalf("pending %v (%d), state %s", pending, n, c.State())
	}
	shown := pending.Args()
	runAll(t, c, c.Decide(pending, AllowOnce))
	if len(rec.args) != 1 || rec.args[0] != shown || shown != final {
		t.Fatalf("ran with %q, showed %q", rec.args, shown)
	}
	if first.Status != CallDone || first.Output != "ok echo" {
		t.Fatalf("after the run: %s %q", statusName(first), first.Output)
	}
}

// A reused item or call id, in one turn or a later one, makes a new Call.
func TestReusedIDsMakeNewCalls(t *testing.T) {
	rec := &recorder{}
	c := newController(t, Config{Tools: tools.NewRegistry(rec.tool("echo")), Yolo: true})
	submit(t, c, "go")
	feed(c, call("fc_1", "call_1", "echo"), args("fc_1", `{"n":1}`), argsDone("fc_1", "call_1", "echo", `{"n":1}`),
		call("fc_1", "call_1", "echo"), args("fc_1", `{"n":2}`), argsDone("fc_1", "call_1", "echo", `{"n":2}`))
	if len(c.Calls()) != 2 || c.Calls()[0].Args() != `{"n":1}` || c.Calls()[1].Args() != `{"n":2}` {
		t.Fatalf("calls in one turn: %d", len(c.Calls()))
	}
	runAll(t, c, feed(c, done(stream.StatusCompleted)))
	// The next turn uses the same ids again.
	feed(c, call("fc_1", "call_1", "echo"), args("fc_1", `{"n":3}`))
	calls := c.Calls()
	if len(calls) != 3 || calls[2].Turn == calls[0].Turn || calls[2].Args() != `{"n":3}` || calls[2].Output != "" {
		t.Fatalf("calls across turns: %d, last %q %q", len(calls), calls[len(calls)-1].Args(), calls[len(calls)-1].Output)
	}
	if calls[0].Args() != `{"n":1}` {
		t.Fatalf("an old call changed: %q", calls[0].Args())
	}
}

func TestDenyAndSessionApprovalScope(t *testing.T) {
	rec := &recorder{}
	st, err := store.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := newController(t, Config{Tools: tools.NewRegistry(rec.tool("a"), rec.tool("b")), Store: st})
	submit(t, c, "go")
	cmd := feed(c, call("fc_1", "c1", "a"), argsDone("fc_1", "c1", "a", `{}`), call("fc_2", "c2", "a"), argsDone("fc_2", "c2", "a", `{}`),
		call("fc_3", "c3", "b"), argsDone("fc_3", "c3", "b", `{}`), done(stream.StatusCompleted))
	runAll(t, c, cmd)
	if _, n := c.Pending(); n != 3 {
		t.Fatalf("%d pending", n)
	}
	first, _ := c.Pending()
	runAll(t, c, c.Decide(first, AllowSession)) // both calls of a
	if _, n := c.Pending(); n != 1 {
		t.Fatalf("after allowing a for the session: %d pending", n)
	}
	if all, names := c.AutoApproved(); all || !slices.Equal(names, []string{"a"}) {
		t.Fatalf("auto-approved %v %v", all, names)
	}
	last, _ := c.Pending()
	runAll(t, c, c.Decide(last, Deny))
	if last.Status != CallDenied || last.Output != DeniedOutput || len(rec.args) != 2 {
		t.Fatalf("deny: %s %q, ran %d", statusName(last), last.Output, len(rec.args))
	}
	var results []*model.Message
	for _, m := range c.Messages() {
		if m.Role == model.RoleTool {
			results = append(results, m)
		}
	}
	if len(results) != 3 || !results[2].ToolFailed || results[2].Text != DeniedOutput {
		t.Fatalf("results %+v", results)
	}
	// A new session forgets what the user allowed.
	c.Shutdown()
	c.turn = nil
	c.NewSession()
	if _, names := c.AutoApproved(); len(names) != 0 || len(c.Calls()) != 0 {
		t.Fatalf("a new session kept %v and %d calls", names, len(c.Calls()))
	}
}

func TestCancelToolsInterrupts(t *testing.T) {
	rec := &recorder{}
	c := newController(t, Config{Tools: tools.NewRegistry(rec.tool("a"))})
	submit(t, c, "go")
	feed(c, call("fc_1", "c1", "a"), argsDone("fc_1", "c1", "a", `{}`), done(stream.StatusCompleted))
	c.Cancel()
	call := c.Calls()[0]
	if c.Busy() || call.Status != CallInterrupted || call.Output != CancelledOutput || len(rec.args) != 0 || c.State() != StateCancelled {
		t.Fatalf("cancel: busy %v, %s %q, ran %d", c.Busy(), statusName(call), call.Output, len(rec.args))
	}
}

// A reply cut off while a call streamed never runs it.
func TestCutOffCallsDoNotRun(t *testing.T) {
	c := newController(t, Config{Tools: tools.NewRegistry((&recorder{}).tool("a"))})
	submit(t, c, "go")
	feed(c, call("fc_1", "c1", "a"), args("fc_1", `{"x":`), stream.Choice{Kind: stream.KindError, Err: &stream.Error{Code: stream.CodeDropped, Message: "dropped"}},
		done(stream.StatusTruncated))
	if c.Busy() || c.Calls()[0].Status != CallNotRun {
		t.Fatalf("busy %v, %s", c.Busy(), statusName(c.Calls()[0]))
	}
}
