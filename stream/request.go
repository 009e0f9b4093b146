package stream

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
)

// Request is one turn to send: the conversation so far and how to answer.
type Request struct {
	Model string
	// Instructions is the system prompt.
	Instructions string
	Input        []InputItem
	Tools        []ToolSpec
	// ReasoningEffort ("minimal", "low", "medium", "high") is sent only when
	// set: models without reasoning reject the field. model.Catalog.Effort
	// (and Fit) drops it for models known to take none.
	ReasoningEffort string
	// Store asks the server to keep the response (Responses API). When it is
	// false, reasoning comes back encrypted so the next turn can send it.
	Store bool
	// NoReasoning says the model is known not to reason (gpt-4.1,
	// deepseek-chat): neither an effort nor encrypted reasoning is asked
	// for, since such models reject both ("Encrypted content is not
	// supported with this model"). model.Catalog.Fit sets it; false, for a
	// model Parley does not know, asks for encrypted reasoning, without
	// which a reasoning model's next stateless turn cannot go on.
	NoReasoning     bool
	MaxOutputTokens int
	// WebSearch offers OpenAI's hosted web search: the web_search tool on
	// the Responses API, web_search_options on Chat Completions, which only
	// OpenAI's own servers take (elsewhere Stream fails with
	// CodeUnsupported; Client.CanWebSearch says so beforehand). Its
	// progress streams as hosted-tool choices and its sources come back as
	// url citations.
	WebSearch bool
}

// InputItem is one entry of the conversation.
//
// Role is "user", "system", "developer", "assistant" or "tool". An assistant
// entry carries its text and tool calls, and, for the Responses API, the raw
// output items it came as (Items), which are sent back verbatim so that
// reasoning and calls round-trip exactly. A tool entry is a call's result:
// CallID names the call, Text is the output.
//
// Parts add content beyond Text to a user message (text, images, files)
// or to a tool result (text and images, Responses API only: Chat tool
// results carry text, so there an image becomes a note saying it was left
// out). Text, when set, goes first.
type InputItem struct {
	Role      string
	Text      string
	Parts     []Part
	ToolCalls []ToolCall
	Items     []json.RawMessage
	CallID    string
	Custom    bool // a custom (free-text) tool's output
}

// ToolSpec declares a tool the model may call.
type ToolSpec struct {
	Name        string
	Description string
	Parameters  json.RawMessage // a JSON schema; ignored for Custom tools
	Custom      bool
	// Strict asks for structured outputs: the model's arguments always
	// match the schema. It is sent as true only when the schema meets
	// OpenAI's rules for it (StrictCompatible); otherwise as false.
	Strict bool
}

// CanWebSearch says whether this server takes Request.WebSearch: every
// Responses API server Parley knows of offers the web_search tool to the
// models that have it, but on Chat Completions only OpenAI's own server
// takes web_search_options.
func (c *Client) CanWebSearch() bool {
	if c.cfg.API != APIChat {
		return true
	}
	u, err := url.Parse(c.cfg.BaseURL)
	return err == nil && strings.EqualFold(u.Hostname(), "api.openai.com")
}

// Body is the JSON body Stream sends for req. It fails, with an *Error,
// when req cannot be sent as it is: a tool call without its result (every
// server rejects it; model.Conversation.Repair answers such calls), or web
// search on a Chat server that has none.
func (c *Client) Body(req Request) ([]byte, error) {
	if req.WebSearch && !c.CanWebSearch() {
		return nil, &Error{Code: CodeUnsupported, Message: "This server has no hosted web search on the Chat Completions API; " +
			"web search works with OpenAI's server (api.openai.com) or with the Responses API."}
	}
	if err := checkCallsAnswered(req.Input); err != nil {
		return nil, &Error{Code: "bad_request", Message: err.Error() + ".", Cause: err}
	}
	var body []byte
	var err error
	if c.cfg.API == APIChat {
		body, err = chatBody(req)
	} else {
		body, err = responsesBody(req)
	}
	if err != nil {
		return nil, &Error{Code: "bad_request", Message: "Could not encode the request: " + err.Error(), Cause: err}
	}
	return body, nil
}

// checkCallsAnswered asserts that every function or custom tool call in
// the input, from ToolCalls or from raw items, has a result after it.
func checkCallsAnswered(input []InputItem) error {
	answered := map[string]int{}
	for _, it := range input {
		if it.Role == "tool" {
			answered[it.CallID]++
		}
	}
	for _, it := range input {
		if it.Role != "assistant" {
			continue
		}
		for _, c := range it.Calls() {
			if answered[c.CallID] == 0 {
				return fmt.Errorf("the tool call %s (%s) has no result, and a server rejects a conversation with an unanswered call", c.CallID, c.Name)
			}
			answered[c.CallID]--
		}
	}
	return nil
}

// Calls lists the tool calls an assistant entry sends, each of which needs
// a result after it: its raw items' function and custom calls when it goes
// as raw items, else its ToolCalls.
func (it InputItem) Calls() []ToolCall {
	if len(it.Items) == 0 {
		return it.ToolCalls
	}
	var calls []ToolCall
	for _, raw := range it.Items {
		var w wireItem
		if json.Unmarshal(raw, &w) == nil && (w.Type == "function_call" || w.Type == "custom_tool_call") {
			calls = append(calls, ToolCall{Type: w.Type, CallID: w.CallID, Name: w.Name})
		}
	}
	return calls
}

