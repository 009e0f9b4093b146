package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/history"
	"github.com/parley-tui/parley/stream"
)

// The terminal's cursor stands where the next character goes, inside the
// input's box, and only while the input has the focus.
func TestCursorIsTheTerminals(t *testing.T) {
	m, _ := newTestModel(t, 80, 24, Deps{})
	typeText(m, "héllo 中文")
	v := m.View()
	l := m.layout
	// The border and a space, "héllo " (6 cells) and 中文 (4).
	if v.Cursor == nil || v.Cursor.X != 12 || v.Cursor.Y != l.input.y+1 {
		t.Fatalf("cursor %+v, input box at row %d", v.Cursor, l.input.y)
	}
	line := strings.Split(screen(m), "\n")[v.Cursor.Y]
	if !strings.HasPrefix(line, "│ héllo 中文") {
		t.Fatalf("the cursor's row is %q", line)
	}
	press(m, ctrl('g'))
	if m.View().Cursor != nil {
		t.Error("the cursor shows under the help")
	}
	press(m, keyEsc)
	press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	if m.View().Cursor != nil {
		t.Error("the cursor shows while the transcript has the focus")
	}
}

// Nothing the input does schedules work by itself: no blink to redraw.
func TestIdleInputSchedulesNothing(t *testing.T) {
	m, _ := newTestModel(t, 80, 24, Deps{})
	typeText(m, "a draft")
	for _, msg := range []tea.Msg{nil, tea.FocusMsg{}, struct{}{}} {
		if _, cmd := m.Update(msg); cmd != nil {
			if msgs := runBatch(cmd); len(msgs) > 0 {
				t.Errorf("%T scheduled %v", msg, msgs)
			}
		}
	}
}

// The history file is read at start (up recalls a prompt of an earlier
// run) and each prompt sent is added to it; with --no-save it is read and
// left as it was.
func TestHistoryFileAcrossRuns(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	file := history.Open(path, history.Limits{})
	run := func(readOnly bool) *Model {
		m, _ := newTestModel(t, 80, 24, Deps{History: file, HistoryReadOnly: readOnly})
		pump(t, m, m.Init())
		return m
	}
	m := run(false)
	typeText(m, "from the first run")
	pump(t, m, press(m, keyEnter)) // sends, and writes the history
	m.chat.Shutdown()
	entries, err := file.Load()
	if err != nil || len(entries) != 1 || entries[0].Text() != "from the first run" {
		t.Fatalf("after sending: %+v, %v", entries, err)
	}

	m = run(true)
	press(m, keyUp)
	if m.input.Value() != "from the first run" {
		t.Fatalf("up in the next run = %q", m.input.Value())
	}
	m.input.Reset()
	typeText(m, "not kept")
	press(m, keyEnter)
	m.chat.Shutdown()
	if entries, _ := file.Load(); len(entries) != 1 {
		t.Fatalf("--no-save wrote the history: %+v", entries)
	}
}

// Sending an attachment recalled from the history reads the file again
// (the history keeps its path, not its bytes); a file gone by then says
// so and the draft stays.
func TestRecalledAttachmentIsReadAgain(t *testing.T) {
	dir := project(t)
	path := filepath.Join(t.TempDir(), "history.jsonl")
	file := history.Open(path, history.Limits{})
	f := &fakeStreamer{}
	m := finderModel(t, 100, 24, dir, f)
	m.deps.History = file
	typeIn(t, m, "what is @notes")
	pressIn(t, m, keyEnter)
	pump(t, m, press(m, keyEnter))
	waitRequest(t, f, 1)
	m.chat.Shutdown()

	f = &fakeStreamer{}
	m = finderModel(t, 100, 24, dir, f)
	m.deps.History = file
	pump(t, m, m.loadHistory())
	press(m, keyUp)
	c := fileChips(m)
	if len(c) != 1 || c[0].Payload != nil || c[0].Ref != filepath.Join(dir, "notes.txt") {
		t.Fatalf("recalled chips %+v", c)
	}
	pump(t, m, press(m, keyEnter)) // reads the file, then sends
	sent := waitRequest(t, f, 1)
	if !strings.Contains(sent.Input[0].Text, "File: notes.txt\n```\nfirst line") {
		t.Fatalf("sent %q", sent.Input[0].Text)
	}

	m.chat.Shutdown()

	// The file is gone: the prompt stays.
	m = finderModel(t, 100, 24, dir, nil)
	m.deps.History = file
	pump(t, m, m.loadHistory())
	press(m, keyUp)
	os.Remove(filepath.Join(dir, "notes.txt"))
	pump(t, m, press(m, keyEnter))
	mustContain(t, screen(m), "cannot attach notes.txt: there is no such file")
	if m.input.Value() != "what is notes.txt " || len(fileChips(m)) != 1 {
		t.Fatalf("draft %q, chips %+v", m.input.Value(), m.input.Chips())
	}
}

