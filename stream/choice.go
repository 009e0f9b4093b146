// Package stream is Parley's wire layer: it sends a conversation to an
// OpenAI-compatible server, decodes the server-sent events that come back
// (Responses API or Chat Completions) and hands the UI one kind of value, the
// Choice, in the order the server produced them. It imports nothing from the
// UI.
package stream

import (
	"encoding/json"
	"fmt"
)

// API names the wire format of a stream.
type API string

const (
	APIResponses API = "responses"
	APIChat      API = "chat"
	// APIAuto tells the decoder to recognise the format from the first frame.
	APIAuto API = "auto"
)

// Kind says which field of a Choice is meaningful.
type Kind uint8

const (
	// KindMeta carries the response id and model as soon as the server names them.
	KindMeta Kind = iota + 1
	// KindText is a piece of the visible answer (Delta).
	KindText
	// KindRefusal is a piece of a refusal (Delta).
	KindRefusal
	// KindReasoning is a piece of reasoning (Delta, Reasoning).
	KindReasoning
	// KindToolStart is a tool call that has just begun (Tool).
	KindToolStart
	// KindToolArgs is a piece of a tool call's arguments (Delta, Tool.ItemID).
	KindToolArgs
	// KindToolDone is a tool call whose arguments are final (Tool).
	KindToolDone
	// KindHostedStatus is progress of a server-side tool (Tool.ItemID, Tool.Status).
	KindHostedStatus
	// KindAnnotation is a citation attached to the answer (Annotation).
	KindAnnotation
	// KindItem is a finished raw output item (Item), kept so a later turn
	// can send reasoning and tool items back exactly as they came.
	KindItem
	// KindUsage is the token usage of the turn (Usage).
	KindUsage
	// KindError is an error reported by the server or met on the wire (Err).
	KindError
	// KindDone is always the last choice of a stream (Done).
	KindDone
	// KindReplace says that the server's final text for one part differs
	// from what its deltas streamed: Delta is the part's whole final text,
	// which replaces what streamed for it. Of is the part's kind
	// (KindText, KindRefusal or KindReasoning); OutputIndex and Part (and
	// Reasoning, for reasoning) name it. Turn.Add applies it; a consumer
	// showing the text as it streams redraws the part from the Turn.
	KindReplace
)

var kindNames = [...]string{
	KindMeta: "meta", KindText: "text", KindRefusal: "refusal", KindReasoning: "reasoning",
	KindToolStart: "tool_start", KindToolArgs: "tool_args", KindToolDone: "tool_done",
	KindHostedStatus: "hosted_status", KindAnnotation: "annotation", KindItem: "item",
	KindUsage: "usage", KindError: "error", KindDone: "done", KindReplace: "replace",
}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", k)
}

// MarshalText makes kinds readable in JSON output.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// ToolKind tells a call Parley runs (function, custom) from one the server
// runs itself (hosted: web search, file search, code interpreter...).
type ToolKind string

const (
	ToolFunction ToolKind = "function"
	ToolCustom   ToolKind = "custom"
	ToolHosted   ToolKind = "hosted"
)

// Status is how a turn ended.
type Status string

const (
	StatusCompleted  Status = "completed"
	StatusIncomplete Status = "incomplete"
	StatusFailed     Status = "failed"
	// StatusTruncated means the body ended, stalled or was cut before the
	// server said the turn was over. What arrived before is still valid.
	StatusTruncated Status = "truncated"
)

// Choice is one decoded step of a streamed reply. Kind says which fields are
// set; the rest are zero.
type Choice struct {
	Kind Kind `json:"kind"`
	// OutputIndex is the position of the output item this choice belongs to
	// (Responses) or the tool call index (Chat).
	OutputIndex int `json:"output_index"`
	// Part is the content index within the output item of text, refusal
	// and reasoning choices (for reasoning, also Reasoning.Part).
	Part int `json:"part,omitempty"`
	// Delta is the new text for text, refusal, reasoning and tool-argument
	// choices; for KindReplace, the part's whole final text.
	Delta string `json:"delta,omitempty"`
	// Of is the kind of text a KindReplace replaces.
	Of Kind `json:"of,omitempty"`

	Reasoning  *ReasoningRef   `json:"reasoning,omitempty"`
	Tool       *ToolRef        `json:"tool,omitempty"`
	Annotation *Annotation     `json:"annotation,omitempty"`
	Usage      *Usage          `json:"usage,omitempty"`
	Err        *Error          `json:"error,omitempty"`
	Done       *Done           `json:"done,omitempty"`
	Meta       *Meta           `json:"meta,omitempty"`
	Item       json.RawMessage `json:"item,omitempty"`
}

// ReasoningRef places a reasoning delta: which item, which part, and whether
// it is a summary (what OpenAI shows) or raw reasoning text (what open
// models and Chat servers send).
type ReasoningRef struct {
	ItemID string `json:"item_id,omitempty"`
	Part   int    `json:"part"`
	Raw    bool   `json:"raw,omitempty"`
}

// ToolRef identifies a tool call. ItemID is the output item's id (fc_...),
// CallID the id a tool result must echo (call_...): they differ.
type ToolRef struct {
	ItemID    string   `json:"item_id,omitempty"`
	CallID    string   `json:"call_id,omitempty"`
	Name      string   `json:"name,omitempty"`
	Kind      ToolKind `json:"kind,omitempty"`
	Type      string   `json:"type,omitempty"`      // wire item type: function_call, custom_tool_call, web_search_call...
	Arguments string   `json:"arguments,omitempty"` // final arguments, on KindToolDone
	Status    string   `json:"status,omitempty"`    // hosted progress: in_progress, searching, completed...
	// ArgsChanged, on KindToolDone, says that the final Arguments differ
	// from what the KindToolArgs deltas streamed: the server's final word
	// (function_call_arguments.done, output_item.done) is what the call
	// is, and a consumer that showed the streamed text must show these.
	ArgsChanged bool `json:"args_changed,omitempty"`
}

// Annotation is a citation in the answer.
type Annotation struct {
	Type       string `json:"type"`
	URL        string `json:"url,omitempty"`
	Title      string `json:"title,omitempty"`
	StartIndex int    `json:"start_index,omitempty"`
	EndIndex   int    `json:"end_index,omitempty"`
}

// Usage counts tokens. Cached is part of Input, Reasoning part of Output.
type Usage struct {
	Input     int `json:"input_tokens"`
	Cached    int `json:"cached_tokens"`
	Output    int `json:"output_tokens"`
	Reasoning int `json:"reasoning_tokens"`
	Total     int `json:"total_tokens"`
}

// Done ends a stream.
type Done struct {
	Status           Status `json:"status"`
	IncompleteReason string `json:"incomplete_reason,omitempty"`
}

// Meta names the response as soon as the server does.
type Meta struct {
	ResponseID string `json:"response_id,omitempty"`
	Model      string `json:"model,omitempty"`
}
