package mock

import (
	"time"
)

// responsesStream builds the Responses API events for one turn, collecting
// the final output items as it goes for the terminal event.
type responsesStream struct {
	t        turn
	frames   []frame
	output   []any
	response responseObject
	// pendingFirst marks the next frame as the first one after the
	// model's thinking pause.
	pendingFirst bool
}

func (s *responsesStream) emit(event string, tokens int, fields ...field) {
	s.frames = append(s.frames, frame{event: event, body: fields, tokens: tokens, firstToken: s.pendingFirst})
	s.pendingFirst = false
}

// responsesFrames builds a complete stream: created, in_progress, the
// reasoning, message and function call items, then response.completed, or
// response.incomplete for fault:incomplete (and a spoiled stream for
// fault:malformed, a failed one for fault:error-event).
func responsesFrames(t turn, faultKind string) []frame {
	s := &responsesStream{t: t, response: newResponse(t)}
	s.emit("response.created", 0, field{"response", s.response})
	s.emit("response.in_progress", 0, field{"response", s.response})
	s.pendingFirst = true
	if faultKind == faultErrorEvent {
		s.fail("insufficient_quota", quotaMessage)
		return s.frames
	}
	incomplete := faultKind == faultIncomplete
	if len(t.reply.summary) > 0 {
		s.reasoning()
	}
	text := ""
	if t.reply.text != "" {
		text = s.message(incomplete)
	}
	for _, c := range t.reply.calls {
		s.functionCall(c)
	}
	if faultKind == faultEscapes {
		s.fail(escapesCode, escapesMessage)
		return s.frames
	}
	s.finish(text, incomplete)
	if faultKind == faultMalformed {
		return spoilResponses(s.frames)
	}
	return s.frames
}

func (s *responsesStream) reasoning() {
	t := s.t
	index := len(s.output)
	id := t.id("rs", index)
	item := reasoningItem{ID: id, Type: "reasoning", Summary: []summaryPart{}}
	if t.req.encrypted {
		blob := t.encryptedContent("added")
		item.EncryptedContent = &blob
	}
	s.emit("response.output_item.added", 0, field{"output_index", index}, field{"item", item})
	for k, text := range t.reply.summary {
		head := object{{"item_id", id}, {"output_index", index}, {"summary_index", k}}
		s.emit("response.reasoning_summary_part.added", 0, head.with(field{"part", summaryPart{"summary_text", ""}})...)
		for _, p := range splitText(text, t.rng) {
			s.emit("response.reasoning_summary_text.delta", p.tokens, head.with(field{"delta", p.text}, field{"obfuscation", t.obfuscation()})...)
		}
		s.emit("response.reasoning_summary_text.done", 0, head.with(field{"text", text})...)
		s.emit("response.reasoning_summary_part.done", 0, head.with(field{"part", summaryPart{"summary_text", text}})...)
		item.Summary = append(item.Summary, summaryPart{"summary_text", text})
	}
	if t.req.encrypted {
		blob := t.encryptedContent("done")
		item.EncryptedContent = &blob
	}
	s.emit("response.output_item.done", 0, field{"output_index", index}, field{"item", item})
	s.output = append(s.output, item)
}

