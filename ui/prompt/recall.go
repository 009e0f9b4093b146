package prompt

import (
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/history"
)

// HistoryPrev shows the prompt sent before the one shown, chips and all.
// It acts, and reports true, only when the input is empty or shows a
// recalled prompt not edited since: in a draft of several lines the same
// key moves the cursor up.
func (p *Prompt) HistoryPrev() bool { return p.recall(-1) }

// HistoryNext shows the prompt sent after the one shown; past the newest
// the input is empty again.
func (p *Prompt) HistoryNext() bool { return p.recall(+1) }

func (p *Prompt) recall(dir int) bool {
	n := p.hist.Len()
	browsing := p.histPos < n && p.version == p.recallVersion
	if !browsing {
		if dir > 0 || !p.Empty() || n == 0 {
			return false
		}
		p.histPos = n
	}
	next := p.histPos + dir
	switch {
	case next < 0:
		return true // at the oldest: stay
	case next >= n:
		p.Reset()
		return true
	}
	p.histPos = next
	p.load(p.hist.At(next))
	p.recallVersion = p.version
	return true
}

// load puts a history entry in the empty draft: text as text, chips as
// chips. A part that no longer fits (smaller limits than when it was
// sent) is left out rather than failing the whole recall.
func (p *Prompt) load(e history.Entry) {
	p.clear()
	for _, part := range e.Parts {
		if c := part.Chip; c != nil {
			p.AddChip(Chip{Kind: Kind(c.Kind), Label: c.Label, Text: c.Text, Ref: c.Ref, Tokens: c.Tokens})
			continue
		}
		p.insertText(part.Text)
	}
	p.top = rowPos{}
}

// Recall puts text in the input to edit, as edit-and-resend does: when it
// is a prompt from the history, it comes back with its chips (a long
// paste as its label, not thousands of lines); otherwise as SetValue.
// Spaces at the end do not count (a caller may trim them before sending).
func (p *Prompt) Recall(text string) error {
	text = strings.TrimRight(text, " ")
	for i := p.hist.Len() - 1; i >= 0; i-- {
		if e := p.hist.At(i); strings.TrimRight(e.Text(), " ") == text {
			p.load(e)
			return nil
		}
	}
	return p.SetValue(text)
}

// AddOlderHistory puts prompts loaded from disk (oldest first) before
// those sent in this run.
func (p *Prompt) AddOlderHistory(entries []history.Entry) {
	browsing := p.histPos < p.hist.Len()
	before := p.hist.Len()
	p.hist.AddOlder(entries)
	if browsing {
		p.histPos += p.hist.Len() - before
	} else {
		p.histPos = p.hist.Len()
	}
}

// HistoryLoadedMsg carries the history read by LoadHistory.
type HistoryLoadedMsg struct {
	Entries []history.Entry
	Err     error // the entries that could be read are in Entries even so
}

// HistorySavedMsg reports a write of the history file.
type HistorySavedMsg struct{ Err error }

// LoadHistory reads f on a command goroutine; hand the result to
// AddOlderHistory.
func LoadHistory(f *history.File) tea.Cmd {
	return func() tea.Msg {
		entries, err := f.Load()
		return HistoryLoadedMsg{entries, err}
	}
}

// SaveHistory appends the prompts taken since the last call to f, on a
// command goroutine. Nil when there is nothing to write or no file.
func (p *Prompt) SaveHistory(f *history.File) tea.Cmd {
	entries := p.unsaved
	p.unsaved = nil
	if f == nil || len(entries) == 0 {
		return nil
	}
	return func() tea.Msg { return HistorySavedMsg{f.Append(entries...)} }
}
