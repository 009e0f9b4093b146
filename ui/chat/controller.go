// Package chat is the chat controller: the behaviour of one chat session
// with nothing of how it is drawn. It owns the conversation, the reply in
// flight, the tool calls and their approval, the prompts queued behind a
// reply, retry, edit-and-resend, regenerate and fork, and saving the
// session. The root UI model calls its methods when the user acts, hands it
// the messages its commands return (Handle), and reads its state to draw.
//
// One owner per piece of state: every change of the conversation goes
// through the controller, which updates the conversation, its Version (the
// transcript rebuilds its entries when it changes) and the session writer
// together; without a store the writer is a no-op. What the user should be
// told comes back as Events, which the root shows with the keys of its
// keymap (the controller knows no keys).
//
// A caller writes:
//
//	c := chat.New(chat.Config{Client: client, Model: "gpt-5", Now: time.Now})
//	cmd, _ := c.Submit("hello")   // run cmd; feed what it returns to c.Handle
//	for _, ev := range c.Events() { ... }
package chat

import (
	"context"
	"errors"
	"log/slog"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
)

// DefaultMaxSteps bounds how many tool rounds one prompt may take.
const DefaultMaxSteps = 25

// Streamer is what the controller needs of a backend; *stream.Client has it.
type Streamer interface {
	Stream(ctx context.Context, req stream.Request) (*stream.Stream, error)
}

// Config is what a controller is given.
type Config struct {
	Client   Streamer
	Provider string // the provider Client talks to
	// ClientFor makes a client for another provider (nil: none can be
	// chosen). It may take a while: it runs on a command goroutine.
	ClientFor    func(provider string) (Streamer, error)
	Model        string
	Effort       string
	Instructions string
	Role         string
	// Tools are offered and run after approval. Policy says which calls
	// run without asking, by MCP server and tool: --yolo, the config's
	// approvals and "allow for the session", which the controller keeps
	// there (nil: a policy of its own, with Yolo). MaxSteps bounds the
	// tool rounds of one prompt (0: DefaultMaxSteps).
	Tools     *tools.Registry
	Yolo      bool
	Policy    *tools.Policy
	MaxSteps  int
	WebSearch bool
	// Store saves sessions (nil: nothing is saved); Dir is the working
	// directory new sessions record.
	Store   *store.Store
	Dir     string
	Logger  *slog.Logger
	Catalog *model.Catalog
	Now     func() time.Time
	// AttachTarget says where a request goes (the provider, "" for the
	// one the chat starts with, and the model), for the check before a
	// prompt with files is sent; nil: no check.
	AttachTarget func(provider, model string) attach.Target
	// Retries hears the client's retries (stream.Config.OnRetry sends
	// them here, without blocking), so the status bar can count down.
	Retries <-chan stream.Retry
}

// State is what the status bar says the session is doing.
type State uint8

const (
	StateIdle State = iota
	StateWaiting
	StateStreaming
	StateApproval // calls wait for the user
	StateRunning  // tools run
	StateDone
	StateError
	StateCancelled
)

func (s State) String() string {
	return [...]string{"ready", "waiting", "streaming", "needs approval", "running tools", "done", "error", "cancelled"}[s]
}

// Controller is one chat session's behaviour. Its methods run on the UI
// goroutine; the I/O it starts runs in the tea.Cmds it returns.
type Controller struct {
	cfg      Config
	client   Streamer
	provider string
	role     string

	conv    *model.Conversation
	version int // bumped whenever messages are added, removed or change
	session store.Session
	saver   *saver // nil without a store

	turn   *turn // the reply in flight
	seq    int   // turn ids, never reused in a program run
	ticker bool  // a clock tick is pending
	ended  time.Time

	calls callState
	queue []queued // prompts sent while busy, in order
	steps int      // tool rounds since the user's last prompt
	// failed is a prompt whose request failed: the next prompt sent
	// replaces it, and Retry sends it again. retryReply says the request
	// after a round of tool results failed.
	failed     *model.Message
	retryReply bool
	editing    *model.Message
	state      State
	totals     model.Totals
	events     []Event
	stop       chan struct{} // closed by Shutdown: ends the listening commands
	// replaced counts the final texts that replaced what streamed in the
	// newest reply that had any (Replaced).
	replaced struct {
		msg *model.Message
		n   int
	}
}

