package ui

import (
	"cmp"
	"path/filepath"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/attach/finder"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/sanitize"
)

// The file finder is the overlay the attach key (@) opens over the input:
// it lists the files under the working directory that can be attached,
// best match first, as the user types. The walk (finder.Next) and the
// ranking (Finder.Match, ~20 ms over 100,000 files) both run in commands,
// one of each at a time, so a key never waits for either: the list is
// matched again when a step of the walk or a key changed what it shows.

const (
	finderStep = 15 * time.Millisecond // of walking, per command
	finderRows = 10                    // matches shown, at most
)

// finderOverlay is the finder on the overlay stack.
type finderOverlay struct {
	filterList
	typed   string // what the key that opened it types ("@"), given back on close
	root    string // the directory it walks
	f       *finder.Finder
	matches []finder.Match
	shown   string // the query matches are for
	found   int    // files found when they were matched
	done    bool   // the walk is over

	walking  bool // a step of the walk is in flight
	matching bool // a match is in flight
	stale    bool // the query or the files changed since it started
	closed   bool // off the stack: close the finder when the walk step is back
}

// finderWalkedMsg is a step of the walk done.
type finderWalkedMsg struct {
	o    *finderOverlay
	done bool
}

// finderMatchedMsg is the files that match a query.
type finderMatchedMsg struct {
	o       *finderOverlay
	query   string
	matches []finder.Match
	found   int
}

// openFinder opens the finder over the working directory. typed is the
// text of the key that opened it.
func (m *Model) openFinder(typed string) tea.Cmd {
	root := cmp.Or(m.deps.Dir, ".")
	o := &finderOverlay{typed: typed, root: root, f: finder.New(root, finder.Options{Limits: m.deps.AttachLimits})}
	m.overlays.push(o)
	return tea.Batch(o.step(), o.match())
}

// step walks on, on a command goroutine.
func (o *finderOverlay) step() tea.Cmd {
	o.walking = true
	f := o.f
	return func() tea.Msg { return finderWalkedMsg{o: o, done: f.Next(finderStep)} }
}

// match ranks what was found against the query on a command goroutine,
// unless a match is in flight: then it runs again when that one is back.
func (o *finderOverlay) match() tea.Cmd {
	if o.matching {
		o.stale = true
		return nil
	}
	o.matching, o.stale = true, false
	f, q := o.f, o.query
	return func() tea.Msg {
		n := f.Len() // before Match: the files it ranks are at least these
		return finderMatchedMsg{o: o, query: q, matches: f.Match(q, 200), found: n}
	}
}

// close takes the finder's resources back; a step in flight closes it
// when it returns (Next and Close must not run at once).
func (o *finderOverlay) close() {
	o.closed = true
	if !o.walking {
		o.f.Close()
	}
}

func (m *Model) onFinderWalked(msg finderWalkedMsg) tea.Cmd {
	o := msg.o
	o.walking = false
	if o.closed {
		o.f.Close()
		return nil
	}
	o.done = msg.done
	if o.done && o.f.Len() == o.found && !o.matching {
		return nil // nothing new to rank
	}
	cmd := o.match()
	if !o.done {
		cmd = tea.Batch(cmd, o.step())
	}
	return cmd
}

func (m *Model) onFinderMatched(msg finderMatchedMsg) tea.Cmd {
	o := msg.o
	o.matching = false
	if o.closed {
		return nil
	}
	o.matches, o.shown, o.found = msg.matches, msg.query, msg.found
	o.clamp(len(o.matches))
	if o.stale || msg.query != o.query || o.done && o.f.Len() != msg.found {
		return o.match()
	}
	return nil
}

// Actions of the finder.
type (
	// attachChosen closes the finder and attaches the file at path.
	attachChosen struct{ path string }
	// finderCancelled closes the finder, leaving what was typed after
	// the attach key as text (with the key itself), unless the user
	// deleted it.
	finderCancelled struct{ text string }
)

func (o *finderOverlay) title() string { return "attach a file" }

func (o *finderOverlay) shortHelp(k *keymap.KeyMap) []key.Binding {
	return []key.Binding{k.Picker.Choose, k.Picker.Up, k.Picker.Down, k.Picker.Clear, k.Picker.Close}
}

