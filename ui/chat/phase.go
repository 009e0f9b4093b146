package chat

import (
	"context"
	"slices"
	"strconv"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
)

// phase is the calls one reply made, between the reply ending and the next
// request: each waits for a decision (unless pre-approved), runs off the UI
// goroutine and reports back; when all have a result, the results go to
// the model in the next request.
type phase struct {
	turn   int
	reply  *model.Message
	calls  []*Call // in the reply's order
	ctx    context.Context
	cancel context.CancelFunc
	// cancelled: the user ended the phase; results still go into the
	// conversation (a call without an output breaks the next request) but
	// no request follows.
	cancelled bool
}

// Decision is the user's answer to a call that waits for approval.
type Decision uint8

const (
	AllowOnce Decision = iota
	AllowSession
	Deny
)

// toolResultMsg reports one finished call.
type toolResultMsg struct {
	call *Call
	res  tools.Result
}

// startTools begins the phase for a reply that ended with calls Parley
// runs. It reports false when there is nothing to run. The arguments each
// call runs with are the reply's final ones, and they are what its Call
// shows from here on: nothing can be decided before this point.
func (c *Controller) startTools(t *turn) (tea.Cmd, bool) {
	r := t.reply
	if r.Cancelled || r.Turn.Status != stream.StatusCompleted || len(r.Turn.ToolCalls) == 0 {
		return nil, false
	}
	if c.cfg.Tools == nil {
		c.noTools(t)
		return nil, false
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &phase{turn: t.id, reply: r, ctx: ctx, cancel: cancel}
	now := c.cfg.Now()
	for _, tc := range r.Turn.ToolCalls {
		call := c.calls.lookup(t.id, tc.ID, tc.OutputIndex)
		if call == nil || slices.Contains(p.calls, call) {
			// A call the stream never showed, or a second call under one
			// id: a Call of its own.
			kind := stream.ToolFunction
			if tc.Type == "custom_tool_call" {
				kind = stream.ToolCustom
			}
			call = c.calls.add(keyOf(t.id, tc.ID, tc.OutputIndex), stream.ToolRef{ItemID: tc.ID, CallID: tc.CallID, Name: tc.Name, Kind: kind, Type: tc.Type}, now)
		}
		call.Ref.Name, call.Ref.CallID = tc.Name, tc.CallID
		call.setFinal(tc.Arguments)
		call.Ended = now
		p.calls = append(p.calls, call)
	}
	// Calls of this turn the reply does not list never run.
	for _, call := range c.calls.list {
		if call.Turn == t.id && !call.Hosted() && !slices.Contains(p.calls, call) && call.Status <= CallReady {
			call.Status = CallNotRun
		}
	}
	c.calls.phase = p
	var cmds []tea.Cmd
	waiting := 0
	for _, call := range p.calls {
		if _, ok := c.cfg.Tools.Lookup(call.Ref.Name); !ok {
			// Nothing to approve: the call fails at once, and its
			// output tells the model (and the card the user) why.
			call.NotOffered = true
			cmds = append(cmds, c.run(call))
			continue
		}
		if c.preApproved(call.Ref.Name) {
			cmds = append(cmds, c.run(call))
		} else {
			call.Status = CallAwaiting
			waiting++
		}
	}
	if waiting > 0 {
		c.state = StateApproval
		c.emit(Event{Kind: Approval, N: waiting})
	}
	return tea.Batch(append(cmds, c.tick())...), true
}

// preApproved says a tool runs without asking: --yolo, the config's
// approvals, or the user's "allow for the session", all kept by the
// tool's server and name in the policy.
func (c *Controller) preApproved(name string) bool {
	return c.cfg.Yolo || c.cfg.Policy.Approved(c.cfg.Tools, name)
}

// AutoApproved says which tools run without asking because of this
// session: all of them (--yolo), or those the user allowed for it.
func (c *Controller) AutoApproved() (all bool, names []string) {
	if c.cfg.Yolo || c.cfg.Policy.Yolo() {
		return true, nil
	}
	for _, k := range c.cfg.Policy.SessionAllowed() {
		names = append(names, k.String())
	}
	return false, names
}

// Running names the tools running now, in the reply's order.
func (c *Controller) Running() []string {
	p := c.calls.phase
	if p == nil {
		return nil
	}
	var names []string
	for _, call := range p.calls {
		if call.Status == CallRunning {
			names = append(names, call.Name())
		}
	}
	return names
}

// Calls is the session's tool calls, oldest first.
func (c *Controller) Calls() []*Call { return c.calls.list }

// Pending is the first call that waits for a decision, and how many wait.
func (c *Controller) Pending() (*Call, int) {
	p := c.calls.phase
	if p == nil {
		return nil, 0
	}
	var first *Call
	n := 0
	for _, call := range p.calls {
		if call.Status == CallAwaiting {
			if first == nil {
				first = call
			}
			n++
		}
	}
	return first, n
}

// Decide answers a call that waits for approval. Allowing it for the
// session allows every call of that tool until the session changes.
func (c *Controller) Decide(call *Call, d Decision) tea.Cmd {
	p := c.calls.phase
	if p == nil || call == nil || call.Status != CallAwaiting || !slices.Contains(p.calls, call) {
		return nil
	}
	if d == Deny {
		call.finished(CallDenied, DeniedOutput, c.cfg.Now())
		return c.settled()
	}
	cmds := []tea.Cmd{c.run(call)}
	if d == AllowSession {
		// Kept by server and tool: another server's tool that takes the
		// name later is not allowed with it.
		k := c.cfg.Tools.Key(call.Ref.Name)
		c.cfg.Policy.AllowForSession(k)
		for _, other := range p.calls {
			if other.Status == CallAwaiting && c.cfg.Tools.Key(other.Ref.Name) == k {
				cmds = append(cmds, c.run(other))
			}
		}
	}
	return tea.Batch(cmds...)
}

// run starts a call with its final arguments on a command goroutine.
func (c *Controller) run(call *Call) tea.Cmd {
	p := c.calls.phase
	call.Status, call.Progress = CallRunning, "running"
	call.Started, call.Ended = c.cfg.Now(), time.Time{}
	c.state = StateRunning
	if _, n := c.Pending(); n > 0 {
		c.state = StateApproval
	}
	reg, ctx, name, args := c.cfg.Tools, p.ctx, call.Ref.Name, call.final
	// The tool's reports land in the Call as they come; the screen reads
	// the newest at its next frame (the controller's clock ticks while a
	// tool runs).
	report := func(pr tools.Progress) { call.report.Store(&pr) }
	return func() tea.Msg { return toolResultMsg{call: call, res: reg.CallProgress(ctx, name, args, report)} }
}

// toolParts turns a result's parts into what a request carries.
func toolParts(parts []tools.Part) []stream.Part {
	var out []stream.Part
	for _, p := range parts {
		switch p.Kind {
		case tools.PartImage:
			out = append(out, stream.Part{Type: stream.PartImage, MIME: p.MIME, Data: p.Data})
		default:
			out = append(out, stream.Part{Type: stream.PartText, Text: p.Text})
		}
	}
	return out
}

// noTools settles the calls of a reply when Parley offers no tools at all
// (a recording replayed, a server that calls tools it was not given):
// each is marked as not offered, with a result that says so, and no
// request follows, since nothing could answer it differently.
func (c *Controller) noTools(t *turn) {
	now := c.cfg.Now()
	var results []*model.Message
	for _, tc := range t.reply.Turn.ToolCalls {
		call := c.calls.lookup(t.id, tc.ID, tc.OutputIndex)
		if call == nil {
			call = c.calls.add(keyOf(t.id, tc.ID, tc.OutputIndex), stream.ToolRef{ItemID: tc.ID, CallID: tc.CallID, Name: tc.Name, Kind: stream.ToolFunction, Type: tc.Type}, now)
		}
		call.setFinal(tc.Arguments)
		call.NotOffered = true
		call.finished(CallFailed, NotOfferedOutput(tc.Name), now)
		results = append(results, c.add(&model.Message{Role: model.RoleTool, CallID: tc.CallID, ToolName: tc.Name,
			Text: call.Output, Custom: tc.Type == "custom_tool_call", ToolFailed: true}))
	}
	c.saver.toolResults(t.reply, results)
}

// NotOfferedOutput is the result of a call to a tool when Parley offers
// none.
func NotOfferedOutput(name string) string {
	return "Error: no tool named " + name + " was offered; the call was not run."
}

func (c *Controller) onToolResult(msg toolResultMsg) tea.Cmd {
	p := c.calls.phase
	if p == nil || !slices.Contains(p.calls, msg.call) || msg.call.Status != CallRunning {
		return nil
	}
	status := CallDone
	switch {
	case p.cancelled:
		status = CallInterrupted
	case msg.res.Failed:
		status = CallFailed
	}
	msg.call.finished(status, msg.res.Output, c.cfg.Now())
	msg.call.Parts = toolParts(msg.res.Parts)
	msg.call.Ran = msg.res.Duration
	return c.settled()
}

// settled goes on when every call of the phase has a result: the results
// join the conversation and, unless cancelled or out of steps, go to the
// model.
func (c *Controller) settled() tea.Cmd {
	p := c.calls.phase
	for _, call := range p.calls {
		if call.Status == CallAwaiting || call.Status == CallRunning {
			if call.Status == CallRunning {
				c.state = StateRunning
			}
			return nil
		}
	}
	c.calls.phase = nil
	p.cancel()
	var results []*model.Message
	for _, call := range p.calls {
		results = append(results, c.add(&model.Message{Role: model.RoleTool, CallID: call.Ref.CallID, ToolName: call.Ref.Name,
			Text: call.Output, Parts: call.Parts, Custom: call.Ref.Kind == stream.ToolCustom, ToolFailed: call.Status != CallDone,
			Duration: call.Ran}))
	}
	c.saver.toolResults(p.reply, results)
	if p.cancelled {
		c.state = StateCancelled
		return c.afterReply()
	}
	if c.steps++; c.steps >= c.maxSteps() {
		c.state = StateDone
		c.notice("Stopped after " + strconv.Itoa(c.steps) + " tool steps; send a message to go on")
		return c.afterReply()
	}
	return c.startReply(nil)
}

// cancelTools ends the phase: running calls are cancelled (their processes
// killed) and calls not run yet are interrupted.
func (c *Controller) cancelTools() tea.Cmd {
	p := c.calls.phase
	if p == nil {
		return nil
	}
	p.cancelled = true
	p.cancel()
	now := c.cfg.Now()
	for _, call := range p.calls {
		if call.Status == CallAwaiting {
			call.finished(CallInterrupted, CancelledOutput, now)
		}
	}
	c.notice("Cancelled the tool calls")
	return c.settled()
}
