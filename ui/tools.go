package ui

import (
	"context"
	"strconv"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
)

// DefaultMaxSteps bounds how many tool rounds one prompt may take.
const DefaultMaxSteps = 25

// toolPhase is the calls one reply made, between the reply ending and the
// next request: each waits for approval (unless pre-approved), runs off the
// UI goroutine, and reports back; when all have, their results go to the
// model in the next request.
type toolPhase struct {
	id     int            // the turn that made the calls
	reply  *model.Message // the reply that made them
	runs   []*toolRun
	ctx    context.Context
	cancel context.CancelFunc
	// cancelled: esc ended the phase; results still go into the
	// conversation (a call without an output breaks the next request) but
	// no request follows.
	cancelled bool
}

type toolRun struct {
	call     stream.ToolCall
	card     *toolCard
	decided  bool
	finished bool
	result   tools.Result
}

// toolResultMsg reports one finished call.
type toolResultMsg struct {
	phase int
	index int
	res   tools.Result
}

// startTools begins the phase for a reply that ended with calls Parley
// runs. It reports false when there is nothing to run.
func (m *Model) startTools(t *activeTurn) (tea.Cmd, bool) {
	r := t.msg
	if m.deps.Tools == nil || r.Cancelled || r.Turn.Status != stream.StatusCompleted || len(r.Turn.ToolCalls) == 0 {
		return nil, false
	}
	ctx, cancel := context.WithCancel(context.Background())
	p := &toolPhase{id: t.id, reply: r, ctx: ctx, cancel: cancel}
	for _, c := range r.Turn.ToolCalls {
		key := callKey(t.id, c.ID, c.OutputIndex)
		card := m.sidebar.byKey[key]
		if card == nil { // a call the stream never showed: give it a card now
			card = newToolCard(stream.ToolRef{ItemID: c.ID, CallID: c.CallID, Name: c.Name, Kind: stream.ToolFunction}, m.deps.Now())
			m.sidebar.byKey[key] = card
			m.sidebar.cards = append(m.sidebar.cards, card)
		}
		p.runs = append(p.runs, &toolRun{call: c, card: card})
	}
	m.tools = p
	m.state = stateWaiting
	var cmds []tea.Cmd
	for i, run := range p.runs {
		if m.preApproved(run.call.Name) {
			cmds = append(cmds, m.decide(i, true))
		} else {
			run.card.status = cardAwaiting
		}
	}
	m.focusNextApproval()
	return tea.Batch(cmds...), true
}

func (m *Model) preApproved(name string) bool {
	return m.deps.Yolo || m.allowed[name] || m.deps.Approved[name] || m.deps.Policy.Approved(m.deps.Tools, name)
}

// focusNextApproval puts the sidebar's focus on the first call that waits
// for a decision, or gives the focus back to the input when none does.
func (m *Model) focusNextApproval() {
	p := m.tools
	if p == nil { // a denial just finished the phase (finishRun)
		return
	}
	for _, run := range p.runs {
		if !run.decided {
			for i, c := range m.sidebar.cards {
				if c == run.card {
					m.sidebar.focus, m.sidebar.follow = i, false
				}
			}
			if m.focus != focusTools {
				m.setFocus(focusTools)
			}
			m.flash("Run " + run.call.Name + "? y allow once · a allow for the session · n deny")
			return
		}
	}
	if m.focus == focusTools {
		m.setFocus(focusInput)
	}
}

// approvalKey answers the focused card's approval request. It reports
// false when the focused card is not waiting for one.
func (m *Model) approvalKey(allow, session bool) (tea.Cmd, bool) {
	p := m.tools
	if p == nil || m.sidebar.focus >= len(m.sidebar.cards) {
		return nil, false
	}
	focused := m.sidebar.cards[m.sidebar.focus]
	for i, run := range p.runs {
		if run.card == focused && !run.decided {
			if session && allow {
				m.allowed[run.call.Name] = true
			}
			cmd := m.decide(i, allow)
			// Calls of a tool just allowed for the session run too.
			var more []tea.Cmd
			for j, other := range p.runs {
				if !other.decided && session && allow && other.call.Name == run.call.Name {
					more = append(more, m.decide(j, true))
				}
			}
			m.focusNextApproval()
			return tea.Batch(append(more, cmd)...), true
		}
	}
	return nil, false
}

// decide records a decision and runs the call when allowed.
func (m *Model) decide(i int, allow bool) tea.Cmd {
	p := m.tools
	run := p.runs[i]
	run.decided = true
	if !allow {
		run.card.denied = true
		return m.finishRun(i, tools.Result{Output: "The user denied this tool call.", Failed: true})
	}
	run.card.status = cardRunning
	run.card.progress = "running"
	run.card.started = m.deps.Now()
	run.card.ended = timeZero
	m.state = stateStreaming
	reg, ctx, id, name, args := m.deps.Tools, p.ctx, p.id, run.call.Name, run.call.Arguments
	return func() tea.Msg {
		return toolResultMsg{phase: id, index: i, res: reg.Call(ctx, name, args)}
	}
}

// finishRun records a result; when every call has one, the results go into
// the conversation and, unless cancelled or out of steps, to the model.
func (m *Model) finishRun(i int, res tools.Result) tea.Cmd {
	p := m.tools
	run := p.runs[i]
	run.finished, run.result = true, res
	run.card.setResult(res, m.deps.Now())
	for _, r := range p.runs {
		if !r.finished {
			return nil
		}
	}
	m.tools = nil
	p.cancel()
	m.notice = "" // the approval prompt is answered
	var results []*model.Message
	for _, r := range p.runs {
		msg := m.conv.AddToolResult(r.call.CallID, r.call.Name, r.result.Output,
			r.call.Type == "custom_tool_call", r.result.Failed, r.result.Duration)
		m.transcript.add(msg)
		results = append(results, msg)
	}
	if m.writer != nil {
		m.writer.ToolResults(p.reply, results)
	}
	if m.focus == focusTools {
		m.setFocus(focusInput)
	}
	if p.cancelled {
		m.state = stateCancelled
		return m.afterReply()
	}
	if m.steps++; m.steps >= m.maxSteps() {
		m.state = stateDone
		m.flash("Stopped after " + strconv.Itoa(m.steps) + " tool steps; send a message to go on")
		return m.afterReply()
	}
	return m.startReply(nil)
}

func (m *Model) onToolResult(msg toolResultMsg) tea.Cmd {
	if m.tools == nil || msg.phase != m.tools.id {
		return nil
	}
	return m.finishRun(msg.index, msg.res)
}

// cancelTools ends the phase: running calls are cancelled (their processes
// killed), undecided ones count as denied.
func (m *Model) cancelTools() tea.Cmd {
	p := m.tools
	if p == nil {
		return nil
	}
	p.cancelled = true
	p.cancel()
	var cmds []tea.Cmd
	for i, run := range p.runs {
		if !run.decided {
			run.decided = true
			cmds = append(cmds, m.finishRun(i, tools.Result{Output: "The call was cancelled before it ran.", Failed: true}))
		}
	}
	m.flash("Cancelled the tool calls")
	return tea.Batch(cmds...)
}

func (m *Model) maxSteps() int {
	if m.deps.MaxSteps > 0 {
		return m.deps.MaxSteps
	}
	return DefaultMaxSteps
}
