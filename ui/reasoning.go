package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/sanitize"
)

// reasoningTailRows is how many lines of reasoning show while it streams.
const reasoningTailRows = 4

// reasoningMode is how a reply's reasoning pane shows. Auto means: a live
// tail while the model reasons, one collapsed line once the answer starts.
type reasoningMode uint8

const (
	reasoningAuto reasoningMode = iota
	reasoningExpanded
	reasoningCollapsed
)

// reasoningView renders one reply's reasoning pane. It is a plain function
// of the message, so the transcript caches its output with the entry.
type reasoningView struct {
	msg       *model.Message
	mode      reasoningMode
	streaming bool // the reply is still arriving
}

// visible reports whether there is anything to show: reasoning text, a
// reasoning token count, or a model thinking right now.
func (r reasoningView) visible() bool {
	t := r.msg.Turn
	if t == nil {
		return false
	}
	return len(t.Reasoning) > 0 || (t.Usage != nil && t.Usage.Reasoning > 0)
}

// thinking is true while reasoning streams and no answer has begun.
func (r reasoningView) thinking() bool {
	return r.streaming && r.msg.ReasoningEnd.IsZero() && len(r.msg.Turn.Reasoning) > 0
}

func (r reasoningView) render(width int, st *themes.Styles, now time.Time) []string {
	if !r.visible() || width < 4 {
		return nil
	}
	mode := r.mode
	thinking := r.thinking()
	var lines []string
	lines = append(lines, fit(st.Reasoning.Header.Render(r.header(thinking, mode, now)), width))
	text := strings.Join(r.msg.Turn.Reasoning, "\n\n")
	if text == "" {
		return lines
	}
	inner := width - 2
	switch {
	case mode == reasoningExpanded:
		for _, l := range wrapText(unboldHeadings(sanitize.Text(text)), inner) {
			lines = append(lines, r.ruled(l, st))
		}
	case mode == reasoningAuto && thinking:
		for _, l := range tailLines(text, inner, reasoningTailRows) {
			lines = append(lines, r.ruled(l, st))
		}
	}
	return lines
}

func (r reasoningView) ruled(l string, st *themes.Styles) string {
	return st.Reasoning.Border.Render("│") + " " + st.Reasoning.Text.Render(l)
}

func (r reasoningView) header(thinking bool, mode reasoningMode, now time.Time) string {
	m := r.msg
	arrow := "▸"
	if mode == reasoningExpanded || (mode == reasoningAuto && thinking) {
		arrow = "▾"
	}
	start := m.ReasoningStart
	if start.IsZero() {
		start = m.Sent
	}
	end := m.ReasoningEnd
	if end.IsZero() && !m.Finished.IsZero() {
		end = m.Finished // a finished reply saved without its reasoning end
	}
	if end.IsZero() {
		end = now
	}
	var b strings.Builder
	if thinking {
		fmt.Fprintf(&b, "%s Thinking… %s", arrow, formatSeconds(end.Sub(start)))
	} else {
		fmt.Fprintf(&b, "%s Thought for %s", arrow, formatSeconds(end.Sub(start)))
	}
	if u := m.Turn.Usage; u != nil && u.Reasoning > 0 {
		fmt.Fprintf(&b, " · %s reasoning tokens", thousands(u.Reasoning))
	}
	if len(m.Turn.Reasoning) == 0 {
		b.WriteString(" (no summary)")
	}
	return b.String()
}

// unboldHeadings drops the asterisks of summary headings ("**Planning**"
// on a line of its own): the pane is plain text, and the markers are noise.
func unboldHeadings(s string) string {
	if !strings.Contains(s, "**") {
		return s
	}
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		t := strings.TrimSpace(l)
		if len(t) > 4 && strings.HasPrefix(t, "**") && strings.HasSuffix(t, "**") && !strings.Contains(t[2:len(t)-2], "**") {
			lines[i] = t[2 : len(t)-2]
		}
	}
	return strings.Join(lines, "\n")
}

// tailLines wraps only the end of a long text: enough bytes for rows
// lines, so a growing reasoning tail costs the same at 100 KB as at 1 KB.
func tailLines(text string, width, rows int) []string {
	if budget := width * rows * 4; len(text) > budget {
		cut := len(text) - budget
		if i := strings.IndexByte(text[cut:], '\n'); i >= 0 && i < width*2 {
			cut += i + 1
		}
		for cut < len(text) && !utf8Start(text[cut]) {
			cut++
		}
		text = text[cut:]
	}
	// Sanitised after the cut, so the cost stays bounded too.
	lines := wrapText(unboldHeadings(strings.TrimRight(sanitize.Text(text), "\n")), width)
	if len(lines) > rows {
		lines = lines[len(lines)-rows:]
	}
	return lines
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// formatSeconds shows a duration the way people say it: 0.8 s, 12 s, 2 m 5 s.
func formatSeconds(d time.Duration) string {
	switch {
	case d < 0:
		return "0 s"
	case d < 10*time.Second:
		return fmt.Sprintf("%.1f s", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%d s", int(d.Seconds()))
	default:
		return fmt.Sprintf("%d m %d s", int(d.Minutes()), int(d.Seconds())%60)
	}
}
