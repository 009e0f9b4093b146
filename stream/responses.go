package stream

import (
	"encoding/json"
	"strings"
)

// responsesState turns Responses API events into choices. It keeps what the
// `.done` events do not repeat (a call's name and call_id come only with
// output_item.added) and what was already shown, so a `.done` whose text
// runs past the deltas can supply the missing tail instead of being ignored.
type responsesState struct {
	items    map[string]*itemState // by item id
	shown    map[deltaKey]*strings.Builder
	meta     Meta
	sawError bool
	finished bool
}

// deltaKey names one stream of deltas: its kind letter, item and part. A
// struct, not a string built per delta, so looking it up allocates nothing.
type deltaKey struct {
	letter, itemID string
	part           int
}

type itemState struct {
	ref         ToolRef
	outputIndex int
	doneSent    bool
}

func newResponsesState() *responsesState {
	return &responsesState{items: map[string]*itemState{}, shown: map[deltaKey]*strings.Builder{}}
}

// hostedEventItems are the item types whose progress arrives as
// `response.<type>.<status>` events.
var hostedEventItems = map[string]bool{
	"web_search_call": true, "file_search_call": true, "code_interpreter_call": true,
	"image_generation_call": true, "mcp_call": true, "mcp_list_tools": true,
}

// ignoredTypes are spec events Parley knows and has no use for: they are
// counted as known, not unknown.
var ignoredTypes = map[string]bool{
	"response.content_part.added":              true,
	"response.reasoning_summary_part.added":    true,
	"response.audio.delta":                     true,
	"response.audio.done":                      true,
	"response.audio.transcript.delta":          true,
	"response.audio.transcript.done":           true,
	"response.shell_call_command.added":        true,
	"response.shell_call_command.delta":        true,
	"response.shell_call_command.done":         true,
	"response.shell_call_output_content.delta": true,
	"response.shell_call_output_content.done":  true,
}

// handle translates one event. It reports false for a type it does not know.
func (s *responsesState) handle(ev *responsesEvent, emit func(Choice)) bool {
	switch ev.Type {
	case "response.created", "response.queued", "response.in_progress":
		s.noteMeta(ev.Response, emit)
	case "response.completed", "response.incomplete", "response.failed":
		s.terminal(ev, emit)
	case "error":
		s.sawError = true
		emit(Choice{Kind: KindError, Err: eventError(ev)})
	case "response.output_item.added":
		s.itemAdded(ev, emit)
	case "response.output_item.done":
		s.itemDone(ev, emit)
	case "response.content_part.done":
		s.partDone(ev, ev.ContentIndex, emit)
	case "response.output_text.delta":
		s.delta(KindText, "t", ev, ev.ContentIndex, emit)
	case "response.output_text.done":
		s.fill(KindText, "t", ev, ev.ContentIndex, deref(ev.Text), emit)
	case "response.output_text.annotation.added":
		if ev.Annotation != nil {
			a := *ev.Annotation
			emit(Choice{Kind: KindAnnotation, OutputIndex: ev.OutputIndex, Annotation: &a})
		}
	case "response.refusal.delta":
		s.delta(KindRefusal, "f", ev, ev.ContentIndex, emit)
	case "response.refusal.done":
		s.fill(KindRefusal, "f", ev, ev.ContentIndex, deref(ev.Refusal), emit)
	case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta",
		"response.mcp_call_arguments.delta", "response.code_interpreter_call_code.delta":
		s.delta(KindToolArgs, "a", ev, 0, emit)
	case "response.function_call_arguments.done", "response.mcp_call_arguments.done":
		s.argsDone(ev, deref(ev.Arguments), emit)
	case "response.custom_tool_call_input.done":
		s.argsDone(ev, deref(ev.Input), emit)
	case "response.code_interpreter_call_code.done":
		s.fill(KindToolArgs, "a", ev, 0, rawString(ev.Code), emit)
	case "response.reasoning_summary_text.delta":
		s.delta(KindReasoning, "s", ev, ev.SummaryIndex, emit)
	case "response.reasoning_summary_text.done":
		s.fill(KindReasoning, "s", ev, ev.SummaryIndex, deref(ev.Text), emit)
	case "response.reasoning_summary_part.done":
		// Carries the whole part; covers servers that skip the text events.
		s.partDone(ev, ev.SummaryIndex, emit)
	case "response.reasoning_text.delta":
		s.delta(KindReasoning, "r", ev, ev.ContentIndex, emit)
	case "response.reasoning_text.done":
		s.fill(KindReasoning, "r", ev, ev.ContentIndex, deref(ev.Text), emit)
	default:
		if ignoredTypes[ev.Type] {
			return true
		}
		return s.hostedStatus(ev, emit)
	}
	return true
}

