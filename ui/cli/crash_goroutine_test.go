package cli

import (
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/ui/chat"
)

// carrier returns a command that panics with a panic the chat recovered
// on its stream reader's goroutine, as ui/chat's pump does.
type carrier struct{ stubModel }

func (m carrier) Update(tea.Msg) (tea.Model, tea.Cmd) {
	return m, func() tea.Msg {
		panic(&chat.GoroutinePanic{Value: "decoder bug", Stack: []byte("goroutine 42 [running]:\nchat.(*pump).read")})
	}
}

// A panic on a goroutine the chat starts itself reaches the crash guard
// through the command that reads from it, and is reported with that
// goroutine's stack (exit 70, trace in the log, as any other).
func TestCrashGuardKeepsACarriedPanicsStack(t *testing.T) {
	g := newCrashGuard(carrier{}, "")
	_, cmd := g.Update(tea.KeyPressMsg{})
	msgs := runCmd(cmd)
	c, ok := g.caught()
	if !ok || len(msgs) != 1 {
		t.Fatalf("caught %v, messages %v", ok, msgs)
	}
	if c.Error() != "panic: decoder bug" || string(c.trace) != "goroutine 42 [running]:\nchat.(*pump).read" {
		t.Fatalf("caught %q with trace %q", c.Error(), c.trace)
	}
}
