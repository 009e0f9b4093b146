package ui

import (
	"fmt"
	"image/color"
	"reflect"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/prompt"
)

func TestSendShowsPromptAndWaits(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "hello there")
	if m.input.Value() != "" {
		t.Fatalf("input not cleared: %q", m.input.Value())
	}
	s := screen(m)
	mustContain(t, s, "You", "hello there", "● waiting", "gpt-5")
}

func TestReasoningTailThenCollapses(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "why?")
	c.advance(300 * time.Millisecond)
	feed(m, c.t, reasoning("**Planning**\n\nFirst I consider the sky."), reasoning(" Then the sea."))
	c.advance(2 * time.Second)
	s := screen(m)
	mustContain(t, s, "▾ Thinking… 2.0 s", "│ Planning", "Then the sea.", "● streaming")

	feed(m, c.t, text("The answer is **blue**."))
	s = screen(m)
	mustContain(t, s, "▸ Thought for 2.0 s", "The answer is")
	mustNotContain(t, s, "Then the sea.")

	c.advance(time.Second)
	feed(m, c.t, usage(20, 0, 300, 256), done(stream.StatusCompleted))
	s = screen(m)
	mustContain(t, s, "▸ Thought for 2.0 s · 256 reasoning tokens", "● done", "(256 reasoning)")

	// The toggle expands the finished reply's reasoning, and collapses it again.
	press(m, ctrl('t'))
	mustContain(t, screen(m), "▾ Thought for", "Then the sea.")
	press(m, ctrl('t'))
	mustNotContain(t, screen(m), "Then the sea.")
}

func TestReasoningWithoutSummaryShowsTokens(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "hi")
	c.advance(3 * time.Second)
	feed(m, c.t, text("Hello."), usage(10, 0, 600, 512), done(stream.StatusCompleted))
	mustContain(t, screen(m), "▸ Thought for 3.0 s · 512 reasoning tokens (no summary)")
}

func TestToolCardStreamsArguments(t *testing.T) {
	m, c := newTestModel(t, 140, 40, Deps{})
	sendPrompt(t, m, "weather?")
	start := stream.Choice{Kind: stream.KindToolStart, Tool: &stream.ToolRef{ItemID: "fc_1", CallID: "call_1", Name: "get_weather", Kind: stream.ToolFunction}}
	arg := func(s string) stream.Choice {
		return stream.Choice{Kind: stream.KindToolArgs, Delta: s, Tool: &stream.ToolRef{ItemID: "fc_1"}}
	}
	feed(m, c.t, start, arg(`{"ci`), arg(`ty": "Par`))
	c.advance(1200 * time.Millisecond)
	s := screen(m)
	mustContain(t, s, "Tool calls · 1", "get_weather function", "● streaming arguments", `"city": "Par`, "13 B · 1.2 s")

	feed(m, c.t, arg(`is", "units": "c"}`), stream.Choice{Kind: stream.KindToolDone, Tool: &stream.ToolRef{ItemID: "fc_1", CallID: "call_1", Name: "get_weather", Kind: stream.ToolFunction, Arguments: `{"city": "Paris", "units": "c"}`}})
	s = screen(m)
	mustContain(t, s, "● complete", `"city": "Paris",`, `"units": "c"`)
	feed(m, c.t, done(stream.StatusCompleted))
	mustContain(t, screen(m), "⚙ called get_weather")
}

func TestNarrowTerminalFoldsSidebar(t *testing.T) {
	m, c := newTestModel(t, 80, 24, Deps{})
	sendPrompt(t, m, "weather?")
	feed(m, c.t, stream.Choice{Kind: stream.KindToolStart, Tool: &stream.ToolRef{ItemID: "fc_1", Name: "get_weather", Kind: stream.ToolFunction}},
		stream.Choice{Kind: stream.KindToolArgs, Delta: `{"city":`, Tool: &stream.ToolRef{ItemID: "fc_1"}})
	s := screen(m)
	mustContain(t, s, "⚙ 1 tool call: get_weather streaming arguments 8 B")
	mustNotContain(t, s, "Tool calls · 1")
	// Hiding the sidebar on a wide terminal also folds it.
	m.Update(tea.WindowSizeMsg{Width: 140, Height: 40})
	mustContain(t, screen(m), "Tool calls · 1")
	press(m, ctrl('b'))
	mustNotContain(t, screen(m), "Tool calls · 1")
	mustContain(t, screen(m), "⚙ 1 tool call")
}