// responsesBody builds the JSON body of POST /responses.
func responsesBody(r Request) ([]byte, error) {
	type obj = map[string]any
	input := make([]any, 0, len(r.Input))
	for _, it := range r.Input {
		switch {
		case it.Role == "tool":
			typ := "function_call_output"
			if it.Custom {
				typ = "custom_tool_call_output"
			}
			var output any = it.Text
			if len(it.Parts) > 0 && !it.Custom {
				output = responsesParts(it.Text, it.Parts)
			}
			input = append(input, obj{"type": typ, "call_id": it.CallID, "output": output})
		case it.Role == "assistant" && len(it.Items) > 0:
			for _, raw := range it.Items {
				input = append(input, raw)
			}
		case it.Role == "assistant":
			// Without raw items (a cut-off reply, history from a Chat
			// session) the text goes as an input message: an output
			// message item would need the id and status only the server
			// can give it.
			if it.Text != "" {
				input = append(input, obj{"role": "assistant", "content": it.Text})
			}
			for _, tc := range it.ToolCalls {
				if tc.Type == "custom_tool_call" {
					input = append(input, obj{"type": "custom_tool_call", "call_id": tc.CallID, "name": tc.Name, "input": tc.Arguments})
					continue
				}
				input = append(input, obj{"type": "function_call", "call_id": tc.CallID, "name": tc.Name, "arguments": tc.Arguments})
			}
		case len(it.Parts) > 0:
			input = append(input, obj{"role": it.Role, "content": responsesParts(it.Text, it.Parts)})
		default:
			input = append(input, obj{"role": it.Role, "content": it.Text})
		}
	}
	body := obj{"model": r.Model, "input": input, "stream": true, "store": r.Store}
	if r.Instructions != "" {
		body["instructions"] = r.Instructions
	}
	if r.ReasoningEffort != "" && !r.NoReasoning {
		body["reasoning"] = obj{"effort": r.ReasoningEffort, "summary": "auto"}
	}
	if !r.Store && !r.NoReasoning {
		// Without it a stateless next turn cannot send reasoning back.
		body["include"] = []string{"reasoning.encrypted_content"}
	}
	if r.MaxOutputTokens > 0 {
		body["max_output_tokens"] = r.MaxOutputTokens
	}
	if len(r.Tools) > 0 || r.WebSearch {
		tools := make([]obj, 0, len(r.Tools)+1)
		if r.WebSearch {
			tools = append(tools, obj{"type": "web_search"})
		}
		for _, t := range r.Tools {
			if t.Custom {
				tools = append(tools, obj{"type": "custom", "name": t.Name, "description": t.Description})
				continue
			}
			tools = append(tools, obj{"type": "function", "name": t.Name, "description": t.Description,
				"parameters": schemaOrEmpty(t.Parameters), "strict": t.Strict && StrictCompatible(t.Parameters)})
		}
		body["tools"] = tools
	}
	return json.Marshal(body)
}

// chatBody builds the JSON body of POST /chat/completions.
func chatBody(r Request) ([]byte, error) {
	type obj = map[string]any
	msgs := make([]obj, 0, len(r.Input)+1)
	if r.Instructions != "" {
		msgs = append(msgs, obj{"role": "system", "content": r.Instructions})
	}
	for _, it := range r.Input {
		switch it.Role {
		case "tool":
			msgs = append(msgs, obj{"role": "tool", "tool_call_id": it.CallID, "content": chatToolOutput(it.Text, it.Parts)})
		case "assistant":
			m := obj{"role": "assistant", "content": it.Text}
			if len(it.ToolCalls) > 0 {
				calls := make([]obj, 0, len(it.ToolCalls))
				for _, tc := range it.ToolCalls {
					calls = append(calls, obj{"id": tc.CallID, "type": "function",
						"function": obj{"name": tc.Name, "arguments": tc.Arguments}})
				}
				m["tool_calls"] = calls
			}
			msgs = append(msgs, m)
		case "developer":
			// Chat servers other than OpenAI's know only "system".
			msgs = append(msgs, obj{"role": "system", "content": it.Text})
		default:
			var content any = it.Text
			if len(it.Parts) > 0 && it.Role == "user" {
				content = chatParts(it.Text, it.Parts)
			}
			msgs = append(msgs, obj{"role": it.Role, "content": content})
		}
	}
	body := obj{"model": r.Model, "messages": msgs, "stream": true,
		"stream_options": obj{"include_usage": true}}
	if r.ReasoningEffort != "" && !r.NoReasoning {
		body["reasoning_effort"] = r.ReasoningEffort
	}
	if r.MaxOutputTokens > 0 {
		body["max_completion_tokens"] = r.MaxOutputTokens
	}
	if r.WebSearch {
		body["web_search_options"] = obj{}
	}
	if len(r.Tools) > 0 {
		tools := make([]obj, 0, len(r.Tools))
		for _, t := range r.Tools {
			fn := obj{"name": t.Name, "description": t.Description, "parameters": schemaOrEmpty(t.Parameters)}
			if t.Strict && StrictCompatible(t.Parameters) {
				fn["strict"] = true
			}
			tools = append(tools, obj{"type": "function", "function": fn})
		}
		body["tools"] = tools
	}
	return json.Marshal(body)
}

func schemaOrEmpty(s json.RawMessage) json.RawMessage {
	if len(s) == 0 {
		return json.RawMessage(`{"type":"object","properties":{}}`)
	}
	return s
}
