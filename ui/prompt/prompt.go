package prompt

import (
	"strings"

	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model/history"
)

// Prompt is the prompt editor. Its zero value is not ready: use New.
// Not safe for concurrent use (it lives on the UI goroutine).
type Prompt struct {
	styles      Styles
	method      ansi.Method   // how widths are measured
	prepends    map[rune]bool // runes known to join what follows them
	maxRows     int
	placeholder string
	limits      Limits

	lines lines
	cur   pos
	goalX int // the column Up and Down aim for; -1 when the next vertical move sets it
	size  int // bytes of the text: lines, newlines and chip runes
	chips chipTable

	focused bool
	width   int    // the box's whole width
	top     rowPos // the first row in view
	paint   painter
	laid    laid
	drawn   drawn
	sizes   [2]struct { // unfocused, focused
		frameSize
		ok bool
	}

	hist          *history.List
	histPos       int // an index into hist while recalling; hist.Len() otherwise
	version       int // counts edits
	recallVersion int // version right after a recall: equal means unedited
	unsaved       []history.Entry
}

// pos is a place in the text: a line and a byte offset in it, always at
// a grapheme cluster boundary.
type pos struct{ line, off int }

func (a pos) before(b pos) bool { return a.line < b.line || a.line == b.line && a.off < b.off }

// Options configure New. Zero fields take their defaults.
type Options struct {
	Styles      Styles
	MaxRows     int    // rows of text the box grows to before it scrolls: 8
	Placeholder string // shown in an empty input
	Limits      Limits
	History     *history.List // earlier prompts; a new empty list when nil
}

// Limits bound what a draft holds. Zero fields take their defaults.
type Limits struct {
	// A paste stays plain text when it has at most PasteLines lines and
	// PasteBytes bytes, and the draft's own text stays under InlineBytes
	// with it; otherwise it becomes a chip. So small pastes never pile up
	// into a huge unlabelled draft.
	PasteLines  int // 12
	PasteBytes  int // 2,000
	InlineBytes int // 16 KiB
	Chips       int // chips in one draft: 100
	DraftBytes  int // the text and all chips' text: 8 MiB
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.PasteLines, 12)
	def(&l.PasteBytes, 2000)
	def(&l.InlineBytes, 16<<10)
	def(&l.Chips, 100)
	def(&l.DraftBytes, 8<<20)
	return l
}

// New returns an empty, focused input.
func New(o Options) *Prompt {
	p := &Prompt{
		styles:      o.Styles,
		maxRows:     max(o.MaxRows, 1),
		placeholder: o.Placeholder,
		limits:      o.Limits.withDefaults(),
		hist:        o.History,
		focused:     true,
		goalX:       -1,
		method:      ansi.GraphemeWidth,
	}
	if o.MaxRows <= 0 {
		p.maxRows = 8
	}
	if p.hist == nil {
		p.hist = history.NewList(history.Limits{})
	}
	p.clear()
	p.histPos = p.hist.Len()
	return p
}

// clear empties the draft and drops its chips.
func (p *Prompt) clear() {
	p.lines = newLines([]*line{newLine("")})
	p.cur, p.top, p.size, p.goalX = pos{}, rowPos{}, 0, -1
	p.chips.byID, p.chips.textBytes = nil, 0
	p.edited()
}

// edited records a change of the text.
func (p *Prompt) edited() {
	p.version++
	p.goalX = -1
}

// normalize makes text from outside what the draft holds: valid UTF-8
// with "\n" line ends (terminals paste CRLF or CR).
func normalize(s string) string {
	s = strings.ToValidUTF8(s, replacement)
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}

// InsertText types s at the cursor as it is, however long.
func (p *Prompt) InsertText(s string) error {
	return p.insertText(s)
}

// Paste inserts pasted text at the cursor: small pastes as text, others
// as a chip labelled with their size (see Limits).
func (p *Prompt) Paste(s string) error {
	if bytes, _ := p.room(); len(s) > 2*bytes {
		return ErrFull // too big even after CRLF becomes LF: not worth normalising
	}
	s = normalize(s)
	if s == "" {
		return nil
	}
	lines := strings.Count(s, "\n") + 1
	if strings.HasSuffix(s, "\n") {
		lines--
	}
	if lines <= p.limits.PasteLines && len(s) <= p.limits.PasteBytes && p.size+len(s) <= p.limits.InlineBytes {
		return p.insertText(s)
	}
	if p.size+p.chips.textBytes+chipLen+len(s) > p.limits.DraftBytes {
		return ErrFull
	}
	c := p.chips.newPaste(s)
	if _, err := p.AddChip(c); err != nil {
		p.chips.pastes-- // the number was not used
		return err
	}
	return nil
}

