package model

import (
	"time"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/stream"
)

// Role is who wrote a message.
type Role string

const (
	RoleUser      Role = "user"
	RoleAssistant Role = "assistant"
	// RoleTool is a tool call's result, sent back to the model.
	RoleTool Role = "tool"
)

// Message is one entry of a conversation. A user message holds Text and
// the files attached to it; an assistant message holds the Turn folded
// from its stream.
type Message struct {
	Role Role
	Text string
	// Attachments are a user message's files, sent with it and again
	// with every later request (see attachments.go).
	Attachments []attach.Attachment
	Turn        *stream.Turn
	// Model is the model asked for this reply (the Turn says which
	// snapshot answered).
	Model string
	// Effort is the reasoning effort asked for, if any.
	Effort string

	Sent       time.Time // request sent
	FirstToken time.Time // first visible or reasoning delta
	Finished   time.Time
	// ReasoningEnd is when the answer started after reasoning, or when the
	// reply ended if it never did: "Thought for N s" measures up to here.
	ReasoningStart, ReasoningEnd time.Time

	Cancelled bool
	// Failed marks a user message whose request failed before any reply:
	// it is kept on screen with its error, but not sent again as history.
	Failed bool
	Err    *stream.Error

	// A tool result: which call it answers, the tool's name, whether the
	// call failed (its Text says how) and how long it ran.
	CallID     string
	ToolName   string
	Custom     bool
	ToolFailed bool
	Duration   time.Duration
	// Parts are a tool result with images, as content parts: the request
	// sends them in place of Text, which describes each image in words
	// (what the screen shows, and the store keeps).
	Parts []stream.Part
}

// Conversation is the messages of one session, oldest first.
type Conversation struct {
	Instructions string
	// Model and Effort are the choices made for this conversation in the
	// TUI, which later turns (and a reopened session) keep.
	Model, Effort string
	Messages      []*Message
}

// AddUser appends a user prompt and the files attached to it. Check them
// with CheckSend first: the request built from the conversation carries
// them from now on.
func (c *Conversation) AddUser(text string, now time.Time, atts ...attach.Attachment) *Message {
	m := &Message{Role: RoleUser, Text: text, Attachments: atts, Sent: now}
	c.Messages = append(c.Messages, m)
	return m
}

// AddAssistant appends an empty reply about to stream.
func (c *Conversation) AddAssistant(model, effort string, now time.Time) *Message {
	m := &Message{Role: RoleAssistant, Turn: stream.NewTurn(), Model: model, Effort: effort, Sent: now}
	c.Messages = append(c.Messages, m)
	return m
}

// AddToolResult appends a tool call's result.
func (c *Conversation) AddToolResult(callID, name, output string, custom, failed bool, d time.Duration) *Message {
	m := &Message{Role: RoleTool, CallID: callID, ToolName: name, Text: output, Custom: custom, ToolFailed: failed, Duration: d}
	c.Messages = append(c.Messages, m)
	return m
}

// Request builds the next request from the conversation: every user
// prompt that was answered or is being asked now, and every reply with what
// it produced. A reply that was cut off still goes back as far as it got, so
// the model sees what the user saw.
func (c *Conversation) Request(model, effort string, tools []stream.ToolSpec) stream.Request {
	req := stream.Request{Model: model, Instructions: c.Instructions, ReasoningEffort: effort, Tools: tools}
	for _, m := range c.Messages {
		switch m.Role {
		case RoleUser:
			if !m.Failed {
				req.Input = append(req.Input, userInput(m))
			}
		case RoleAssistant:
			if it, ok := assistantInput(m); ok {
				req.Input = append(req.Input, it)
			}
		case RoleTool:
			it := stream.InputItem{Role: "tool", CallID: m.CallID, Text: m.Text, Custom: m.Custom}
			if len(m.Parts) > 0 {
				// The parts are the whole result: Text repeats them in words.
				it.Text, it.Parts = "", m.Parts
			}
			req.Input = append(req.Input, it)
		}
	}
	return req
}

