package ui

import (
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/chat"
)

// sidebarColumn is the sidebar's column of the screen, one string a row.
func sidebarColumn(m *Model) []string {
	var out []string
	for _, l := range strings.Split(screen(m), "\n")[:m.layout.body.h] {
		r := []rune(l)
		if len(r) > m.layout.sidebar.x {
			out = append(out, strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(r[m.layout.sidebar.x:])), "│")))
		} else {
			out = append(out, "")
		}
	}
	return out
}

// With more cards than fit, the sidebar keeps its title in view and
// follows the newest card to its end, as the tools tape shows it: two
// rounds of the demo's calculator and clock, the second calculator denied.
func TestSidebarKeepsItsTitleAndFollowsTheNewestCard(t *testing.T) {
	at := time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)
	m, c := newTestModel(t, 120, 32, Deps{Client: mockClient(t), Model: "parley-mock-1",
		Tools: tools.NewRegistry(tools.Demo(func() time.Time { return at })...)})
	d := newDriver(t, m)
	typeText(m, "calculate (2+3)*4^2, and what time is it in Paris?")
	d.press(keyEnter)
	c.advance(2 * inputIdle)
	d.until("the calculator asks", func() bool { return waitingFor(m) == "calculator" })
	decideWith(d, c, 'y')
	d.until("the clock asks", func() bool { return waitingFor(m) == "clock" })
	decideWith(d, c, 'a')
	d.until("idle", idle(m))
	typeText(m, "once more: calculate it again and read the clock")
	d.press(keyEnter)
	d.until("the calculator asks again", func() bool { return waitingFor(m) == "calculator" })
	decideWith(d, c, 'n')
	d.until("idle", idle(m))

	col := sidebarColumn(m)
	if !strings.HasPrefix(col[0], "Tool calls · 4") {
		t.Errorf("the sidebar's first row is %q, not its title:\n%s", col[0], screen(m))
	}
	// The newest card, whole: its name, status and result, after the
	// denied one.
	joined := strings.Join(col, "\n")
	denied := strings.Index(joined, "● denied")
	last := strings.LastIndex(joined, "clock function")
	if denied < 0 || last < denied || !strings.Contains(joined[last:], "● done") || !strings.Contains(joined[last:], "╰") {
		t.Errorf("the newest card is not in view after the denied one:\n%s", joined)
	}

	// Scrolled up by the wheel, it stays there, title still on top.
	m.sidebar.wheel(-100)
	col = sidebarColumn(m)
	if !strings.HasPrefix(col[0], "Tool calls · 4") || !strings.Contains(col[2], "calculator function") {
		t.Errorf("scrolled to the top, the sidebar shows:\n%s", strings.Join(col, "\n"))
	}
	// A click on the title row is not a click on a card.
	if _, _, ok := m.cardAt(hit{area: areaSidebar, row: 0}); ok {
		t.Error("the title row counts as a card")
	}
}

// A card's status line is never cut: a long one wraps at the card's width.
func TestCardStatusWrapsRatherThanCuts(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{})
	call := &chat.Call{Ref: stream.ToolRef{Name: "web_search", Kind: stream.ToolHosted}, Status: chat.CallRunning,
		Progress: "interpreting the uploaded spreadsheet", Started: t0}
	lines := stripAll((&card{}).render(call, sidebarMin-2, false, m.look.styles, t0.Add(2*time.Second)))
	s := strings.Join(lines, "\n")
	if strings.Contains(s, "…") { // the name line fits as well
		t.Errorf("the card cuts a line:\n%s", s)
	}
	var words []string
	for _, l := range lines {
		words = append(words, strings.Fields(strings.Trim(l, "│╭╮╰╯─ "))...)
	}
	if all := strings.Join(words, " "); !strings.Contains(all, "● interpreting the uploaded spreadsheet") || !strings.Contains(all, "2.0 s") {
		t.Errorf("the status or its time is not whole:\n%s", s)
	}
}
