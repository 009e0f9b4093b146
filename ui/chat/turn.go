package chat

import (
	"context"
	"strconv"
	"strings"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
)

// turn is one reply in flight.
type turn struct {
	id     int
	reply  *model.Message
	prompt *model.Message // nil for a reply to tool results
	cancel context.CancelFunc
	pump   *pump
	// retry is the last retry announced while the request waits (nil
	// once the reply starts), and when it was announced.
	retry   *stream.Retry
	retryAt time.Time
	// lastData is when the last choice arrived, for "no data for N s".
	lastData time.Time
	start    tea.Cmd // the command that sends the request
}

// stop ends the request and the reader of its stream.
func (t *turn) stop() {
	t.cancel()
	if t.pump != nil {
		t.pump.close()
	}
}

// Submit sends a prompt with the files attached to it, or queues it
// while a reply or tool calls are in flight. It reports whether the prompt
// was taken (sent or queued), so the caller empties the input: a prompt
// whose files cannot go where the request goes is not taken, and the
// notice says why. A prompt being edited replaces the original and
// everything after it; a prompt whose request failed is replaced by the
// next one sent (it never reached the model).
func (c *Controller) Submit(text string, atts ...attach.Attachment) (tea.Cmd, bool) {
	if strings.TrimSpace(text) == "" {
		return nil, false
	}
	if c.client == nil {
		c.notice("No backend is configured")
		return nil, false
	}
	if err := c.checkSend(atts); err != nil {
		c.notice(err.Error())
		return nil, false
	}
	if c.Busy() {
		c.queue = append(c.queue, queued{text, atts})
		c.emit(Event{Kind: Queued, N: len(c.queue),
			Text: "Queued; it goes when this reply ends (" + strconv.Itoa(len(c.queue)) + " waiting)"})
		return nil, true
	}
	switch {
	case c.editing != nil:
		c.dropFrom(c.editing)
		c.editing = nil
	case c.failed != nil:
		c.remove(c.failed)
	}
	return c.send(text, atts), true
}

// send adds the prompt and asks for the reply.
func (c *Controller) send(text string, atts []attach.Attachment) tea.Cmd {
	prompt := c.add(&model.Message{Role: model.RoleUser, Text: text, Attachments: atts, Sent: c.cfg.Now()})
	c.saver.userSent(prompt)
	if c.session.Title == "" {
		c.session.Title = store.TitleFrom(text)
	}
	c.steps = 0
	// MCP servers that failed are tried again, as their notice says.
	reg := c.cfg.Tools
	return tea.Batch(func() tea.Msg { reg.RetryFailed(); return nil }, c.startReply(prompt))
}

// startReply asks for the next reply to the conversation as it stands:
// after a prompt, or after a round of tool results (prompt nil).
func (c *Controller) startReply(prompt *model.Message) tea.Cmd {
	now := c.cfg.Now()
	c.repair(now)
	// A model the catalog knows does not reason is sent no effort and
	// asked for no encrypted reasoning: such servers reject both.
	req := c.cfg.Catalog.Fit(c.conv.Request(c.conv.Model, c.conv.Effort, c.cfg.Tools.Specs()))
	req.WebSearch = c.cfg.WebSearch
	reply := c.add(&model.Message{Role: model.RoleAssistant, Turn: stream.NewTurn(),
		Model: c.conv.Model, Effort: req.ReasoningEffort, Sent: now})
	ctx, cancel := context.WithCancel(context.Background())
	c.seq++
	c.turn = &turn{id: c.seq, reply: reply, prompt: prompt, cancel: cancel,
		start: startTurn(ctx, c.client, req, c.seq, c.cfg.Now)}
	c.state = StateWaiting
	c.failed, c.retryReply = nil, false
	return tea.Batch(c.turn.start, c.tick())
}

func (c *Controller) onStarted(msg turnStartedMsg) tea.Cmd {
	if c.turn == nil || msg.id != c.turn.id {
		msg.pump.close() // a turn cancelled while its request was in flight
		return nil
	}
	c.turn.pump, c.turn.retry = msg.pump, nil
	c.turn.lastData = c.cfg.Now()
	return msg.pump.next(msg.id)
}

