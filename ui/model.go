// Package ui is Parley's terminal interface. The root Model is a router: it
// hands keys, in a fixed order, to the top overlay, the global keys and the
// focused pane, hands the rest of the messages to the chat controller
// (ui/chat: the turn lifecycle, tools, persistence, no drawing), and draws
// plain components (transcript, tool sidebar, overlays, status bar, input)
// into the layout it computes once at the end of every Update.
package ui

import (
	"log/slog"
	"os"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/history"
	"github.com/parley-tui/parley/model/mcp"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/prompt"
)

// DefaultMaxSteps bounds how many tool rounds one prompt may take.
const DefaultMaxSteps = chat.DefaultMaxSteps

// Streamer is what the UI needs of a backend; *stream.Client has it.
type Streamer = chat.Streamer

// OpenSession is a stored session to show at start (--continue, --session).
type OpenSession = chat.OpenSession

// Deps is what the program is given to run. It is read, never changed:
// what changes at run time (the client, the model) lives in the controller.
type Deps struct {
	Client Streamer
	// Provider names the configured provider Client talks to.
	Provider string
	Model    string
	Effort   string
	// Models are the configured models the picker offers besides the
	// server's own list; ClientFor makes a client for another provider.
	Models    []ModelOption
	ClientFor func(provider string) (Streamer, error)
	// Tools are offered to the model and run when it calls them, after
	// approval; Yolo approves every call. Policy says which calls run
	// without asking (the config's approvals, by MCP server and tool) and
	// keeps what the user allows for the session. MaxSteps bounds the tool
	// rounds of one prompt (default DefaultMaxSteps).
	Tools    *tools.Registry
	Yolo     bool
	Policy   *tools.Policy
	MaxSteps int
	// MCP are the MCP servers behind some of the tools, connecting in the
	// background: the status bar says so until they answer, and tells
	// when one goes down or comes back.
	MCP *mcp.Clients
	// WebSearch offers the server's hosted web search (Responses API).
	WebSearch bool
	// Store saves sessions (nil: nothing is saved); Open is a session to
	// show at start; Dir is the working directory new sessions record.
	Store  *store.Store
	Open   *OpenSession
	Dir    string
	Logger *slog.Logger
	// Roles are the config's named system prompts, offered in the picker;
	// Role names the one in use.
	Roles []RoleOption
	Role  string
	// Demo says the offline demo backend answers; the status bar says so.
	Demo bool
	// Mouse has Parley take the mouse (select, click, scroll); false
	// leaves it to the terminal (config mouse = false, --no-mouse), and
	// the toggle key switches at run time (mouse.go).
	Mouse bool
	// Notice is a line shown in the status area at start (e.g. the replay
	// file in use).
	Notice string
	// NotSaved, when set, says why the session is not saved (a database
	// Parley cannot write): it is shown once at start, and the status bar
	// keeps saying "not saved".
	NotSaved string
	// Theme names a built-in theme; empty follows the terminal background.
	// Palette, when set, is a custom theme from the config and wins.
	Theme        string
	Palette      *themes.Palette
	Instructions string
	Catalog      *model.Catalog
	Keys         *keymap.KeyMap
	// Now and Getenv are the clock and environment; tests pin them.
	Now    func() time.Time
	Getenv func(string) string
	// Retries hears the client's retries: the caller sets the client's
	// stream.Config.OnRetry to send them here without blocking, and the
	// status bar counts each one down.
	Retries <-chan stream.Retry
	// Attachments are files (-f) attached to the first prompt: chips in
	// the input. AttachTarget says where a request goes (provider "" for
	// the one the chat starts with, and the model), for the check before
	// a prompt with files is sent. AttachLimits bound the files the chat
	// attaches (the finder, pasted paths) as they bound -f.
	Attachments  []attach.Attachment
	AttachTarget func(provider, model string) attach.Target
	AttachLimits attach.Limits
	// History is the prompt history file, read at start so the history
	// key recalls prompts of earlier runs; nil keeps this run's prompts
	// in memory only. HistoryReadOnly reads it but adds nothing
	// (--no-save).
	History         *history.File
	HistoryReadOnly bool
	// ClipboardCheck, when set, says whether a copy (OSC 52) can reach the
	// system clipboard: "" when it can, else why not (tmux's
	// set-clipboard, as parley doctor finds it). It runs once, in a
	// command; copies then say they were sent and may not arrive.
	ClipboardCheck func() string
}

// focusArea is the pane that takes keys no overlay or global binding
// takes. An open overlay has the focus over it.
type focusArea uint8

const (
	focusInput focusArea = iota
	focusTranscript
	focusTools
	focusCount
)

