package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/sanitize"
)

// statusInfo is everything the bar shows, gathered by the root model.
type statusInfo struct {
	state   chat.State
	model   string
	effort  string
	role    string
	queued  int
	last    *model.Message // the newest reply, if any
	totals  model.Totals
	catalog *model.Catalog
	now     time.Time
	// yolo: every tool runs without asking; approved: these tools do.
	yolo     bool
	approved []string
	// mouseOff: the terminal has the mouse; mouseKey takes it back.
	mouseOff bool
	mouseKey string
}

// renderStatus draws the one-line bar. Segments are dropped from the right
// when the terminal is narrow, least useful first.
func renderStatus(in statusInfo, width int, st *themes.Styles) string {
	stateStyle := map[chat.State]func(...string) string{
		chat.StateIdle: st.Status.StateDone.Render, chat.StateWaiting: st.Status.StateWaiting.Render,
		chat.StateStreaming: st.Status.StateStreaming.Render, chat.StateApproval: st.Status.StateWaiting.Render,
		chat.StateRunning: st.Status.StateStreaming.Render, chat.StateDone: st.Status.StateDone.Render,
		chat.StateError: st.Status.StateError.Render, chat.StateCancelled: st.Status.StateWaiting.Render,
	}[in.state]
	head := stateStyle("● "+in.state.String()) + " " + st.Status.Model.Render(sanitize.Text(in.model))
	if in.effort != "" {
		head += st.Status.Dim.Render(" · effort " + in.effort)
	}
	if in.role != "" {
		head += st.Status.Dim.Render(" · role " + sanitize.Text(in.role))
	}
	if in.queued > 0 {
		head += st.Status.StateWaiting.Render(" · " + itoa(in.queued) + " queued")
	}
	if a := autoApproved(in); a != "" {
		head += st.Status.StateError.Render(" · " + a)
	}
	if in.mouseOff {
		head += st.Status.Dim.Render(" · mouse off (" + in.mouseKey + ")")
	}
	segs := []string{head}
	sep := st.Status.Dim.Render(" │ ")
	kv := func(k, v string) string { return st.Status.Key.Render(k) + " " + st.Status.Value.Render(v) }

	if m := in.last; m != nil && m.Turn != nil {
		if u := m.Turn.Usage; u != nil {
			s := kv("in", thousands(u.Input))
			if u.Cached > 0 {
				s += st.Status.Dim.Render(" (" + thousands(u.Cached) + " cached)")
			}
			s += " " + kv("out", thousands(u.Output))
			if u.Reasoning > 0 {
				s += st.Status.Dim.Render(" (" + thousands(u.Reasoning) + " reasoning)")
			}
			segs = append(segs, s)
		}
		if sp := speed(m, in.now); sp != "" {
			segs = append(segs, st.Status.Dim.Render(sp))
		}
	}
	if in.totals.Turns > 1 {
		segs = append(segs, kv("Σ in", compact(in.totals.Input))+" "+kv("out", compact(in.totals.Output)))
	}
	if c := cost(in); c != "" {
		segs = append(segs, st.Status.Cost.Render(c))
	}
	if c := contextUse(in); c != "" {
		segs = append(segs, kv("ctx", c))
	}
	// Drop trailing segments until the line fits; the head always stays.
	for len(segs) > 1 && ansi.StringWidth(strings.Join(segs, sep)) > width-2 {
		segs = segs[:len(segs)-1]
	}
	return st.Status.Bar.Width(width).Render(fit(strings.Join(segs, sep), width-2))
}

// autoApproved says which tools run without asking, briefly.
func autoApproved(in statusInfo) string {
	switch {
	case in.yolo:
		return "all tools auto-approved"
	case len(in.approved) == 0:
		return ""
	case len(in.approved) <= 2:
		return "auto-approved: " + sanitize.Text(strings.Join(in.approved, ", "))
	default:
		return itoa(len(in.approved)) + " tools auto-approved"
	}
}

// speed is time to first token and tokens per second. While streaming the
// rate is estimated from characters (about four per token) and marked "~";
// at the end it comes from the server's own count.
func speed(m *model.Message, now time.Time) string {
	if m.FirstToken.IsZero() || m.Sent.IsZero() {
		return ""
	}
	s := "ttft " + formatSeconds(m.FirstToken.Sub(m.Sent))
	end := m.Finished
	if end.IsZero() {
		end = now
	}
	d := end.Sub(m.FirstToken).Seconds()
	if d < 0.2 {
		return s
	}
	if u := m.Turn.Usage; u != nil && !m.Finished.IsZero() {
		return s + fmt.Sprintf(" · %.0f tok/s", float64(u.Output)/d)
	}
	chars := len(m.Turn.Text)
	for _, r := range m.Turn.Reasoning {
		chars += len(r)
	}
	for _, c := range m.Turn.ToolCalls {
		chars += len(c.Arguments)
	}
	if chars == 0 {
		return s
	}
	return s + fmt.Sprintf(" · ~%.0f tok/s", float64(chars)/4/d)
}

// cost shows this turn's and the session's cost, only where prices are
// known: an unknown model shows nothing rather than a guess.
func cost(in statusInfo) string {
	var parts []string
	if m := in.last; m != nil && m.Turn != nil && m.Turn.Usage != nil {
		if c, ok := in.catalog.Cost(chat.ModelName(m), *m.Turn.Usage); ok {
			parts = append(parts, dollars(c))
		}
	}
	if in.totals.Turns > 1 && in.totals.CostKnown {
		s := "Σ " + dollars(in.totals.Cost)
		if !in.totals.CostComplete {
			s += "+"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func dollars(c float64) string {
	if c < 0.01 {
		return fmt.Sprintf("$%.4f", c)
	}
	return fmt.Sprintf("$%.2f", c)
}

// contextUse is how full the model's context window is after the last
// turn: its input plus its output is what the next turn will resend.
func contextUse(in statusInfo) string {
	m := in.last
	if m == nil || m.Turn == nil || m.Turn.Usage == nil {
		return ""
	}
	info, ok := in.catalog.Lookup(chat.ModelName(m))
	if !ok || info.ContextWindow == 0 {
		return ""
	}
	used := m.Turn.Usage.Input + m.Turn.Usage.Output
	return fmt.Sprintf("%.0f%% of %s", 100*float64(used)/float64(info.ContextWindow), compact(info.ContextWindow))
}
