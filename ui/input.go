package ui

import (
	"cmp"
	"os"
	"os/exec"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textarea"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/themes"
)

// maxInputRows is how tall the input grows before it scrolls.
const maxInputRows = 8

// input is the prompt editor: a textarea that sends on Enter, inserts a
// newline on Shift+Enter, Alt+Enter or Ctrl+J, recalls earlier prompts with
// Up on an empty draft, and hands the draft to $EDITOR.
type input struct {
	ta textarea.Model
	// pastes holds large pastes by the label that stands for them in the
	// textarea. The textarea's work is proportional to its content on
	// every key, so a 5,000-line paste would make typing crawl; a
	// one-line label keeps it instant and the text is put back on send.
	pastes   map[string]string
	pasteSeq int
	history  []string
	// histPos indexes history while recalling; len(history) means the draft.
	histPos int
	draft   string
	width   int // the textarea's, as last set
}

func newInput(styles *themes.Styles, send key.Binding) *input {
	ta := textarea.New()
	ta.Placeholder = "Ask anything…"
	if k := send.Help().Key; send.Enabled() {
		ta.Placeholder += "  (" + k + " to send)"
	}
	ta.ShowLineNumbers = false
	ta.Prompt = ""
	ta.CharLimit = 0
	ta.DynamicHeight = true
	ta.MinHeight = 1
	ta.MaxHeight = maxInputRows
	// Content may be far taller than the box (a pasted file); the box scrolls.
	ta.MaxContentHeight = 1 << 20
	km := textarea.DefaultKeyMap()
	// Enter sends and the root model inserts newlines itself; keys the app
	// binds globally are taken away from the textarea so they mean one thing.
	km.InsertNewline = key.NewBinding(key.WithDisabled())
	km.TransposeCharacterBackward = key.NewBinding(key.WithDisabled())
	km.CharacterBackward = key.NewBinding(key.WithKeys("left"))
	km.SelectAll = key.NewBinding(key.WithDisabled())
	km.InputBegin = key.NewBinding(key.WithKeys("alt+<"))
	km.InputEnd = key.NewBinding(key.WithKeys("alt+>"))
	km.PageUp = key.NewBinding(key.WithDisabled())
	km.PageDown = key.NewBinding(key.WithDisabled())
	km.LineNext = key.NewBinding(key.WithKeys("down"))   // ctrl+n is a new session
	km.LinePrevious = key.NewBinding(key.WithKeys("up")) // ctrl+p stays with the picker
	km.WordForward = key.NewBinding(key.WithKeys("alt+right", "ctrl+right", "alt+f"))
	ta.KeyMap = km
	ta.SetStyles(styles.Input.Textarea)
	// The terminal's own cursor (placed by View), not a drawn one: a drawn
	// cursor blinks by redrawing the screen twice a second, idle or not.
	ta.SetVirtualCursor(false)
	ta.Focus()
	return &input{ta: ta}
}

func (in *input) setStyles(s *themes.Styles) { in.ta.SetStyles(s.Input.Textarea) }

// setWidth sizes the textarea; it costs a pass over the draft, so only
// when the width changes.
func (in *input) setWidth(w int) {
	if w = max(w, 1); w != in.width {
		in.width = w
		in.ta.SetWidth(w)
	}
}

// Pastes longer than this become a label in the textarea.
const (
	pasteMaxLines = 12
	pasteMaxBytes = 2000
)

// value is the draft with pasted text in place of its labels.
func (in *input) value() string { return in.expand(in.ta.Value()) }

func (in *input) expand(s string) string {
	for label, text := range in.pastes {
		s = strings.ReplaceAll(s, label, text)
	}
	return s
}

// paste inserts text, as a label when it is large.
func (in *input) paste(text string) {
	lines := strings.Count(text, "\n")
	if !strings.HasSuffix(text, "\n") {
		lines++
	}
	if lines <= pasteMaxLines && len(text) <= pasteMaxBytes {
		in.ta.InsertString(text)
		return
	}
	if in.pastes == nil {
		in.pastes = map[string]string{}
	}
	in.pasteSeq++
	label := "[paste #" + itoa(in.pasteSeq) + ": " + thousands(lines) + " lines, " + formatBytes(len(text)) + "]"
	in.pastes[label] = text
	in.ta.InsertString(label)
}