func TestEscTwiceCancelsKeepingPartialReply(t *testing.T) {
	f := &fakeStreamer{}
	m, c := newTestModel(t, 100, 30, Deps{Client: f})
	sendPrompt(t, m, "long story")
	feed(m, c.t, text("Once upon a time"))
	reply := m.chat.Streaming()
	press(m, keyEsc)
	if reply.Cancelled {
		t.Fatal("one esc cancelled the reply")
	}
	mustContain(t, screen(m), "Press esc again to cancel")
	c.advance(500 * time.Millisecond)
	press(m, keyEsc)
	if !reply.Cancelled {
		t.Fatal("second esc did not cancel")
	}
	// The cancel takes effect at once: what the stream still sends is dropped.
	if m.chat.Turn() != 0 {
		t.Fatal("turn still in flight")
	}
	feed(m, c.t, text(" there was more"))
	s := screen(m)
	mustContain(t, s, "Once upon a time", "⊘ cancelled", "● cancelled")
	mustNotContain(t, s, "there was more")
}

func TestEscTooSlowDoesNotCancel(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "x")
	press(m, keyEsc)
	c.advance(3 * time.Second)
	press(m, keyEsc)
	if m.chat.Streaming() == nil || m.chat.Streaming().Cancelled {
		t.Fatal("two esc presses 3 s apart cancelled")
	}
}

func TestCtrlCCancelsWhileStreamingThenQuits(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "x")
	if cmd := press(m, ctrl('c')); cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("ctrl+c while streaming must cancel, not quit")
		}
	}
	if m.chat.Busy() {
		t.Fatal("ctrl+c did not cancel")
	}
	// The prompt came back to the input: ctrl+c clears it first.
	if m.input.Value() != "x" {
		t.Fatalf("input = %q, want the cancelled prompt back", m.input.Value())
	}
	press(m, ctrl('c'))
	mustContain(t, screen(m), "Draft cleared")
	cmd := press(m, ctrl('c'))
	if cmd == nil {
		t.Fatal("ctrl+c when idle must quit")
	}
	if _, ok := cmd().(tea.QuitMsg); !ok {
		t.Fatal("ctrl+c did not quit")
	}
}

func TestFailedRequestKeepsPromptAndRetries(t *testing.T) {
	f := &fakeStreamer{}
	m, _ := newTestModel(t, 100, 30, Deps{Client: f})
	sendPrompt(t, m, "explain monads")
	m.Update(chat.RequestFailed(m.chat.Turn(), &stream.Error{Code: "rate_limit_exceeded", HTTPStatus: 429,
		Message: "Rate limit reached for gpt-5 on requests per min. Please try again in 20s."}))
	if got := m.input.Value(); got != "explain monads" {
		t.Fatalf("prompt not kept in the input: %q", got)
	}
	s := screen(m)
	mustContain(t, s, "explain monads", "Rate limit reached for gpt-5", "ctrl+r retries", "● error")
	if len(m.chat.Conversation().Messages) != 1 || !m.chat.Conversation().Messages[0].Failed {
		t.Fatalf("conversation = %+v", m.chat.Conversation().Messages)
	}
	cmd := press(m, ctrl('r'))
	if cmd == nil || m.chat.Turn() == 0 {
		t.Fatal("retry did not start a turn")
	}
	if m.input.Value() != "" {
		t.Fatalf("input still holds the retried prompt: %q", m.input.Value())
	}
	req := m.chat.Conversation().Request("gpt-5", "", nil)
	if len(req.Input) != 1 || req.Input[0].Text != "explain monads" {
		t.Fatalf("retried request input = %+v", req.Input)
	}
	if strings.Count(screen(m), "explain monads") != 1 {
		t.Fatalf("prompt shown twice after retry:\n%s", screen(m))
	}
}

