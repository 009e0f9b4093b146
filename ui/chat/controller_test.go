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

	c.cfg.Policy.AllowForSession(tools.Key{Tool: "calculator"})
	old := c.Session()
	c.Fork(c.Messages()[1])
	if c.Session().ID == old.ID || c.Session().Title != store.TitleFrom("Fork of "+old.Title) || len(c.Messages()) != 2 {
		t.Fatalf("fork: %+v %q", c.Session(), texts(c))
	}
	if _, names := c.AutoApproved(); len(names) != 0 {
		t.Fatalf("the fork kept what was allowed for the old session: %v", names)
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

func TestRetryAsksAgainForAReplyCutOffMidStream(t *testing.T) {
	f := &silent{}
	c := newController(t, Config{Client: f})
	submit(t, c, "tell me about streams")
	feed(c, text("Streams are"),
		stream.Choice{Kind: stream.KindError, Err: &stream.Error{Code: stream.CodeStalled, Message: "The server sent nothing for 12s"}},
		done(stream.StatusTruncated))
	reply := c.Messages()[1]
	if c.CutOff() != reply || c.RetryTarget() != reply || c.State() != StateError {
		t.Fatalf("cut off %v, retry target %v, state %s", c.CutOff(), c.RetryTarget(), c.State())
	}
	if ev := c.Events(); !slices.Contains(kinds(ev), Failed) {
		t.Fatalf("the stall is not told as a failure the retry key applies to: %+v", ev)
	}
	// ctrl+r: the partial reply goes, and the prompt is asked again.
	if cmd := c.Retry(); cmd == nil {
		t.Fatalf("Retry did nothing; events %+v", c.Events())
	}
	if got := texts(c); !slices.Equal(got, []string{"user:tell me about streams", "assistant:"}) {
		t.Fatalf("after the retry: %q", got)
	}
	if req := c.conv.Request("m", "", nil); len(req.Input) != 1 {
		t.Fatalf("the retry sends the cut-off reply: %+v", req.Input)
	}
	if c.CutOff() != nil {
		t.Fatal("a reply in flight is offered for retry")
	}
	// A cancelled reply and one cut at Parley's own limit are not offered.
	feed(c, text("partial"))
	c.Cancel()
	if c.CutOff() != nil {
		t.Fatal("a cancelled reply is offered for retry")
	}
	submit(t, c, "more")
	feed(c, text("x"), stream.Choice{Kind: stream.KindError, Err: &stream.Error{Message: "limit"}},
		stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusIncomplete, IncompleteReason: stream.ReasonReplyLimit}})
	if c.CutOff() != nil {
		t.Fatal("a reply cut at the reply limit is offered for retry")
	}
	c.Events()
	c.Retry()
	if ev := c.Events(); len(ev) != 1 || ev[0].Text != "Nothing to retry" {
		t.Fatalf("events %+v", ev)
	}
}

// While a reply's batches keep coming, each draws a frame that moves every
// clock on screen, so the controller's tick waits a second instead of a
// quarter (its own frames were a tenth of a streaming reply's); once the
// stream goes quiet the tick is back to a quarter second, so "no data for
// N s" counts on time.
func TestTickWaitsLongerWhileBatchesFlow(t *testing.T) {
	now := at
	c := New(Config{Client: &silent{}, Model: "gpt-5", Now: func() time.Time { return now }})
	c.Start(nil)
	t.Cleanup(c.Shutdown)
	submit(t, c, "hello")
	if got := c.tickEvery(); got != tickInterval {
		t.Fatalf("waiting for the server: a tick every %v, want %v", got, tickInterval)
	}
	c.Handle(turnStartedMsg{id: c.Turn(), pump: newPump(&panicky{}, nil)}) // never read here
	now = now.Add(FrameInterval)
	c.Handle(Batch(c.Turn(), now, text("Hi ")))
	now = now.Add(FrameInterval)
	if got := c.tickEvery(); got != flowingTick {
		t.Fatalf("batches flowing: a tick every %v, want %v", got, flowingTick)
	}
	now = now.Add(tickInterval)
	if got := c.tickEvery(); got != tickInterval {
		t.Fatalf("quiet for %v: a tick every %v, want %v", tickInterval+FrameInterval, got, tickInterval)
	}
}
