package ui

import (
	"cmp"
	"os"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/proc"
	"github.com/parley-tui/parley/ui/prompt"
	"github.com/parley-tui/parley/ui/sanitize"
)

// The editor key hands text to $VISUAL or $EDITOR: the paste chip the
// cursor is on, else the whole draft. The file is written and read back on
// command goroutines; the program gives the terminal over while it runs.

// editorDoneMsg returns the edited text.
type editorDoneMsg struct {
	text string
	chip int // the paste chip it came from, or -1 for the whole draft
	err  error
}

// draftFileMsg says the text is in a temporary file, ready for $EDITOR.
type draftFileMsg struct {
	path string
	chip int
	err  error
}

// editDraft opens $EDITOR on the paste at the cursor, else on the draft
// (pastes expanded: it is all text there).
func (m *Model) editDraft() tea.Cmd {
	if c, ok := m.input.ActiveChip(); ok && c.Kind == prompt.KindPaste && c.Text != "" {
		return writeDraft(c.Text, c.ID)
	}
	return writeDraft(m.input.Value(), -1)
}

// writeDraft puts text in a temporary file on a command goroutine: file
// I/O never runs in Update.
func writeDraft(text string, chip int) tea.Cmd {
	return func() tea.Msg {
		f, err := os.CreateTemp("", "parley-prompt-*.md")
		if err != nil {
			return draftFileMsg{chip: chip, err: err}
		}
		_, err = f.WriteString(text)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Name())
			return draftFileMsg{chip: chip, err: err}
		}
		return draftFileMsg{path: f.Name(), chip: chip}
	}
}

func (m *Model) onDraftFile(msg draftFileMsg) tea.Cmd {
	if msg.err != nil {
		m.flash("Editor: " + sanitize.Text(msg.err.Error()))
		return nil
	}
	return openEditor(msg.path, msg.chip, m.deps.Getenv)
}

// openEditor runs $VISUAL or $EDITOR on the file.
func openEditor(path string, chip int, env func(string) string) tea.Cmd {
	c, err := proc.Editor(env, path)
	if err != nil { // the draft stays as it is; the flash says why
		return func() tea.Msg {
			os.Remove(path)
			return editorDoneMsg{chip: chip, err: err}
		}
	}
	// The callback runs after the editor exits, off Update: read the file there.
	return tea.ExecProcess(c, func(err error) tea.Msg {
		text, rerr := readEditedDraft(path)
		return editorDoneMsg{text: text, chip: chip, err: cmp.Or(err, rerr)}
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

// onEditorDone puts the edited text back: into its paste chip, whose
// label says its new size, or in place of the draft. The draft keeps its
// files: the file held their names where they stood, as text now, and the
// chips come back after it, beside the text. A draft of any length costs
// the same per key, so it comes back as text.
func (m *Model) onEditorDone(msg editorDoneMsg) {
	if msg.err != nil {
		m.flash("Editor: " + sanitize.Text(msg.err.Error()))
		return
	}
	if msg.chip >= 0 {
		if err := m.input.SetChipText(msg.chip, msg.text); err != nil {
			m.flash("Editor: " + sanitize.Text(err.Error()))
		}
		return
	}
	var files []prompt.Chip
	for _, c := range m.input.Chips() {
		if c.Kind == prompt.KindAttachment {
			files = append(files, c)
		}
	}
	if err := m.input.SetValue(msg.text); err != nil {
		m.flash("Editor: " + sanitize.Text(err.Error()))
		return
	}
	for _, c := range files {
		if !m.input.AtWordStart() {
			m.input.InsertText(" ")
		}
		c.Text, c.Source = "", "" // its name is in the text already
		if _, err := m.input.AddChip(c); err != nil {
			m.flash("Editor: " + sanitize.Text(err.Error()))
			break
		}
	}
	m.keyTimes.edited = m.deps.Now()
}
