package prompt

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/ui/sanitize"
)

// Kind says what a chip stands for.
type Kind string

const (
	// KindPaste is pasted text shown as a label; it expands into the
	// prompt's text when sent.
	KindPaste Kind = "paste"
	// KindAttachment is a file sent beside the text: the caller keeps
	// what to send in Payload and its path in Ref. Its Text, if any,
	// stands for it in the text (its name, so "explain [notes.txt]"
	// is sent as "explain notes.txt" and the file).
	KindAttachment Kind = "attachment"
)

// Chip is one atomic label in the input: the cursor steps over it,
// backspace deletes it whole, and Take replaces it with Text.
type Chip struct {
	ID     int    // unique among the draft's chips; set by the input
	Kind   Kind   //
	Label  string // shown between brackets: "paste #1: 5,000 lines, 97.7 KB"
	Text   string // what it stands for in the sent text
	Ref    string // for a chip recalled from history: what to load it from (a path)
	Tokens int    // an estimate, for the status bar

	// Source is what an attachment stood for as text, when it was made
	// from a paste (a file's path a terminal pasted): ExpandChip puts it
	// back as text, for a user who meant the path and not the file.
	Source string

	// Payload is the caller's data (an attachment read and checked),
	// carried untouched. History does not keep it: a recalled chip has
	// Ref and no Payload.
	Payload any
}

// chip is a Chip in the draft, with its shown form measured once.
type chip struct {
	Chip
	shown string // "[label]", sanitised
	width int
	seq   int // creation order
}

// chipTable holds the draft's chips by id. A chip leaves it the moment
// its rune leaves the text (deleteRange), so nothing a user removed stays
// in memory.
type chipTable struct {
	byID      map[int]*chip
	next      int // the next id to try: ids are not reused soon, so an id a caller holds stays valid until its chip is gone
	seq       int
	textBytes int // len(Text) of all chips
	epoch     int // counts changes of what a chip rune stands for
	pastes    int // paste labels are numbered from 1 for the session
}

// Errors the input returns when it refuses an input. Nothing is lost:
// the draft stays as it was, and the text is still wherever it came from.
var (
	ErrTooManyChips = errors.New("the input holds too many pastes and attachments; send or remove some first")
	ErrFull         = errors.New("the input is full; send it, or attach the text as a file")
)

func (t *chipTable) add(c Chip, limit int, m ansi.Method) (*chip, error) {
	if len(t.byID) >= min(limit, chipIDs) {
		return nil, ErrTooManyChips
	}
	if t.byID == nil {
		t.byID = map[int]*chip{}
	}
	for t.byID[t.next] != nil {
		t.next = (t.next + 1) % chipIDs
	}
	c.ID = t.next
	t.next = (t.next + 1) % chipIDs
	c.Label = cleanLabel(c.Label)
	if c.Tokens == 0 {
		c.Tokens = estimateTokens(len(c.Text))
	}
	t.seq++
	ch := &chip{Chip: c, seq: t.seq}
	ch.measure(m)
	t.byID[c.ID] = ch
	t.textBytes += len(c.Text)
	t.epoch++
	return ch, nil
}

// expandable reports whether ExpandChip turns the chip into text.
func (ch *chip) expandable() bool {
	return ch.Kind == KindPaste && ch.Text != "" || ch.Kind == KindAttachment && ch.Source != ""
}

// expansion is the text ExpandChip puts in the chip's place.
func (ch *chip) expansion() string {
	if ch.Kind == KindAttachment {
		return ch.Source
	}
	return ch.Text
}

func (ch *chip) measure(m ansi.Method) {
	ch.shown = "[" + ch.Label + "]"
	ch.width = m.StringWidth(ch.shown)
}

func (t *chipTable) remove(id int) {
	if ch := t.byID[id]; ch != nil {
		t.textBytes -= len(ch.Text)
		delete(t.byID, id)
	}
}