func TestStreamErrorShownWithPartialText(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "x")
	feed(m, c.t, text("Partial answer"),
		stream.Choice{Kind: stream.KindError, Err: &stream.Error{Code: stream.CodeDropped, Message: "The connection dropped mid-reply (read: connection reset by peer); the reply so far is kept."}},
		done(stream.StatusTruncated))
	mustContain(t, screen(m), "Partial answer", "✗ The connection dropped mid-reply", "● error")
}

func TestStatusBarUsageCostAndContext(t *testing.T) {
	m, c := newTestModel(t, 160, 30, Deps{Model: "gpt-5"})
	sendPrompt(t, m, "x")
	c.advance(400 * time.Millisecond)
	feed(m, c.t, stream.Choice{Kind: stream.KindMeta, Meta: &stream.Meta{Model: "gpt-5-2025-08-07"}}, text("ok"))
	c.advance(2 * time.Second)
	feed(m, c.t, usage(9463, 8320, 582, 512), done(stream.StatusCompleted))
	s := screen(m)
	mustContain(t, s, "in 9,463", "(8,320 cached)", "out 582", "(512 reasoning)", "ttft 0.4 s", "35 tok/s", "ctx 3% of 400.0k")
	// (9463-8320)*1.25 + 8320*0.125 + 582*10 per million = $0.0083
	mustContain(t, s, "$0.0083")
	sendPrompt(t, m, "again")
	feed(m, c.t, text("ok"), usage(100, 0, 10, 0), done(stream.StatusCompleted))
	mustContain(t, screen(m), "Σ in 9,563 out 592", "$0.0002 Σ $0.0085")
}

func TestUnknownModelShowsNoCost(t *testing.T) {
	m, c := newTestModel(t, 160, 30, Deps{Model: "llama3.2"})
	sendPrompt(t, m, "x")
	feed(m, c.t, text("ok"), usage(100, 0, 10, 0), done(stream.StatusCompleted))
	s := screen(m)
	mustContain(t, s, "in 100", "out 10")
	mustNotContain(t, s, "$", "ctx")
}

func TestNewlineKeysAndEnterSends(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{})
	typeText(m, "a")
	press(m, tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModShift})
	typeText(m, "b")
	press(m, tea.KeyPressMsg{Code: tea.KeyEnter, Mod: tea.ModAlt})
	typeText(m, "c")
	press(m, ctrl('j'))
	typeText(m, "d")
	if got := m.input.Value(); got != "a\nb\nc\nd" {
		t.Fatalf("input = %q", got)
	}
	press(m, keyEnter)
	if m.chat.Turn() == 0 || m.chat.Conversation().Messages[0].Text != "a\nb\nc\nd" {
		t.Fatal("enter did not send the multi-line prompt")
	}
}

func TestUpRecallsEarlierPrompts(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	for _, p := range []string{"first", "second"} {
		sendPrompt(t, m, p)
		feed(m, c.t, text("ok"), done(stream.StatusCompleted))
	}
	up, down := tea.KeyPressMsg{Code: tea.KeyUp}, tea.KeyPressMsg{Code: tea.KeyDown}
	press(m, up)
	if m.input.Value() != "second" {
		t.Fatalf("up = %q", m.input.Value())
	}
	press(m, up)
	if m.input.Value() != "first" {
		t.Fatalf("up up = %q", m.input.Value())
	}
	press(m, down)
	press(m, down)
	if m.input.Value() != "" {
		t.Fatalf("down down = %q, want the empty draft", m.input.Value())
	}
}

