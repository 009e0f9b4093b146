package prompt

import (
	"strings"
	"sync"
	"testing"
	"time"

	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"
)

// host is a root model holding only an input, as Parley's root holds
// one: keys and pastes go to it, its box is the view, its cursor the
// terminal's. It counts the messages it gets.
type host struct {
	mu    *sync.Mutex
	count *int
	input interface {
		update(tea.Msg) tea.Cmd
		view() (string, *tea.Cursor)
	}
	init tea.Cmd
}

func (h host) Init() tea.Cmd { return h.init }

func (h host) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	h.mu.Lock()
	*h.count++
	h.mu.Unlock()
	if k, ok := msg.(tea.KeyPressMsg); ok && k.String() == "ctrl+c" {
		return h, tea.Quit
	}
	return h, h.input.update(msg)
}

func (h host) View() tea.View {
	s, c := h.input.view()
	v := tea.NewView(s)
	v.Cursor = c
	return v
}

type promptInput struct{ p *Prompt }

func (in promptInput) update(msg tea.Msg) tea.Cmd {
	switch msg.(type) {
	case tea.KeyPressMsg, tea.PasteMsg:
		return in.p.Update(msg, DefaultKeyMap())
	}
	return nil
}

func (in promptInput) view() (string, *tea.Cursor) { return in.p.Render(40), in.p.Cursor() }

// textareaInput is the input as ui/input.go built it, for contrast.
type textareaInput struct{ ta *textarea.Model }

func (in textareaInput) update(msg tea.Msg) tea.Cmd {
	var cmd tea.Cmd
	*in.ta, cmd = in.ta.Update(msg)
	return cmd
}

func (in textareaInput) view() (string, *tea.Cursor) { return in.ta.View(), nil }

// idleMessages runs a program around input, types a key, and counts the
// messages that reach it in the second after it settles.
func idleMessages(t *testing.T, input host) int {
	t.Helper()
	tm := teatest.NewTestModel(t, input, teatest.WithInitialTermSize(40, 10),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii),
			tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	// One key: a word may be drawn over two frames ("hel", then "lo" after
	// a cursor move), as it is when the machine is slow (-race), and the
	// output would never hold it whole. No draft here holds a Z.
	tm.Type("Z")
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(ansi.Strip(string(b)), "Z") },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	time.Sleep(300 * time.Millisecond) // let start-up replies (size, colours) arrive
	input.mu.Lock()
	before := *input.count
	input.mu.Unlock()
	time.Sleep(1200 * time.Millisecond)
	input.mu.Lock()
	idle := *input.count - before
	input.mu.Unlock()
	tm.Send(tea.KeyPressMsg{Code: 'c', Mod: tea.ModCtrl})
	tm.WaitFinished(t, teatest.WithFinalTimeout(5*time.Second))
	return idle
}

// TestIdleInputSchedulesNothing: with a draft in it, the input sends no
// message at all while the user does nothing (the terminal blinks its own
// cursor), where the textarea woke the program twice a second to blink.
func TestIdleInputSchedulesNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("waits over a second on purpose")
	}
	p := New(Options{Styles: testStyles()})
	p.SetValue(benchText(2000))
	if n := idleMessages(t, host{mu: &sync.Mutex{}, count: new(int), input: promptInput{p}}); n != 0 {
		t.Fatalf("an idle input got %d messages in 1.2 s; want none", n)
	}

	// The control: the same harness sees the textarea's blink.
	ta := textarea.New()
	focus := ta.Focus()
	if n := idleMessages(t, host{mu: &sync.Mutex{}, count: new(int), input: textareaInput{&ta}, init: focus}); n == 0 {
		t.Fatal("the textarea's blink did not show: the harness cannot see ticks")
	} else {
		t.Logf("the textarea got %d messages while idle for 1.2 s", n)
	}
}

// TestUpdateNeverSchedules: no key or paste makes the input return a
// command other than an ErrorMsg for refused input (no blink, no timer).
func TestUpdateNeverSchedules(t *testing.T) {
	u := newUser(t, 30, Options{Limits: Limits{DraftBytes: 64}})
	for _, k := range []string{"left", "right", "up", "down", "home", "end", "backspace", "delete", "ctrl+j", "alt+e", "ctrl+w", "alt+d"} {
		u.typ("x")
		u.press(k) // user.send fails on any command but an ErrorMsg
	}
	u.paste(strings.Repeat("p", 100)) // refused: over DraftBytes
	if len(u.errs) != 1 {
		t.Fatalf("errors %v, want the one refused paste", u.errs)
	}
}
