package ui

import (
	"context"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/sanitize"
)

// send starts a turn with the given prompt.
func (m *Model) send(text string) tea.Cmd {
	if strings.TrimSpace(text) == "" {
		return nil
	}
	if m.busy() {
		m.flash("A reply is still arriving: esc esc cancels it")
		return nil
	}
	if m.deps.Client == nil {
		m.flash("No backend is configured")
		return nil
	}
	prompt := m.conv.AddUser(text, m.deps.Now())
	m.transcript.add(prompt)
	if m.writer != nil {
		m.writer.UserSent(prompt)
		if m.session.Title == "" {
			m.session.Title = titleFrom(text)
		}
	}
	m.steps = 0
	return m.startReply(prompt)
}

// startReply asks for the next reply to the conversation as it stands:
// after a prompt, or after a round of tool results (prompt nil).
func (m *Model) startReply(prompt *model.Message) tea.Cmd {
	now := m.deps.Now()
	reply := m.conv.AddAssistant(m.model, m.effort, now)
	e := m.transcript.add(reply)
	req := m.conv.Request(m.model, m.effort, m.deps.Tools.Specs())
	req.WebSearch = m.deps.WebSearch
	ctx, cancel := context.WithCancel(context.Background())
	m.turnSeq++
	m.turn = &activeTurn{id: m.turnSeq, msg: reply, entry: e, prompt: prompt, cancel: cancel}
	m.state = stateWaiting
	m.retryPrompt, m.retryReply = nil, false
	m.transcript.follow = true
	return tea.Batch(startTurn(ctx, m.deps.Client, req, m.turnSeq, m.deps.Now), tick(m.turnSeq))
}

// busy is true while a reply streams or tool calls are pending.
func (m *Model) busy() bool { return m.turn != nil || m.tools != nil }

func (m *Model) onTurnStarted(msg turnStartedMsg) tea.Cmd {
	if m.turn == nil || msg.id != m.turn.id {
		msg.pump.close() // a turn cancelled while its request was in flight
		return nil
	}
	m.turn.pump = msg.pump
	return msg.pump.next(msg.id)
}

// onTurnFailed handles a request that failed before any reply. The prompt
// stays on screen with the server's message, goes back into an empty
// input, and the retry key sends it again.
func (m *Model) onTurnFailed(msg turnFailedMsg) {
	t := m.turn
	if t == nil || msg.id != t.id {
		return
	}
	m.turn = nil
	t.cancel()
	m.conv.Messages = removeMessage(m.conv.Messages, t.msg)
	m.transcript.remove(t.entry)
	if t.prompt == nil {
		// A request after tool results: the results stay; retry asks again.
		m.state = stateError
		m.retryReply = msg.err.Code != stream.CodeCancelled
		m.flash(sanitize.Text(msg.err.Message) + " · ctrl+r retries")
		return
	}
	t.prompt.Failed, t.prompt.Err = true, msg.err
	if m.writer != nil {
		m.writer.UserFailed(t.prompt)
	}
	if e := m.transcript.entryFor(t.prompt); e != nil {
		e.valid = false
	}
	if strings.TrimSpace(m.input.value()) == "" {
		m.input.setValue(t.prompt.Text)
		m.relayout()
	}
	m.restoreQueued()
	if msg.err.Code == stream.CodeCancelled {
		m.state = stateCancelled
		m.flash("Cancelled before the reply started; your prompt is back in the input")
		return
	}
	m.state = stateError
	m.retryPrompt = t.prompt
	m.flash(sanitize.Text(msg.err.Message) + " · ctrl+r retries")
}

// onChoices applies one frame's worth of choices.
func (m *Model) onChoices(msg choicesMsg) tea.Cmd {
	t := m.turn
	if t == nil || msg.id != t.id {
		return nil
	}
	done := msg.done
	for _, c := range msg.choices {
		m.apply(t, c, msg.at)
		if c.Kind == stream.KindDone {
			done = true
		}
	}
	if m.writer != nil && !t.msg.FirstToken.IsZero() {
		m.writer.AssistantProgress(t.msg) // coalesced by the Writer
	}
	if done {
		m.finishTurn(msg.at)
		if cmd, ok := m.startTools(t); ok {
			return cmd
		}
		return m.afterReply()
	}
	if t.pump == nil { // choices fed directly (tests, benchmarks)
		return nil
	}
	return t.pump.next(t.id)
}

