package stream

import (
	"encoding/json"
)

// chatChunk is one Chat Completions stream chunk, with the fields servers
// other than OpenAI add (reasoning_content, reasoning, DeepSeek's cache
// counters).
type chatChunk struct {
	ID      string `json:"id"`
	Model   string `json:"model"`
	Choices []struct {
		Index int `json:"index"`
		Delta struct {
			Content          *string `json:"content"`
			Refusal          *string `json:"refusal"`
			ReasoningContent *string `json:"reasoning_content"`
			Reasoning        *string `json:"reasoning"`
			ToolCalls        []struct {
				Index    *int   `json:"index"`
				ID       string `json:"id"`
				Type     string `json:"type"`
				Function struct {
					Name      string `json:"name"`
					Arguments string `json:"arguments"`
				} `json:"function"`
			} `json:"tool_calls"`
		} `json:"delta"`
		FinishReason *string `json:"finish_reason"`
	} `json:"choices"`
	Usage *struct {
		PromptTokens        int `json:"prompt_tokens"`
		CompletionTokens    int `json:"completion_tokens"`
		TotalTokens         int `json:"total_tokens"`
		PromptTokensDetails *struct {
			CachedTokens int `json:"cached_tokens"`
		} `json:"prompt_tokens_details"`
		CompletionTokensDetails *struct {
			ReasoningTokens int `json:"reasoning_tokens"`
		} `json:"completion_tokens_details"`
		PromptCacheHitTokens int `json:"prompt_cache_hit_tokens"`
	} `json:"usage"`
	Error *wireError `json:"error"`
}

// chatState merges Chat Completions chunks into choices: tool-call
// fragments by index, the finish reason held until the stream ends (usage
// may still follow it).
type chatState struct {
	calls    []*chatCall
	meta     Meta
	finish   string
	sawError bool
	finished bool
	log      func(msg string, args ...any)
}

type chatCall struct {
	ref  ToolRef
	args []byte
}

func (s *chatState) handle(c *chatChunk, emit func(Choice)) {
	if m := (Meta{ResponseID: c.ID, Model: c.Model}); m != s.meta && (m.ResponseID != "" || m.Model != "") {
		s.meta = m
		emit(Choice{Kind: KindMeta, Meta: &m})
	}
	if c.Error != nil {
		s.sawError = true
		emit(Choice{Kind: KindError, Err: wireErrorToError(c.Error, 0)})
	}
	for i := range c.Choices {
		ch := &c.Choices[i]
		if ch.Index != 0 { // Parley asks for one choice; ignore n>1 extras.
			continue
		}
		d := &ch.Delta
		// Servers name reasoning differently; some send both keys, one null.
		if r := firstNonEmpty(d.ReasoningContent, d.Reasoning); r != "" {
			emit(Choice{Kind: KindReasoning, Delta: r, Reasoning: &ReasoningRef{Raw: true}})
		}
		if d.Content != nil && *d.Content != "" {
			emit(Choice{Kind: KindText, Delta: *d.Content})
		}
		if d.Refusal != nil && *d.Refusal != "" {
			emit(Choice{Kind: KindRefusal, Delta: *d.Refusal})
		}
		for _, tc := range d.ToolCalls {
			if s.finish != "" {
				// The finish made every call final; what comes after it
				// cannot change a call that may already be decided on.
				s.log("skipped a tool call fragment after the finish", "call_id", tc.ID, "finish_reason", s.finish)
				continue
			}
			s.toolFragment(tc.Index, tc.ID, tc.Function.Name, tc.Function.Arguments, emit)
		}
		if ch.FinishReason != nil && *ch.FinishReason != "" {
			s.finish = *ch.FinishReason
			s.closeCalls(emit)
		}
	}
	if u := c.Usage; u != nil {
		us := Usage{Input: u.PromptTokens, Output: u.CompletionTokens, Total: u.TotalTokens, Cached: u.PromptCacheHitTokens}
		if u.PromptTokensDetails != nil && u.PromptTokensDetails.CachedTokens > 0 {
			us.Cached = u.PromptTokensDetails.CachedTokens
		}
		if u.CompletionTokensDetails != nil {
			us.Reasoning = u.CompletionTokensDetails.ReasoningTokens
		}
		if us.Total == 0 {
			us.Total = us.Input + us.Output
		}
		emit(Choice{Kind: KindUsage, Usage: &us})
	}
}

// toolFragment merges one tool_calls element. Fragments are keyed by index;
// a server that omits the index (some local ones) starts a new call
// whenever a new id appears.
func (s *chatState) toolFragment(index *int, id, name, args string, emit func(Choice)) {
	i := len(s.calls) - 1
	switch {
	case index != nil:
		i = *index
	case id != "" && (i < 0 || s.calls[i].ref.CallID != id):
		i = len(s.calls)
	}
	if i < 0 || i > 1<<16 {
		return
	}
	for len(s.calls) <= i {
		s.calls = append(s.calls, nil)
	}
	call := s.calls[i]
	if call == nil {
		call = &chatCall{ref: ToolRef{CallID: id, Name: name, Kind: ToolFunction, Type: "function_call"}}
		s.calls[i] = call
		ref := call.ref
		emit(Choice{Kind: KindToolStart, OutputIndex: i, Tool: &ref})
	} else if (id != "" && call.ref.CallID == "") || (name != "" && call.ref.Name == "") {
		if call.ref.CallID == "" {
			call.ref.CallID = id
		}
		if call.ref.Name == "" {
			call.ref.Name = name
		}
		ref := call.ref
		emit(Choice{Kind: KindToolStart, OutputIndex: i, Tool: &ref})
	}
	if args != "" {
		call.args = append(call.args, args...)
		emit(Choice{Kind: KindToolArgs, OutputIndex: i, Delta: args, Tool: &ToolRef{CallID: call.ref.CallID}})
	}
}

// closeCalls reports every open call's final arguments, once.
func (s *chatState) closeCalls(emit func(Choice)) {
	for i, call := range s.calls {
		if call == nil || call.ref.Status == "completed" {
			continue
		}
		call.ref.Status = "completed"
		ref := call.ref
		ref.Arguments = string(call.args)
		emit(Choice{Kind: KindToolDone, OutputIndex: i, Tool: &ref})
	}
}

// done ends the stream at `[DONE]` or at the end of the body.
func (s *chatState) done(emit func(Choice)) {
	s.finished = true
	s.closeCalls(emit)
	d := Done{Status: StatusCompleted}
	switch s.finish {
	case "length":
		d = Done{Status: StatusIncomplete, IncompleteReason: "max_output_tokens"}
	case "content_filter":
		d = Done{Status: StatusIncomplete, IncompleteReason: "content_filter"}
	}
	if s.sawError {
		d = Done{Status: StatusFailed}
	}
	emit(Choice{Kind: KindDone, Done: &d})
}

func firstNonEmpty(a, b *string) string {
	if a != nil && *a != "" {
		return *a
	}
	if b != nil {
		return *b
	}
	return ""
}

// decodeChat parses a chunk; kept apart so the fuzz test can reach it.
func decodeChat(data []byte) (*chatChunk, error) {
	c := new(chatChunk)
	if err := json.Unmarshal(data, c); err != nil {
		return nil, err
	}
	return c, nil
}
