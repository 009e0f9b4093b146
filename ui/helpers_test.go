package ui

import (
	"context"
	"errors"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/chat"
)

// fakeStreamer records requests and never answers: tests feed the model
// the messages a stream would produce, with a pinned clock.
type fakeStreamer struct {
	mu   sync.Mutex
	reqs []stream.Request
	ctxs []context.Context
}

func (f *fakeStreamer) Stream(ctx context.Context, req stream.Request) (*stream.Stream, error) {
	f.mu.Lock()
	f.reqs = append(f.reqs, req)
	f.ctxs = append(f.ctxs, ctx)
	f.mu.Unlock()
	<-ctx.Done()
	return nil, &stream.Error{Code: stream.CodeCancelled, Message: "cancelled"}
}

// clock is a settable time for Deps.Now. Commands read it on their own
// goroutines (the pump stamps batches), so it locks.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

var t0 = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)

// newTestModel builds a model at a fixed size with a fake backend.
func newTestModel(t testing.TB, w, h int, deps Deps) (*Model, *clock) {
	t.Helper()
	c := &clock{t: t0}
	if deps.Client == nil {
		deps.Client = &fakeStreamer{}
	}
	if deps.Model == "" {
		deps.Model = "gpt-5"
	}
	if deps.Theme == "" {
		deps.Theme = "dark"
	}
	deps.Now = c.now
	if deps.Getenv == nil {
		deps.Getenv = func(string) string { return "" }
	}
	m := New(deps)
	m.render.inline = true
	m.Update(tea.WindowSizeMsg{Width: w, Height: h})
	return m, c
}

// typeText sends one key press per rune, as a terminal would.
func typeText(m *Model, s string) {
	for _, r := range s {
		m.Update(tea.KeyPressMsg{Code: r, Text: string(r)})
	}
}

func press(m *Model, k tea.KeyPressMsg) tea.Cmd {
	_, cmd := m.Update(k)
	return cmd
}

var (
	keyEnter = tea.KeyPressMsg{Code: tea.KeyEnter}
	keyEsc   = tea.KeyPressMsg{Code: tea.KeyEscape}
)

func ctrl(r rune) tea.KeyPressMsg { return tea.KeyPressMsg{Code: r, Mod: tea.ModCtrl} }

// sendPrompt types a prompt and presses enter; the request command is not
// run, so the turn waits for choices fed by the test.
func sendPrompt(t *testing.T, m *Model, prompt string) {
	t.Helper()
	typeText(m, prompt)
	if cmd := press(m, keyEnter); cmd == nil {
		t.Fatal("enter did not start a turn")
	}
	if m.chat.Turn() == 0 {
		t.Fatal("no turn in flight after enter")
	}
}

// feed delivers choices as one frame at the clock's time.
func feed(m *Model, at time.Time, cs ...stream.Choice) {
	m.Update(chat.Batch(m.chat.Turn(), at, cs...))
}

// recording decodes a file from testdata/streams into its choices.
func recording(t testing.TB, name string) []stream.Choice {
	t.Helper()
	f, err := os.Open("../testdata/streams/" + name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	d := stream.NewDecoder(f, stream.APIAuto)
	var out []stream.Choice
	for {
		c, err := d.Next()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
}

// screen is the rendered frame without styling, lines right-trimmed.
func screen(m *Model) string {
	lines := strings.Split(ansi.Strip(m.Render()), "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func mustContain(t *testing.T, s string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(s, w) {
			t.Errorf("screen lacks %q:\n%s", w, s)
		}
	}
}

func mustNotContain(t *testing.T, s string, bad ...string) {
	t.Helper()
	for _, w := range bad {
		if strings.Contains(s, w) {
			t.Errorf("screen has %q:\n%s", w, s)
		}
	}
}

func text(s string) stream.Choice { return stream.Choice{Kind: stream.KindText, Delta: s} }

func reasoning(s string) stream.Choice {
	return stream.Choice{Kind: stream.KindReasoning, Delta: s, Reasoning: &stream.ReasoningRef{ItemID: "rs_1"}}
}

func done(status stream.Status) stream.Choice {
	return stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: status}}
}

func usage(in, cached, out, reason int) stream.Choice {
	return stream.Choice{Kind: stream.KindUsage, Usage: &stream.Usage{Input: in, Cached: cached, Output: out, Reasoning: reason, Total: in + out}}
}

// chatFailed is the request of the reply in flight failing with msg.
func chatFailed(m *Model, msg string) tea.Msg {
	return chat.RequestFailed(m.chat.Turn(), &stream.Error{Code: "x", Message: msg})
}

// chatFeed delivers choices as feed does and returns what they started.
func (m *Model) chatFeed(c *clock, cs ...stream.Choice) tea.Cmd {
	_, cmd := m.Update(chat.Batch(m.chat.Turn(), c.t, cs...))
	return cmd
}

// quits reports whether a command quits the program.
func quits(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	_, ok := cmd().(tea.QuitMsg)
	return ok
}
