package ui

import (
	"errors"
	"os"
	"path/filepath"
	"strings"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/ui/prompt"
	"github.com/parley-tui/parley/ui/sanitize"
)

// Files attached to the next prompt are chips in the input: chosen in the
// finder (@), pasted as paths (a file dropped on the terminal), given with
// -f, or come back with a prompt to edit. A file is read and checked by
// attach.Load on a command goroutine; what it says is wrong is shown as a
// sentence and the draft stays as it was. A chip carries the
// attach.Attachment (its Payload) that goes to the controller on send, and
// its absolute path (its Ref), which the history keeps to read it again.

// loadedFile is a file read for a chip.
type loadedFile struct {
	att    attach.Attachment
	ref    string // absolute path, for the history
	source string // what was pasted, for a pasted path
	// inline: the chip stands in the sentence ("explain @notes" is sent as
	// "explain notes.txt" and the file), as a file chosen or pasted does;
	// -f files and files given back with a prompt are beside the text.
	inline bool
}

// attachedMsg brings files read for chips: chosen in the finder, or
// recalled chips read again (reload: their ids, and send once read).
type attachedMsg struct {
	files  []loadedFile
	err    error
	reload []int
	send   bool
}

// pastedMsg is a paste that may be paths to files: the files it named, or
// nothing (text), and why a file named could not be attached.
type pastedMsg struct {
	text  string
	files []loadedFile
	errs  []error
}

// where is what a load needs to know of the places paths are shown from.
type where struct {
	dir, home string // absolute, or "" when unknown
}

// here is the working directory (Deps.Dir, else the process's) and the
// home directory; it may ask the system, so call it on a command
// goroutine.
func (m *Model) here() func() where {
	dir, getenv := m.deps.Dir, m.deps.Getenv
	return func() where {
		if dir == "" {
			dir, _ = os.Getwd()
		}
		if d, err := filepath.Abs(dir); err == nil {
			dir = d
		}
		return where{dir: dir, home: getenv("HOME")}
	}
}

// loadFile reads path for a chip. The chip, the model and any error see
// it by a short name (relative to the working directory, or ~/...); the
// history keeps its absolute path.
func loadFile(path string, lim attach.Limits, w where) (loadedFile, error) {
	abs := attach.ExpandHome(path)
	if !filepath.IsAbs(abs) && w.dir != "" {
		abs = filepath.Join(w.dir, abs)
	}
	short := attach.ShortPath(abs, w.dir, w.home)
	a, err := attach.Load(abs, lim)
	if err != nil {
		var ae *attach.Error
		if errors.As(err, &ae) {
			ae.Path = short
		}
		return loadedFile{}, err
	}
	a.Path = short
	return loadedFile{att: a, ref: abs}, nil
}

// attachFile reads a file the finder chose.
func (m *Model) attachFile(path string) tea.Cmd {
	lim, here := m.deps.AttachLimits, m.here()
	return func() tea.Msg {
		f, err := loadFile(path, lim, here())
		if err != nil {
			return attachedMsg{err: err}
		}
		f.inline = true
		return attachedMsg{files: []loadedFile{f}}
	}
}

// reloadChips reads the files of recalled chips again (the history keeps
// their paths, not their bytes), then sends.
func (m *Model) reloadChips(chips []prompt.Chip) tea.Cmd {
	lim, here := m.deps.AttachLimits, m.here()
	ids := make([]int, len(chips))
	refs := make([]string, len(chips))
	for i, c := range chips {
		ids[i], refs[i] = c.ID, c.Ref
	}
	return func() tea.Msg {
		w := here()
		msg := attachedMsg{reload: ids, send: true}
		for _, ref := range refs {
			if ref == "" {
				return attachedMsg{err: errors.New("an attachment recalled from the history has no path to read it from; remove it and attach the file again")}
			}
			f, err := loadFile(ref, lim, w)
			if err != nil {
				return attachedMsg{err: err}
			}
			msg.files = append(msg.files, f)
		}
		return msg
	}
}

// onAttached puts the files read in the input as chips at the cursor, or
// gives recalled chips their files and sends.
func (m *Model) onAttached(msg attachedMsg) tea.Cmd {
	if msg.err != nil {
		m.flash(sanitize.Text(msg.err.Error()))
		return nil
	}
	if msg.reload != nil {
		for i, id := range msg.reload {
			if !m.input.SetChipPayload(id, msg.files[i].att) {
				return nil // the chip was removed meanwhile: the user is still editing
			}
		}
		if msg.send {
			return m.send()
		}
		return nil
	}
	for _, f := range msg.files {
		m.addFile(f)
	}
	m.keyTimes.edited = m.deps.Now()
	return nil
}

// addAttachment puts a chip for a file at the cursor. source is the text
// it was pasted as, if it was.
func (m *Model) addAttachment(a attach.Attachment, source string) bool {
	return m.addFile(loadedFile{att: a, ref: absPath(a.Path, m.deps.Dir), source: source})
}

