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

// The controller is driven here as the root model drives it, without a
// screen: actions, then the messages its commands would return, fed by
// hand (a batch of choices is what the stream would have sent).

// silent is a backend that takes requests and never answers.
type silent struct {
	mu   sync.Mutex
	reqs []stream.Request
}

func (s *silent) Stream(ctx context.Context, req stream.Request) (*stream.Stream, error) {
	s.mu.Lock()
	s.reqs = append(s.reqs, req)
	s.mu.Unlock()
	<-ctx.Done()
	return nil, &stream.Error{Code: stream.CodeCancelled, Message: "cancelled"}
}

var at = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

func newController(t *testing.T, cfg Config) *Controller {
	t.Helper()
	if cfg.Client == nil {
		cfg.Client = &silent{}
	}
	if cfg.Model == "" {
		cfg.Model = "gpt-5"
	}
	cfg.Now = func() time.Time { return at }
	c := New(cfg)
	c.Start(nil)
	t.Cleanup(c.Shutdown)
	return c
}

func text(s string) stream.Choice { return stream.Choice{Kind: stream.KindText, Delta: s} }

func done(s stream.Status) stream.Choice {
	return stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: s}}
}

// feed delivers choices to the reply in flight.
func feed(c *Controller, cs ...stream.Choice) tea.Cmd {
	cmd, _ := c.Handle(Batch(c.Turn(), at, cs...))
	return cmd
}

func submit(t *testing.T, c *Controller, text string) {
	t.Helper()
	if _, ok := c.Submit(text); !ok {
		t.Fatalf("Submit(%q) was not taken", text)
	}
}

func kinds(evs []Event) []EventKind {
	var out []EventKind
	for _, e := range evs {
		out = append(out, e.Kind)
	}
	return out
}

func texts(c *Controller) []string {
	var out []string
	for _, m := range c.Messages() {
		s := string(m.Role) + ":" + m.Text
		if m.Role == model.RoleAssistant {
			s = "assistant:" + m.Turn.Text
		}
		out = append(out, s)
	}
	return out
}

func TestTurnLifecycle(t *testing.T) {
	c := newController(t, Config{})
	v := c.Version()
	submit(t, c, "hello")
	if c.Version() == v || c.State() != StateWaiting || !c.Busy() || c.Streaming() == nil {
		t.Fatalf("after Submit: version %d→%d, state %s, busy %v", v, c.Version(), c.State(), c.Busy())
	}
	feed(c, text("Hi "))
	if c.State() != StateStreaming || c.Streaming().Turn.Text != "Hi " {
		t.Fatalf("streaming: state %s, text %q", c.State(), c.Streaming().Turn.Text)
	}
	feed(c, text("there."), stream.Choice{Kind: stream.KindUsage, Usage: &stream.Usage{Input: 10, Output: 3}}, done(stream.StatusCompleted))
	if c.Busy() || c.State() != StateDone || c.Streaming() != nil || c.Ended().IsZero() {
		t.Fatalf("after done: busy %v, state %s", c.Busy(), c.State())
	}
	if got := texts(c); !slices.Equal(got, []string{"user:hello", "assistant:Hi there."}) {
		t.Fatalf("messages %q", got)
	}
	if c.Totals().Turns != 1 || c.Session().Title != "hello" {
		t.Fatalf("totals %+v, title %q", c.Totals(), c.Session().Title)
	}
	// A batch for a reply no longer in flight changes nothing.
	feed(c, text("late"))
	if c.Messages()[1].Turn.Text != "Hi there." {
		t.Fatal("a late batch changed the reply")
	}
}

func TestQueuedPromptsGoInOrderOrComeBack(t *testing.T) {
	c := newController(t, Config{})
	submit(t, c, "first")
	submit(t, c, "second")
	submit(t, c, "third")
	if c.Queued() != 2 || len(c.Messages()) != 2 {
		t.Fatalf("queued %d, messages %q", c.Queued(), texts(c))
	}
	feed(c, text("one"), done(stream.StatusCompleted))
	if c.Queued() != 1 || texts(c)[2] != "user:second" || !c.Busy() {
		t.Fatalf("after the first reply: %q, queued %d", texts(c), c.Queued())
	}
	// A failed reply gives the rest back.
	c.Events()
	feed(c, stream.Choice{Kind: stream.KindError, Err: &stream.Error{Code: "x", Message: "boom"}}, done(stream.StatusFailed))
	ev := c.Events()
	i := slices.IndexFunc(ev, func(e Event) bool { return e.Kind == RestoreQueued })
	if c.Queued() != 0 || i < 0 || ev[i].Text != "third" {
		t.Fatalf("queue %d, events %+v", c.Queued(), ev)
	}
}

