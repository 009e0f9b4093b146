// Package history keeps the prompts a user sent, for recall with ↑ in the
// input, bounded in count and bytes and persisted across runs. A caller
// writes:
//
//	path, _ := history.Path(os.Getenv)      // $XDG_STATE_HOME/parley/history.jsonl
//	f := history.Open(path, history.Limits{})
//	entries, err := f.Load()               // at start, off the UI goroutine
//	list := history.NewList(history.Limits{})
//	list.AddOlder(entries)
//	...
//	e := history.Entry{Parts: []history.Part{{Text: "explain "}, {Chip: &history.Chip{Kind: "paste", Label: "paste #1: 2,000 lines, 41 KB", Text: long}}}}
//	if list.Add(e) {
//		err = f.Append(e) // off the UI goroutine too: it writes a file
//	}
//
// An entry keeps its chips (a long paste, an attachment) as chips, so a
// recalled prompt comes back the way it was typed, not as the thousands of
// lines it expands to. The package knows nothing of the terminal.
package history

import "strings"

// Entry is one prompt as it was sent: text and chips, in order.
type Entry struct {
	Parts []Part `json:"parts"`
}

// Part is a run of text or one chip; exactly one of the two is set.
type Part struct {
	Text string `json:"text,omitempty"`
	Chip *Chip  `json:"chip,omitempty"`
}

// Chip is what the input shows as one atomic label. Text is what it stands
// for in the prompt's text (a paste's content; empty for an attachment,
// which Ref names so it can be loaded again).
type Chip struct {
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Text   string `json:"text,omitempty"`
	Ref    string `json:"ref,omitempty"`
	Tokens int    `json:"tokens,omitempty"`
}

// Text is the prompt with every chip replaced by its text.
func (e Entry) Text() string {
	var b strings.Builder
	for _, p := range e.Parts {
		if p.Chip != nil {
			b.WriteString(p.Chip.Text)
		} else {
			b.WriteString(p.Text)
		}
	}
	return b.String()
}

// Size is what the entry costs to keep, in bytes.
func (e Entry) Size() int {
	n := 0
	for _, p := range e.Parts {
		n += len(p.Text)
		if c := p.Chip; c != nil {
			n += len(c.Kind) + len(c.Label) + len(c.Text) + len(c.Ref)
		}
	}
	return n
}

// Blank reports whether the entry has no chip and only white space.
func (e Entry) Blank() bool {
	for _, p := range e.Parts {
		if p.Chip != nil || strings.TrimSpace(p.Text) != "" {
			return false
		}
	}
	return true
}

// Equal reports whether two entries have the same parts.
func (e Entry) Equal(o Entry) bool {
	if len(e.Parts) != len(o.Parts) {
		return false
	}
	for i, p := range e.Parts {
		q := o.Parts[i]
		if p.Text != q.Text || (p.Chip == nil) != (q.Chip == nil) || p.Chip != nil && *p.Chip != *q.Chip {
			return false
		}
	}
	return true
}

// Limits bound the history. A zero field means its default.
type Limits struct {
	Entries    int // how many entries are kept: 200
	Bytes      int // their total Size: 4 MiB
	EntryBytes int // an entry larger than this is not kept at all: 1 MiB
}

func (l Limits) withDefaults() Limits {
	if l.Entries <= 0 {
		l.Entries = 200
	}
	if l.Bytes <= 0 {
		l.Bytes = 4 << 20
	}
	if l.EntryBytes <= 0 {
		l.EntryBytes = 1 << 20
	}
	return l
}

// List is the history in memory, oldest first, within its Limits: adding
// past them drops the oldest entries. Not safe for concurrent use.
type List struct {
	lim     Limits
	entries []Entry
	bytes   int
}

// NewList returns an empty list bounded by lim.
func NewList(lim Limits) *List { return &List{lim: lim.withDefaults()} }

// Add appends e as the newest entry. It reports false, and keeps nothing,
// when e is blank, larger than Limits.EntryBytes, or equal to the newest
// entry (sending the same prompt twice recalls it once).
func (l *List) Add(e Entry) bool {
	if e.Blank() || e.Size() > l.lim.EntryBytes {
		return false
	}
	if n := len(l.entries); n > 0 && l.entries[n-1].Equal(e) {
		return false
	}
	l.entries = append(l.entries, e)
	l.bytes += e.Size()
	l.trim()
	return true
}

// AddOlder puts entries (oldest first, as Load returns them) before those
// already in the list: the history loaded from disk arrives after the
// user may have sent a prompt.
func (l *List) AddOlder(entries []Entry) {
	older := NewList(l.lim)
	for _, e := range entries {
		older.Add(e)
	}
	for _, e := range l.entries {
		older.Add(e)
	}
	*l = *older
}

func (l *List) trim() {
	drop := 0
	for len(l.entries)-drop > l.lim.Entries || l.bytes > l.lim.Bytes {
		l.bytes -= l.entries[drop].Size()
		drop++
	}
	if drop > 0 {
		l.entries = append([]Entry(nil), l.entries[drop:]...)
	}
}

// Len is the number of entries.
func (l *List) Len() int { return len(l.entries) }

// At is entry i, 0 being the oldest.
func (l *List) At(i int) Entry { return l.entries[i] }

// Entries is a copy of the list, oldest first.
func (l *List) Entries() []Entry { return append([]Entry(nil), l.entries...) }