// message streams the reply text and returns what was sent.
func (s *responsesStream) message(incomplete bool) string {
	t := s.t
	index := len(s.output)
	id := t.id("msg", index)
	item := messageItem{ID: id, Type: "message", Status: "in_progress", Content: []outputTextPart{}, Role: "assistant"}
	s.emit("response.output_item.added", 0, field{"output_index", index}, field{"item", item})
	head := object{{"item_id", id}, {"output_index", index}, {"content_index", 0}}
	s.emit("response.content_part.added", 0, head.with(field{"part", textPart("")})...)
	pieces, text := t.textPieces(incomplete)
	for _, p := range pieces {
		s.emit("response.output_text.delta", p.tokens, head.with(field{"delta", p.text}, field{"logprobs", []any{}}, field{"obfuscation", t.obfuscation()})...)
	}
	part := textPart(text)
	for i, c := range t.reply.citations {
		a := object{{"type", "url_citation"}, {"start_index", 0}, {"end_index", len(text)}, {"title", c.title}, {"url", c.url}}
		s.emit("response.output_text.annotation.added", 0, head.with(field{"annotation_index", i}, field{"annotation", a})...)
		part.Annotations = append(part.Annotations, a)
	}
	s.emit("response.output_text.done", 0, head.with(field{"text", text}, field{"logprobs", []any{}})...)
	s.emit("response.content_part.done", 0, head.with(field{"part", part})...)
	item.Status = "completed"
	if incomplete {
		item.Status = "incomplete"
	}
	item.Content = []outputTextPart{part}
	s.emit("response.output_item.done", 0, field{"output_index", index}, field{"item", item})
	s.output = append(s.output, item)
	return text
}

func (s *responsesStream) functionCall(c toolCall) {
	t := s.t
	index := len(s.output)
	id, callID := t.id("fc", index), t.id("call", index)
	item := functionCallItem{ID: id, Type: "function_call", Status: "in_progress", CallID: callID, Name: c.name}
	s.emit("response.output_item.added", 0, field{"output_index", index}, field{"item", item})
	head := object{{"item_id", id}, {"output_index", index}}
	for _, p := range splitArguments(c.arguments, t.rng) {
		s.emit("response.function_call_arguments.delta", p.tokens, head.with(field{"delta", p.text}, field{"obfuscation", t.obfuscation()})...)
	}
	final := c.arguments
	if c.final != "" {
		final = c.final
	}
	// Like the recordings, .done carries no "name" (the spec says it should).
	s.emit("response.function_call_arguments.done", 0, head.with(field{"arguments", final})...)
	item.Status, item.Arguments = "completed", final
	s.emit("response.output_item.done", 0, field{"output_index", index}, field{"item", item})
	s.output = append(s.output, item)
}

func (s *responsesStream) finish(text string, incomplete bool) {
	out, reasoning := s.t.tokenCounts(text)
	usage := &responseUsage{InputTokens: s.t.req.inputTokens, OutputTokens: out, TotalTokens: s.t.req.inputTokens + out}
	usage.OutputTokensDetails.ReasoningTokens = reasoning
	r := s.response
	r.Output, r.Usage, r.ServiceTier = s.output, usage, "default"
	if incomplete {
		r.Status = "incomplete"
		r.IncompleteDetails = &incompleteDetails{Reason: "max_output_tokens"}
		s.emit("response.incomplete", 0, field{"response", r})
		return
	}
	r.Status = "completed"
	done := time.Now().Unix()
	r.CompletedAt = &done
	s.emit("response.completed", 0, field{"response", r})
}

const quotaMessage = "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors."

// fail ends the stream the way production does when it sheds a request
// after accepting it: a nested error event, then response.failed.
func (s *responsesStream) fail(code, message string) {
	s.emit("error", 0, field{"error", errorBody{
		Type:    code,
		Code:    nullable(code),
		Message: message,
	}})
	r := s.response
	r.Status = "failed"
	r.Error = &responseError{Code: code, Message: message}
	s.emit("response.failed", 0, field{"response", r})
}

// spoilResponses mixes into a good stream what a robust decoder must skip:
// frames whose data is not JSON, a keepalive event and an event type from
// the future. The good events still decode to the complete reply.
func spoilResponses(frames []frame) []frame {
	return insertAfterTokens(frames, map[int][]frame{
		1: {{raw: "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\n\n"}},
		2: {{event: "keepalive"}},
		3: {{event: "response.mock_future_feature.delta", body: object{{"note", "an event type this client has never heard of"}}}},
		4: {{raw: "data: {\"type\":\"response.output_text.delta\",\"delta\":\"lost\n\n"}, {raw: "data: not json at all\n\n"}},
	})
}
