package ui

import (
	"strings"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/jsonfmt"
	"github.com/parley-tui/parley/ui/sanitize"
)

// cardStatus is where a tool call is in its life. Parley does not run tools
// yet, so calls stop at complete; running, done and failed are for the
// server's own tools (web search...) and for the tool runner to come.
type cardStatus uint8

const (
	cardStreaming cardStatus = iota // arguments arriving
	cardComplete                    // arguments final
	cardRunning
	cardDone
	cardFailed
	cardAwaiting // arguments final, waiting for the user's approval
)

var timeZero time.Time

// cardTailRows bounds a collapsed card's argument lines; while arguments
// stream it shows the last rows, so the key being filled stays in view.
const cardTailRows = 12

// toolCard is one call in the sidebar: its arguments pretty-printed as they
// stream in.
type toolCard struct {
	ref      stream.ToolRef
	args     *jsonfmt.Formatter
	plain    strings.Builder // custom tools take free text, not JSON
	status   cardStatus
	progress string // the last hosted progress event ("searching")
	started  time.Time
	ended    time.Time
	expanded bool
	output   string // a run's result, sanitised
	denied   bool   // the user said no: it never ran
}

// setResult records a run's outcome.
func (c *toolCard) setResult(res tools.Result, now time.Time) {
	c.status = cardDone
	c.progress = ""
	if res.Failed {
		c.status = cardFailed
	}
	c.output = sanitize.Text(res.Output)
	c.ended = now
}

func newToolCard(ref stream.ToolRef, now time.Time) *toolCard {
	c := &toolCard{ref: ref, args: jsonfmt.New(2), started: now}
	if ref.Kind == stream.ToolHosted {
		c.status = cardRunning
		c.progress = ref.Status
	}
	return c
}

func (c *toolCard) appendArgs(delta string) {
	delta = sanitize.Text(delta)
	if c.ref.Kind == stream.ToolCustom || c.ref.Kind == stream.ToolHosted {
		c.plain.WriteString(delta)
		return
	}
	c.args.Write(delta)
}

// finish records the final arguments, when the deltas missed some.
func (c *toolCard) finish(ref stream.ToolRef, now time.Time) {
	if c.ref.Name == "" {
		c.ref.Name = ref.Name
	}
	if c.ref.CallID == "" {
		c.ref.CallID = ref.CallID
	}
	if c.ref.Kind == stream.ToolHosted {
		c.status = cardDone
		if ref.Status == "failed" || ref.Status == "incomplete" {
			c.status = cardFailed
		}
		c.progress = ref.Status
	} else {
		if c.bytes() == 0 && ref.Arguments != "" {
			c.appendArgs(ref.Arguments)
		}
		c.status = cardComplete
	}
	c.ended = now
}

func (c *toolCard) bytes() int {
	if c.plain.Len() > 0 {
		return c.plain.Len()
	}
	return c.args.Bytes()
}

func (c *toolCard) statusText() string {
	switch c.status {
	case cardStreaming:
		return "streaming arguments"
	case cardComplete:
		return "complete"
	case cardRunning:
		if c.progress != "" {
			return strings.ReplaceAll(c.progress, "_", " ")
		}
		return "running"
	case cardDone:
		return "done"
	case cardFailed:
		if c.denied {
			return "denied"
		}
		return "failed"
	case cardAwaiting:
		return "needs approval: y / a / n"
	default:
		return "failed"
	}
}

func (c *toolCard) statusStyle(st *themes.Styles) lipgloss.Style {
	switch c.status {
	case cardStreaming:
		return st.Tools.StatusStreaming
	case cardComplete:
		return st.Tools.StatusComplete
	case cardRunning:
		return st.Tools.StatusRunning
	case cardDone:
		return st.Tools.StatusDone
	case cardAwaiting:
		return st.Tools.StatusStreaming
	default:
		return st.Tools.StatusFailed
	}
}

func (c *toolCard) kindText() string {
	if c.ref.Kind == stream.ToolHosted {
		return "server tool"
	}
	return string(c.ref.Kind)
}

// title is the call's name; a server tool has none, so its type says it
// ("web_search_call" → "web search").
func (c *toolCard) title() string {
	if c.ref.Name != "" {
		return sanitize.Text(c.ref.Name)
	}
	return strings.ReplaceAll(strings.TrimSuffix(c.ref.Type, "_call"), "_", " ")
}

// render draws the card, border included, width columns wide.
func (c *toolCard) render(width int, focused bool, st *themes.Styles, now time.Time) []string {
	box := st.Tools.Card
	if focused {
		box = st.Tools.CardFocused
	}
	inner := width - box.GetHorizontalFrameSize()
	if inner < 4 {
		return nil
	}
	var lines []string
	lines = append(lines, fit(st.Tools.Name.Render(c.title())+" "+st.Tools.Kind.Render(c.kindText()), inner))
	end := c.ended
	if end.IsZero() {
		end = now
	}
	meta := formatSeconds(end.Sub(c.started))
	if c.ref.Kind != stream.ToolHosted {
		meta = formatBytes(c.bytes()) + " · " + meta
	}
	lines = append(lines, fit(c.statusStyle(st).Render("● "+c.statusText())+" "+st.Tools.Meta.Render(meta), inner))
	body := c.bodyLines(inner, st)
	if c.output != "" {
		body = append(body, st.Tools.Meta.Render("→ result"))
		body = append(body, wrapText(c.output, inner)...)
	}
	if !c.expanded && len(body) > cardTailRows {
		if c.status == cardStreaming {
			body = append([]string{st.Tools.Meta.Render("  ⋮")}, body[len(body)-cardTailRows+1:]...)
		} else {
			more := len(body) - cardTailRows + 1
			body = append(body[:cardTailRows-1], st.Tools.Meta.Render("  ⋮ "+thousands(more)+" more lines (enter)"))
		}
	}
	lines = append(lines, body...)
	return strings.Split(box.Width(width).Render(strings.Join(lines, "\n")), "\n")
}

// bodyLines formats the arguments, wrapping long values to the card.
func (c *toolCard) bodyLines(width int, st *themes.Styles) []string {
	if c.plain.Len() > 0 || c.ref.Kind != stream.ToolFunction {
		if c.plain.Len() == 0 {
			return nil
		}
		return wrapText(c.plain.String(), width)
	}
	active := c.args.ActiveKey()
	var out []string
	for _, line := range c.args.Lines() {
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
