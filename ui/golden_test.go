package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/chat"
)

// clocked wraps the model so the test clock advances in step with the
// program's own message order: advanceMsg is handled on the program's
// goroutine, between the messages sent before and after it.
type clocked struct {
	*Model
	c *clock
}

type advanceMsg time.Duration

// probeMsg asks the program, on its own goroutine, whether its renderers
// are those of its width and what it shows.
type probeMsg chan string

// settleProgram waits until the program's renderers are built for its width and
// its screen has held still for a while: the scenario's text can show (in
// the status bar, say) before the transcript is drawn with renderers built
// off the UI goroutine, and a slow machine (the race detector) shows it.
func settleProgram(t *testing.T, tm *teatest.TestModel) {
	t.Helper()
	last, same := "", 0
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		p := make(probeMsg, 1)
		tm.Send(p)
		var got string
		select {
		case got = <-p:
		case <-time.After(5 * time.Second):
			t.Fatal("the program did not answer a probe")
		}
		if strings.HasPrefix(got, "true\n") && got == last {
			if same++; same == 3 {
				return
			}
		} else {
			same = 0
		}
		last = got
	}
	t.Fatal("the screen did not settle in 10 s")
}

func (w clocked) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if d, ok := msg.(advanceMsg); ok {
		w.c.advance(time.Duration(d))
		return w, nil
	}
	if p, ok := msg.(probeMsg); ok {
		r := w.Model.render
		ready := w.Model.transcript.renderer != nil && !r.stale && r.width == r.want
		p <- fmt.Sprint(ready) + "\n" + w.Model.Render()
		return w, nil
	}
	_, cmd := w.Model.Update(msg)
	return w, cmd
}

// scenario drives a running program into a state worth a golden file.
type scenario struct {
	name string
	// drive sends what the program would receive; c is the pinned clock.
	drive func(t *testing.T, tm *teatest.TestModel, c *clock)
	// want is on screen once the state is reached.
	want string
}

// upTo returns the choices of a recording up to (not including) the first
// of the given kind after skip of them.
func upTo(cs []stream.Choice, kind stream.Kind, skip int) []stream.Choice {
	for i, c := range cs {
		if c.Kind == kind {
			if skip == 0 {
				return cs[:i]
			}
			skip--
		}
	}
	return cs
}

var scenarios = []scenario{
	{"idle", func(*testing.T, *teatest.TestModel, *clock) {}, "Ask anything"},
	{"reasoning-tail", func(t *testing.T, tm *teatest.TestModel, c *clock) {
		tm.Type("Where is Florence?")
		tm.Send(keyEnter)
		cs := upTo(recording(t, "responses-reasoning-summary-tool-3.sse"), stream.KindReasoning, 40)
		tm.Send(advanceMsg(time.Second))
		tm.Send(chat.Batch(1, t0.Add(time.Second), cs...))
		tm.Send(advanceMsg(2 * time.Second))
	}, "Thinking…"},
	{"tools-streaming", func(t *testing.T, tm *teatest.TestModel, c *clock) {
		tm.Type("add and multiply 2 and 3")
		tm.Send(keyEnter)
		cs := upTo(recording(t, "chat-parallel-tools-1.sse"), stream.KindToolArgs, 14)
		tm.Send(advanceMsg(500 * time.Millisecond))
		tm.Send(chat.Batch(1, t0.Add(500*time.Millisecond), cs...))
		tm.Send(advanceMsg(time.Second))
	}, "GetWeatherArgs"},
	{"error", func(t *testing.T, tm *teatest.TestModel, c *clock) {
		tm.Type("hello")
		tm.Send(keyEnter)
		tm.Send(chat.RequestFailed(1, &stream.Error{Code: "insufficient_quota", HTTPStatus: 429,
			Message: "You exceeded your current quota, please check your plan and billing details."}))
	}, "exceeded your current quota"},
	// Mid-stream: the open block is drawn rendered, as it will stay.
	{"tail-table", streamed("compare them", "Here are the options:\n\n| option | score | note |\n|---|--:|---|\n| first | 142 | fast and **small** |\n| second | 87 | slow but `safe` |\n| thi"), "slow but"},
	{"tail-code", streamed("show me go", "A program:\n\n```go\npackage main\n\nfunc main() {\n\tfor i := range 3 {\n\t\tfmt.Println(\"hello\", i)\n\t}\n"), `fmt.Println("hello", i)`},
	{"tail-list", streamed("steps?", "Steps:\n\n- **Measure** the frame before you change anything at all\n- Keep finished blocks `frozen`\n  - nested: cached by width\n- Render only the ope"), "Render only the ope"},
	{"finished", func(t *testing.T, tm *teatest.TestModel, c *clock) {
		tm.Type("What's the weather in San Francisco?")
		tm.Send(keyEnter)
		tm.Send(advanceMsg(4 * time.Second))
		tm.Send(chat.Batch(1, t0.Add(4*time.Second), recording(t, "responses-web-search-1.sse")...))
	}, "jacket is useful"},
}