func TestFailedPromptIsReplacedNotDuplicated(t *testing.T) {
	f := &silent{}
	c := newController(t, Config{Client: f})
	submit(t, c, "explain monads")
	c.Handle(RequestFailed(c.Turn(), &stream.Error{Code: "rate_limit", Message: "slow down"}))
	ev := c.Events()
	if !slices.Contains(kinds(ev), RestorePrompt) || !slices.Contains(kinds(ev), Failed) {
		t.Fatalf("events %+v", ev)
	}
	if c.Failed() == nil || c.State() != StateError || len(c.Messages()) != 1 || !c.Messages()[0].Failed {
		t.Fatalf("after the failure: %q, failed %v", texts(c), c.Failed())
	}
	// Enter on the prompt given back replaces the failed turn.
	submit(t, c, "explain monads")
	if got := texts(c); !slices.Equal(got, []string{"user:explain monads", "assistant:"}) || c.Messages()[0].Failed {
		t.Fatalf("messages %q", got)
	}
	req := c.conv.Request("m", "", nil)
	if len(req.Input) != 1 {
		t.Fatalf("request input %+v", req.Input)
	}
	// Retry does the same.
	c.Handle(RequestFailed(c.Turn(), &stream.Error{Code: "x", Message: "again"}))
	if cmd := c.Retry(); cmd == nil || len(c.Messages()) != 2 || c.Messages()[0].Failed {
		t.Fatalf("retry: %q", texts(c))
	}
}

func TestCancelTakesEffectAtOnce(t *testing.T) {
	c := newController(t, Config{})
	submit(t, c, "tell me a story")
	feed(c, text("Once upon"))
	reply := c.Streaming()
	c.Cancel()
	if c.Busy() || !reply.Cancelled || c.State() != StateCancelled || reply.Finished.IsZero() {
		t.Fatalf("cancel: busy %v, cancelled %v, state %s", c.Busy(), reply.Cancelled, c.State())
	}
	feed(c, text(" a time")) // what the stream still had
	if reply.Turn.Text != "Once upon" {
		t.Fatalf("text after the cancel: %q", reply.Turn.Text)
	}
	// Nothing arrived yet: the prompt goes back, as after a failure.
	submit(t, c, "again")
	c.Events()
	c.Cancel()
	if got := texts(c); len(got) != 3 || got[2] != "user:again" || !c.Messages()[2].Failed {
		t.Fatalf("messages %q", got)
	}
	if !slices.Contains(kinds(c.Events()), RestorePrompt) {
		t.Fatal("the prompt was not given back")
	}
}

func TestEditRegenerateAndFork(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c := newController(t, Config{Store: st})
	for _, p := range []string{"first question", "second question"} {
		submit(t, c, p)
		feed(c, text("answer to "+p), done(stream.StatusCompleted))
	}
	if !c.BeginEdit(c.Messages()[0]) {
		t.Fatal("BeginEdit refused a prompt")
	}
	submit(t, c, "first, rephrased")
	if got := texts(c); !slices.Equal(got, []string{"user:first, rephrased", "assistant:"}) || c.Editing() != nil {
		t.Fatalf("after the edit: %q", got)
	}
	feed(c, text("new answer"), done(stream.StatusCompleted))
	if c.Regenerate(c.Messages()[1]) == nil || len(c.Messages()) != 2 || c.Messages()[1].Turn.Text != "" {
		t.Fatalf("regenerate: %q", texts(c))
	}
	feed(c, text("another answer"), done(stream.StatusCompleted))

	c.calls.allowed["calculator"] = true
	old := c.Session()
	c.Fork(c.Messages()[1])
	if c.Session().ID == old.ID || c.Session().Title != store.TitleFrom("Fork of "+old.Title) || len(c.Messages()) != 2 {
		t.Fatalf("fork: %+v %q", c.Session(), texts(c))
	}
	if _, names := c.AutoApproved(); len(names) != 0 {
		t.Fatalf("the fork kept what was allowed for the old session: %v", names)
	}
}

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

func TestStepOlderAndNewer(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	var ids []string
	for _, title := range []string{"oldest", "middle", "newest"} {
		s, _ := st.CreateSession(ctx, store.Session{Title: title})
		st.AppendUserMessage(ctx, s.ID, store.StoredMessage{Text: title})
		ids = append(ids, s.ID)
		time.Sleep(5 * time.Millisecond)
	}
	// The oldest is pinned: pins order the picker, not the steps.
	st.PinSession(ctx, ids[0], true)
	c := newController(t, Config{Store: st})
	step := func(older bool) string {
		t.Helper()
		cmd := c.Step(older)
		for cmd != nil {
			msg := cmd()
			cmd, _ = c.Handle(msg)
			if _, ok := msg.(writerClosedMsg); ok {
				break
			}
			if _, ok := msg.(sessionLoadedMsg); ok {
				break
			}
		}
		return c.Session().Title
	}
	for i, want := range []string{"newest", "middle", "oldest", "oldest"} {
		if got := step(true); got != want {
			t.Fatalf("older step %d: %q, want %q", i, got, want)
		}
	}
	for i, want := range []string{"middle", "newest", ""} {
		if got := step(false); got != want {
			t.Fatalf("newer step %d: %q, want %q", i, got, want)
		}
	}
	if len(c.Messages()) != 0 {
		t.Fatal("past the newest is not a new session")
	}
}

func statusName(c *Call) string {
	return [...]string{"streaming", "ready", "awaiting", "running", "done", "failed", "denied", "interrupted", "not run"}[c.Status]
}
