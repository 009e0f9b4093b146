package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/lipgloss/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
)

// overlay is a component drawn over the body: the model and session
// pickers, the help, the tool approval prompt. Overlays live on a stack;
// the top one gets keys first (after the quit key) and is drawn last, and
// its shortHelp is the footer's. An overlay never changes the root's
// state: it returns an action the root carries out.
type overlay interface {
	// key handles a key press.
	key(k tea.KeyPressMsg, env *overlayEnv) (action, tea.Cmd)
	// render draws the overlay into the body's width×height.
	render(width, height int, env *overlayEnv) []string
	// shortHelp is the footer's keys while it is on top.
	shortHelp(keys *keymap.KeyMap) []key.Binding
	// title names it in the footer's focus label.
	title() string
}

// overlayEnv is what overlays read: the keys, styles and clock, and the
// controller's state (never to change it: that is what actions are for).
type overlayEnv struct {
	keys *keymap.KeyMap
	st   *themes.Styles
	now  time.Time
	ctl  *chat.Controller
}

// action is what an overlay asks of the root.
type action interface{}

type (
	// consumed: the key was the overlay's; nothing else happens.
	consumed struct{}
	// closeOverlay pops the overlay.
	closeOverlay struct{}
	// passOn: not the overlay's key; the root routes it on (global keys,
	// then the focused pane).
	passOn struct{}
	// toInput pops the overlay and types the key into the input, which
	// takes the focus: typing never decides a call.
	toInput struct{ k tea.KeyPressMsg }
	// chooseModel and chooseRole apply from the next request.
	chooseModel struct{ option ModelOption }
	chooseRole  struct{ role RoleOption }
	// openSession shows a stored session; focus is a message id to show.
	openSession struct {
		id        string
		focus     int64
		highlight string
	}
	// newSession shows a new, empty session.
	newSession struct{}
	// decide answers a call that waits for approval.
	decide struct {
		call     *chat.Call
		decision chat.Decision
	}
)

// overlays is the stack, bottom first.
type overlays []overlay

func (s overlays) top() overlay {
	if len(s) == 0 {
		return nil
	}
	return s[len(s)-1]
}

func (s *overlays) push(o overlay) { *s = append(*s, o) }

// remove takes o off the stack, wherever it is.
func (s *overlays) remove(o overlay) {
	for i, x := range *s {
		if x == o {
			*s = append((*s)[:i], (*s)[i+1:]...)
			return
		}
	}
}

// find returns the open overlay of type T, if any.
func find[T overlay](s overlays) (T, bool) {
	for i := len(s) - 1; i >= 0; i-- {
		if o, ok := s[i].(T); ok {
			return o, true
		}
	}
	var zero T
	return zero, false
}

// roomyHeight is the body height from which overlays keep their vertical
// padding; below it every row shows content.
const roomyHeight = 24

// overlayFrame is the overlay style for a body height rows tall.
func overlayFrame(st *themes.Styles, height int) lipgloss.Style {
	if height < roomyHeight {
		return st.Overlay.PaddingTop(0).PaddingBottom(0)
	}
	return st.Overlay
}

// overlayBox frames an overlay's content in the overlay style, at most
// maxWidth wide, and fits it to the body's height.
func overlayBox(st *themes.Styles, content string, width, maxWidth, height int) []string {
	box := overlayFrame(st, height).Width(min(width, maxWidth)).Render(content)
	lines := strings.Split(box, "\n")
	if len(lines) > height {
		lines = lines[:max(height, 0)]
	}
	for len(lines) < height {
		lines = append(lines, "")
	}
	return lines
}
