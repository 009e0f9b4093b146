package ui

import (
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
)

func key1(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Text: string(r)} }

var keyTab = tea.KeyPressMsg{Code: tea.KeyTab}

// A printable key in the transcript goes to the input, with the focus,
// unless it is one of the transcript's own actions, which its footer lists.
func TestPrintableKeysInAPaneGoToTheInput(t *testing.T) {
	m, c := newTestModel(t, 120, 30, Deps{})
	sendPrompt(t, m, "think about why the sky is blue")
	feed(m, c.t, text("Rayleigh scattering."), done(stream.StatusCompleted))
	press(m, keyTab)
	if m.focus != focusTranscript {
		t.Fatal("tab did not focus the transcript")
	}
	mustContain(t, screen(m), "transcript: y copy • c copy code • e edit & resend • r regenerate • f fork")
	typeText(m, "hello")
	if m.focus != focusInput || m.input.Value() != "hello" {
		t.Fatalf("typing in the transcript: focus %v, input %q", m.focus, m.input.Value())
	}
	// The sidebar too.
	press(m, keyEsc)
	m.input.SetValue("")
	press(m, keyTab)
	press(m, keyTab)
	if m.focus != focusTools {
		t.Fatal("tab tab did not focus the sidebar")
	}
	typeText(m, "zz")
	if m.focus != focusInput || m.input.Value() != "zz" {
		t.Fatalf("typing in the sidebar: focus %v, input %q", m.focus, m.input.Value())
	}
}

// The focus moves only on the user's keys: a reply arriving, a session
// opening at a search hit, or tool calls arriving while the user types
// leave it where it is.
func TestBackgroundEventsNeverMoveTheFocus(t *testing.T) {
	m, c := newTestModel(t, 120, 30, Deps{})
	sendPrompt(t, m, "use tools")
	typeText(m, "next questi")
	feed(m, c.t, stream.Choice{Kind: stream.KindToolStart, Tool: &stream.ToolRef{ItemID: "fc", CallID: "c", Name: "get_weather", Kind: stream.ToolFunction}},
		stream.Choice{Kind: stream.KindToolDone, Tool: &stream.ToolRef{ItemID: "fc", CallID: "c", Name: "get_weather", Kind: stream.ToolFunction, Arguments: `{}`}},
		done(stream.StatusCompleted))
	if m.focus != focusInput || m.overlays.top() != nil || m.input.Value() != "next questi" {
		t.Fatalf("focus %v, overlay %T, input %q", m.focus, m.overlays.top(), m.input.Value())
	}
}

// ctrl+c with a draft clears it (input history keeps it); again quits.
func TestCtrlCNeverLosesADraft(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{})
	typeText(m, "a long draft")
	if quits(press(m, ctrl('c'))) {
		t.Fatal("ctrl+c quit with a draft in the input")
	}
	if m.input.Value() != "" {
		t.Fatalf("draft still there: %q", m.input.Value())
	}
	mustContain(t, screen(m), "Draft cleared (↑ brings it back) · ctrl+c again quits")
	press(m, tea.KeyPressMsg{Code: tea.KeyUp})
	if m.input.Value() != "a long draft" {
		t.Fatalf("up did not bring the draft back: %q", m.input.Value())
	}
	m.input.SetValue("")
	if !quits(press(m, ctrl('c'))) {
		t.Fatal("ctrl+c on an empty input did not quit")
	}
}

// A ctrl+c pressed while a reply streamed but handled after it ended was
// meant to cancel it: it never quits.
func TestLateCtrlCDoesNotQuit(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "hi")
	feed(m, c.t, text("hello"), done(stream.StatusCompleted))
	c.advance(200 * time.Millisecond)
	if quits(press(m, ctrl('c'))) {
		t.Fatal("a ctrl+c just after the reply ended quit the app")
	}
	mustContain(t, screen(m), "The reply had already ended · ctrl+c again quits")
	c.advance(100 * time.Millisecond)
	if !quits(press(m, ctrl('c'))) {
		t.Fatal("a second ctrl+c did not quit")
	}
}

