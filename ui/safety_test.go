package ui

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/chat"
)

// onlySGR fails unless every escape sequence in a frame is SGR (colour and
// attributes) — the only kind Parley itself writes into a frame. Anything
// else (OSC titles and clipboard writes, hyperlinks, DCS, cursor moves,
// clears, C1 controls, BEL, backspace) must have come from the network.
func onlySGR(t *testing.T, frame string) {
	t.Helper()
	for i := 0; i < len(frame); i++ {
		switch c := frame[i]; {
		case c == 0x1b:
			if i+1 >= len(frame) || frame[i+1] != '[' {
				t.Fatalf("non-CSI escape at %d: %q", i, frame[i:min(len(frame), i+12)])
			}
			j := i + 2
			for j < len(frame) && (frame[j] >= '0' && frame[j] <= '9' || frame[j] == ';' || frame[j] == ':') {
				j++
			}
			if j >= len(frame) || frame[j] != 'm' {
				t.Fatalf("non-SGR CSI at %d: %q", i, frame[i:min(len(frame), j+1)])
			}
			i = j
		case c < 0x20 && c != '\n':
			t.Fatalf("control byte %#x at %d: %q", c, i, frame[max(0, i-10):min(len(frame), i+10)])
		case c == 0x7f:
			t.Fatalf("DEL at %d", i)
		}
	}
	for _, r := range frame {
		if r >= 0x80 && r <= 0x9f {
			t.Fatalf("C1 control %U in frame", r)
		}
	}
}

func TestHostileStreamNeverReachesTheTerminal(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {140, 40}} {
		m, c := newTestModel(t, size[0], size[1], Deps{})
		sendPrompt(t, m, "be evil")
		for _, ch := range recording(t, "hostile-responses.sse") {
			feed(m, c.t, ch)
			onlySGR(t, m.Render())
		}
		if m.chat.Turn() != 0 {
			t.Fatal("hostile stream did not end the turn")
		}
		s := screen(m)
		// Neutralised, not hidden: the user can see something was there.
		mustContain(t, s, "␛]52;c;ZWNobyBwd25lZA==", "Hello", "world", "● error")
		press(m, tea.KeyPressMsg{Code: tea.KeyTab})
		press(m, tea.KeyPressMsg{Code: tea.KeyTab}) // tools sidebar
		press(m, ctrl('t'))                         // expand the reasoning too
		onlySGR(t, m.Render())
		press(m, ctrl('g'))
		onlySGR(t, m.Render())
	}
}

func TestHostileErrorBeforeReply(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "x")
	m.Update(chat.RequestFailed(m.chat.Turn(), &stream.Error{Code: "x", HTTPStatus: 400,
		Message: "bad \x1b]0;title\x07 request \x1b[2J\u009b1;1H"}))
	onlySGR(t, m.Render())
	mustContain(t, screen(m), "bad ␛]0;title")
}

func TestTinyTerminalsAndResizeStorms(t *testing.T) {
	m, c := newTestModel(t, 20, 5, Deps{})
	check := func(w, h int) {
		t.Helper()
		frame := m.Render()
		if w <= 0 || h <= 0 {
			return
		}
		lines := strings.Split(frame, "\n")
		if len(lines) > h {
			t.Fatalf("%dx%d: %d lines", w, h, len(lines))
		}
		for _, l := range lines {
			if ansi.StringWidth(l) > w {
				t.Fatalf("%dx%d: line %d wide: %q", w, h, ansi.StringWidth(l), ansi.Strip(l))
			}
		}
	}
	check(20, 5)
	sendPrompt(t, m, "tiny")
	choices := recording(t, "responses-reasoning-summary-tool-3.sse")
	choices = append(choices[:len(choices)-1], recording(t, "responses-web-search-1.sse")...)
	rng := rand.New(rand.NewPCG(1, 2))
	sizes := [][2]int{{0, 0}, {1, 1}, {2, 1}, {20, 5}, {5, 20}, {1, 40}, {300, 2}, {80, 24}, {10, 3}}
	for i, ch := range choices {
		w, h := rng.IntN(160), rng.IntN(50)
		if i < len(sizes) {
			w, h = sizes[i][0], sizes[i][1]
		}
		m.Update(tea.WindowSizeMsg{Width: w, Height: h})
		feed(m, c.t, ch)
		check(w, h)
		for _, k := range []tea.KeyPressMsg{{Code: tea.KeyTab}, ctrl('t'), ctrl('b'), {Code: tea.KeyPgUp}} {
			if rng.IntN(4) == 0 {
				press(m, k)
				check(w, h)
			}
		}
		c.advance(10 * time.Millisecond)
	}
	for i := 0; i < 300; i++ { // a storm with no content changes
		w, h := rng.IntN(200), rng.IntN(60)
		m.Update(tea.WindowSizeMsg{Width: w, Height: h})
		check(w, h)
	}
}

// settle runs what a resize scheduled: the settle tick, then the
// background renders, feeding each message back as the program would.
func settle(m *Model, cmd tea.Cmd) {
	for _, msg := range runBatch(cmd) {
		switch msg.(type) {
		case settleMsg, rerenderedMsg:
			_, next := m.Update(msg)
			settle(m, next)
		}
	}
}

func TestResizeRewrapsAfterSettling(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	long := strings.Repeat("Parley re-wraps finished replies when the terminal changes size. ", 6)
	sendPrompt(t, m, "x")
	feed(m, c.t, text(long+"\n\n```go\nfmt.Println(\"hi\")\n```\n"), done(stream.StatusCompleted))
	sendPrompt(t, m, "y")
	feed(m, c.t, text("streaming "+long))

	// A storm: only the last size renders.
	var last tea.Cmd
	for w := 90; w >= 60; w -= 5 {
		_, last = m.Update(tea.WindowSizeMsg{Width: w, Height: 30})
	}
	clipped := screen(m)
	if !strings.Contains(clipped, "…") {
		t.Fatalf("before settling, rows should be clipped to the new width:\n%s", clipped)
	}
	gen := m.render.gen
	settle(m, last)
	if m.render.gen != gen+1 {
		t.Fatalf("render generations %d → %d, want exactly one render for the storm", gen, m.render.gen)
	}
	s := screen(m)
	for _, l := range strings.Split(s, "\n") {
		if ansi.StringWidth(l) > 60 {
			t.Fatalf("line wider than 60: %q", l)
		}
	}
	body := strings.Join(strings.Fields(strings.ReplaceAll(s, "│", "")), " ")
	if !strings.Contains(body, strings.TrimSpace(strings.Join(strings.Fields(long), " "))) {
		t.Fatalf("re-wrapped reply lost text:\n%s", s)
	}
	mustContain(t, s, `fmt.Println("hi")`)
	// The streaming reply keeps streaming at the new width.
	feed(m, c.t, text(" and the end."), done(stream.StatusCompleted))
	mustContain(t, screen(m), "and the end.")
}
