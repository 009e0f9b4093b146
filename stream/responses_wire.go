package stream

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"
)

// responsesEvent is every field any Responses API stream event carries that
// Parley reads. One struct for all 58 types keeps decoding to a single
// json.Unmarshal per frame; fields an event does not have stay zero. Unknown
// fields (obfuscation, logprobs...) are ignored by encoding/json.
type responsesEvent struct {
	Type           string          `json:"type"`
	SequenceNumber *int            `json:"sequence_number"`
	OutputIndex    int             `json:"output_index"`
	ContentIndex   int             `json:"content_index"`
	SummaryIndex   int             `json:"summary_index"`
	ItemID         string          `json:"item_id"`
	Delta          jsonText        `json:"delta"` // a string, except on a few hosted events
	Text           *string         `json:"text"`
	Arguments      *string         `json:"arguments"`
	Input          *string         `json:"input"`
	Code           json.RawMessage `json:"code"` // code_interpreter code text, or the spec-shaped error code
	Refusal        *string         `json:"refusal"`
	Item           json.RawMessage `json:"item"`
	Part           json.RawMessage `json:"part"`
	Annotation     *Annotation     `json:"annotation"`
	Response       *wireResponse   `json:"response"`

	// The top-level `error` event: the spec puts these fields at the top,
	// production nests them under "error". Both are read.
	Message string     `json:"message"`
	Param   *string    `json:"param"`
	Error   *wireError `json:"error"`
}

// wireResponse is the Response object carried by lifecycle events.
type wireResponse struct {
	ID                string     `json:"id"`
	Model             string     `json:"model"`
	Status            string     `json:"status"`
	Error             *wireError `json:"error"`
	IncompleteDetails *struct {
		Reason string `json:"reason"`
	} `json:"incomplete_details"`
	Usage *wireUsage `json:"usage"`
}

type wireUsage struct {
	InputTokens        int `json:"input_tokens"`
	OutputTokens       int `json:"output_tokens"`
	TotalTokens        int `json:"total_tokens"`
	InputTokensDetails *struct {
		CachedTokens int `json:"cached_tokens"`
	} `json:"input_tokens_details"`
	OutputTokensDetails *struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
}

func (u *wireUsage) usage() Usage {
	out := Usage{Input: u.InputTokens, Output: u.OutputTokens, Total: u.TotalTokens}
	if u.InputTokensDetails != nil {
		out.Cached = u.InputTokensDetails.CachedTokens
	}
	if u.OutputTokensDetails != nil {
		out.Reasoning = u.OutputTokensDetails.ReasoningTokens
	}
	if out.Total == 0 {
		out.Total = out.Input + out.Output
	}
	return out
}

// wireError is the error object of OpenAI-shaped replies. Code is raw
// because OpenRouter sends numbers where OpenAI sends strings.
type wireError struct {
	Type    string          `json:"type"`
	Code    json.RawMessage `json:"code"`
	Message string          `json:"message"`
	Param   *string         `json:"param"`
}

// wireItem is the part of an output item Parley needs to route it.
type wireItem struct {
	Type      string `json:"type"`
	ID        string `json:"id"`
	CallID    string `json:"call_id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
	Input     string `json:"input"`
	Status    string `json:"status"`
}

// jsonText is a JSON value read as text, as rawString reads it, but while
// the event is decoded: delta is on nearly every event, and keeping it as
// a json.RawMessage to parse again later cost a copy and a second decode.
type jsonText string

func (t *jsonText) UnmarshalJSON(b []byte) error {
	// A string without escapes is its own content (json.Unmarshal has
	// already checked the whole frame). Invalid UTF-8 takes the slow path,
	// which turns it into U+FFFD as encoding/json does.
	if len(b) >= 2 && b[0] == '"' && bytes.IndexByte(b, '\\') < 0 && utf8.Valid(b) {
		*t = jsonText(b[1 : len(b)-1])
		return nil
	}
	*t = jsonText(rawString(b))
	return nil
}

// rawString turns a JSON value into text: a string is unquoted, a number is
// kept as written, null and absence are "".
func rawString(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil {
			return s
		}
	}
	if _, err := strconv.ParseFloat(string(raw), 64); err == nil {
		return string(raw)
	}
	return ""
}

// toolKindOf classifies an output item type. Items that are neither a
// message nor reasoning nor a call Parley runs are the server's own tools.
func toolKindOf(itemType string) (ToolKind, bool) {
	switch itemType {
	case "message", "reasoning", "":
		return "", false
	case "function_call":
		return ToolFunction, true
	case "custom_tool_call":
		return ToolCustom, true
	}
	if strings.HasSuffix(itemType, "_call") || strings.HasPrefix(itemType, "mcp_") {
		return ToolHosted, true
	}
	return "", false
}

// sanitizeMessage tidies a server's error message for display. Control
// sequences are neutralised where text reaches a terminal, not here.
func sanitizeMessage(s string) string { return strings.TrimSpace(s) }

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