// hostedStatus handles `response.<item type>.<status>` progress events.
func (s *responsesState) hostedStatus(ev *responsesEvent, emit func(Choice)) bool {
	rest, ok := strings.CutPrefix(ev.Type, "response.")
	if !ok {
		return false
	}
	itemType, status, ok := strings.Cut(rest, ".")
	if !ok || !hostedEventItems[itemType] || strings.Contains(status, ".") {
		return false
	}
	emit(Choice{Kind: KindHostedStatus, OutputIndex: ev.OutputIndex,
		Tool: &ToolRef{ItemID: ev.ItemID, Kind: ToolHosted, Type: itemType, Status: status}})
	return true
}

func (s *responsesState) noteMeta(r *wireResponse, emit func(Choice)) {
	if r == nil {
		return
	}
	m := Meta{ResponseID: r.ID, Model: r.Model}
	if m.ResponseID == "" {
		m.ResponseID = s.meta.ResponseID
	}
	if m.Model == "" {
		m.Model = s.meta.Model
	}
	if m != s.meta {
		s.meta = m
		emit(Choice{Kind: KindMeta, Meta: &m})
	}
}

func (s *responsesState) terminal(ev *responsesEvent, emit func(Choice)) {
	s.noteMeta(ev.Response, emit)
	done := Done{Status: StatusCompleted}
	switch ev.Type {
	case "response.incomplete":
		done.Status = StatusIncomplete
	case "response.failed":
		done.Status = StatusFailed
	}
	if r := ev.Response; r != nil {
		if r.Usage != nil {
			u := r.Usage.usage()
			emit(Choice{Kind: KindUsage, Usage: &u})
		}
		if r.IncompleteDetails != nil {
			done.IncompleteReason = r.IncompleteDetails.Reason
		}
	}
	// Outside the nil check: a response.failed without a response object
	// must still leave an error, or the turn fails with nothing to show.
	if done.Status == StatusFailed && !s.sawError {
		e := &Error{Code: "server_error", Message: "The server reported that the response failed."}
		if r := ev.Response; r != nil && r.Error != nil {
			e = wireErrorToError(r.Error, 0)
		}
		s.sawError = true
		emit(Choice{Kind: KindError, Err: e})
	}
	s.finished = true
	emit(Choice{Kind: KindDone, Done: &done})
}

func (s *responsesState) itemAdded(ev *responsesEvent, emit func(Choice)) {
	var it wireItem
	if json.Unmarshal(ev.Item, &it) != nil {
		return
	}
	kind, isTool := toolKindOf(it.Type)
	if !isTool {
		return
	}
	st := &itemState{outputIndex: ev.OutputIndex, ref: ToolRef{
		ItemID: it.ID, CallID: it.CallID, Name: it.Name, Kind: kind, Type: it.Type, Status: it.Status,
	}}
	s.items[it.ID] = st
	ref := st.ref
	emit(Choice{Kind: KindToolStart, OutputIndex: ev.OutputIndex, Tool: &ref})
}

func (s *responsesState) itemDone(ev *responsesEvent, emit func(Choice)) {
	var it wireItem
	if json.Unmarshal(ev.Item, &it) != nil {
		return
	}
	switch it.Type {
	case "message":
		s.messageDone(ev, it.ID, emit)
	case "reasoning":
		s.reasoningDone(ev, it.ID, emit)
	}
	if kind, isTool := toolKindOf(it.Type); isTool {
		st := s.items[it.ID]
		if st == nil { // a call whose output_item.added never came
			st = &itemState{outputIndex: ev.OutputIndex, ref: ToolRef{ItemID: it.ID, CallID: it.CallID, Name: it.Name, Kind: kind, Type: it.Type}}
			s.items[it.ID] = st
			ref := st.ref
			emit(Choice{Kind: KindToolStart, OutputIndex: ev.OutputIndex, Tool: &ref})
		}
		if st.ref.CallID == "" {
			st.ref.CallID = it.CallID
		}
		if st.ref.Name == "" {
			st.ref.Name = it.Name
		}
		st.ref.Status = it.Status
		final := it.Arguments
		if kind == ToolCustom {
			final = it.Input
		}
		if kind == ToolHosted {
			final = s.shownText("a", it.ID, 0)
		}
		s.sendToolDone(st, ev.OutputIndex, final, emit)
	}
	emit(Choice{Kind: KindItem, OutputIndex: ev.OutputIndex, Item: append(json.RawMessage(nil), ev.Item...)})
}

// messageDone fills text the deltas missed from the finished message item.
func (s *responsesState) messageDone(ev *responsesEvent, id string, emit func(Choice)) {
	var msg struct {
		Content []struct {
			Type    string `json:"type"`
			Text    string `json:"text"`
			Refusal string `json:"refusal"`
		} `json:"content"`
	}
	if json.Unmarshal(ev.Item, &msg) != nil {
		return
	}
	sub := *ev
	sub.ItemID = id
	for i, c := range msg.Content {
		switch c.Type {
		case "output_text":
			s.fill(KindText, "t", &sub, i, c.Text, emit)
		case "refusal":
			s.fill(KindRefusal, "f", &sub, i, c.Refusal, emit)
		}
	}
}

