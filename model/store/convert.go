package store

import (
	"encoding/json"
	"slices"
	"strings"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

// CodeInterrupted is the error code of a reply Parley stopped receiving
// because it was killed or crashed, as ToMessage reports it.
const CodeInterrupted = "interrupted"

// FromMessage takes a snapshot of m: every slice is copied, so the caller
// may go on changing m (and its Turn) while the snapshot is written. The
// status is m's final one; a Writer marks replies still arriving as
// streaming itself.
func FromMessage(m *model.Message) StoredMessage { return fromMessage(m, true) }

// fromMessage copies the raw items only when asked: a streaming update does
// not store them, and they are the bulk of a reply.
func fromMessage(m *model.Message, withItems bool) StoredMessage {
	sm := StoredMessage{
		Role: m.Role, Text: m.Text, Model: m.Model, Effort: m.Effort,
		Sent: m.Sent, FirstToken: m.FirstToken, ReasoningStart: m.ReasoningStart, ReasoningEnd: m.ReasoningEnd,
		Finished: m.Finished, Error: copyError(m.Err),
	}
	if t := m.Turn; t != nil {
		if m.Role == model.RoleAssistant || sm.Text == "" {
			sm.Text = t.Text
		}
		sm.Refusal = t.Refusal
		sm.Reasoning = slices.Clone(t.Reasoning)
		sm.ToolCalls = make([]ToolCall, len(t.ToolCalls))
		for i, c := range t.ToolCalls {
			sm.ToolCalls[i] = ToolCall{Type: c.Type, ItemID: c.ID, CallID: c.CallID, Name: c.Name, Arguments: c.Arguments,
				OutputIndex: c.OutputIndex}
		}
		sm.HostedCalls = slices.Clone(t.HostedCalls)
		sm.Annotations = slices.Clone(t.Annotations)
		if withItems {
			sm.Items = make([]json.RawMessage, len(t.Items))
			for i, it := range t.Items {
				sm.Items[i] = slices.Clone(it)
			}
		}
		if t.Usage != nil {
			u := *t.Usage
			sm.Usage = &u
		}
		sm.API, sm.ResponseID, sm.ResponseModel = t.API, t.ResponseID, t.Model
		sm.TurnStatus, sm.IncompleteReason = t.Status, t.IncompleteReason
		if t.Error != nil {
			sm.Error = copyError(t.Error)
		}
	}
	sm.Status = statusOf(m, sm.Error)
	return sm
}

func copyError(e *stream.Error) *stream.Error {
	if e == nil {
		return nil
	}
	c := *e
	return &c
}

// statusOf is the stored status of a message that is no longer streaming.
func statusOf(m *model.Message, err *stream.Error) Status {
	if m.Role == model.RoleUser {
		if m.Failed {
			return StatusFailed
		}
		return StatusCompleted
	}
	if m.Cancelled || err != nil && err.Code == stream.CodeCancelled {
		return StatusCancelled
	}
	var ts stream.Status
	if m.Turn != nil {
		ts = m.Turn.Status
	}
	switch ts {
	case stream.StatusCompleted:
		return StatusCompleted
	case stream.StatusIncomplete:
		return StatusIncomplete
	case stream.StatusFailed, stream.StatusTruncated:
		return StatusFailed
	}
	if err != nil {
		return StatusFailed
	}
	return StatusCompleted
}

// ToMessage rebuilds the model.Message a stored one was taken from, for a
// reopened conversation. A reply's Turn carries the stored fields; it is
// finished, not for further Turn.Add. A reply that was interrupted, or is
// still streaming in another process, comes back truncated with the text
// that had arrived and an error saying so, so Conversation.Request sends
// that text, not its partial items.
func (sm StoredMessage) ToMessage() *model.Message {
	m := &model.Message{
		Role: sm.Role, Model: sm.Model, Effort: sm.Effort,
		Sent: sm.Sent, FirstToken: sm.FirstToken, ReasoningStart: sm.ReasoningStart, ReasoningEnd: sm.ReasoningEnd,
		Finished: sm.Finished,
	}
	if sm.Role == model.RoleUser {
		m.Text = sm.Text
		m.Failed = sm.Status == StatusFailed
		m.Err = copyError(sm.Error)
		return m
	}
	t := stream.NewTurn()
	t.API, t.Status, t.IncompleteReason = sm.API, sm.TurnStatus, sm.IncompleteReason
	t.Error = copyError(sm.Error)
	t.ResponseID, t.Model = sm.ResponseID, sm.ResponseModel
	t.Text, t.Refusal = sm.Text, sm.Refusal
	t.Reasoning = append(t.Reasoning, sm.Reasoning...)
	for _, c := range sm.ToolCalls {
		t.ToolCalls = append(t.ToolCalls, stream.ToolCall{Type: c.Type, ID: c.ItemID, CallID: c.CallID, Name: c.Name,
			Arguments: c.Arguments, OutputIndex: c.OutputIndex})
	}
	t.HostedCalls = append(t.HostedCalls, sm.HostedCalls...)
	t.Annotations = append(t.Annotations, sm.Annotations...)
	t.Items = slices.Clone(sm.Items)
	if sm.Usage != nil {
		u := *sm.Usage
		t.Usage = &u
	}
	switch sm.Status {
	case StatusCancelled:
		m.Cancelled = true
		if t.Status == "" {
			t.Status = stream.StatusTruncated
		}
	case StatusInterrupted, StatusStreaming:
		t.Status = stream.StatusTruncated
		msg := "Parley stopped before this reply finished; the text that had arrived is kept."
		if sm.Status == StatusStreaming {
			msg = "This reply was still streaming in another Parley."
		}
		t.Error = &stream.Error{Code: CodeInterrupted, Message: msg}
	}
	m.Turn = t
	return m
}

// Conversation rebuilds a model.Conversation from a loaded session.
func Conversation(sess Session, msgs []StoredMessage) *model.Conversation {
	c := &model.Conversation{Model: sess.Model, Effort: sess.Effort}
	for _, sm := range msgs {
		c.Messages = append(c.Messages, sm.ToMessage())
		c.Messages = append(c.Messages, sm.ToolResults()...)
	}
	return c
}

// ToolResults rebuilds the results of the calls Parley ran for this reply,
// which follow it in a conversation.
func (sm StoredMessage) ToolResults() []*model.Message {
	var out []*model.Message
	for _, tc := range sm.ToolCalls {
		if tc.Status == "" {
			continue
		}
		out = append(out, &model.Message{Role: model.RoleTool, CallID: tc.CallID, ToolName: tc.Name,
			Text: tc.Output, Custom: tc.Type == "custom_tool_call",
			ToolFailed: tc.Status == "failed" || tc.Status == ToolStatusInterrupted, Duration: tc.Duration})
	}
	return out
}

// redactMessage replaces secrets in every text m carries. Slices are copied
// before they change: m may share them with its caller.
func redactMessage(r *strings.Replacer, m *StoredMessage) {
	m.Text, m.Refusal = r.Replace(m.Text), r.Replace(m.Refusal)
	if m.Reasoning != nil {
		parts := make([]string, len(m.Reasoning))
		for i, p := range m.Reasoning {
			parts[i] = r.Replace(p)
		}
		m.Reasoning = parts
	}
	if m.ToolCalls != nil {
		calls := slices.Clone(m.ToolCalls)
		for i := range calls {
			calls[i].Arguments, calls[i].Output = r.Replace(calls[i].Arguments), r.Replace(calls[i].Output)
		}
		m.ToolCalls = calls
	}
	if m.Annotations != nil {
		anns := slices.Clone(m.Annotations)
		for i := range anns {
			anns[i].URL, anns[i].Title = r.Replace(anns[i].URL), r.Replace(anns[i].Title)
		}
		m.Annotations = anns
	}
	if m.Items != nil {
		items := make([]json.RawMessage, len(m.Items))
		for i, it := range m.Items {
			items[i] = json.RawMessage(r.Replace(string(it)))
		}
		m.Items = items
	}
	if m.Error != nil {
		e := *m.Error
		e.Message, e.Param = r.Replace(e.Message), r.Replace(e.Param)
		m.Error = &e
	}
}
