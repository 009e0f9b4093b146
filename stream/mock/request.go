package mock

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
)

// apiKind names the wire format a request came in on and a reply goes out in.
type apiKind int

const (
	apiResponses apiKind = iota
	apiChat
)

const defaultModel = "parley-mock-1"

// request is what the mock needs from a request body of either API.
type request struct {
	model        string
	stream       bool
	lastUser     string       // text of the last user message, fenced files taken out
	attachments  []Attachment // what the last user message carried
	toolResults  []toolResult // tool outputs that come after the last user message
	encrypted    bool         // Responses: include has "reasoning.encrypted_content"
	includeUsage bool         // Chat: stream_options.include_usage
	inputTokens  int
	echo         responsesEcho
	toolNames    []string // the function tools the request offers
}

type toolResult struct {
	callID string
	name   string // "" when the request does not contain the call itself
	output string
}

// responsesEcho holds the request fields a Response object repeats back.
type responsesEcho struct {
	Instructions       *string         `json:"instructions"`
	MaxOutputTokens    *int            `json:"max_output_tokens"`
	PreviousResponseID *string         `json:"previous_response_id"`
	Reasoning          json.RawMessage `json:"reasoning"`
	Store              *bool           `json:"store"`
	Tools              json.RawMessage `json:"tools"`
	ToolChoice         json.RawMessage `json:"tool_choice"`
}

type responsesBody struct {
	responsesEcho
	Model   string          `json:"model"`
	Stream  bool            `json:"stream"`
	Input   json.RawMessage `json:"input"`
	Include []string        `json:"include"`
}

// inputItem is the union of the Responses input item shapes the mock reads:
// messages ({role, content}) and function calls and their outputs.
type inputItem struct {
	Type    string          `json:"type"`
	Role    string          `json:"role"`
	Content json.RawMessage `json:"content"`
	CallID  string          `json:"call_id"`
	Name    string          `json:"name"`
	Output  json.RawMessage `json:"output"`
}

type chatBody struct {
	Model         string        `json:"model"`
	Stream        bool          `json:"stream"`
	Messages      []chatMessage `json:"messages"`
	StreamOptions *struct {
		IncludeUsage bool `json:"include_usage"`
	} `json:"stream_options"`
	Tools []struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	} `json:"tools"`
}

type chatMessage struct {
	Role       string          `json:"role"`
	Content    json.RawMessage `json:"content"`
	ToolCallID string          `json:"tool_call_id"`
	ToolCalls  []struct {
		ID       string `json:"id"`
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	} `json:"tool_calls"`
}

func parseRequest(api apiKind, body []byte) (request, error) {
	var req request
	var err error
	if api == apiChat {
		req, err = parseChat(body)
	} else {
		req, err = parseResponses(body)
	}
	if err != nil {
		return request{}, err
	}
	if req.model == "" {
		req.model = defaultModel
	}
	req.inputTokens = max(1, len(body)/4)
	return req, nil
}

func parseResponses(body []byte) (request, error) {
	var b responsesBody
	if err := json.Unmarshal(body, &b); err != nil {
		return request{}, err
	}
	req := request{
		model:     b.Model,
		stream:    b.Stream,
		encrypted: slices.Contains(b.Include, "reasoning.encrypted_content"),
		echo:      b.responsesEcho,
	}
	var tools []struct {
		Name string `json:"name"`
	}
	_ = json.Unmarshal(b.Tools, &tools)
	for _, t := range tools {
		req.toolNames = append(req.toolNames, t.Name)
	}
	input := bytes.TrimSpace(b.Input)
	if len(input) == 0 || string(input) == "null" {
		return req, nil
	}
	if input[0] == '"' {
		req.lastUser, req.attachments = userContent(input)
		return req, nil
	}
	var items []inputItem
	if err := json.Unmarshal(input, &items); err != nil {
		return request{}, errors.New(`"input" must be a string or an array of items`)
	}
	names := map[string]string{}
	for _, it := range items {
		switch {
		case it.Type == "function_call":
			names[it.CallID] = it.Name
		case it.Type == "function_call_output":
			req.toolResults = append(req.toolResults, toolResult{callID: it.CallID, output: outputText(it.Output)})
		case it.Role == "user":
			req.lastUser, req.attachments = userContent(it.Content)
			req.toolResults = nil
		}
	}
	for i := range req.toolResults {
		req.toolResults[i].name = names[req.toolResults[i].callID]
	}
	return req, nil
}

func parseChat(body []byte) (request, error) {
	var b chatBody
	if err := json.Unmarshal(body, &b); err != nil {
		return request{}, err
	}
	req := request{
		model:        b.Model,
		stream:       b.Stream,
		includeUsage: b.StreamOptions != nil && b.StreamOptions.IncludeUsage,
	}
	for _, t := range b.Tools {
		req.toolNames = append(req.toolNames, t.Function.Name)
	}
	names := map[string]string{}
	for _, m := range b.Messages {
		for _, tc := range m.ToolCalls {
			names[tc.ID] = tc.Function.Name
		}
		switch m.Role {
		case "tool":
			req.toolResults = append(req.toolResults, toolResult{callID: m.ToolCallID, output: outputText(m.Content)})
		case "user":
			req.lastUser, req.attachments = userContent(m.Content)
			req.toolResults = nil
		}
	}
	for i := range req.toolResults {
		req.toolResults[i].name = names[req.toolResults[i].callID]
	}
	return req, nil
}

// contentText reads a tool output's content, which is a string or an
// array of parts ({"type":"input_text","text":..} in Responses,
// {"type":"text",..} in Chat). Parts without text (images) are skipped.
func contentText(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var parts []struct {
		Text string `json:"text"`
	}
	if json.Unmarshal(raw, &parts) != nil {
		return ""
	}
	texts := make([]string, 0, len(parts))
	for _, p := range parts {
		if p.Text != "" {
			texts = append(texts, p.Text)
		}
	}
	return strings.Join(texts, "\n")
}

// outputText reads a tool output: a string, an array of text parts, or (from
// lenient clients) any other JSON, which is kept as JSON text.
func outputText(raw json.RawMessage) string {
	if s := contentText(raw); s != "" {
		return s
	}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" || string(raw) == `""` || string(raw) == "[]" {
		return ""
	}
	return string(raw)
}
