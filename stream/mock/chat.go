package mock

import (
	"strconv"
	"strings"
)

// chatStream builds Chat Completions chunks for one turn
// (responses-events.md §8): data-only frames ending with "data: [DONE]".
type chatStream struct {
	t      turn
	frames []frame
	id     string
	first  bool // the next chunk is the first: it carries the thinking pause
}

// chunk appends a chat.completion.chunk with one choice.
func (s *chatStream) chunk(tokens int, delta object, finishReason any) {
	choice := object{{"index", 0}, {"delta", delta}, {"logprobs", nil}, {"finish_reason", finishReason}}
	s.add(tokens, []object{choice}, nil)
}

func (s *chatStream) add(tokens int, choices []object, usage any) {
	body := object{
		{"id", s.id},
		{"object", "chat.completion.chunk"},
		{"created", s.t.created},
		{"model", s.t.req.model},
		{"system_fingerprint", "fp_parley_mock"},
		{"choices", choices},
	}
	// OpenAI sends "usage": null on every chunk when usage was asked for.
	if s.t.req.includeUsage {
		body = append(body, field{"usage", usage})
	}
	s.frames = append(s.frames, frame{body: body, tokens: tokens, firstToken: s.first})
	s.first = false
}

// chatFrames builds a complete Chat Completions stream: the role chunk,
// reasoning_content deltas, content deltas, tool call fragments by index,
// the finish chunk, the usage chunk if asked for, and [DONE]. Stream faults
// change the shape as the package comment describes.
func chatFrames(t turn, faultKind string) []frame {
	s := &chatStream{t: t, id: "chatcmpl-mock-" + strconv.Itoa(t.n), first: true}
	role := object{{"role", "assistant"}, {"content", ""}, {"refusal", nil}}
	if len(t.reply.calls) > 0 && t.reply.text == "" {
		role = object{{"role", "assistant"}, {"content", nil}, {"refusal", nil}}
	}
	s.chunk(0, role, nil)
	if faultKind == faultErrorEvent {
		s.fail("insufficient_quota", quotaMessage)
		return s.frames
	}
	if len(t.reply.summary) > 0 {
		for _, p := range splitText(strings.Join(t.reply.summary, "\n\n"), t.rng) {
			s.chunk(p.tokens, object{{"content", nil}, {"reasoning_content", p.text}}, nil)
		}
	}
	incomplete := faultKind == faultIncomplete
	pieces, text := t.textPieces(incomplete)
	for _, p := range pieces {
		s.chunk(p.tokens, object{{"content", p.text}}, nil)
	}
	for i, c := range t.reply.calls {
		open := object{{"index", i}, {"id", t.id("call", i)}, {"type", "function"},
			{"function", object{{"name", c.name}, {"arguments", ""}}}}
		s.chunk(0, object{{"tool_calls", []object{open}}}, nil)
		for _, p := range splitArguments(c.arguments, t.rng) {
			frag := object{{"index", i}, {"function", object{{"arguments", p.text}}}}
			s.chunk(p.tokens, object{{"tool_calls", []object{frag}}}, nil)
		}
	}
	finish := "stop"
	switch {
	case incomplete:
		finish = "length"
	case len(t.reply.calls) > 0:
		finish = "tool_calls"
	}
	s.chunk(0, object{}, finish)
	for i, c := range t.reply.calls {
		if c.final != "" {
			// fault:args-changed: fragments after the finish that would
			// turn the call into another one.
			frag := object{{"index", i}, {"function", object{{"arguments", c.final}}}}
			s.chunk(0, object{{"tool_calls", []object{frag}}}, nil)
		}
	}
	if faultKind == faultEscapes {
		s.fail(escapesCode, escapesMessage)
		return s.frames
	}
	if t.req.includeUsage {
		s.add(0, []object{}, chatUsage(t, text))
	}
	s.frames = append(s.frames, frame{raw: "data: [DONE]\n\n"})
	if faultKind == faultMalformed {
		return spoilChat(s.frames)
	}
	return s.frames
}

// fail ends the stream with an "error" event and no [DONE], as Groq does.
func (s *chatStream) fail(code, message string) {
	s.frames = append(s.frames, frame{event: "error", body: object{{"error", errorBody{
		Type:    code,
		Code:    nullable(code),
		Message: message,
	}}}})
}

func chatUsage(t turn, text string) object {
	out, reasoning := t.tokenCounts(text)
	in := t.req.inputTokens
	return object{
		{"prompt_tokens", in},
		{"completion_tokens", out},
		{"total_tokens", in + out},
		{"prompt_tokens_details", object{{"cached_tokens", 0}, {"audio_tokens", 0}}},
		{"completion_tokens_details", object{
			{"reasoning_tokens", reasoning},
			{"audio_tokens", 0},
			{"accepted_prediction_tokens", 0},
			{"rejected_prediction_tokens", 0},
		}},
	}
}

// spoilChat mixes broken chunks and an SSE comment (as OpenRouter sends)
// into a good stream; the good chunks still carry the whole reply.
func spoilChat(frames []frame) []frame {
	return insertAfterTokens(frames, map[int][]frame{
		1: {{raw: "data: {\"id\":\"chatcmpl-mock\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\n\n"}},
		2: {{raw: ": keep-alive\n\n"}},
		3: {{raw: "data: not json at all\n\n"}},
	})
}
