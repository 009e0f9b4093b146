package mock

import (
	"encoding/json"
	"strconv"
)

// The Response object and output items, with the fields OpenAI sends
// (responses-events.md §5). Field order follows the recordings.

type responseObject struct {
	ID                 string             `json:"id"`
	Object             string             `json:"object"`
	CreatedAt          int64              `json:"created_at"`
	Status             string             `json:"status"`
	Background         bool               `json:"background"`
	CompletedAt        *int64             `json:"completed_at"`
	Error              *responseError     `json:"error"`
	IncompleteDetails  *incompleteDetails `json:"incomplete_details"`
	Instructions       *string            `json:"instructions"`
	MaxOutputTokens    *int               `json:"max_output_tokens"`
	Model              string             `json:"model"`
	Output             []any              `json:"output"`
	ParallelToolCalls  bool               `json:"parallel_tool_calls"`
	PreviousResponseID *string            `json:"previous_response_id"`
	Reasoning          json.RawMessage    `json:"reasoning"`
	ServiceTier        string             `json:"service_tier"`
	Store              bool               `json:"store"`
	Temperature        float64            `json:"temperature"`
	Text               json.RawMessage    `json:"text"`
	ToolChoice         json.RawMessage    `json:"tool_choice"`
	Tools              json.RawMessage    `json:"tools"`
	TopP               float64            `json:"top_p"`
	Truncation         string             `json:"truncation"`
	Usage              *responseUsage     `json:"usage"`
	User               *string            `json:"user"`
	Metadata           map[string]string  `json:"metadata"`
}

type responseError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

type incompleteDetails struct {
	Reason string `json:"reason"`
}

type responseUsage struct {
	InputTokens        int `json:"input_tokens"`
	InputTokensDetails struct {
		CachedTokens int `json:"cached_tokens"`
	} `json:"input_tokens_details"`
	OutputTokens        int `json:"output_tokens"`
	OutputTokensDetails struct {
		ReasoningTokens int `json:"reasoning_tokens"`
	} `json:"output_tokens_details"`
	TotalTokens int `json:"total_tokens"`
}

type messageItem struct {
	ID      string           `json:"id"`
	Type    string           `json:"type"`
	Status  string           `json:"status"`
	Content []outputTextPart `json:"content"`
	Role    string           `json:"role"`
}

type outputTextPart struct {
	Type        string `json:"type"`
	Annotations []any  `json:"annotations"`
	Logprobs    []any  `json:"logprobs"`
	Text        string `json:"text"`
}

type reasoningItem struct {
	ID               string        `json:"id"`
	Type             string        `json:"type"`
	Summary          []summaryPart `json:"summary"`
	EncryptedContent *string       `json:"encrypted_content,omitempty"`
}

type summaryPart struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

type functionCallItem struct {
	ID        string `json:"id"`
	Type      string `json:"type"`
	Status    string `json:"status"`
	Arguments string `json:"arguments"`
	CallID    string `json:"call_id"`
	Name      string `json:"name"`
}

func textPart(text string) outputTextPart {
	return outputTextPart{Type: "output_text", Annotations: []any{}, Logprobs: []any{}, Text: text}
}

// newResponse is the Response object at the start of a turn: in progress,
// no output, no usage, with the request's settings echoed back.
func newResponse(t turn) responseObject {
	e := t.req.echo
	r := responseObject{
		ID:                 "resp_mock_" + strconv.Itoa(t.n),
		Object:             "response",
		CreatedAt:          t.created,
		Status:             "in_progress",
		Instructions:       e.Instructions,
		MaxOutputTokens:    e.MaxOutputTokens,
		Model:              t.req.model,
		Output:             []any{},
		ParallelToolCalls:  true,
		PreviousResponseID: e.PreviousResponseID,
		Reasoning:          orJSON(e.Reasoning, `{"effort":null,"summary":null}`),
		ServiceTier:        "auto",
		Store:              e.Store == nil || *e.Store,
		Temperature:        1,
		Text:               json.RawMessage(`{"format":{"type":"text"},"verbosity":"medium"}`),
		ToolChoice:         orJSON(e.ToolChoice, `"auto"`),
		Tools:              orJSON(e.Tools, `[]`),
		TopP:               1,
		Truncation:         "disabled",
		Metadata:           map[string]string{},
	}
	return r
}

// orJSON passes a request field through, or a default when it was absent.
func orJSON(raw json.RawMessage, def string) json.RawMessage {
	if len(raw) == 0 || string(raw) == "null" {
		return json.RawMessage(def)
	}
	return raw
}
