package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/markdown"
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

// reasoningView renders one reply's reasoning pane: its header, and the
// summary as markdown (think, rendered by ui/markdown in the pane's style),
// its last rows while the model thinks or all of it when expanded. The
// transcript caches its output with the entry.
type reasoningView struct {
	msg       *model.Message
	mode      reasoningMode
	streaming bool // the reply is still arriving
	think     *markdown.Reasoning
}

// reasoningView is the entry's reasoning pane.
func (e *entry) reasoningView() reasoningView {
	return reasoningView{msg: e.msg, mode: e.reasoning, streaming: e.live, think: e.think}
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

// clocked reports an entry whose rows show the time now: a reasoning pane
// counting the seconds of a reply still reasoning.
func (e *entry) clocked() bool {
	r := e.reasoningView()
	return r.streaming && r.msg.ReasoningEnd.IsZero() && r.visible()
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
	if r.think == nil {
		return lines
	}
	var rows []string
	switch {
	case mode == reasoningExpanded:
		rows = r.think.Lines()
	case mode == reasoningAuto && thinking:
		// The live tail starts with text, not the gap before a part.
		rows = r.think.Tail(reasoningTailRows)
		for len(rows) > 0 && strings.TrimSpace(ansi.Strip(rows[0])) == "" {
			rows = rows[1:]
		}
	}
	for _, l := range rows {
		lines = append(lines, r.ruled(fit(l, width-2), st))
	}
	for len(lines) > 1 && strings.TrimSpace(ansi.Strip(lines[len(lines)-1])) == "│" {
		lines = lines[:len(lines)-1] // the summary's own trailing gap, ruled
	}
	if len(lines) > 1 && !thinking {
		// A blank row parts the summary from the answer (its first heading
		// would touch the rule otherwise); no answer follows a tail.
		lines = append(lines, "")
	}
	return lines
}

// ruled puts a row of the summary behind the pane's rule; the row is
// styled already (ReasoningStyle).
func (r reasoningView) ruled(l string, st *themes.Styles) string {
	return st.Reasoning.Border.Render("│") + " " + l
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
