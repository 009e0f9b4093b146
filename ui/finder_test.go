package ui

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/attach/attachtest"
	"github.com/parley-tui/parley/ui/prompt"
)

// isInputMsg says whether a message answers one of the input's commands:
// the finder's walk and matches, files read, the history, $EDITOR.
func isInputMsg(msg tea.Msg) bool {
	switch msg.(type) {
	case finderWalkedMsg, finderMatchedMsg, attachedMsg, pastedMsg, draftFileMsg,
		prompt.ErrorMsg, prompt.HistoryLoadedMsg, prompt.HistorySavedMsg:
		return true
	}
	return false
}

// pump runs cmd as Bubble Tea would (each command on its own goroutine)
// and hands the model what the input's commands answer, and what those
// answers start in turn, until nothing of the input's is left. Other
// messages are dropped; a command that waits for something else (a
// request, a listener) is left behind.
func pump(t *testing.T, m *Model, cmd tea.Cmd) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	pending := []tea.Cmd{cmd}
	for len(pending) > 0 {
		if time.Now().After(deadline) {
			t.Fatal("the input's commands did not settle")
		}
		c := pending[0]
		pending = pending[1:]
		for _, msg := range collect(c, time.Now().Add(time.Second)) {
			if isInputMsg(msg) {
				_, next := m.Update(msg)
				pending = append(pending, next)
			}
		}
	}
}

// collect runs a command, and the commands of a batch at once, and
// returns what they answer by deadline.
func collect(cmd tea.Cmd, deadline time.Time) []tea.Msg {
	if cmd == nil {
		return nil
	}
	ch := make(chan tea.Msg, 1)
	go func() { ch <- cmd() }()
	select {
	case msg := <-ch:
		b, ok := msg.(tea.BatchMsg)
		if !ok {
			return []tea.Msg{msg}
		}
		outs := make([]chan []tea.Msg, len(b))
		for i, c := range b {
			outs[i] = make(chan []tea.Msg, 1)
			go func() { outs[i] <- collect(c, deadline) }()
		}
		var out []tea.Msg
		for _, o := range outs {
			out = append(out, <-o...)
		}
		return out
	case <-time.After(time.Until(deadline)):
		return nil
	}
}

// typeIn types s, running what each key starts (the finder's commands).
func typeIn(t *testing.T, m *Model, s string) {
	t.Helper()
	for _, r := range s {
		pump(t, m, press(m, tea.KeyPressMsg{Code: r, Text: string(r)}))
	}
}

func pressIn(t *testing.T, m *Model, k tea.KeyPressMsg) {
	t.Helper()
	pump(t, m, press(m, k))
}

var (
	keyUp        = tea.KeyPressMsg{Code: tea.KeyUp}
	keyDown      = tea.KeyPressMsg{Code: tea.KeyDown}
	keyBackspace = tea.KeyPressMsg{Code: tea.KeyBackspace}
	keyDelete    = tea.KeyPressMsg{Code: tea.KeyDelete}
	keyLeft      = tea.KeyPressMsg{Code: tea.KeyLeft}
)

// project is a working directory with files to attach and files the
// finder must not offer.
func project(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range map[string][]byte{
		"notes.txt":           []byte("first line\nsecond line\n"),
		"docs/guide.md":       []byte("# Guide\n\nRead me.\n"),
		"docs/deep/nested.go": []byte("package deep\n"),
		"pic.png":             attachtest.PNG(3, 2),
		"latin1.txt":          []byte("caf\xe9 au lait\n"),
		".gitignore":          []byte("*.log\nbuild/\n"),
		"debug.log":           []byte("ignored\n"),
		"build/out.txt":       []byte("ignored\n"),
		".git/config":         []byte("[core]\n"),
		"tool.bin":            append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, make([]byte, 64)...),
		"huge.txt":            []byte(strings.Repeat("x", 3000)),
	} {
		attachtest.Write(t, dir, name, data)
	}
	return dir
}

func finderOpen(m *Model) *finderOverlay {
	o, _ := m.overlays.top().(*finderOverlay)
	return o
}

// finderModel is a model working in dir, with the text limit small enough
// that huge.txt is too large.
func finderModel(t *testing.T, w, h int, dir string, f *fakeStreamer) *Model {
	t.Helper()
	if f == nil {
		f = &fakeStreamer{}
	}
	m, _ := newTestModel(t, w, h, finderDeps(dir, f))
	return m
}

func finderDeps(dir string, f *fakeStreamer) Deps {
	return Deps{Client: f, Dir: dir, AttachLimits: attach.Limits{Text: 2048},
		Getenv: func(k string) string {
			if k == "HOME" {
				return "/nonexistent-home"
			}
			return ""
		}}
}