// apply folds one choice into the reply, the screen and the sidebar.
func (m *Model) apply(t *activeTurn, c stream.Choice, at time.Time) {
	r := t.msg
	r.Turn.Add(c)
	if r.Note(c.Kind, at) {
		m.state = stateStreaming
	}
	switch c.Kind {
	case stream.KindText:
		t.entry.md.Append(sanitize.Text(c.Delta))
	case stream.KindToolStart, stream.KindToolArgs, stream.KindToolDone, stream.KindHostedStatus:
		had := len(m.sidebar.cards)
		m.sidebar.apply(t.id, c, at)
		if len(m.sidebar.cards) != had {
			m.relayout()
			// The sidebar took width from the transcript: switch the
			// streaming reply's renderer now, before the rest of this
			// batch is appended at the old width.
			if m.rendererStale {
				m.pending = append(m.pending, m.scheduleRenderer(false))
			}
		}
	}
}

// finishTurn freezes the reply and counts its usage.
func (m *Model) finishTurn(at time.Time) {
	t := m.turn
	m.turn = nil
	t.cancel()
	if t.pump != nil {
		t.pump.close()
	}
	r := t.msg
	r.Finished = at
	if r.ReasoningEnd.IsZero() {
		r.ReasoningEnd = at
	}
	t.entry.finish()
	if m.writer != nil {
		m.writer.AssistantFinished(r)
	}
	if u := r.Turn.Usage; u != nil {
		c, ok := m.deps.Catalog.Cost(modelName(r), *u)
		m.totals.Add(*u, c, ok)
	}
	switch {
	case r.Cancelled:
		m.state = stateCancelled
	case r.Turn.Error != nil || r.Turn.Status == stream.StatusFailed:
		m.state = stateError
		m.flash(sanitize.Text(r.Turn.Error.Message))
	default:
		m.state = stateDone
	}
}

// cancelTurn stops the reply; what arrived stays, marked cancelled.
func (m *Model) cancelTurn() {
	if m.turn == nil {
		return
	}
	m.turn.msg.Cancelled = true
	m.turn.cancel()
	m.flash("Cancelled")
}

// retry sends the last failed prompt again, or asks again for the reply
// to tool results.
func (m *Model) retry() tea.Cmd {
	if m.retryReply && !m.busy() {
		return m.startReply(nil)
	}
	p := m.retryPrompt
	if p == nil || m.busy() {
		m.flash("Nothing to retry")
		return nil
	}
	m.conv.Messages = removeMessage(m.conv.Messages, p)
	if e := m.transcript.entryFor(p); e != nil {
		m.transcript.remove(e)
	}
	if m.writer != nil {
		m.writer.Removed(p)
	}
	if m.input.value() == p.Text {
		m.input.take()
		m.relayout()
	}
	return m.send(p.Text)
}

func removeMessage(ms []*model.Message, x *model.Message) []*model.Message {
	for i, m := range ms {
		if m == x {
			return append(ms[:i], ms[i+1:]...)
		}
	}
	return ms
}

// shutdown ends the turn in flight and any running tools, so no goroutine
// or process outlives the program.
func (m *Model) shutdown() {
	if m.tools != nil {
		m.tools.cancel()
	}
	if m.turn != nil {
		m.turn.cancel()
		if m.turn.pump != nil {
			m.turn.pump.close()
		}
	}
}

// titleFrom makes a session title from its first prompt: the first line,
// cut at a word near 60 characters.
func titleFrom(prompt string) string {
	t := strings.TrimSpace(prompt)
	if i := strings.IndexByte(t, '\n'); i >= 0 {
		t = t[:i]
	}
	if r := []rune(t); len(r) > 60 {
		t = string(r[:60])
		if i := strings.LastIndexByte(t, ' '); i > 30 {
			t = t[:i]
		}
		t += "…"
	}
	return sanitize.Text(t)
}

// afterReply sends the next queued prompt once a reply has ended well; after
// an error or a cancel the queue goes back into the input instead.
func (m *Model) afterReply() tea.Cmd {
	if len(m.queued) == 0 || m.busy() {
		return nil
	}
	if m.state == stateError || m.state == stateCancelled {
		m.restoreQueued()
		return nil
	}
	next := m.queued[0]
	m.queued = m.queued[1:]
	return m.send(next)
}

// restoreQueued puts queued prompts back into the input, so none is lost.
func (m *Model) restoreQueued() {
	if len(m.queued) == 0 {
		return
	}
	parts := append(m.queued, m.input.value())
	m.queued = nil
	m.input.setValue(strings.TrimSpace(strings.Join(parts, "\n\n")))
	m.relayout()
}