func TestLargePasteBecomesALabelAndIsSentWhole(t *testing.T) {
	f := &fakeStreamer{}
	m, _ := newTestModel(t, 100, 30, Deps{Client: f})
	var b strings.Builder
	for i := 0; i < 5000; i++ {
		b.WriteString("line of pasted text\r\n")
	}
	typeText(m, "review this: ")
	m.Update(tea.PasteMsg{Content: b.String()})
	// The input holds a chip for it.
	if c := m.input.Chips(); len(c) != 1 || c[0].Kind != prompt.KindPaste {
		t.Fatalf("chips after a large paste: %+v", c)
	}
	mustContain(t, screen(m), "review this: [paste #1: 5,000 lines, 97.7 KB]")
	got := m.input.Value()
	if strings.Count(got, "\n") != 5000 || strings.Contains(got, "\r") || !strings.HasPrefix(got, "review this: line of pasted text\n") {
		t.Fatalf("expanded draft has %d newlines", strings.Count(got, "\n"))
	}
	typeText(m, " thanks")
	press(m, keyEnter)
	sent := m.chat.Conversation().Messages[0].Text
	if strings.Count(sent, "line of pasted text") != 5000 || !strings.HasSuffix(sent, " thanks") {
		t.Fatalf("sent prompt lost the paste: %d copies", strings.Count(sent, "line of pasted text"))
	}
	// A small paste goes in as it is.
	m.Update(tea.PasteMsg{Content: "a\nb"})
	if m.input.Value() != "a\nb" || len(m.input.Chips()) != 0 {
		t.Fatalf("small paste = %q", m.input.Value())
	}
}

func TestHelpOverlayListsKeys(t *testing.T) {
	m, _ := newTestModel(t, 100, 60, Deps{})
	press(m, ctrl('g'))
	s := screen(m)
	mustContain(t, s, "Keys", "Global", "cancel reply", "Transcript", "copy code", "Tools sidebar")
	press(m, keyEsc)
	mustNotContain(t, screen(m), "copy code")
}

func TestTranscriptFocusAndCopy(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "code please")
	feed(m, c.t, text("Here:\n\n```go\nfmt.Println(1)\n```\n\nand\n\n```sh\nls\n```\n"), done(stream.StatusCompleted))
	press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	if m.focus != focusTranscript || m.transcript.focused() == nil || m.transcript.focused().md == nil {
		t.Fatal("tab did not focus the newest reply")
	}
	if !strings.Contains(m.Render(), "▌") {
		t.Fatal("focused message is not marked")
	}
	for i, want := range []string{"code block 1 of 2", "code block 2 of 2", "code block 1 of 2"} {
		press(m, tea.KeyPressMsg{Code: 'c', Text: "c"})
		if !strings.Contains(screen(m), want) {
			t.Fatalf("copy %d: want %q in\n%s", i, want, screen(m))
		}
	}
	press(m, tea.KeyPressMsg{Code: 'k', Text: "k"})
	if m.transcript.focused().md != nil {
		t.Fatal("k did not move to the prompt")
	}
}

// runBatch runs a command and the commands of any batch it returns,
// collecting the messages.
func runBatch(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range b {
			out = append(out, runBatch(c)...)
		}
		return out
	}
	// tea.Sequence's message is an unexported []tea.Cmd: run its commands
	// in order, as Bubble Tea would.
	if v := reflect.ValueOf(msg); v.Kind() == reflect.Slice && v.Type().Elem() == reflect.TypeFor[tea.Cmd]() {
		var out []tea.Msg
		for i := range v.Len() {
			out = append(out, runBatch(v.Index(i).Interface().(tea.Cmd))...)
		}
		return out
	}
	return []tea.Msg{msg}
}

func TestCopyWritesOSC52AndTmuxPassthrough(t *testing.T) {
	for _, inTmux := range []bool{false, true} {
		env := func(k string) string {
			if k == "TMUX" && inTmux {
				return "/tmp/tmux-0/default,1,0"
			}
			return ""
		}
		m, c := newTestModel(t, 100, 30, Deps{Getenv: env})
		sendPrompt(t, m, "x")
		feed(m, c.t, text("the reply"), done(stream.StatusCompleted))
		msgs := runBatch(press(m, ctrl('y')))
		var clip, raw int
		for _, msg := range msgs {
			switch v := msg.(type) {
			case tea.RawMsg:
				// tmux passthrough: DCS tmux; ESC-doubled OSC 52 ST
				s, _ := v.Msg.(string)
				if strings.HasPrefix(s, "\x1bPtmux;\x1b\x1b]52;c;dGhlIHJlcGx5") {
					raw++
				}
			default:
				if fmt.Sprintf("%T", msg) == "tea.setClipboardMsg" && fmt.Sprint(msg) == "the reply" {
					clip++
				}
			}
		}
		if clip != 1 {
			t.Errorf("tmux=%v: no OSC 52 clipboard write in %#v", inTmux, msgs)
		}
		if want := boolInt(inTmux); raw != want {
			t.Errorf("tmux=%v: %d passthrough writes, want %d", inTmux, raw, want)
		}
		mustContain(t, screen(m), "Copied the last reply")
	}
}