func (m *Model) addFile(f loadedFile) bool {
	c := prompt.Chip{Kind: prompt.KindAttachment, Label: fileChipLabel(f.att),
		Ref: f.ref, Tokens: f.att.Tokens, Payload: f.att, Source: f.source}
	if f.inline {
		c.Text = f.att.Label()
	}
	if _, err := m.input.AddChip(c); err != nil {
		m.flash("Cannot attach " + sanitize.OneLine(f.att.Label()) + ": " + sanitize.Text(err.Error()))
		return false
	}
	if f.inline && f.source == "" && !m.input.SpaceAfter() {
		// Typing goes on after it, as after a word. Not after a pasted
		// path: the cursor stays on its chip, for the expand key.
		m.input.InsertText(" ")
	}
	return true
}

// absPath is where a file can be read again: its path with ~ expanded,
// relative ones against dir when it is known; "" for standard input.
func absPath(p, dir string) string {
	if p == "" || p == "-" {
		return ""
	}
	if p = attach.ExpandHome(p); !filepath.IsAbs(p) && dir != "" {
		p = filepath.Join(dir, p)
	}
	return p
}

// fileChipLabel is what an attachment chip says: "notes.txt · text ·
// 2.1 KB · ~540 tokens", an image's size in pixels, a PDF's kind.
func fileChipLabel(a attach.Attachment) string {
	kind := string(a.Kind)
	switch {
	case a.Kind == attach.Image && a.Width > 0:
		kind += " " + itoa(a.Width) + "×" + itoa(a.Height)
	case a.Kind == attach.PDF:
		kind = "PDF"
	}
	parts := []string{shortLabel(a.Label(), 40), kind, attach.Size(a.Size)}
	if a.Tokens > 0 {
		parts = append(parts, "~"+thousands(a.Tokens)+" tokens")
	}
	return strings.Join(parts, " · ")
}

// shortLabel keeps a long path readable in a chip: its start and its file
// name, with "…" between.
func shortLabel(s string, max int) string {
	s = sanitize.OneLine(s)
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	tail := max * 2 / 3
	return string(r[:max-tail-1]) + "…" + string(r[len(r)-tail:])
}

// restoreAttachments gives a prompt back its files as chips: a chip
// recalled from the history with the file it stood for, the rest in front
// of the text.
func (m *Model) restoreAttachments(atts []attach.Attachment) {
	used := make([]bool, len(atts))
	for _, c := range m.input.Chips() {
		if c.Kind != prompt.KindAttachment {
			continue
		}
		found := false
		for i, a := range atts {
			if !used[i] && fileChipLabel(a) == c.Label {
				used[i], found = true, m.input.SetChipPayload(c.ID, a)
				break
			}
		}
		if !found {
			m.input.RemoveChip(c.ID) // not sent with the prompt: not part of it now
		}
	}
	m.input.MoveToStart()
	for i, a := range atts {
		if !used[i] {
			m.addAttachment(a, "")
		}
	}
	m.input.MoveToEnd()
}

// pasteMayBePaths says whether a paste is worth checking for files: it
// looks like paths (nothing is asked of the disk here).
func pasteMayBePaths(text string) bool {
	return attach.PastedPaths(text, func(string) bool { return true }) != nil
}

// checkPaste finds, on a command goroutine, whether a paste names files,
// and reads them.
func (m *Model) checkPaste(text string) tea.Cmd {
	lim, here := m.deps.AttachLimits, m.here()
	return func() tea.Msg {
		msg := pastedMsg{text: text}
		paths := attach.PastedPaths(text, attach.Exists)
		w := here()
		for _, p := range paths {
			f, err := loadFile(p, lim, w)
			if err != nil {
				msg.errs = append(msg.errs, err)
				continue
			}
			f.source, f.inline = p, true
			msg.files = append(msg.files, f)
		}
		return msg
	}
}

// onPasted attaches the files a paste named, each as a chip that the
// expand key turns back into the path, and says so; a paste that names
// none, or none that can be attached, is pasted as text.
func (m *Model) onPasted(msg pastedMsg) tea.Cmd {
	m.keyTimes.edited = m.deps.Now()
	var added []string
	for _, f := range msg.files {
		if m.addFile(f) {
			added = append(added, f.att.Name)
		}
	}
	if len(added) == 0 {
		cmd := m.input.Update(tea.PasteMsg{Content: msg.text}, m.keys.Input)
		if len(msg.errs) > 0 {
			m.flash(sanitize.Text(msg.errs[0].Error()) + "; pasted as text")
		}
		return cmd
	}
	what := sanitize.OneLine(added[0]) + " from the pasted path"
	if len(added) > 1 {
		what = itoa(len(added)) + " files from the pasted paths"
	}
	s := withHint("Attached "+what, hint(m.keys.Input.ExpandChip, "makes it text"))
	if len(msg.errs) > 0 {
		s = "Attached " + what + "; " + sanitize.Text(msg.errs[0].Error())
	}
	m.flash(s)
	return nil
}

// startChips are the -f files: chips in the input at start, their paths
// shortened as a chosen file's are. (New may ask the system: it is not
// Update.)
func (m *Model) startChips(atts []attach.Attachment) {
	if len(atts) == 0 {
		return
	}
	w := m.here()()
	for _, a := range atts {
		ref := absPath(a.Path, w.dir)
		if ref != "" {
			a.Path = attach.ShortPath(ref, w.dir, w.home)
		}
		m.addFile(loadedFile{att: a, ref: ref})
	}
}

// hasDraft reports whether the input holds anything to lose.
func (m *Model) hasDraft() bool { return !m.input.Empty() }
