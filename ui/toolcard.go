package ui

import (
	"fmt"
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/jsonfmt"
	"github.com/parley-tui/parley/ui/sanitize"
)

// cardTailRows bounds a collapsed card's argument lines; while arguments
// stream it shows the last rows, so the key being filled stays in view.
const cardTailRows = 12

// card is how the sidebar draws one chat.Call: its arguments
// pretty-printed as they stream in (the Call is the record; this is only
// the view of it).
type card struct {
	args     *jsonfmt.Formatter
	src      string // the arguments given to args so far
	expanded bool
}

// update gives the formatter what arrived. When the final arguments are not
// what streamed, the formatter starts over with them: the card shows what
// will run.
func (c *card) update(call *chat.Call) {
	args := call.Args()
	if c.args == nil || !strings.HasPrefix(args, c.src) {
		c.args, c.src = jsonfmt.New(2), ""
	}
	if len(args) > len(c.src) {
		c.args.Write(sanitize.Text(args[len(c.src):]))
		c.src = args
	}
}

// statusText says where a call is.
func statusText(c *chat.Call) string {
	switch c.Status {
	case chat.CallStreaming:
		return "streaming arguments"
	case chat.CallReady:
		return "complete"
	case chat.CallAwaiting:
		return "needs approval"
	case chat.CallRunning:
		if c.Hosted() && c.Progress != "" {
			return strings.ReplaceAll(sanitize.Text(c.Progress), "_", " ")
		}
		if p, ok := c.Report(); ok && p.Progress > 0 {
			if p.Total > 0 {
				return fmt.Sprintf("running %g/%g", p.Progress, p.Total)
			}
			return fmt.Sprintf("running %g", p.Progress)
		}
		return "running"
	case chat.CallFailed:
		if c.NotOffered {
			return "not offered"
		}
		return "failed"
	case chat.CallDone:
		return "done"
	case chat.CallDenied:
		return "denied"
	case chat.CallInterrupted:
		return "interrupted"
	case chat.CallNotRun:
		return "not run"
	default:
		return "failed"
	}
}

func statusStyle(c *chat.Call, st *themes.Styles) lipgloss.Style {
	switch c.Status {
	case chat.CallStreaming, chat.CallAwaiting:
		return st.Tools.StatusStreaming
	case chat.CallReady:
		return st.Tools.StatusComplete
	case chat.CallRunning:
		return st.Tools.StatusRunning
	case chat.CallDone:
		return st.Tools.StatusDone
	case chat.CallInterrupted, chat.CallNotRun:
		return st.Tools.Meta
	default:
		return st.Tools.StatusFailed
	}
}

func kindText(c *chat.Call) string {
	if c.Hosted() {
		return "server tool"
	}
	return string(c.Ref.Kind)
}

// argBytes is the size of the arguments, for the card's meta line.
func argBytes(c *chat.Call) int { return len(c.Args()) }