// reasoningDone fills summary parts the deltas missed.
func (s *responsesState) reasoningDone(ev *responsesEvent, id string, emit func(Choice)) {
	var r struct {
		Summary []struct {
			Text string `json:"text"`
		} `json:"summary"`
		Content []struct {
			Text string `json:"text"`
		} `json:"content"`
	}
	if json.Unmarshal(ev.Item, &r) != nil {
		return
	}
	sub := *ev
	sub.ItemID = id
	for i, p := range r.Summary {
		s.fill(KindReasoning, "s", &sub, i, p.Text, emit)
	}
	for i, p := range r.Content {
		s.fill(KindReasoning, "r", &sub, i, p.Text, emit)
	}
}

// partDone fills from a finished content or summary part.
func (s *responsesState) partDone(ev *responsesEvent, index int, emit func(Choice)) {
	var part struct {
		Type    string `json:"type"`
		Text    string `json:"text"`
		Refusal string `json:"refusal"`
	}
	if json.Unmarshal(ev.Part, &part) != nil {
		return
	}
	switch part.Type {
	case "output_text":
		s.fill(KindText, "t", ev, index, part.Text, emit)
	case "refusal":
		s.fill(KindRefusal, "f", ev, index, part.Refusal, emit)
	case "summary_text":
		s.fill(KindReasoning, "s", ev, index, part.Text, emit)
	case "reasoning_text":
		s.fill(KindReasoning, "r", ev, index, part.Text, emit)
	}
}

func (s *responsesState) argsDone(ev *responsesEvent, final string, emit func(Choice)) {
	s.fill(KindToolArgs, "a", ev, 0, final, emit)
	if st := s.items[ev.ItemID]; st != nil && st.ref.Kind != ToolHosted {
		s.sendToolDone(st, ev.OutputIndex, final, emit)
	}
}

func (s *responsesState) sendToolDone(st *itemState, outputIndex int, final string, emit func(Choice)) {
	if st.doneSent {
		return
	}
	st.doneSent = true
	if final == "" {
		final = s.shownText("a", st.ref.ItemID, 0)
	}
	ref := st.ref
	ref.Arguments = final
	emit(Choice{Kind: KindToolDone, OutputIndex: outputIndex, Tool: &ref})
}

func (s *responsesState) shownText(letter, itemID string, part int) string {
	if b := s.shown[deltaKey{letter, itemID, part}]; b != nil {
		return b.String()
	}
	return ""
}

func (s *responsesState) delta(kind Kind, letter string, ev *responsesEvent, part int, emit func(Choice)) {
	d := string(ev.Delta)
	if d == "" {
		return
	}
	k := deltaKey{letter, ev.ItemID, part}
	b := s.shown[k]
	if b == nil {
		b = &strings.Builder{}
		s.shown[k] = b
	}
	b.WriteString(d)
	emit(s.choiceFor(kind, letter, ev, part, d))
}

// fill emits the part of a final text that its deltas did not deliver. If
// the final text does not start with what was shown, the shown text stands:
// rewriting what the user already read would be worse than a gap.
func (s *responsesState) fill(kind Kind, letter string, ev *responsesEvent, part int, final string, emit func(Choice)) {
	shown := s.shownText(letter, ev.ItemID, part)
	if len(final) <= len(shown) || !strings.HasPrefix(final, shown) {
		return
	}
	rest := final[len(shown):]
	sub := *ev
	sub.Delta = jsonText(rest)
	s.delta(kind, letter, &sub, part, emit)
}

func (s *responsesState) choiceFor(kind Kind, letter string, ev *responsesEvent, part int, d string) Choice {
	c := Choice{Kind: kind, OutputIndex: ev.OutputIndex, Delta: d}
	switch kind {
	case KindReasoning:
		c.Reasoning = &ReasoningRef{ItemID: ev.ItemID, Part: part, Raw: letter == "r"}
	case KindToolArgs:
		c.Tool = &ToolRef{ItemID: ev.ItemID}
	}
	return c
}

// eventError reads the `error` event in either shape.
func eventError(ev *responsesEvent) *Error {
	if ev.Error != nil {
		e := wireErrorToError(ev.Error, 0)
		if e.Message == "" {
			e.Message = ev.Message
		}
		return e
	}
	return wireErrorToError(&wireError{Code: ev.Code, Message: ev.Message, Param: ev.Param}, 0)
}

// wireErrorToError makes a user-facing Error of a server's error object.
func wireErrorToError(w *wireError, httpStatus int) *Error {
	e := &Error{
		Code:       rawString(w.Code),
		Type:       w.Type,
		Message:    sanitizeMessage(w.Message),
		Param:      deref(w.Param),
		HTTPStatus: httpStatus,
	}
	if e.Code == "" {
		e.Code = e.Type
	}
	if e.Message == "" {
		e.Message = "The server reported an error without a message."
	}
	e.Retryable = retryableCode(e.Code) && !fatalCodes[e.Code]
	return e
}