// onFailed handles a request that failed before any reply. The prompt
// stays on screen with the server's message and goes back into an empty
// input; the next prompt sent, or Retry, replaces it.
func (c *Controller) onFailed(msg turnFailedMsg) {
	t := c.turn
	if t == nil || msg.id != t.id {
		return
	}
	c.turn = nil
	t.cancel()
	c.ended = c.cfg.Now()
	c.remove(t.reply)
	c.state = StateError
	if t.prompt == nil {
		// A request after tool results: the results stay; Retry asks again.
		c.retryReply = true
		c.emit(Event{Kind: Failed, Text: msg.err.Message})
		c.restoreQueued()
		return
	}
	c.failPrompt(t.prompt, msg.err)
	c.emit(Event{Kind: Failed, Text: msg.err.Message})
}

// failPrompt marks a prompt whose request did not go through and gives it
// back to the input, with any queued prompts.
func (c *Controller) failPrompt(p *model.Message, err *stream.Error) {
	p.Failed, p.Err = true, err
	c.saver.userFailed(p)
	c.changed()
	c.failed = p
	c.emit(Event{Kind: RestorePrompt, Text: p.Text, Attachments: p.Attachments})
	c.restoreQueued()
}

// onChoices applies one batch of choices.
func (c *Controller) onChoices(msg choicesMsg) tea.Cmd {
	t := c.turn
	if t == nil || msg.id != t.id {
		return nil
	}
	done := msg.done
	if len(msg.choices) > 0 {
		t.lastData = msg.at
	}
	for _, ch := range msg.choices {
		c.apply(t, ch, msg.at)
		if ch.Kind == stream.KindDone {
			done = true
		}
	}
	if !t.reply.FirstToken.IsZero() {
		c.saver.progress(t.reply) // coalesced by the Writer
	}
	if done {
		return c.finishTurn(msg.at)
	}
	if t.pump == nil { // choices fed directly (tests, benchmarks)
		return nil
	}
	return t.pump.next(t.id)
}

// apply folds one choice into the reply and the tool calls.
func (c *Controller) apply(t *turn, ch stream.Choice, at time.Time) {
	r := t.reply
	r.Turn.Add(ch)
	if ch.Kind == stream.KindReplace {
		if c.replaced.msg != r {
			c.replaced.msg, c.replaced.n = r, 0
		}
		c.replaced.n++
	}
	if r.Note(ch.Kind, at) {
		c.state = StateStreaming
	}
	switch ch.Kind {
	case stream.KindToolStart, stream.KindToolArgs, stream.KindToolDone, stream.KindHostedStatus:
		c.calls.apply(t.id, ch, at)
	}
}

// finishTurn freezes the reply, counts its usage, and goes on: to its tool
// calls, or to the next queued prompt.
func (c *Controller) finishTurn(at time.Time) tea.Cmd {
	t := c.turn
	c.turn = nil
	t.stop()
	c.ended = c.cfg.Now()
	r := t.reply
	r.Finished = at
	if r.ReasoningEnd.IsZero() {
		r.ReasoningEnd = at
	}
	c.saver.finished(r)
	c.changed()
	if u := r.Turn.Usage; u != nil {
		cost, ok := c.cfg.Catalog.Cost(ModelName(r), *u)
		c.totals.Add(*u, cost, ok)
	}
	switch {
	case r.Cancelled:
		c.state = StateCancelled
	case r.Turn.Error != nil || r.Turn.Status == stream.StatusFailed:
		c.state = StateError
		if r.Turn.Error != nil {
			kind := Notice
			if c.CutOff() == r {
				kind = Failed // the retry key applies
			}
			c.emit(Event{Kind: kind, Text: r.Turn.Error.Message})
		}
	default:
		c.state = StateDone
	}
	if cmd, ok := c.startTools(t); ok {
		return cmd
	}
	c.calls.endTurn(t.id, false)
	return c.afterReply()
}

// Cancel stops whatever is in flight: the reply (what arrived is kept, and
// it takes effect now, not when the stream notices), or the tool calls.
func (c *Controller) Cancel() tea.Cmd {
	t := c.turn
	if t == nil {
		return c.cancelTools()
	}
	r := t.reply
	r.Cancelled = true
	if r.FirstToken.IsZero() {
		// Nothing arrived: as if the request had failed.
		c.turn = nil
		t.stop()
		c.ended = c.cfg.Now()
		c.remove(r)
		c.state = StateCancelled
		if t.prompt != nil {
			c.failPrompt(t.prompt, &stream.Error{Code: stream.CodeCancelled, Message: "Cancelled before the reply started."})
			c.notice("Cancelled before the reply started; your prompt is back in the input")
		} else {
			c.restoreQueued()
			c.notice("Cancelled")
		}
		return nil
	}
	if r.Turn.Status == "" {
		r.Turn.Status = stream.StatusTruncated
	}
	c.notice("Cancelled")
	return c.finishTurn(c.cfg.Now())
}

