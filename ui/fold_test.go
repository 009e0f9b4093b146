package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
)

// lastRow is the frame's last row: the footer.
func lastRow(m *Model) string {
	rows := strings.Split(screen(m), "\n")
	return rows[len(rows)-1]
}

// A paste of 3,001 lines (each ending in a newline) is 3,001 lines in the
// input's label and in the transcript's fold label alike.
func TestFoldLabelCountsLinesAsThePasteLabel(t *testing.T) {
	m, _ := newTestModel(t, 120, 30, Deps{})
	var b strings.Builder
	for i := 1; i <= 3001; i++ {
		fmt.Fprintf(&b, "line %d\n", i)
	}
	m.Update(tea.PasteMsg{Content: b.String()})
	mustContain(t, screen(m), "[paste #1: 3,001 lines")
	if cmd := press(m, keyEnter); cmd == nil {
		t.Fatal("enter did not send")
	}
	s := screen(m)
	mustContain(t, s, "[folded: 3,001 lines")
	mustNotContain(t, s, "3,002")
}

// At 120 columns the transcript's footer gives every action key its
// description: the fold key on a folded prompt, the reasoning key on a
// reply with reasoning (never a bare "x" before the movement keys).
func TestTranscriptFooterDescribesEveryActionAt120(t *testing.T) {
	m, c := newTestModel(t, 120, 30, Deps{})
	m.Update(tea.PasteMsg{Content: strings.Repeat("log line\n", 40)})
	typeText(m, "why?")
	press(m, keyEnter)
	feed(m, c.t, reasoning("**Thinking** it over."), text("Because."), usage(10, 0, 20, 8), done(stream.StatusCompleted))
	press(m, keyTab) // the transcript, at the reply
	foot := lastRow(m)
	mustContain(t, foot, "transcript:", "y copy", "r regenerate", "space reasoning", "↑/k ↓/j home/g end/G")
	press(m, key1('k')) // the folded prompt
	foot = lastRow(m)
	mustContain(t, foot, "x unfold/fold", "e edit & resend", "f fork")
	if strings.Contains(foot, "x ↑/k") || strings.Contains(foot, "space ↑/k") {
		t.Errorf("a bare action key in the footer: %q", foot)
	}
}