func assistantInput(m *Message) (stream.InputItem, bool) {
	t := m.Turn
	if t == nil || (t.Text == "" && len(t.ToolCalls) == 0 && len(t.Items) == 0) {
		return stream.InputItem{}, false
	}
	it := stream.InputItem{Role: "assistant", Text: t.Text, ToolCalls: t.ToolCalls}
	// Raw items round-trip reasoning exactly, but only a finished turn has
	// them all; a cut-off one is sent as the text the user saw.
	if t.Status == stream.StatusCompleted || t.Status == stream.StatusIncomplete {
		it.Items = t.Items
	}
	return it, true
}

// InterruptedOutput is the result Repair gives a call that never ran.
const InterruptedOutput = "interrupted before it ran"

// Repair answers every tool call that has no result, as when Parley was
// killed while calls awaited approval: each gets the result "interrupted
// before it ran", marked failed, placed after its reply and the results
// already there. Run it on a reopened conversation before its first
// request (the request builder refuses a call without its result, as every
// server does). It returns the results it added, in conversation order,
// for the caller to save.
func (c *Conversation) Repair(now time.Time) []*Message {
	var added []*Message
	answered := map[string]int{} // results by call id, wherever they are, as the request builder counts them
	for _, m := range c.Messages {
		if m.Role == RoleTool {
			answered[m.CallID]++
		}
	}
	out := make([]*Message, 0, len(c.Messages))
	for i := 0; i < len(c.Messages); {
		m := c.Messages[i]
		out = append(out, m)
		i++
		if m.Role != RoleAssistant {
			continue
		}
		it, ok := assistantInput(m)
		if !ok {
			continue
		}
		for ; i < len(c.Messages) && c.Messages[i].Role == RoleTool; i++ {
			out = append(out, c.Messages[i])
		}
		for _, call := range it.Calls() {
			if answered[call.CallID] > 0 {
				answered[call.CallID]--
				continue
			}
			r := &Message{Role: RoleTool, CallID: call.CallID, ToolName: call.Name, Text: InterruptedOutput,
				Custom: call.Type == "custom_tool_call", ToolFailed: true, Sent: now, Finished: now}
			out = append(out, r)
			added = append(added, r)
		}
	}
	if len(added) > 0 {
		c.Messages = out
	}
	return added
}

// TruncateFrom drops m and every message after it (editing an earlier
// prompt, regenerating a reply). It reports whether m was found.
func (c *Conversation) TruncateFrom(m *Message) bool {
	for i, x := range c.Messages {
		if x == m {
			clear(c.Messages[i:])
			c.Messages = c.Messages[:i]
			return true
		}
	}
	return false
}

// Before returns the message just before m, or nil.
func (c *Conversation) Before(m *Message) *Message {
	for i, x := range c.Messages {
		if x == m && i > 0 {
			return c.Messages[i-1]
		}
	}
	return nil
}

// Last returns the newest message, or nil.
func (c *Conversation) Last() *Message {
	if len(c.Messages) == 0 {
		return nil
	}
	return c.Messages[len(c.Messages)-1]
}

// LastReply returns the newest assistant message with text, or nil.
func (c *Conversation) LastReply() *Message {
	for i := len(c.Messages) - 1; i >= 0; i-- {
		if m := c.Messages[i]; m.Role == RoleAssistant && m.Turn != nil && m.Turn.Text != "" {
			return m
		}
	}
	return nil
}

// Note records the times a reply's choice of kind k tells: the first token
// (any output), when reasoning began, and when it ended (the answer or a
// tool call began). It reports whether this choice was the first token.
func (m *Message) Note(k stream.Kind, at time.Time) (first bool) {
	switch k {
	case stream.KindText, stream.KindReasoning, stream.KindRefusal,
		stream.KindToolStart, stream.KindToolArgs, stream.KindToolDone, stream.KindHostedStatus:
	default:
		return false
	}
	if first = m.FirstToken.IsZero(); first {
		m.FirstToken = at
	}
	switch {
	case k == stream.KindReasoning && m.ReasoningStart.IsZero():
		m.ReasoningStart = at
	case k == stream.KindText && m.ReasoningEnd.IsZero():
		m.ReasoningEnd = at
	case k == stream.KindToolStart && m.ReasoningEnd.IsZero() && !m.ReasoningStart.IsZero():
		m.ReasoningEnd = at
	}
	return first
}