// The editor key on a paste chip edits that paste alone: its text goes
// to the file, and the edited text comes back into the chip, whose label
// says its new size.
func TestEditorEditsThePasteUnderTheCursor(t *testing.T) {
	m, _ := newTestModel(t, 100, 24, Deps{})
	typeText(m, "review ")
	m.Update(tea.PasteMsg{Content: strings.Repeat("line\n", 20)})
	typeText(m, " now")
	for range " now" {
		press(m, keyLeft)
	}
	msgs := runBatch(press(m, ctrl('o')))
	if len(msgs) != 1 {
		t.Fatalf("editor key: %v", msgs)
	}
	df := msgs[0].(draftFileMsg)
	data, err := os.ReadFile(df.path)
	os.Remove(df.path)
	if err != nil || string(data) != strings.Repeat("line\n", 20) {
		t.Fatalf("the file holds %q (%v)", data, err)
	}
	m.Update(editorDoneMsg{text: strings.Repeat("edited\n", 30), chip: df.chip})
	mustContain(t, screen(m), "review [paste #1: 30 lines, 210 B] now")
	if got := m.input.Value(); got != "review "+strings.Repeat("edited\n", 30)+" now" {
		t.Fatalf("draft %q", got)
	}
	// Off the chip, the whole draft goes to the editor, and comes back
	// as text.
	press(m, tea.KeyPressMsg{Code: 'e', Mod: tea.ModCtrl})
	msgs = runBatch(press(m, ctrl('o')))
	df = msgs[0].(draftFileMsg)
	os.Remove(df.path)
	if df.chip != -1 {
		t.Fatalf("the whole draft went as chip %d", df.chip)
	}
	m.Update(editorDoneMsg{text: "short now", chip: -1})
	if m.input.Value() != "short now" || len(m.input.Chips()) != 0 {
		t.Fatalf("draft %q", m.input.Value())
	}
}

// What the input refuses is said, and the draft is unchanged.
func TestInputRefusalIsShown(t *testing.T) {
	m, _ := newTestModel(t, 120, 24, Deps{})
	big := strings.Repeat("x\n", 20)
	for range 100 {
		pump(t, m, press(m, tea.KeyPressMsg{Code: 'a', Text: "a"}))
		m.Update(tea.PasteMsg{Content: big})
	}
	before := m.input.Value()
	_, cmd := m.Update(tea.PasteMsg{Content: big})
	msgs := runBatch(cmd)
	for _, msg := range msgs {
		m.Update(msg)
	}
	mustContain(t, screen(m), "the input holds too many pastes and attachments")
	if m.input.Value() != before {
		t.Fatal("a refused paste changed the draft")
	}
}

// Edit-and-resend of a prompt that was a long paste brings the paste back
// as its chip, not thousands of lines; sending sends it whole.
func TestEditAndResendBringsThePasteBackAsAChip(t *testing.T) {
	f := &fakeStreamer{}
	m, c := newTestModel(t, 100, 30, Deps{Client: f})
	long := strings.Repeat("a line of the log\n", 2000)
	typeText(m, "explain ")
	m.Update(tea.PasteMsg{Content: long})
	press(m, keyEnter)
	feed(m, c.t, text("ok"), done(stream.StatusCompleted))
	press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	press(m, tea.KeyPressMsg{Code: 'g', Text: "g"})
	press(m, tea.KeyPressMsg{Code: 'e', Text: "e"})
	if m.focus != focusInput {
		t.Fatal("edit did not return to the input")
	}
	mustContain(t, screen(m), "│ explain [paste #1: 2,000 lines, 35.2 KB]")
	typeText(m, " and this")
	req := lastRequest(t, f, press(m, keyEnter), m)
	if got := req.Input[0].Text; got != "explain "+long+" and this" {
		t.Fatalf("sent %d bytes", len(got))
	}
}

// Queued prompts given back after a cancel go before the draft, with
// their files.
func TestQueuedPromptsComeBackWithTheirFiles(t *testing.T) {
	notes := attachment(t, "notes.txt", []byte("x\n"))
	m, c := newTestModel(t, 120, 30, Deps{})
	sendPrompt(t, m, "first")
	m.addAttachment(notes, "")
	typeText(m, "second")
	press(m, keyEnter)
	typeText(m, "draft")
	press(m, ctrl('c'))
	feed(m, c.t, stream.Choice{Kind: stream.KindError, Err: &stream.Error{Code: stream.CodeCancelled, Message: "Cancelled"}}, done(stream.StatusTruncated))
	if got := m.input.Value(); got != "second\n\ndraft" {
		t.Fatalf("draft %q", got)
	}
	chips := fileChips(m)
	if len(chips) != 1 || chips[0].Payload.(attach.Attachment).Name != "notes.txt" {
		t.Fatalf("chips %+v", chips)
	}
}

// waitRequest waits for the n-th request the fake server got.
func waitRequest(t *testing.T, f *fakeStreamer, n int) stream.Request {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		f.mu.Lock()
		if len(f.reqs) >= n {
			defer f.mu.Unlock()
			return f.reqs[n-1]
		}
		f.mu.Unlock()
		if time.Now().After(deadline) {
			t.Fatalf("no request %d was sent", n)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// A -f file named by an absolute path is shown, and sent, relative to the
// working directory, as a chosen file is.
func TestFileFlagPathsAreShortened(t *testing.T) {
	a, err := attach.FromBytes("/home/me/proj/docs/a.md", "a.md", []byte("# A\n"), attach.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	m, _ := newTestModel(t, 100, 24, Deps{Dir: "/home/me/proj", Attachments: []attach.Attachment{a}})
	c := fileChips(m)
	if len(c) != 1 || !strings.HasPrefix(c[0].Label, "docs/a.md · text") || c[0].Ref != "/home/me/proj/docs/a.md" {
		t.Fatalf("chips %+v", c)
	}
	if got := c[0].Payload.(attach.Attachment).Fenced(); !strings.HasPrefix(got, "File: docs/a.md\n") {
		t.Fatalf("fenced as %q", got)
	}
}