// @ opens the finder over the working directory: it lists what can be
// attached (not ignored, version-control, binary or too large files),
// narrows the list as the user types, moves with the arrows, and enter
// puts the file in the input as a chip that goes with the prompt.
func TestFinderAttachesAChosenFile(t *testing.T) {
	dir := project(t)
	f := &fakeStreamer{}
	m := finderModel(t, 80, 24, dir, f)
	typeIn(t, m, "read @")
	o := finderOpen(m)
	if o == nil || !o.done {
		t.Fatalf("@ did not open the finder, or its walk did not end: %T", m.overlays.top())
	}
	s := screen(m)
	mustContain(t, s, "Attach a file", "6 files", "@▏", "notes.txt", "docs/guide.md", "docs/deep/nested.go", "pic.png", "latin1.txt",
		"attach a file: enter choose")
	mustNotContain(t, s, "debug.log", "out.txt", ".git/", "config", "tool.bin", "huge.txt")
	if m.input.Value() != "read " {
		t.Fatalf("the @ went into the draft: %q", m.input.Value())
	}

	typeIn(t, m, "doc")
	s = screen(m)
	mustContain(t, s, "@doc▏", "▸ docs/guide.md", "docs/deep/nested.go")
	mustNotContain(t, s, "notes.txt")
	pressIn(t, m, keyDown)
	mustContain(t, screen(m), "▸ docs/deep/nested.go")
	pressIn(t, m, keyUp)
	pressIn(t, m, ctrl('u')) // clears the filter
	mustContain(t, screen(m), "@▏", "notes.txt")
	typeIn(t, m, "note")
	mustContain(t, screen(m), "▸ notes.txt")
	pressIn(t, m, keyEnter)
	if m.overlays.top() != nil {
		t.Fatal("enter did not close the finder")
	}
	chips := fileChips(m)
	if len(chips) != 1 || chips[0].Label != "notes.txt · text · 23 B · ~"+itoa(chips[0].Tokens)+" tokens" {
		t.Fatalf("chips = %+v", chips)
	}
	if chips[0].Ref != filepath.Join(dir, "notes.txt") {
		t.Errorf("the chip's history path is %q", chips[0].Ref)
	}
	mustContain(t, screen(m), "│ read [notes.txt · text · 23 B · ~", "draft ~")
	typeIn(t, m, "please") // after the space that follows the chip
	req := lastRequest(t, f, press(m, keyEnter), m)
	// The chip stands in the sentence as the file's name.
	want := "read notes.txt please\n\nFile: notes.txt\n```\nfirst line\nsecond line\n```\n"
	if got := req.Input[0].Text; got != want {
		t.Fatalf("sent %q, want %q", got, want)
	}
	if strings.Contains(screen(m), "[notes.txt") {
		t.Error("the chip stayed in the input after sending")
	}
}

// esc closes the finder and leaves what was typed, @ included, as text;
// backspace on an empty filter takes the @ back; an @ inside a word (an
// e-mail address) is only text.
func TestFinderEscLeavesTheAt(t *testing.T) {
	m := finderModel(t, 80, 24, project(t), nil)
	typeIn(t, m, "ask @")
	pressIn(t, m, keyEsc)
	if m.overlays.top() != nil || m.input.Value() != "ask @" {
		t.Fatalf("esc: overlay %T, draft %q", m.overlays.top(), m.input.Value())
	}
	typeIn(t, m, " @gui")
	pressIn(t, m, keyEsc)
	if m.input.Value() != "ask @ @gui" {
		t.Fatalf("esc after typing: draft %q", m.input.Value())
	}
	typeIn(t, m, " @")
	pressIn(t, m, keyBackspace)
	if m.overlays.top() != nil || m.input.Value() != "ask @ @gui " {
		t.Fatalf("backspace on the empty filter: overlay %T, draft %q", m.overlays.top(), m.input.Value())
	}
	typeIn(t, m, "me@example.com")
	if m.overlays.top() != nil || m.input.Value() != "ask @ @gui me@example.com" {
		t.Fatalf("an @ in a word: overlay %T, draft %q", m.overlays.top(), m.input.Value())
	}
	if !m.input.Focused() {
		t.Fatal("the input does not have the focus back")
	}
}

// A file that cannot be attached says why in a sentence, and the draft
// stays as it was.
func TestFinderRefusedFileKeepsTheDraft(t *testing.T) {
	m := finderModel(t, 100, 24, project(t), nil)
	typeIn(t, m, "translate @latin")
	pressIn(t, m, keyEnter)
	s := screen(m)
	mustContain(t, s, "cannot attach latin1.txt", "translate")
	if m.input.Value() != "translate " || len(m.input.Chips()) != 0 {
		t.Fatalf("draft %q, chips %+v", m.input.Value(), m.input.Chips())
	}
}

