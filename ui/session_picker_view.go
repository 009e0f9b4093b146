package ui

import (
	"strings"
	"time"

	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

const sessionPickerWidth = 100

func (p *sessionPicker) render(width, height int, env *overlayEnv) []string {
	st := env.st
	var b strings.Builder
	mode, label := "Sessions", "filter"
	if p.search {
		mode, label = "Search all messages", "search"
	}
	b.WriteString(st.OverlayTitle.Render(mode) + "\n")
	b.WriteString(p.line(label, st) + "\n\n")
	inner := min(width, sessionPickerWidth) - st.Overlay.GetHorizontalFrameSize()
	rows := max(1, (height-10)/2)
	switch {
	case p.loading:
		b.WriteString(st.Status.Dim.Render("  loading…") + "\n")
	case p.err != "":
		b.WriteString(st.Transcript.ErrorBlock.Render(fit("  "+p.err, inner)) + "\n")
	case p.search:
		p.renderHits(&b, inner, rows, env)
	default:
		p.renderMatches(&b, inner, rows, env)
	}
	switch {
	case p.renaming:
		b.WriteString("\n" + st.Status.Key.Render("new title: ") + st.Status.Value.Render(sanitize.Text(p.newTitle)) + "▏")
	case p.deleting:
		s, _ := p.selected()
		q := "Delete “" + sanitize.Text(s.Title) + "” and its messages? " + keyName(env.keys.Sessions.Confirm) + " deletes, any other key keeps it"
		b.WriteString("\n" + st.Transcript.ErrorBlock.Render(fit(q, inner)))
	}
	return overlayBox(st, b.String(), width, sessionPickerWidth, height)
}

func (p *sessionPicker) renderMatches(b *strings.Builder, width, rows int, env *overlayEnv) {
	st := env.st
	if len(p.matches) == 0 {
		b.WriteString(st.Status.Dim.Render("  no sessions") + "\n")
		return
	}
	start := p.window(len(p.matches), rows)
	for i := start; i < len(p.matches) && i < start+rows; i++ {
		s := p.matches[i]
		mark := cursorMark(i == p.cursor)
		pin := ""
		if s.Pinned {
			pin = "📌 "
		}
		title := sanitize.Text(s.Title)
		if title == "" {
			title = "untitled"
		}
		if s.ID == env.ctl.Session().ID {
			title += " (open)"
		}
		meta := " · " + sanitize.Text(s.Model) + " · " + itoa(s.Messages) + " messages · " + ago(env.now.Sub(s.Updated))
		line := mark + pin + title
		if i == p.cursor {
			line = st.Transcript.FocusedMessage.Render(line)
		}
		b.WriteString(fit(line+st.Status.Dim.Render(meta), width) + "\n")
		b.WriteString("    " + st.Status.Dim.Render(p.preview(s.SessionSummary, width-4)) + "\n")
	}
}

func (p *sessionPicker) renderHits(b *strings.Builder, width, rows int, env *overlayEnv) {
	st := env.st
	if len(p.hits) == 0 {
		if strings.TrimSpace(p.query) != "" {
			b.WriteString(st.Status.Dim.Render("  no message matches") + "\n")
		}
		return
	}
	start := p.window(len(p.hits), rows)
	for i := start; i < len(p.hits) && i < start+rows; i++ {
		h := p.hits[i]
		mark := cursorMark(i == p.cursor)
		title := mark + sanitize.Text(h.SessionTitle)
		if i == p.cursor {
			title = st.Transcript.FocusedMessage.Render(title)
		}
		meta := " · " + string(h.Role)
		if h.alike > 0 {
			meta += " · " + itoa(h.alike+1) + " alike"
		}
		b.WriteString(fit(title+st.Status.Dim.Render(meta), width) + "\n")
		// The snippet is sanitised plain text on one line (plainHits: no
		// markdown marks, no breaks or tabs, which width functions do not
		// count as the terminal shows them); then the hit is marked: the
		// markers are Parley's own, the text around them is not.
		snippet := h.Snippet
		parts := strings.Split(snippet, store.MarkStart)
		var sb strings.Builder
		sb.WriteString(parts[0])
		for _, part := range parts[1:] {
			hit, rest, _ := strings.Cut(part, store.MarkEnd)
			sb.WriteString(st.Transcript.SelectionHighlight.Render(hit) + rest)
		}
		b.WriteString(fit("    "+sb.String(), width) + "\n")
	}
}

// preview is a session's first words as one line of plain text at most
// width columns: markdown marks dropped (no "##" or "**"), cached per
// session and width, since the picker draws every frame.
func (p *sessionPicker) preview(s store.SessionSummary, width int) string {
	key := previewKey{s.ID, s.Preview, width}
	if v, ok := p.previews[key]; ok {
		return v
	}
	if p.previews == nil || len(p.previews) > 4*len(p.list)+64 {
		p.previews = map[previewKey]string{}
	}
	v := markdown.PlainPreview(s.Preview, width)
	p.previews[key] = v
	return v
}

type previewKey struct {
	id, text string
	width    int
}

// ago says how long ago, briefly.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return itoa(int(d.Minutes())) + " min ago"
	case d < 24*time.Hour:
		return itoa(int(d.Hours())) + " h ago"
	default:
		return itoa(int(d.Hours()/24)) + " d ago"
	}
}