// New returns a controller with a new, empty session.
func New(cfg Config) *Controller {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Catalog == nil {
		cfg.Catalog = model.NewCatalog(nil)
	}
	if cfg.Policy == nil {
		cfg.Policy = tools.NewPolicy(cfg.Yolo)
	}
	c := &Controller{cfg: cfg, client: cfg.Client, provider: cfg.Provider, role: cfg.Role,
		conv: &model.Conversation{Instructions: cfg.Instructions, Model: cfg.Model, Effort: cfg.Effort},
		stop: make(chan struct{})}
	c.calls.reset()
	return c
}

// Start begins the session New made: a writer for a new session, or the
// stored one given.
func (c *Controller) Start(open *OpenSession) tea.Cmd {
	if open != nil {
		return c.Show(open)
	}
	c.newSaver("")
	return nil
}

// Listen starts the commands that wait for news from outside the
// requests (the client's retries); they end with Shutdown.
func (c *Controller) Listen() tea.Cmd { return c.listenRetries() }

// Messages is the conversation on screen, oldest first.
func (c *Controller) Messages() []*model.Message { return c.conv.Messages }

// Conversation is the conversation itself, for tests and the caller.
func (c *Controller) Conversation() *model.Conversation { return c.conv }

// Version changes whenever a message is added, removed or changed other
// than by streaming into the reply in flight.
func (c *Controller) Version() int { return c.version }

// Streaming is the reply in flight, or nil.
func (c *Controller) Streaming() *model.Message {
	if c.turn == nil {
		return nil
	}
	return c.turn.reply
}

// Busy is true while a reply streams or tool calls are pending.
func (c *Controller) Busy() bool { return c.turn != nil || c.calls.phase != nil }

// State is what the session is doing.
func (c *Controller) State() State { return c.state }

// Session is the stored session on screen (its ID is set even before its
// first message is written).
func (c *Controller) Session() store.Session { return c.session }

// Saved says the session is being saved.
func (c *Controller) Saved() bool { return c.saver != nil }

// Model, Effort, Role and Provider apply to the next request.
func (c *Controller) Model() string    { return c.conv.Model }
func (c *Controller) Effort() string   { return c.conv.Effort }
func (c *Controller) Role() string     { return c.role }
func (c *Controller) Provider() string { return c.provider }

// Client is the backend requests go to.
func (c *Controller) Client() Streamer { return c.client }

// Queued is how many prompts wait for the reply to end.
func (c *Controller) Queued() int { return len(c.queue) }

// Totals is the session's usage.
func (c *Controller) Totals() model.Totals { return c.totals }

// Failed is the prompt whose request failed, if it is still the newest.
func (c *Controller) Failed() *model.Message { return c.failed }

// Editing is the earlier prompt being edited, if any.
func (c *Controller) Editing() *model.Message { return c.editing }

// Ended is when the last reply ended (zero before any): a key pressed to
// cancel it may be handled just after.
func (c *Controller) Ended() time.Time { return c.ended }

// Catalog knows prices and context windows.
func (c *Controller) Catalog() *model.Catalog { return c.cfg.Catalog }

// Events returns what happened since the last call, oldest first.
func (c *Controller) Events() []Event {
	ev := c.events
	c.events = nil
	return ev
}