// Model is the root model: a router over the components.
type Model struct {
	deps       Deps
	keys       keymap.KeyMap
	look       look // theme and styles
	chat       *chat.Controller
	transcript *transcript
	sidebar    *sidebar
	input      *prompt.Prompt
	overlays   overlays
	focus      focusArea
	layout     layout
	panes      panes         // what the user showed or hid
	render     renderJob     // markdown renderer state
	status     status        // the transient notice
	servers    servers       // the MCP servers' state, as their events tell it
	keyTimes   keyTimes      // when keys were last pressed, for esc esc, guards and idleness
	copyCursor int           // which code block the next copy-code takes
	clipWarn   string        // why a copy may not reach the clipboard, if it may not
	clip       clipQueue     // clipboard writes, one at a time, in order
	stop       chan struct{} // closed by shutdown: ends the listening commands
	mouse      mouseState
	frame      frameCache // what the last frame measured and styled
}

// panes is what the user toggled.
type panes struct {
	sidebarHidden bool // ctrl+b on a wide terminal
	started       bool // the session on screen is started (a reopened one waits for the first size)
	opening       bool // the session given at start is being opened
}

// keyTimes are when keys were last pressed.
type keyTimes struct {
	esc      time.Time // the first esc of a possible esc esc
	edited   time.Time // the draft last changed by a key or paste
	lateQuit time.Time // the end of the reply a late quit key was taken as a cancel for
}

// New builds the root model.
func New(deps Deps) *Model {
	if deps.Now == nil {
		deps.Now = time.Now
	}
	if deps.Getenv == nil {
		deps.Getenv = os.Getenv
	}
	if deps.Catalog == nil {
		deps.Catalog = model.NewCatalog(nil)
	}
	keys := keymap.DefaultKeyMap()
	if deps.Keys != nil {
		keys = *deps.Keys
	}
	m := &Model{
		deps: deps,
		keys: keys,
		chat: chat.New(chat.Config{
			Client: deps.Client, Provider: deps.Provider, ClientFor: deps.ClientFor,
			Model: deps.Model, Effort: deps.Effort, Instructions: deps.Instructions, Role: deps.Role,
			Tools: deps.Tools, Yolo: deps.Yolo, Policy: deps.Policy, MaxSteps: deps.MaxSteps, WebSearch: deps.WebSearch,
			Store: deps.Store, Dir: deps.Dir, Logger: deps.Logger, Catalog: deps.Catalog, Now: deps.Now,
			Retries: deps.Retries, AttachTarget: deps.AttachTarget,
		}),
		transcript: newTranscript(),
		sidebar:    newSidebar(),
		mouse:      mouseState{on: deps.Mouse},
		stop:       make(chan struct{}),
	}
	if n := strings.Join(nonEmpty(deps.NotSaved, deps.Notice), " · "); n != "" {
		m.status.set(n, deps.Now().Add(8*time.Second))
	}
	m.look.init(deps)
	m.input = newInput(m.look.styles, keys.Input.Send)
	m.startChips(deps.Attachments)
	if deps.Open == nil {
		m.chat.Start(nil)
		m.panes.started = true
	}
	return m
}

// Init asks the terminal for its background colour (to pick a dark or
// light theme), has the renderer measure text by graphemes, reads the
// prompt history and listens for news from outside the requests: the
// client's retries and the MCP servers' events.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, graphemeWidths, m.loadHistory(), m.chat.Listen(), m.listenMCP(),
		m.checkClipboard())
}

// graphemeWidths has Bubble Tea's renderer measure text by grapheme
// clusters, as lipgloss (and so every layout here) does, and as tmux and
// terminals with Unicode mode 2027 draw it. The renderer does so by itself
// only when the terminal answers that it has mode 2027; otherwise it counts
// a ZWJ emoji (👩‍👩‍👧) as six cells where the layout counted two, and every
// line holding one overflows its box.
func graphemeWidths() tea.Msg {
	return tea.ModeReportMsg{Mode: ansi.ModeUnicodeCore, Value: ansi.ModeSet}
}

// flash shows a short message in the status area.
func (m *Model) flash(s string) { m.status.set(s, m.deps.Now().Add(4*time.Second)) }

// Conversation exposes the conversation, for tests and the caller.
func (m *Model) Conversation() *model.Conversation { return m.chat.Conversation() }

// status is the transient notice of the status area.
type status struct {
	notice string
	until  time.Time
}

func (s *status) set(text string, until time.Time) { s.notice, s.until = text, until }

func (s *status) clear() { *s = status{} }

// look is the theme in use and the styles built from it.
type look struct {
	palette themes.Palette
	styles  *themes.Styles
	id      int  // changes with the theme, so cached renders know they are stale
	fixed   bool // chosen by flag or config: the terminal's background does not change it
}

func (l *look) init(deps Deps) {
	pal := themes.Default(true)
	if deps.Palette != nil {
		pal, l.fixed = *deps.Palette, true
	} else if deps.Theme != "" {
		if p, err := themes.ByName(deps.Theme); err == nil {
			pal, l.fixed = p, true
		}
	}
	l.set(pal)
}

func (l *look) set(p themes.Palette) {
	l.palette = p
	l.styles = themes.NewStyles(p)
	l.id++
}

var _ tea.Model = (*Model)(nil)