// streamed sends a prompt and the first part of a reply, which has not
// ended: its last block is still open.
func streamed(prompt, reply string) func(*testing.T, *teatest.TestModel, *clock) {
	return func(t *testing.T, tm *teatest.TestModel, c *clock) {
		tm.Type(prompt)
		tm.Send(keyEnter)
		tm.Send(advanceMsg(500 * time.Millisecond))
		// Two batches, so that blocks close in one and render off the UI
		// goroutine while the next streams.
		half := len(reply) / 2
		tm.Send(chat.Batch(1, t0.Add(500*time.Millisecond), stream.Choice{Kind: stream.KindText, Delta: reply[:half]}))
		tm.Send(advanceMsg(500 * time.Millisecond))
		tm.Send(chat.Batch(1, t0.Add(time.Second), stream.Choice{Kind: stream.KindText, Delta: reply[half:]}))
	}
}

// play runs a scenario through a real program (teatest) at a size and in
// a theme, and returns the model it ends with.
func play(t *testing.T, sc scenario, w, h int, theme string) *Model {
	t.Helper()
	c := &clock{t: t0}
	m := New(Deps{Client: &fakeStreamer{}, Model: "gpt-5", Theme: theme, Now: c.now, Mouse: true,
		Getenv: func(string) string { return "" }})
	tm := teatest.NewTestModel(t, clocked{m, c}, teatest.WithInitialTermSize(w, h),
		teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii),
			tea.WithEnvironment([]string{"TERM=xterm-256color"})))
	sc.drive(t, tm, c)
	// The renderer writes only changed cells, with cursor moves and
	// styles between them: compare the text without them.
	teatest.WaitFor(t, tm.Output(), func(b []byte) bool { return strings.Contains(ansi.Strip(string(b)), sc.want) },
		teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(10*time.Millisecond))
	settleProgram(t, tm)
	if err := tm.Quit(); err != nil {
		t.Fatal(err)
	}
	fm := tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(clocked).Model
	fm.shutdown()
	return fm
}

// TestGolden renders each scenario at the sizes a user is likely to have,
// plus a narrow one, as text.
func TestGolden(t *testing.T) {
	for _, size := range [][2]int{{80, 24}, {140, 40}, {50, 16}} {
		for _, sc := range scenarios {
			t.Run(fmt.Sprintf("%dx%d/%s", size[0], size[1], sc.name), func(t *testing.T) {
				golden.RequireEqual(t, screen(play(t, sc, size[0], size[1], "dark")))
			})
		}
	}
}

// TestGoldenThemes renders each scenario at 80x24 in the dark and the
// light theme with its styling, so a theme's colours are reviewed too:
// the golden files hold the frames' SGR sequences.
func TestGoldenThemes(t *testing.T) {
	for _, theme := range []string{"dark", "light"} {
		for _, sc := range scenarios {
			t.Run(theme+"/"+sc.name, func(t *testing.T) {
				fm := play(t, sc, 80, 24, theme)
				frame := fm.Render()
				onlySGR(t, frame)
				golden.RequireEqual(t, frame)
			})
		}
	}
}

// TestGoldenNarrowList: at 40x12 a list's items wrap and keep every word
// (none is cut with an ellipsis), in the dark and the light theme.
func TestGoldenNarrowList(t *testing.T) {
	reply := "- Each frame ends with a blank line whatever its width\n- Wrapped items keep every word\n"
	sc := scenario{"narrow-list", func(t *testing.T, tm *teatest.TestModel, c *clock) {
		tm.Type("rules")
		tm.Send(keyEnter)
		tm.Send(chat.Batch(1, t0, stream.Choice{Kind: stream.KindText, Delta: reply}, stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}}))
	}, "word"}
	for _, theme := range []string{"dark", "light"} {
		t.Run(theme, func(t *testing.T) {
			fm := play(t, sc, 40, 12, theme)
			frame := fm.Render()
			onlySGR(t, frame)
			plain := strings.Join(strings.Fields(ansi.Strip(frame)), " ")
			for _, w := range strings.Fields(strings.NewReplacer("-", "").Replace(reply)) {
				if !strings.Contains(plain, w) {
					t.Errorf("the list lost %q:\n%s", w, ansi.Strip(frame))
				}
			}
			body := ansi.Strip(frame)[:strings.Index(ansi.Strip(frame), "╭")] // the transcript, above the input
			if strings.Contains(body, "…") {
				t.Errorf("something is cut:\n%s", body)
			}
			golden.RequireEqual(t, frame)
		})
	}
}