// Attachment chips go with the keyboard: backspace after one, delete
// before one; the footer says which key removes it.
func TestChipsAreRemovedWithTheKeyboard(t *testing.T) {
	m := finderModel(t, 100, 24, project(t), nil)
	typeIn(t, m, "@pic")
	pressIn(t, m, keyEnter)
	typeIn(t, m, "@notes")
	pressIn(t, m, keyEnter)
	if n := len(fileChips(m)); n != 2 {
		t.Fatalf("%d chips", n)
	}
	mustContain(t, screen(m), "│ [pic.png · image 3×2 · 91 B · ~255 tokens] [notes.txt · text")
	pressIn(t, m, keyBackspace) // the space after the chip
	mustContain(t, screen(m), "input: backspace remove chip")
	pressIn(t, m, keyBackspace)
	if c := fileChips(m); len(c) != 1 || !strings.HasPrefix(c[0].Label, "pic.png") {
		t.Fatalf("backspace left %+v", c)
	}
	pressIn(t, m, tea.KeyPressMsg{Code: tea.KeyHome})
	mustContain(t, screen(m), "input: delete remove chip")
	pressIn(t, m, keyDelete)
	if len(m.input.Chips()) != 0 || m.input.Value() != " " {
		t.Fatalf("delete left %q %+v", m.input.Value(), m.input.Chips())
	}
}

// A pasted path that names a file (what a terminal pastes when a file is
// dropped on it) is attached, and the expand key makes it text again; a
// path that names nothing is text, and so is one the file behind cannot
// be attached, with the reason.
func TestPastedPathAttachesTheFile(t *testing.T) {
	dir := project(t)
	m := finderModel(t, 120, 24, dir, nil)
	pasted := filepath.Join(dir, "pic.png")
	pumpMsg(t, m, tea.PasteMsg{Content: pasted})
	if c := fileChips(m); len(c) != 1 || c[0].Source != pasted {
		t.Fatalf("chips after pasting a path: %+v", c)
	}
	mustContain(t, screen(m), "Attached pic.png from the pasted path · alt+e makes it text", "alt+e paste as text")
	pressIn(t, m, tea.KeyPressMsg{Code: 'e', Mod: tea.ModAlt})
	if m.input.Value() != pasted || len(m.input.Chips()) != 0 {
		t.Fatalf("expanded: %q %+v", m.input.Value(), m.input.Chips())
	}
	m.input.Reset()

	pumpMsg(t, m, tea.PasteMsg{Content: filepath.Join(dir, "missing.txt")})
	if m.input.Value() != filepath.Join(dir, "missing.txt") || len(m.input.Chips()) != 0 {
		t.Fatalf("a path to nothing: %q %+v", m.input.Value(), m.input.Chips())
	}
	m.input.Reset()

	pumpMsg(t, m, tea.PasteMsg{Content: "'" + filepath.Join(dir, "tool.bin") + "'"})
	if m.input.Value() != "'"+filepath.Join(dir, "tool.bin")+"'" || len(m.input.Chips()) != 0 {
		t.Fatalf("a binary: %q %+v", m.input.Value(), m.input.Chips())
	}
	mustContain(t, screen(m), "cannot attach", "; pasted as text")
}

// pumpMsg hands the model a message as the program would, and runs what
// it starts for the input.
func pumpMsg(t *testing.T, m *Model, msg tea.Msg) {
	t.Helper()
	_, cmd := m.Update(msg)
	pump(t, m, cmd)
}

// A prompt whose request failed comes back with its chosen file in its
// place, carrying the file; the retry key sends it and empties the input.
func TestFailedPromptKeepsAChosenFileInPlace(t *testing.T) {
	m := finderModel(t, 100, 24, project(t), nil)
	typeIn(t, m, "summarise @notes")
	pressIn(t, m, keyEnter)
	press(m, keyEnter)
	if !m.input.Empty() {
		t.Fatal("not sent")
	}
	m.Update(chatFailed(m, "HTTP 500"))
	mustContain(t, screen(m), "│ summarise [notes.txt · text · 23 B")
	c := fileChips(m)
	if len(c) != 1 || c[0].Payload == nil {
		t.Fatalf("chips %+v", c)
	}
	press(m, ctrl('r'))
	if !m.input.Empty() || m.chat.Turn() == 0 {
		t.Fatalf("retry: draft %q, turn %d", m.input.Value(), m.chat.Turn())
	}
	if got := m.chat.Messages()[0].Text; got != "summarise notes.txt" {
		t.Fatalf("sent %q", got)
	}
}