// Retry sends the failed prompt again, asks again for the reply to tool
// results whose request failed, or asks again in place of a reply cut off
// mid-stream (CutOff): that partial reply is dropped, as Regenerate drops
// one, and the conversation before it is sent again.
func (c *Controller) Retry() tea.Cmd {
	if c.Busy() {
		c.busy("A reply is still arriving")
		return nil
	}
	if c.retryReply {
		return c.startReply(nil)
	}
	if r := c.CutOff(); r != nil {
		return c.Regenerate(r)
	}
	p := c.failed
	if p == nil {
		c.notice("Nothing to retry")
		return nil
	}
	c.remove(p)
	return c.send(p.Text, p.Attachments)
}

// CutOff is the newest reply when it ended with an error after it began
// (a stall, a dropped connection, the server's error event), which Retry
// asks again for; nil while busy, and for a reply that completed, was
// cancelled, or reached Parley's reply limit (asking again would reach it
// again). It is read from the conversation, so a reopened session whose
// last reply was cut off offers the retry too.
func (c *Controller) CutOff() *model.Message {
	r := c.conv.Last()
	if c.Busy() || r == nil || r.Role != model.RoleAssistant || r.Turn == nil || r.Cancelled {
		return nil
	}
	if r.Turn.Error == nil || r.Turn.IncompleteReason == stream.ReasonReplyLimit {
		return nil
	}
	return r
}

// RetryTarget is the message Retry applies to, for the hint beside it: the
// failed prompt or the reply cut off (nil when Retry has nothing to do, or
// only asks again after tool results).
func (c *Controller) RetryTarget() *model.Message {
	if r := c.CutOff(); r != nil {
		return r
	}
	return c.failed
}

// afterReply sends the next queued prompt once a reply has ended well; after
// an error or a cancel the queue goes back into the input instead.
func (c *Controller) afterReply() tea.Cmd {
	if len(c.queue) == 0 || c.Busy() {
		return nil
	}
	if c.state == StateError || c.state == StateCancelled {
		c.restoreQueued()
		return nil
	}
	next := c.queue[0]
	c.queue = c.queue[1:]
	if err := c.checkSend(next.atts); err != nil {
		c.notice(err.Error())
		c.queue = append([]queued{next}, c.queue...)
		c.restoreQueued()
		return nil
	}
	return c.send(next.text, next.atts)
}

// restoreQueued gives queued prompts back, so none is lost.
func (c *Controller) restoreQueued() {
	if len(c.queue) == 0 {
		return
	}
	var texts []string
	var atts []attach.Attachment
	for _, q := range c.queue {
		texts, atts = append(texts, q.text), append(atts, q.atts...)
	}
	c.emit(Event{Kind: RestoreQueued, Text: strings.Join(texts, "\n\n"), Attachments: atts})
	c.queue = nil
}

// BeginEdit starts editing an earlier prompt: the next Submit replaces it
// and everything after it. It reports false (and says why) when it cannot.
func (c *Controller) BeginEdit(m *model.Message) bool {
	if m == nil || m.Role != model.RoleUser {
		c.notice("Focus one of your prompts to edit it")
		return false
	}
	if c.Busy() {
		c.busy("Wait for the reply, or cancel it, before editing")
		return false
	}
	c.editing = m
	return true
}

// CancelEdit forgets the prompt being edited.
func (c *Controller) CancelEdit() { c.editing = nil }

// Regenerate asks again for a reply: it and everything after it are
// dropped, and the conversation before it is sent again.
func (c *Controller) Regenerate(m *model.Message) tea.Cmd {
	if m == nil || m.Role != model.RoleAssistant {
		c.notice("Focus a reply to regenerate it")
		return nil
	}
	if c.Busy() {
		c.busy("Wait for the reply, or cancel it, before regenerating")
		return nil
	}
	var prompt *model.Message
	if p := c.conv.Before(m); p != nil && p.Role == model.RoleUser {
		prompt = p
		p.Failed, p.Err = false, nil
	}
	c.dropFrom(m)
	c.steps = 0
	// MCP servers that failed are tried again, as their notice says.
	reg := c.cfg.Tools
	return tea.Batch(func() tea.Msg { reg.RetryFailed(); return nil }, c.startReply(prompt))
}

// ModelName is the model that answered a reply, or the one asked for.
func ModelName(m *model.Message) string {
	if m.Turn != nil && m.Turn.Model != "" {
		return m.Turn.Model
	}
	return m.Model
}