func (in *input) height() int { return in.ta.Height() }

func (in *input) view() string { return in.ta.View() }

func (in *input) focus() tea.Cmd { return in.ta.Focus() }

func (in *input) blur() { in.ta.Blur() }

func (in *input) setValue(s string) {
	in.ta.SetValue(s)
	in.ta.MoveToEnd()
}

// take empties the input and remembers the prompt for recall (with its
// paste labels, which stay valid, so recalling stays cheap too).
func (in *input) take() string {
	v := in.ta.Value()
	in.ta.Reset()
	if strings.TrimSpace(v) != "" && (len(in.history) == 0 || in.history[len(in.history)-1] != v) {
		in.history = append(in.history, v)
	}
	in.histPos = len(in.history)
	in.draft = ""
	return in.expand(v)
}

// update handles a key or paste aimed at the input.
func (in *input) update(msg tea.Msg, keys keymap.InputKeys) tea.Cmd {
	switch msg := msg.(type) {
	case tea.PasteMsg:
		// Terminals send CRLF or CR in pastes; the textarea wants LF.
		content := strings.ReplaceAll(msg.Content, "\r\n", "\n")
		content = strings.ReplaceAll(content, "\r", "\n")
		in.paste(content)
		return nil
	case tea.KeyPressMsg:
		switch {
		case key.Matches(msg, keys.Newline):
			in.ta.InsertString("\n")
			return nil
		case key.Matches(msg, keys.HistoryPrev) && in.recalling(-1):
			return nil
		case key.Matches(msg, keys.HistoryNext) && in.recalling(+1):
			return nil
		}
	}
	var cmd tea.Cmd
	in.ta, cmd = in.ta.Update(msg)
	return cmd
}

// recalling steps through earlier prompts. It acts only when the input is
// empty or is showing a recalled prompt, so Up and Down still move the
// cursor in a draft of several lines.
func (in *input) recalling(dir int) bool {
	browsing := in.histPos < len(in.history)
	if !browsing && (dir > 0 || in.ta.Value() != "" || len(in.history) == 0) {
		return false
	}
	if browsing && in.ta.Value() != in.history[in.histPos] {
		return false // the user edited the recalled prompt: it is a draft now
	}
	if !browsing {
		in.draft = in.ta.Value()
	}
	next := in.histPos + dir
	if next < 0 {
		return true
	}
	in.histPos = next
	if next >= len(in.history) {
		in.histPos = len(in.history)
		in.setValue(in.draft)
		return true
	}
	in.setValue(in.history[next])
	return true
}

// editorDoneMsg returns the edited draft.
type editorDoneMsg struct {
	text string
	err  error
}

// draftFileMsg says the draft is in a temporary file, ready for $EDITOR.
type draftFileMsg struct {
	path string
	err  error
}

// writeDraft puts the draft in a temporary file on a command goroutine:
// file I/O never runs in Update.
func writeDraft(draft string) tea.Cmd {
	return func() tea.Msg {
		f, err := os.CreateTemp("", "parley-prompt-*.md")
		if err != nil {
			return draftFileMsg{err: err}
		}
		_, err = f.WriteString(draft)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
			return draftFileMsg{err: err}
		}
		return draftFileMsg{path: f.Name()}
	}
}

// openEditor runs $VISUAL or $EDITOR on the draft file; the program gives
// the terminal over while it runs.
func openEditor(path string, env func(string) string) tea.Cmd {
	ed := cmp.Or(env("VISUAL"), env("EDITOR"), "vi")
	// EDITOR may carry arguments ("code --wait"), so let the shell split it.
	c := exec.Command("sh", "-c", ed+` "$1"`, "sh", path)
	// The callback runs after the editor exits, off Update: read the file there.
	return tea.ExecProcess(c, func(err error) tea.Msg {
		text, rerr := readEditedDraft(path)
		return editorDoneMsg{text: text, err: cmp.Or(err, rerr)}
	})
}

// readEditedDraft reads the file back and removes it.
func readEditedDraft(path string) (string, error) {
	b, err := os.ReadFile(path)
	os.Remove(path)
	if err != nil {
		return "", err
	}
	return strings.TrimRight(string(b), "\n"), nil
}
