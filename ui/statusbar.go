package ui

import (
	"fmt"
	"math"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
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
	// retry is the request's last retry while it waits (retrying), and
	// when it was announced; silence how long a streaming reply has sent
	// nothing.
	retry    stream.Retry
	retryAt  time.Time
	retrying bool
	silence  time.Duration
	// running names the tools running now; servers says MCP servers are
	// connecting; notSaved says the session is not being saved.
	running  []string
	servers  string
	notSaved bool
	// mouseOff: the terminal has the mouse; mouseKey takes it back.
	mouseOff bool
	mouseKey string
	// draft estimates the tokens the prompt in the input would cost, its
	// files included (0: empty).
	draft int
}

// silenceShown is how long a streaming reply may send nothing before the
// status bar says so: a few seconds of thought are normal, a stall is not.
const silenceShown = 3 * time.Second

// stateText says what the session is doing, with what it waits for: a
// retry counting down, a stream gone quiet.
func stateText(in statusInfo) string {
	s := "● " + in.state.String()
	switch {
	case in.state == chat.StateWaiting && in.retrying:
		r := in.retry
		s += " · " + sanitize.Text(r.Reason) + " · retry " + itoa(r.Attempt) + " of " + itoa(r.Max)
		if left := in.retryAt.Add(r.Wait).Sub(in.now); left > 0 {
			s += " in " + itoa(int(math.Ceil(left.Seconds()))) + " s"
		} else {
			s += "…"
		}
	case in.state == chat.StateStreaming && in.silence >= silenceShown:
		s += " · no data for " + itoa(int(in.silence.Seconds())) + " s"
	case in.state == chat.StateRunning && len(in.running) > 2:
		s = "● running " + itoa(len(in.running)) + " tools"
	case in.state == chat.StateRunning && len(in.running) > 0:
		s = "● running " + sanitize.Text(strings.Join(in.running, ", "))
	}
	return s
}

// renderStatus draws the one-line bar. Segments are dropped from the right
// when the terminal is narrow, least useful first. r keeps what styling
// gave for the same text last time (the bar changes a number at a time).
func renderStatus(in statusInfo, width int, st *themes.Styles, r *styled) string {
	stateStyle := map[chat.State]*lipgloss.Style{
		chat.StateIdle: &st.Status.StateDone, chat.StateWaiting: &st.Status.StateWaiting,
		chat.StateStreaming: &st.Status.StateStreaming, chat.StateApproval: &st.Status.StateWaiting,
		chat.StateRunning: &st.Status.StateStreaming, chat.StateDone: &st.Status.StateDone,
		chat.StateError: &st.Status.StateError, chat.StateCancelled: &st.Status.StateWaiting,
	}[in.state]
	head := r.render(stateStyle, stateText(in)) + " " + r.render(&st.Status.Model, sanitize.Text(in.model))
	if in.effort != "" {
		head += r.render(&st.Status.Dim, " · effort "+in.effort)
	}
	if in.role != "" {
		head += r.render(&st.Status.Dim, " · role "+sanitize.Text(in.role))
	}
	if in.queued > 0 {
		head += r.render(&st.Status.StateWaiting, " · "+itoa(in.queued)+" queued")
	}
	if a := autoApproved(in); a != "" {
		head += r.render(&st.Status.StateError, " · "+a)
	}
	if in.mouseOff {
		head += r.render(&st.Status.Dim, " · mouse off ("+in.mouseKey+")")
	}
	if in.notSaved {
		head += r.render(&st.Status.StateError, " · unsaved")
	}
	if in.servers != "" {
		head += r.render(&st.Status.Dim, " · "+in.servers)
	}
	segs := []string{head}
	sep := r.render(&st.Status.Dim, " │ ")
	kv := func(k, v string) string { return r.render(&st.Status.Key, k) + " " + r.render(&st.Status.Value, v) }
	if in.draft > 0 {
		segs = append(segs, kv("draft", "~"+thousands(in.draft)+" tokens"))
	}

	if m := in.last; m != nil && m.Turn != nil {
		if u := m.Turn.Usage; u != nil {
			s := kv("in", thousands(u.Input))
			if u.Cached > 0 {
				s += r.render(&st.Status.Dim, " ("+thousands(u.Cached)+" cached)")
			}
			s += " " + kv("out", thousands(u.Output))
			if u.Reasoning > 0 {
				s += r.render(&st.Status.Dim, " ("+thousands(u.Reasoning)+" reasoning)")
			}
			segs = append(segs, s)
		}
		if sp := speed(m, in.now); sp != "" {
			segs = append(segs, r.render(&st.Status.Dim, sp))
		}
	}
	if in.totals.Turns > 1 {
		segs = append(segs, kv("Σ in", compact(in.totals.Input))+" "+kv("out", compact(in.totals.Output)))
	}
	if c := cost(in); c != "" {
		segs = append(segs, r.render(&st.Status.Cost, c))
	}
	if c := contextUse(in); c != "" {
		segs = append(segs, kv("ctx", c))
	}
	// Drop trailing segments until the line fits; the head always stays.
	for len(segs) > 1 && ansi.StringWidth(strings.Join(segs, sep)) > width-2 {
		segs = segs[:len(segs)-1]
	}
	return r.renderWidth(&st.Status.Bar, width, fit(strings.Join(segs, sep), width-2))
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

// speed is time to first token and tokens per second. Tokens per second
// has one definition, live and final: the answer's output tokens over the
// time since the answer began (its first token after any reasoning).
// Hidden reasoning is left out of both: most of it never streams, so a
// live count could not see it, and a rate that jumped when the server's
// count arrived would say nothing. While streaming the tokens are
// estimated from characters (about four per token) and marked "~"; at the
// end they are the server's output count less its reasoning count.
func speed(m *model.Message, now time.Time) string {
	if m.FirstToken.IsZero() || m.Sent.IsZero() {
		return ""
	}
	s := "ttft " + formatSeconds(m.FirstToken.Sub(m.Sent))
	start := m.FirstToken
	if !m.ReasoningStart.IsZero() {
		start = m.ReasoningEnd // zero while the model still reasons
	}
	end := m.Finished
	if end.IsZero() {
		end = now
	}
	if start.IsZero() {
		return s
	}
	d := end.Sub(start).Seconds()
	if d < 0.2 {
		return s
	}
	if u := m.Turn.Usage; u != nil && !m.Finished.IsZero() {
		return s + fmt.Sprintf(" · %.0f tok/s", float64(max(0, u.Output-u.Reasoning))/d)
	}
	chars := len(m.Turn.Text) + len(m.Turn.Refusal)
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