// After a failed request the prompt is back in the input; enter replaces
// the failed turn rather than adding a second copy.
func TestEnterOnAFailedPromptReplacesIt(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "explain monads")
	m.Update(chatFailed(m, "Rate limit reached"))
	if m.input.Value() != "explain monads" {
		t.Fatalf("input %q", m.input.Value())
	}
	press(m, keyEnter)
	if n := strings.Count(screen(m), "explain monads"); n != 1 {
		t.Fatalf("the prompt shows %d times:\n%s", n, screen(m))
	}
	if msgs := m.chat.Messages(); len(msgs) != 2 || msgs[0].Failed {
		t.Fatalf("conversation: %d messages, first failed %v", len(msgs), msgs[0].Failed)
	}
}

// ctrl+b opens the sidebar at every width: a column when there is room, a
// full-width drawer with the focus when there is not.
func TestToggleSidebarAtEveryWidth(t *testing.T) {
	m, c := newTestModel(t, 60, 20, Deps{})
	sendPrompt(t, m, "weather?")
	feed(m, c.t, stream.Choice{Kind: stream.KindToolStart, Tool: &stream.ToolRef{ItemID: "fc_1", Name: "get_weather", Kind: stream.ToolFunction}},
		stream.Choice{Kind: stream.KindToolArgs, Delta: `{"city": "Paris"}`, Tool: &stream.ToolRef{ItemID: "fc_1"}})
	mustNotContain(t, screen(m), "Tool calls · 1")
	press(m, ctrl('b'))
	s := screen(m)
	mustContain(t, s, "Tool calls · 1", `"city": "Paris"`, "tools:")
	if m.focus != focusTools || !m.layout.drawer {
		t.Fatalf("drawer: focus %v, drawer %v", m.focus, m.layout.drawer)
	}
	press(m, ctrl('b'))
	if m.focus != focusInput || m.layout.drawer {
		t.Fatal("ctrl+b did not close the drawer")
	}
}

// Parley's own failures (a renderer for a 3x2 terminal) never reach the
// screen.
func TestInternalErrorsStayOffScreen(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "x")
	feed(m, c.t, text("some **markdown**"), done(stream.StatusCompleted))
	settle(m, nil)
	_, cmd := m.Update(tea.WindowSizeMsg{Width: 3, Height: 2})
	settle(m, cmd)
	_, cmd = m.Update(tea.WindowSizeMsg{Width: 100, Height: 30})
	settle(m, cmd)
	s := screen(m)
	mustNotContain(t, s, "renderer", "width must be")
	mustContain(t, s, "markdown")
}

// The help overlay's columns never run into each other, at any width: the
// gap between them stays blank on every row.
func TestHelpColumnsNeverBleed(t *testing.T) {
	for _, w := range []int{60, 80, 100, 120, 140, 200} {
		m, _ := newTestModel(t, w, 80, Deps{})
		press(m, ctrl('g'))
		s := screen(m)
		mustContain(t, s, "shift+enter/", "alt+enter/", "ctrl+j", "newline", "copy code")
		st := m.look.styles.Overlay
		inner := min(w, helpMaxWidth) - st.GetHorizontalFrameSize()
		if inner < helpTwoColumns {
			continue
		}
		col := (inner - helpColumnGap) / 2
		gap := st.GetBorderLeftSize() + st.GetPaddingLeft() + col
		for _, line := range strings.Split(s, "\n") {
			r := []rune(line)
			if len(r) < gap+helpColumnGap || !strings.HasPrefix(line, "│") || strings.Contains(line, "Shift+drag") {
				continue
			}
			if g := string(r[gap : gap+helpColumnGap]); strings.TrimSpace(g) != "" {
				t.Errorf("%d columns: the gap holds %q in %q", w, g, line)
			}
		}
	}
}
