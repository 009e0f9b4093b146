// Package ui is Parley's terminal interface: one Bubble Tea root model that
// routes every message, and plain components (transcript, reasoning pane,
// tool sidebar, status bar, input) that render into the layout it computes.
package ui

import (
	"context"
	"log/slog"
	"os"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/themes"
)

// Deps is what the program is given to run.
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
	// approval; Yolo approves every call, Approved the tools it names (the
	// config's pre-approved ones). MaxSteps bounds the tool rounds of one
	// prompt (default DefaultMaxSteps).
	Tools    *tools.Registry
	Yolo     bool
	Approved map[string]bool
	// Policy, when set, also pre-approves calls: by MCP server and tool,
	// which Approved cannot for a server the config approves whole.
	Policy   *tools.Policy
	MaxSteps int
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
	// Notice is a line shown in the status area at start (e.g. the replay
	// file in use).
	Notice string
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
}

// focusArea is which pane takes keys that are not global.
type focusArea uint8

const (
	focusInput focusArea = iota
	focusTranscript
	focusTools
	focusCount
)

// Model is the root model.
type Model struct {
	deps   Deps
	keys   keymap.KeyMap
	styles *themes.Styles
	theme  themes.Palette
	// themeID changes with the theme so cached renders know they are stale.
	themeID    int
	themeFixed bool

	width, height int
	layout        layout
	focus         focusArea
	showSidebar   bool
	showHelp      bool
	helpOffset    int // first row of the help overlay shown, when it is taller than the screen

	conv       *model.Conversation
	transcript *transcript
	sidebar    *sidebar
	input      *input
	totals     model.Totals

	// model and effort apply to the next turn; the picker and the effort
	// key change them.
	model, effort, role string
	picker              *picker

	// writer saves the conversation on screen as session; nil without a
	// store. pendingOpen waits for the first size (and so a renderer).
	writer      *store.Writer
	session     store.Session
	pendingOpen *OpenSession
	sessions    *sessionPicker // the sessions overlay, when open

	// editing is an earlier prompt being edited; sending replaces it and
	// everything after it.
	editing *model.Message

	tools   *toolPhase      // tool calls between two requests, if any
	allowed map[string]bool // tools allowed for the session
	steps   int             // tool rounds since the user's last prompt
	// queued are prompts typed while a reply was arriving, sent in order
	// when it ends; a failure or a cancel puts them back in the input.
	queued []string

	turn    *activeTurn // the reply being received, if any
	turnSeq int
	state   turnState
	// retryPrompt is a prompt whose request failed, for the retry key;
	// retryReply says the request after tool results failed.
	retryPrompt *model.Message
	retryReply  bool

	// rendererStale asks for a new markdown renderer once resizing settles
	// (rerender.go); resizeSeq tells the last resize from earlier ones and
	// renderGen tells current background renders from superseded ones.
	rendererStale bool
	// pending holds commands started inside a batch of choices (a new
	// renderer when the sidebar appears mid-stream); Update returns them.
	pending   []tea.Cmd
	resizeSeq int
	renderGen int

	notice      string
	noticeUntil time.Time
	lastEsc     time.Time
	copyCursor  int // which code block the next copy-code takes
}

// activeTurn is one reply in flight.
type activeTurn struct {
	id     int
	msg    *model.Message
	entry  *entry
	prompt *model.Message
	cancel context.CancelFunc
	pump   *pump
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
		deps:        deps,
		keys:        keys,
		conv:        &model.Conversation{Instructions: deps.Instructions},
		transcript:  newTranscript(),
		sidebar:     newSidebar(),
		showSidebar: true,
		notice:      deps.Notice,
		model:       deps.Model,
		allowed:     map[string]bool{},
		effort:      deps.Effort,
		role:        deps.Role,
	}
	if deps.Notice != "" {
		m.noticeUntil = deps.Now().Add(8 * time.Second)
	}
	pal := themes.Default(true)
	if deps.Palette != nil {
		pal, m.themeFixed = *deps.Palette, true
	} else if deps.Theme != "" {
		if p, err := themes.ByName(deps.Theme); err == nil {
			pal, m.themeFixed = p, true
		}
	}
	m.setTheme(pal)
	m.input = newInput(m.styles)
	if deps.Open != nil {
		m.pendingOpen = deps.Open
	} else {
		m.newWriter()
	}
	return m
}

// setTheme rebuilds the styles; cached renders go stale by themeID.
func (m *Model) setTheme(p themes.Palette) {
	m.theme = p
	m.styles = themes.NewStyles(p)
	m.themeID++
	if m.input != nil {
		m.input.setStyles(m.styles)
	}
	m.rendererStale = true
}

// Init asks the terminal for its background colour (to pick a dark or
// light theme) and starts the cursor blinking.
func (m *Model) Init() tea.Cmd {
	return tea.Batch(tea.RequestBackgroundColor, m.input.focus())
}

// flash shows a short message in the status area.
func (m *Model) flash(s string) {
	m.notice = s
	m.noticeUntil = m.deps.Now().Add(4 * time.Second)
}

// Conversation exposes the conversation, for tests and the caller.
func (m *Model) Conversation() *model.Conversation { return m.conv }

var _ tea.Model = (*Model)(nil)