// SetValue replaces the draft (text and chips) with s, as text to edit,
// and puts the cursor at its end. A draft of any length costs the same per
// key, so an $EDITOR result or a prompt to edit and resend can go here.
// On error the draft is unchanged.
func (p *Prompt) SetValue(s string) error {
	if len(s) > 2*p.limits.DraftBytes {
		return ErrFull
	}
	s = normalize(s)
	if err := p.checkInsert(s, p.limits.DraftBytes, p.limits.Chips); err != nil {
		return err
	}
	p.clear()
	return p.insertText(s)
}

// Version counts the changes of the draft: a caller compares it before
// and after a key to tell typing from moving.
func (p *Prompt) Version() int { return p.version }

// Empty reports whether the draft has no text and no chip.
func (p *Prompt) Empty() bool { return p.size == 0 }

// Value is the draft's text with every chip replaced by its Text, as Take
// would return it, without clearing the draft. It reads the whole draft:
// call it on an action (send, $EDITOR), not per frame.
func (p *Prompt) Value() string {
	text, _, _ := p.snapshot()
	return text
}

// Take empties the input and returns what was in it: the text with every
// chip replaced by its Text, and the chips in the order they appear (an
// attachment chip's Payload is what to send with the text). The prompt
// joins the history, chips and all.
func (p *Prompt) Take() (string, []Chip) {
	text, chips, entry := p.snapshot()
	p.clear()
	if p.hist.Add(entry) {
		p.unsaved = append(p.unsaved, entry)
		if n := len(p.unsaved); n > p.hist.Len() {
			p.unsaved = p.unsaved[n-p.hist.Len():] // the rest fell out of the history anyway
		}
	}
	p.histPos = p.hist.Len()
	return text, chips
}

// Reset empties the input without keeping the draft in the history.
func (p *Prompt) Reset() {
	p.clear()
	p.histPos = p.hist.Len()
}

// snapshot reads the draft: its expanded text, its chips in order, and
// the history entry it makes.
func (p *Prompt) snapshot() (string, []Chip, history.Entry) {
	var text, run strings.Builder
	var chips []Chip
	var entry history.Entry
	flush := func() {
		if run.Len() > 0 {
			entry.Parts = append(entry.Parts, history.Part{Text: run.String()})
			run.Reset()
		}
	}
	for i := range p.lines.Len() {
		s := p.lines.At(i).s
		if i > 0 {
			text.WriteByte('\n')
			run.WriteByte('\n')
		}
		for {
			j := strings.Index(s, chipPrefix)
			if j < 0 {
				break
			}
			id, _ := chipIDAt(s[j:])
			ch := p.chips.byID[id]
			text.WriteString(s[:j])
			run.WriteString(s[:j])
			text.WriteString(ch.Text)
			chips = append(chips, ch.Chip)
			flush()
			entry.Parts = append(entry.Parts, history.Part{Chip: &history.Chip{
				Kind: string(ch.Kind), Label: ch.Label, Text: ch.Text, Ref: ch.Ref, Tokens: ch.Tokens,
			}})
			s = s[j+chipLen:]
		}
		text.WriteString(s)
		run.WriteString(s)
	}
	flush()
	return text.String(), chips, entry
}

// MoveToStart puts the cursor before the draft's first character.
func (p *Prompt) MoveToStart() { p.cur, p.goalX = pos{}, -1 }

// MoveToEnd puts the cursor after the draft's last character.
func (p *Prompt) MoveToEnd() {
	last := p.lines.Len() - 1
	p.cur, p.goalX = pos{last, len(p.lines.At(last).s)}, -1
}

// Focus shows the cursor and the focused box; the input takes keys.
func (p *Prompt) Focus() { p.focused = true }

// Blur hides the cursor and dims the box.
func (p *Prompt) Blur() { p.focused = false }

// Focused reports whether the input has focus.
func (p *Prompt) Focused() bool { return p.focused }