func TestThemeFollowsTerminalBackground(t *testing.T) {
	m, _ := newTestModel(t, 80, 24, Deps{Theme: ""})
	m.deps.Theme = ""
	m2 := New(Deps{Client: &fakeStreamer{}, Model: "m", Now: func() time.Time { return t0 }, Getenv: func(string) string { return "" }})
	m2.Update(tea.WindowSizeMsg{Width: 80, Height: 24})
	if !m2.look.palette.Dark {
		t.Fatal("default theme before the terminal answers should be dark")
	}
	m2.Update(tea.BackgroundColorMsg{Color: color.White})
	if m2.look.palette.Dark || m2.look.palette.Name != "light" {
		t.Fatalf("light background gave theme %q", m2.look.palette.Name)
	}
	// A theme chosen with --theme stays.
	m.Update(tea.BackgroundColorMsg{Color: color.White})
	if m.look.palette.Name != "dark" {
		t.Fatalf("--theme dark was overridden by the background: %q", m.look.palette.Name)
	}
}

func TestKeyboardEnhancementsSwitchNewlineHelp(t *testing.T) {
	m, _ := newTestModel(t, 160, 24, Deps{})
	mustContain(t, screen(m), "ctrl+j newline")
	m.Update(tea.KeyboardEnhancementsMsg{Flags: 1})
	mustContain(t, screen(m), "shift+enter newline")
}

func TestCitationsBecomeNumberedLinks(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{WebSearch: true})
	sendPrompt(t, m, "news?")
	cite := func(url, title string) stream.Choice {
		return stream.Choice{Kind: stream.KindAnnotation, Annotation: &stream.Annotation{Type: "url_citation", URL: url, Title: title}}
	}
	feed(m, c.t, text("Two things happened."), cite("https://a.example/1", "First \x1b]0;x\x07story"),
		cite("https://b.example/2", ""), cite("https://a.example/1", "First story"), done(stream.StatusCompleted))
	s := screen(m)
	mustContain(t, s, "Sources", "[1] First ␛]0;x\uFFFDstory — https://a.example/1", "[2] https://b.example/2 — https://b.example/2")
	mustNotContain(t, s, "[3]")
	onlySGRAndLinks(t, m.Render(), "https://a.example/1", "https://b.example/2")
}

func TestEditAnEarlierPromptAndResend(t *testing.T) {
	f := &fakeStreamer{}
	m, c := newTestModel(t, 100, 30, Deps{Client: f})
	for _, p := range []string{"first question", "second question"} {
		sendPrompt(t, m, p)
		feed(m, c.t, text("answer to "+p), done(stream.StatusCompleted))
	}
	press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	for i := 0; i < 3; i++ { // newest reply → second prompt → first reply → first prompt
		press(m, tea.KeyPressMsg{Code: 'k', Text: "k"})
	}
	if e := m.transcript.focused(); e == nil || e.msg.Text != "first question" {
		t.Fatalf("focus is on %+v", e)
	}
	press(m, tea.KeyPressMsg{Code: 'e', Text: "e"})
	if m.focus != focusInput || m.input.Value() != "first question" {
		t.Fatalf("edit: focus %v, input %q", m.focus, m.input.Value())
	}
	typeText(m, ", rephrased")
	press(m, keyEnter)
	var texts []string
	for _, msg := range m.chat.Conversation().Messages {
		texts = append(texts, string(msg.Role)+":"+msg.Text)
	}
	if len(m.chat.Conversation().Messages) != 2 || m.chat.Conversation().Messages[0].Text != "first question, rephrased" {
		t.Fatalf("conversation after edit = %v", texts)
	}
	s := screen(m)
	mustNotContain(t, s, "second question", "answer to first question")
	mustContain(t, s, "first question, rephrased")
}