// Handle takes the messages the controller's commands return. It reports
// false for any other message.
func (c *Controller) Handle(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case turnStartedMsg:
		return c.onStarted(msg), true
	case turnFailedMsg:
		c.onFailed(msg)
		return nil, true
	case choicesMsg:
		return c.onChoices(msg), true
	case tickMsg:
		return c.onTick(), true
	case toolResultMsg:
		return c.onToolResult(msg), true
	case sessionLoadedMsg:
		if msg.err != nil {
			c.notice("Could not open the session: " + msg.err.Error())
			return nil, true
		}
		return c.Show(&msg.open), true
	case stepListedMsg:
		return c.onStepListed(msg), true
	case writerClosedMsg:
		// A database Parley cannot write was said once, at start.
		if msg.err != nil && !errors.Is(msg.err, store.ErrReadOnly) {
			c.notice("Saving the session failed: " + msg.err.Error())
		}
		return nil, true
	case clientReadyMsg:
		c.onClientReady(msg)
		return nil, true
	case retryMsg:
		return c.onRetry(msg), true
	}
	return nil, false
}

// Shutdown ends the reply in flight and any running tools, so no goroutine
// or process outlives the program.
func (c *Controller) Shutdown() {
	select {
	case <-c.stop:
	default:
		close(c.stop)
	}
	if p := c.calls.phase; p != nil {
		p.cancel()
	}
	if t := c.turn; t != nil {
		t.stop()
	}
}

// tickMsg repaints clocks ("Thinking… 4 s", a running tool's time) while
// the session is busy.
type tickMsg struct{}

const tickInterval = 250 * time.Millisecond

// flowingTick is the tick's interval while a reply's batches keep coming:
// each batch draws a frame, which moves every clock on screen, so a tick
// then only adds frames of its own (at 4 a second, a tenth of a streaming
// reply's frames and of its CPU). It is still there to notice the stream
// going quiet ("no data for 3 s" shows within a second of its time).
const flowingTick = time.Second

// tick keeps one tick pending while busy.
func (c *Controller) tick() tea.Cmd {
	if c.ticker {
		return nil
	}
	c.ticker = true
	return tea.Tick(c.tickEvery(), func(time.Time) tea.Msg { return tickMsg{} })
}

// tickEvery is the next tick's interval: flowingTick while a reply's
// batches keep coming (one came within the last tickInterval), else
// tickInterval.
func (c *Controller) tickEvery() time.Duration {
	if t := c.turn; t != nil && t.pump != nil && !t.lastData.IsZero() && c.cfg.Now().Sub(t.lastData) < tickInterval {
		return flowingTick
	}
	return tickInterval
}

func (c *Controller) onTick() tea.Cmd {
	c.ticker = false
	if !c.Busy() {
		return nil
	}
	return c.tick()
}

func (c *Controller) maxSteps() int {
	if c.cfg.MaxSteps > 0 {
		return c.cfg.MaxSteps
	}
	return DefaultMaxSteps
}

// changed marks the messages as changed for the transcript.
func (c *Controller) changed() { c.version++ }

// add appends a message to the conversation.
func (c *Controller) add(m *model.Message) *model.Message {
	c.conv.Messages = append(c.conv.Messages, m)
	c.changed()
	return m
}

// remove drops one message, from the screen and the store.
func (c *Controller) remove(m *model.Message) {
	for i, x := range c.conv.Messages {
		if x == m {
			c.conv.Messages = append(c.conv.Messages[:i], c.conv.Messages[i+1:]...)
			break
		}
	}
	if c.failed == m {
		c.failed = nil
	}
	c.saver.removed(m)
	c.changed()
}

// dropFrom removes m and everything after it, on screen and in the store.
func (c *Controller) dropFrom(m *model.Message) {
	dropping := false
	for _, x := range c.conv.Messages {
		if dropping = dropping || x == m; dropping && x.Role != model.RoleTool {
			c.saver.removed(x)
		}
	}
	c.conv.TruncateFrom(m)
	c.failed = nil
	c.changed()
}

// Turn is the id of the reply in flight, 0 when there is none.
func (c *Controller) Turn() int {
	if c.turn == nil {
		return 0
	}
	return c.turn.id
}
