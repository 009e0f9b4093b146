package stream

import (
	"encoding/json"
)

// Request is one turn to send: the conversation so far and how to answer.
type Request struct {
	Model string
	// Instructions is the system prompt.
	Instructions string
	Input        []InputItem
	Tools        []ToolSpec
	// ReasoningEffort ("minimal", "low", "medium", "high") is sent only when
	// set: models without reasoning reject the field.
	ReasoningEffort string
	// Store asks the server to keep the response (Responses API). When it is
	// false, reasoning comes back encrypted so the next turn can send it.
	Store           bool
	MaxOutputTokens int
	// WebSearch offers OpenAI's hosted web search (Responses API only);
	// its progress streams as hosted-tool choices and its sources come
	// back as url citations.
	WebSearch bool
}

// InputItem is one entry of the conversation.
//
// Role is "user", "system", "developer", "assistant" or "tool". An assistant
// entry carries its text and tool calls, and, for the Responses API, the raw
// output items it came as (Items), which are sent back verbatim so that
// reasoning and calls round-trip exactly. A tool entry is a call's result:
// CallID names the call, Text is the output.
type InputItem struct {
	Role      string
	Text      string
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
			input = append(input, obj{"type": typ, "call_id": it.CallID, "output": it.Text})
		case it.Role == "assistant" && len(it.Items) > 0:
			for _, raw := range it.Items {
				input = append(input, raw)
			}
		case it.Role == "assistant":
			if it.Text != "" {
				input = append(input, obj{"type": "message", "role": "assistant",
					"content": []obj{{"type": "output_text", "text": it.Text}}})
			}
			for _, tc := range it.ToolCalls {
				if tc.Type == "custom_tool_call" {
					input = append(input, obj{"type": "custom_tool_call", "call_id": tc.CallID, "name": tc.Name, "input": tc.Arguments})
					continue
				}
				input = append(input, obj{"type": "function_call", "call_id": tc.CallID, "name": tc.Name, "arguments": tc.Arguments})
			}
		default:
			input = append(input, obj{"role": it.Role, "content": it.Text})
		}
	}
	body := obj{"model": r.Model, "input": input, "stream": true, "store": r.Store}
	if r.Instructions != "" {
		body["instructions"] = r.Instructions
	}
	if r.ReasoningEffort != "" {
		body["reasoning"] = obj{"effort": r.ReasoningEffort, "summary": "auto"}
	}
	if !r.Store {
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
				"parameters": schemaOrEmpty(t.Parameters)})
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
			msgs = append(msgs, obj{"role": "tool", "tool_call_id": it.CallID, "content": it.Text})
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
			msgs = append(msgs, obj{"role": it.Role, "content": it.Text})
		}
	}
	body := obj{"model": r.Model, "messages": msgs, "stream": true,
		"stream_options": obj{"include_usage": true}}
	if r.ReasoningEffort != "" {
		body["reasoning_effort"] = r.ReasoningEffort
	}
	if r.MaxOutputTokens > 0 {
		body["max_completion_tokens"] = r.MaxOutputTokens
	}
	if len(r.Tools) > 0 {
		tools := make([]obj, 0, len(r.Tools))
		for _, t := range r.Tools {
			tools = append(tools, obj{"type": "function", "function": obj{"name": t.Name,
				"description": t.Description, "parameters": schemaOrEmpty(t.Parameters)}})
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