func TestEscCancelsAnEdit(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "q")
	feed(m, c.t, text("a"), done(stream.StatusCompleted))
	press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	press(m, tea.KeyPressMsg{Code: 'k', Text: "k"})
	press(m, tea.KeyPressMsg{Code: 'e', Text: "e"})
	press(m, keyEsc)
	if m.chat.Editing() != nil || m.input.Value() != "" {
		t.Fatalf("esc left the edit: %v %q", m.chat.Editing() != nil, m.input.Value())
	}
	if len(m.chat.Conversation().Messages) != 2 {
		t.Fatal("a cancelled edit changed the conversation")
	}
}

func TestRegenerateAReply(t *testing.T) {
	f := &fakeStreamer{}
	m, c := newTestModel(t, 100, 30, Deps{Client: f})
	sendPrompt(t, m, "tell me a joke")
	feed(m, c.t, text("a bad joke"), done(stream.StatusCompleted))
	press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	cmd := press(m, tea.KeyPressMsg{Code: 'r', Text: "r"})
	if cmd == nil || m.chat.Turn() == 0 {
		t.Fatal("regenerate did not start a turn")
	}
	mustNotContain(t, screen(m), "a bad joke")
	req := lastRequest(t, f, cmd, m)
	if len(req.Input) != 1 || req.Input[0].Text != "tell me a joke" {
		t.Fatalf("regenerated request = %+v", req.Input)
	}
}

func TestPromptTypedWhileStreamingIsQueued(t *testing.T) {
	f := &fakeStreamer{}
	m, c := newTestModel(t, 120, 30, Deps{Client: f})
	sendPrompt(t, m, "first")
	feed(m, c.t, text("partial"))
	typeText(m, "second")
	if cmd := press(m, keyEnter); cmd != nil {
		t.Fatal("enter while streaming must not start a turn")
	}
	mustContain(t, screen(m), "1 queued", "Queued")
	if m.input.Value() != "" {
		t.Fatalf("the queued prompt stayed in the input: %q", m.input.Value())
	}
	first := m.chat.Turn()
	feed(m, c.t, done(stream.StatusCompleted))
	if m.chat.Turn() == 0 || m.chat.Turn() == first || m.chat.Conversation().Messages[2].Text != "second" {
		t.Fatalf("the queued prompt was not sent after the reply: %+v", m.chat.Conversation().Messages)
	}
	mustNotContain(t, screen(m), "queued")
}

func TestCancelPutsQueuedPromptsBack(t *testing.T) {
	m, c := newTestModel(t, 120, 30, Deps{})
	sendPrompt(t, m, "first")
	typeText(m, "second")
	press(m, keyEnter)
	typeText(m, "draft")
	press(m, ctrl('c')) // cancel the reply
	feed(m, c.t, stream.Choice{Kind: stream.KindError, Err: &stream.Error{Code: stream.CodeCancelled, Message: "Cancelled"}}, done(stream.StatusTruncated))
	if m.chat.Busy() {
		t.Fatal("a queued prompt was sent after a cancel")
	}
	if got := m.input.Value(); got != "second\n\ndraft" {
		t.Fatalf("input = %q, want the queued prompt back before the draft", got)
	}
}

func TestHelpOverlayScrollsOnSmallTerminals(t *testing.T) {
	m, _ := newTestModel(t, 80, 24, Deps{})
	press(m, ctrl('g'))
	s := screen(m)
	mustNotContain(t, s, "yes, delete") // the session keys are below the fold
	mustContain(t, s, "↓ lines 1–")
	for i := 0; i < 200; i++ {
		press(m, tea.KeyPressMsg{Code: tea.KeyDown})
	}
	mustContain(t, screen(m), "yes, delete", "scroll down", "Shift+drag")
	mustNotContain(t, screen(m), "↓ lines")
	press(m, keyEsc)
	if _, open := find[*helpOverlay](m.overlays); open {
		t.Fatal("esc did not close the help")
	}
}
