package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/prompt"
	"github.com/parley-tui/parley/ui/sanitize"
)

// The input is a prompt.Prompt (ui/prompt): a key costs the same whatever
// the draft holds, large pastes and attached files are chips, and the
// terminal draws the cursor. This file is what the root does with it:
// send, the history file, restoring a prompt, and the messages its
// commands answer with. Attaching files is attach_input.go; $EDITOR is
// editor.go.

const (
	// maxInputRows is how tall the input grows before it scrolls.
	maxInputRows = 8
	// A paste longer than this becomes a chip in the input (and a prompt
	// as long is folded in the transcript: fold.go).
	pasteMaxLines = 12
	pasteMaxBytes = 2000
)

func newInput(styles *themes.Styles, send key.Binding) *prompt.Prompt {
	placeholder := "Ask anything…"
	if k := send.Help().Key; send.Enabled() {
		placeholder += "  (" + k + " to send)"
	}
	return prompt.New(prompt.Options{Styles: prompt.NewStyles(styles), Placeholder: placeholder, MaxRows: maxInputRows,
		Limits: prompt.Limits{PasteLines: pasteMaxLines, PasteBytes: pasteMaxBytes}})
}

// inputKey handles a key aimed at the input: send, $EDITOR and the file
// finder are the root's; the rest edit the draft.
func (m *Model) inputKey(k tea.KeyPressMsg) tea.Cmd {
	in := m.keys.Input
	switch {
	case key.Matches(k, in.Send):
		return m.send()
	case key.Matches(k, in.Editor):
		return m.editDraft()
	case key.Matches(k, in.Attach) && m.input.AtWordStart():
		return m.openFinder(k.Text)
	}
	return m.editInput(k)
}

// editInput hands a key or a paste to the input; a change counts as typing.
func (m *Model) editInput(msg tea.Msg) tea.Cmd {
	v := m.input.Version()
	cmd := m.input.Update(msg, m.keys.Input)
	if m.input.Version() != v {
		m.keyTimes.edited = m.deps.Now()
	}
	return cmd
}

// send hands the draft to the controller: its text, with pastes expanded,
// and its attachment chips' files. An attachment recalled from the
// history is read again first, and the prompt goes once it is back. A
// prompt the controller does not take (a file the model cannot see) stays
// in the input as it was.
func (m *Model) send() tea.Cmd {
	chips := m.input.Chips()
	var atts []attach.Attachment
	var unread []prompt.Chip
	for _, c := range chips {
		if c.Kind != prompt.KindAttachment {
			continue
		}
		if a, ok := c.Payload.(attach.Attachment); ok {
			atts = append(atts, a)
		} else {
			unread = append(unread, c)
		}
	}
	if len(unread) > 0 {
		return m.reloadChips(unread)
	}
	// Spaces at the end go: a file chosen last leaves one after its name.
	text := strings.TrimRight(m.input.Value(), " ")
	if strings.TrimSpace(text) == "" {
		if len(atts) > 0 {
			m.flash("Add a few words to go with the attachment")
		}
		return nil
	}
	cmd, taken := m.chat.Submit(text, atts...)
	if !taken {
		return cmd
	}
	m.input.Take()
	m.transcript.follow = true
	m.transcript.mark, m.transcript.words = nil, nil // a search hit stays marked until the next prompt
	// Sending ends the typing: the empty input counts as idle.
	m.keyTimes.edited = time.Time{}
	return tea.Batch(cmd, m.saveHistory())
}

// saveHistory writes the prompts sent since the last write to the
// history file, unless this run keeps its history to itself.
func (m *Model) saveHistory() tea.Cmd {
	if m.deps.HistoryReadOnly {
		return m.input.SaveHistory(nil) // forgets them: they stay in memory only
	}
	return m.input.SaveHistory(m.deps.History)
}

// loadHistory reads the history file at start, on a command goroutine.
func (m *Model) loadHistory() tea.Cmd {
	if m.deps.History == nil {
		return nil
	}
	return prompt.LoadHistory(m.deps.History)
}

// recall puts a prompt back in the input to edit (edit-and-resend, a
// failed prompt): from the history when it is there, so a long paste
// comes back as its chip, with its files as chips carrying what was sent.
func (m *Model) recall(text string, atts []attach.Attachment) {
	if err := m.input.Recall(text); err != nil {
		m.flash(sanitize.Text(err.Error()))
		return
	}
	m.restoreAttachments(atts)
}

// restoreQueued puts queued prompts given back before the draft.
func (m *Model) restoreQueued(text string, atts []attach.Attachment) {
	if !m.input.Empty() {
		text += "\n\n"
	}
	m.input.MoveToStart()
	for _, a := range atts {
		m.addAttachment(a, "")
	}
	if err := m.input.InsertText(text); err != nil {
		m.flash(sanitize.Text(err.Error()))
	}
	m.input.MoveToEnd()
}

// clearDraft empties the input into the history (the quit key with a
// draft): the history key brings it back.
func (m *Model) clearDraft() tea.Cmd {
	m.input.Take()
	return m.saveHistory()
}

// onInputMsg handles what the input's commands answer with. It reports
// false for any other message.
func (m *Model) onInputMsg(msg tea.Msg) (tea.Cmd, bool) {
	switch msg := msg.(type) {
	case prompt.ErrorMsg:
		m.flash(sanitize.Text(msg.Err.Error()))
	case prompt.HistoryLoadedMsg:
		m.input.AddOlderHistory(msg.Entries)
		if msg.Err != nil {
			m.logError("prompt history", msg.Err)
			m.flash("Some of the prompt history could not be read: " + sanitize.Text(msg.Err.Error()))
		}
	case prompt.HistorySavedMsg:
		if msg.Err != nil {
			m.logError("prompt history", msg.Err)
			m.flash("The prompt history was not saved: " + sanitize.Text(msg.Err.Error()))
		}
	case draftFileMsg:
		return m.onDraftFile(msg), true
	case editorDoneMsg:
		m.onEditorDone(msg)
	case attachedMsg:
		return m.onAttached(msg), true
	case pastedMsg:
		return m.onPasted(msg), true
	case finderWalkedMsg:
		return m.onFinderWalked(msg), true
	case finderMatchedMsg:
		return m.onFinderMatched(msg), true
	default:
		return nil, false
	}
	return nil, true
}

func (m *Model) logError(what string, err error) {
	if m.deps.Logger != nil {
		m.deps.Logger.Error(what, "err", err)
	}
}