func (o *finderOverlay) key(k tea.KeyPressMsg, env *overlayEnv) (action, tea.Cmd) {
	pk := env.keys.Picker
	switch {
	case key.Matches(k, pk.Close):
		return finderCancelled{text: o.typed + o.query}, nil
	case key.Matches(k, pk.Choose):
		if o.cursor < len(o.matches) && o.shown == o.query {
			return attachChosen{filepath.Join(o.root, filepath.FromSlash(o.matches[o.cursor].Path))}, nil
		}
		return consumed{}, nil // the list is not yet the query's
	case k.Code == tea.KeyBackspace && k.Mod == 0 && o.query == "":
		return finderCancelled{}, nil // the attach key deleted
	}
	if _, changed := o.filterList.key(k, pk, len(o.matches)); changed {
		return consumed{}, o.match()
	}
	return consumed{}, nil
}

// paste adds pasted text to the query.
func (o *finderOverlay) paste(s string) tea.Cmd {
	o.query += s
	o.cursor = 0
	return o.match()
}

func (o *finderOverlay) wheel(d int) { o.cursor = min(max(o.cursor+d, 0), max(len(o.matches)-1, 0)) }

// render draws the finder as a box as wide as the body and only as tall
// as its rows, at the bottom of the body, just above the input.
func (o *finderOverlay) render(width, height int, env *overlayEnv) []string {
	st := env.st
	frame := st.Overlay.Padding(0, 1)
	inner := width - frame.GetHorizontalFrameSize()
	if inner < 10 || height < frame.GetVerticalFrameSize()+3 {
		return nil
	}
	rows := min(finderRows, height-frame.GetVerticalFrameSize()-2)
	var b strings.Builder
	count := thousands(o.f.Len()) + " files"
	if !o.done {
		count = "looking… " + count
	}
	head := st.OverlayTitle.Render("Attach a file")
	b.WriteString(head + strings.Repeat(" ", max(1, inner-ansi.StringWidth(head)-ansi.StringWidth(count))) + st.Status.Dim.Render(count) + "\n")
	label := cmp.Or(o.typed, "file: ")
	b.WriteString(fit(st.Status.Key.Render(label)+st.Status.Value.Render(sanitize.Text(o.query))+"▏", inner))
	start := o.window(len(o.matches), rows)
	for i := start; i < len(o.matches) && i < start+rows; i++ {
		b.WriteString("\n" + finderRow(o.matches[i], i == o.cursor, inner, st))
	}
	if len(o.matches) == 0 {
		msg := "no file matches"
		if !o.done || o.matching {
			msg = "looking…"
		}
		b.WriteString("\n" + st.Status.Dim.Render("  "+msg))
	}
	return strings.Split(frame.Width(width).Render(b.String()), "\n")
}

// finderRow is one match: the cursor mark, the path with the matched
// characters lit (its start cut when it is too long, so the file's name
// shows), and its kind and size.
func finderRow(mt finder.Match, on bool, width int, st *themes.Styles) string {
	info := " " + string(mt.Kind) + " · " + attach.Size(mt.Size)
	room := width - 2 - ansi.StringWidth(info)
	path, lit := mt.Path, mt.Positions
	if shown := attach.Display(path); shown != path {
		path, lit = shown, nil // quoted: the offsets no longer point at its characters
	}
	if room < 8 {
		info, room = "", width-2
	}
	path, lit = cutFront(path, lit, room)
	var b strings.Builder
	if on {
		b.WriteString(st.Transcript.FocusedMessage.Render(cursorMark(on)))
	} else {
		b.WriteString(cursorMark(on))
	}
	next := 0
	for i := 0; i < len(path); {
		j := i + 1
		for j < len(path) && path[j]&0xC0 == 0x80 {
			j++
		}
		if next < len(lit) && lit[next] == i {
			b.WriteString(st.Status.Key.Render(path[i:j]))
			next++
		} else {
			b.WriteString(path[i:j])
		}
		i = j
	}
	line := b.String()
	pad := max(1, width-ansi.StringWidth(line)-ansi.StringWidth(info))
	return line + strings.Repeat(" ", pad) + st.Status.Dim.Render(info)
}

// cutFront keeps the end of a path that fits in width cells, starting
// with "…", and the offsets of lit characters in what is kept.
func cutFront(path string, lit []int, width int) (string, []int) {
	if ansi.StringWidth(path) <= width {
		return path, lit
	}
	start := len(path)
	for start > 0 {
		prev := start - 1
		for prev > 0 && path[prev]&0xC0 == 0x80 {
			prev--
		}
		if ansi.StringWidth(path[prev:])+1 > width {
			break
		}
		start = prev
	}
	var kept []int
	for _, p := range lit {
		if p >= start {
			kept = append(kept, p-start+len("…"))
		}
	}
	return "…" + path[start:], kept
}