// render draws the card, border included, width columns wide.
func (c *card) render(call *chat.Call, width int, focused bool, st *themes.Styles, now time.Time) []string {
	box := st.Tools.Card
	if focused {
		box = st.Tools.CardFocused
	}
	inner := width - box.GetHorizontalFrameSize()
	if inner < 4 {
		return nil
	}
	var lines []string
	lines = append(lines, fit(st.Tools.Name.Render(sanitize.Text(call.Name()))+" "+st.Tools.Kind.Render(kindText(call)), inner))
	end := call.Ended
	if end.IsZero() {
		end = now
	}
	meta := formatSeconds(end.Sub(call.Started))
	if !call.Hosted() {
		meta = formatBytes(argBytes(call)) + " · " + meta
	}
	status := "● " + statusText(call)
	// The status is never cut and never gives way to the meta: it wraps
	// (under its text, past the bullet), and the meta goes below it.
	if lipgloss.Width(status)+1+lipgloss.Width(meta) <= inner {
		lines = append(lines, statusStyle(call, st).Render(status)+" "+st.Tools.Meta.Render(meta))
	} else {
		for i, l := range wrapText(statusText(call), inner-2) {
			lead := "  "
			if i == 0 {
				lead = "● "
			}
			lines = append(lines, statusStyle(call, st).Render(lead+l))
		}
		lines = append(lines, fit(st.Tools.Meta.Render("  "+meta), inner))
	}
	if call.Changed() {
		for _, l := range wrapText("⚠ the final arguments differ from what streamed; these are the ones that run", inner) {
			lines = append(lines, st.Tools.StatusFailed.Render(l))
		}
	}
	if p, ok := call.Report(); ok && strings.TrimSpace(p.Message) != "" {
		// The tool's own words, one line of them.
		lines = append(lines, fit(st.Tools.Meta.Render("  "+sanitize.OneLine(p.Message)), inner))
	}
	body := c.bodyLines(call, inner, st)
	if out := resultText(call); out != "" {
		body = append(body, st.Tools.Meta.Render("→ result"))
		body = append(body, wrapText(out, inner)...)
	}
	if !c.expanded && len(body) > cardTailRows {
		if call.Status == chat.CallStreaming {
			body = append([]string{st.Tools.Meta.Render("  ⋮")}, body[len(body)-cardTailRows+1:]...)
		} else {
			more := len(body) - cardTailRows + 1
			body = append(body[:cardTailRows-1], st.Tools.Meta.Render("  ⋮ "+thousands(more)+" more lines"))
		}
	}
	lines = append(lines, body...)
	return strings.Split(box.Width(width).Render(strings.Join(lines, "\n")), "\n")
}

// resultText is a run's output to show, sanitised; a call that never ran
// has none (its status says so).
func resultText(call *chat.Call) string {
	switch call.Status {
	case chat.CallDone, chat.CallFailed:
		return sanitize.Text(call.Output)
	case chat.CallInterrupted:
		if call.Output != chat.CancelledOutput {
			return sanitize.Text(call.Output)
		}
	}
	return ""
}

// bodyLines formats the arguments, wrapping long values to the card.
func (c *card) bodyLines(call *chat.Call, width int, st *themes.Styles) []string {
	return argLines(c.args, call, width, st)
}

// argLines formats a call's arguments: JSON pretty-printed and coloured,
// free text (custom tools, server tools) wrapped.
func argLines(f *jsonfmt.Formatter, call *chat.Call, width int, st *themes.Styles) []string {
	if call.Ref.Kind != "function" || f == nil {
		args := call.Args()
		if args == "" {
			return nil
		}
		return wrapText(sanitize.Text(args), width)
	}
	active := ""
	if call.Status == chat.CallStreaming {
		active = f.ActiveKey()
	}
	var out []string
	for _, line := range f.Lines() {
		var b strings.Builder
		for _, sp := range line {
			b.WriteString(spanStyle(sp, active, st).Render(sp.Text))
		}
		out = append(out, wrapText(b.String(), width)...)
	}
	return out
}

func spanStyle(sp jsonfmt.Span, active string, st *themes.Styles) lipgloss.Style {
	switch sp.Kind {
	case jsonfmt.Key:
		if active != "" && strings.Trim(sp.Text, `"`) == lastKey(active) {
			return st.Tools.JSONActiveKey
		}
		return st.Tools.JSONKey
	case jsonfmt.String:
		return st.Tools.JSONString
	case jsonfmt.Number:
		return st.Tools.JSONNumber
	case jsonfmt.Bool, jsonfmt.Null:
		return st.Tools.JSONBool
	case jsonfmt.Punct:
		return st.Tools.JSONPunct
	default:
		return lipgloss.NewStyle()
	}
}

// lastKey is the final segment of a key path: "filters.city" → "city".
func lastKey(path string) string {
	if i := strings.LastIndexAny(path, ".]"); i >= 0 && i+1 < len(path) {
		return path[i+1:]
	}
	return path
}
