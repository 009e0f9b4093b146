package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// Stepping from a reopened session to a blank new one (alt+down past the
// newest) drops the "Opened …" notice: it was about the session that left.
func TestStepToANewSessionDropsTheOpenedNotice(t *testing.T) {
	st := tempStore(t)
	b := seedSession(t, st, "the newest", "b", "B")
	m, _ := newTestModel(t, 100, 30, Deps{Store: st})
	d := newDriver(t, m)
	d.press(tea.KeyPressMsg{Code: tea.KeyUp, Mod: tea.ModAlt})
	d.until("the newest session", func() bool { return m.chat.Session().ID == b.ID })
	mustContain(t, screen(m), "Opened “the newest”")
	d.press(tea.KeyPressMsg{Code: tea.KeyDown, Mod: tea.ModAlt})
	d.until("a blank new session", func() bool { return m.chat.Session().ID != b.ID && len(m.chat.Messages()) == 0 })
	if s := screen(m); strings.Contains(s, "Opened") {
		t.Errorf("the blank session still says it opened another:\n%s", s)
	}
}