// cleanLabel makes a label safe and one line: a file name may hold
// anything.
func cleanLabel(s string) string {
	s = strings.Map(func(r rune) rune {
		if r >= chipBase {
			return '\uFFFD' // the chips' own range
		}
		return r
	}, sanitize.Text(s))
	return cmpOr(strings.Join(strings.Fields(s), " "), "?")
}

// estimateTokens is the usual rough rule for English and code: four bytes
// a token.
func estimateTokens(bytes int) int { return (bytes + 3) / 4 }

func (t *chipTable) newPaste(text string) Chip {
	t.pastes++
	return Chip{Kind: KindPaste, Label: pasteLabel(t.pastes, text), Text: text}
}

// pasteLabel reads "paste #1: 5,000 lines, 97.7 KB".
func pasteLabel(n int, text string) string {
	lines := strings.Count(text, "\n")
	if !strings.HasSuffix(text, "\n") {
		lines++
	}
	noun := " lines, "
	if lines == 1 {
		noun = " line, "
	}
	return "paste #" + strconv.Itoa(n) + ": " + thousands(lines) + noun + formatBytes(len(text))
}

func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func formatBytes(n int) string {
	switch {
	case n < 1024:
		return strconv.Itoa(n) + " B"
	case n < 1<<20:
		return strconv.FormatFloat(float64(n)/1024, 'f', 1, 64) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// literalChip wraps a rune from the range chips are stored in, met in text
// from outside, so it is kept (and sent) as it was, never taken for a chip.
func literalChip(r rune) Chip {
	return Chip{Kind: KindPaste, Label: fmt.Sprintf("U+%X", r), Text: string(r)}
}

// Chips are the draft's chips in the order they were added.
func (p *Prompt) Chips() []Chip {
	out := make([]*chip, 0, len(p.chips.byID))
	for _, ch := range p.chips.byID {
		out = append(out, ch)
	}
	slices.SortFunc(out, func(a, b *chip) int { return cmp.Compare(a.seq, b.seq) })
	chips := make([]Chip, len(out))
	for i, ch := range out {
		chips[i] = ch.Chip
	}
	return chips
}

// TokenEstimate is a rough count of the tokens the draft would cost as it
// stands: its text at four bytes a token, plus each chip's estimate.
func (p *Prompt) TokenEstimate() int {
	n := estimateTokens(p.size - chipLen*len(p.chips.byID))
	for _, ch := range p.chips.byID {
		n += ch.Tokens
	}
	return n
}

// AddChip puts a chip (an attachment, say) at the cursor and returns its id.
func (p *Prompt) AddChip(c Chip) (int, error) {
	if p.size+p.chips.textBytes+chipLen+len(c.Text) > p.limits.DraftBytes {
		return 0, ErrFull
	}
	ch, err := p.chips.add(c, p.limits.Chips, p.method)
	if err != nil {
		return 0, err
	}
	p.insertRaw(chipRune(ch.ID))
	return ch.ID, nil
}

// ActiveChip is the chip the cursor touches: the one just before it
// (which backspace deletes), else the one just after it.
func (p *Prompt) ActiveChip() (Chip, bool) {
	if ch := p.activeChip(); ch != nil {
		return ch.Chip, true
	}
	return Chip{}, false
}

func (p *Prompt) activeChip() *chip {
	s := p.lines.At(p.cur.line).s
	if p.cur.off >= chipLen {
		if id, ok := chipIDAt(s[p.cur.off-chipLen:]); ok {
			return p.chips.byID[id]
		}
	}
	if id, ok := chipIDAt(s[p.cur.off:]); ok {
		return p.chips.byID[id]
	}
	return nil
}

// AtWordStart reports whether the cursor starts a word: it is at the
// start of a line, or after white space or a chip. That is where an "@"
// names a file to attach, rather than being part of an e-mail address.
func (p *Prompt) AtWordStart() bool {
	s := p.lines.At(p.cur.line).s[:p.cur.off]
	if s == "" {
		return true
	}
	if len(s) >= chipLen {
		if _, ok := chipIDAt(s[len(s)-chipLen:]); ok {
			return true
		}
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsSpace(r)
}

// SpaceAfter reports whether white space follows the cursor on its
// line: where a word just put in needs no space after it.
func (p *Prompt) SpaceAfter() bool {
	r, n := utf8.DecodeRuneInString(p.lines.At(p.cur.line).s[p.cur.off:])
	return n > 0 && unicode.IsSpace(r)
}

// findChip is where chip id's rune is in the text. It reads the draft,
// so it serves user actions on one chip, not every frame.
func (p *Prompt) findChip(id int) (pos, bool) {
	if p.chips.byID[id] == nil {
		return pos{}, false
	}
	r := chipRune(id)
	for i := range p.lines.Len() {
		if off := strings.Index(p.lines.At(i).s, r); off >= 0 {
			return pos{i, off}, true
		}
	}
	return pos{}, false
}

// RemoveChip deletes chip id from the draft.
func (p *Prompt) RemoveChip(id int) bool {
	at, ok := p.findChip(id)
	if !ok {
		return false
	}
	p.deleteRange(at, pos{at.line, at.off + chipLen})
	return true
}

// ExpandChip replaces a chip that stands for text (a paste, or an
// attachment with a Source) with that text, to edit in place, and puts
// the cursor at its start.
func (p *Prompt) ExpandChip(id int) bool {
	at, ok := p.findChip(id)
	if !ok || !p.chips.byID[id].expandable() {
		return false
	}
	ch := p.chips.byID[id]
	text := ch.expansion()
	bytes, chips := p.room()
	freed := chipLen + len(ch.Text) // taking the chip out frees its rune and its Text
	if p.checkInsert(text, bytes+freed, chips) != nil {
		return false // it holds more reserved runes than there are chips left
	}
	p.deleteRange(at, pos{at.line, at.off + chipLen})
	p.cur = at         // the chip's place, even if taking it out joined the clusters around it
	p.insertText(text) // checked above
	// The cursor goes to the text's start, or the start of the cluster
	// it joined (a paste may begin with a combining mark).
	p.cur = pos{at.line, p.snap(p.lines.At(at.line).s, 0, at.off, false)}
	return true
}

// SetChipText gives a chip new text, as after editing it in $EDITOR: a
// paste's label says its new size, under its old number.
func (p *Prompt) SetChipText(id int, text string) error {
	ch := p.chips.byID[id]
	if ch == nil {
		return fmt.Errorf("chip %d is no longer in the input", id)
	}
	text = normalize(text)
	if p.size+p.chips.textBytes-len(ch.Text)+len(text) > p.limits.DraftBytes {
		return ErrFull
	}
	p.chips.textBytes += len(text) - len(ch.Text)
	ch.Text, ch.Tokens = text, estimateTokens(len(text))
	if ch.Kind == KindPaste {
		if n, ok := pasteNumber(ch.Label); ok {
			ch.Label = pasteLabel(n, text)
		}
	}
	ch.measure(p.method)
	p.chips.epoch++
	if at, ok := p.findChip(id); ok {
		p.lines.At(at.line).invalidate() // its width changed
	}
	p.edited()
	return nil
}

// SetChipPayload gives a chip the caller's data: an attachment recalled
// from history, loaded again from its Ref before it is sent. It reports
// false when the chip is no longer in the draft.
func (p *Prompt) SetChipPayload(id int, payload any) bool {
	ch := p.chips.byID[id]
	if ch == nil {
		return false
	}
	ch.Payload = payload
	return true
}

func pasteNumber(label string) (int, bool) {
	rest, ok := strings.CutPrefix(label, "paste #")
	if !ok {
		return 0, false
	}
	num, _, _ := strings.Cut(rest, ":")
	n, err := strconv.Atoi(num)
	return n, err == nil
}
