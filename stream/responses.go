package stream

import (
	"encoding/json"
	"strings"
)

// responsesState turns Responses API events into choices. It keeps what the
// `.done` events do not repeat (a call's name and call_id come only with
// output_item.added) and what was already shown, so that a `.done` whose
// text runs past the deltas supplies the missing tail, and one whose text
// differs replaces it.
//
// State is keyed by position, never by id alone: a call by its output index
// and item id, so a server that reuses an item id for a new call gets a new
// call, not the old one's arguments; a text by its output and content
// index, so `.done` events that name another item id than their deltas
// (recordings edited or re-keyed) still match them.
type responsesState struct {
	calls    map[callKey]*itemState
	order    []*itemState // calls in the order they began, for closing them
	parts    map[partKey]*partState
	replaced int // replace choices sent; capped at maxReplaces
	meta     Meta
	sawError bool
	finished bool
	log      func(msg string, args ...any)
}

type callKey struct {
	out int
	id  string
}

// partKey names one stream of deltas: its kind letter (t text, f refusal,
// s summary, r raw reasoning), output index and part. A struct, not a
// string built per delta, so looking it up allocates nothing.
type partKey struct {
	letter byte
	out    int
	part   int
}

type partState struct {
	shown  strings.Builder
	itemID string // the id its first event named: every choice of the part carries it
}

type itemState struct {
	ref         ToolRef
	outputIndex int
	announced   bool // its KindToolStart was sent
	args        strings.Builder
	final       *string // from the .done event, until output_item.done
	doneSent    bool
}

// maxReplaces bounds KindReplace choices per stream: each may cost a pass
// over the reply, and a real stream needs one per part at most.
const maxReplaces = 64

func newResponsesState(log func(string, ...any)) *responsesState {
	return &responsesState{calls: map[callKey]*itemState{}, parts: map[partKey]*partState{}, log: log}
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
		s.delta(KindText, 't', ev, ev.ContentIndex, emit)
	case "response.output_text.done":
		s.fill(KindText, 't', ev, ev.ContentIndex, deref(ev.Text), emit)
	case "response.output_text.annotation.added":
		if ev.Annotation != nil {
			a := *ev.Annotation
			emit(Choice{Kind: KindAnnotation, OutputIndex: ev.OutputIndex, Annotation: &a})
		}
	case "response.refusal.delta":
		s.delta(KindRefusal, 'f', ev, ev.ContentIndex, emit)
	case "response.refusal.done":
		s.fill(KindRefusal, 'f', ev, ev.ContentIndex, deref(ev.Refusal), emit)
	case "response.function_call_arguments.delta", "response.custom_tool_call_input.delta",
		"response.mcp_call_arguments.delta", "response.code_interpreter_call_code.delta":
		s.argsDelta(ev, string(ev.Delta), emit)
	case "response.function_call_arguments.done", "response.mcp_call_arguments.done":
		s.argsDone(ev, deref(ev.Arguments), emit)
	case "response.custom_tool_call_input.done":
		s.argsDone(ev, deref(ev.Input), emit)
	case "response.code_interpreter_call_code.done":
		s.argsDone(ev, rawString(ev.Code), emit)
	case "response.reasoning_summary_text.delta":
		s.delta(KindReasoning, 's', ev, ev.SummaryIndex, emit)
	case "response.reasoning_summary_text.done":
		s.fill(KindReasoning, 's', ev, ev.SummaryIndex, deref(ev.Text), emit)
	case "response.reasoning_summary_part.done":
		// Carries the whole part; covers servers that skip the text events.
		s.partDone(ev, ev.SummaryIndex, emit)
	case "response.reasoning_text.delta":
		s.delta(KindReasoning, 'r', ev, ev.ContentIndex, emit)
	case "response.reasoning_text.done":
		s.fill(KindReasoning, 'r', ev, ev.ContentIndex, deref(ev.Text), emit)
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
	if done.Status == StatusCompleted {
		// The server says the turn is complete: calls whose
		// output_item.done never came are final as they are. (A turn cut
		// at max_output_tokens may have cut a call's arguments too.)
		s.closeCalls(emit)
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
	s.itemCall(ev, &it, kind, it.Status, emit)
}

// itemCall finds the call an output item event names, fills in what the
// item says of it (status, for its start) and announces it; nil if that
// call is already done.
func (s *responsesState) itemCall(ev *responsesEvent, it *wireItem, kind ToolKind, status string, emit func(Choice)) *itemState {
	st := s.call(ev.OutputIndex, it.ID, it.Type)
	if st.doneSent {
		s.log("skipped an item event for a finished call", "type", ev.Type, "item_id", it.ID, "output_index", ev.OutputIndex)
		return nil
	}
	st.ref.Kind, st.ref.Type = kind, it.Type
	st.ref.CallID = orString(st.ref.CallID, it.CallID)
	st.ref.Name = orString(st.ref.Name, it.Name)
	st.ref.Status = status
	s.announce(st, emit)
	return st
}

// call finds the call at (output index, item id), or starts one of the
// wire type typ that is not announced yet.
func (s *responsesState) call(out int, id, typ string) *itemState {
	k := callKey{out, id}
	if st := s.calls[k]; st != nil {
		return st
	}
	kind, _ := toolKindOf(typ)
	st := &itemState{outputIndex: out, ref: ToolRef{ItemID: id, Kind: kind, Type: typ}}
	s.calls[k] = st
	s.order = append(s.order, st)
	return st
}

// announce sends a call's KindToolStart once it knows what it is.
func (s *responsesState) announce(st *itemState, emit func(Choice)) {
	if st.announced {
		return
	}
	st.announced = true
	ref := st.ref
	emit(Choice{Kind: KindToolStart, OutputIndex: st.outputIndex, Tool: &ref})
}

// argsTypes are the wire item types whose arguments stream under each
// event prefix, for a call whose output_item.added never came.
var argsTypes = map[string]string{
	"response.function_call_arguments":    "function_call",
	"response.custom_tool_call_input":     "custom_tool_call",
	"response.mcp_call_arguments":         "mcp_call",
	"response.code_interpreter_call_code": "code_interpreter_call",
}

func argsType(eventType string) string {
	return argsTypes[eventType[:strings.LastIndexByte(eventType, '.')]]
}

// argsDelta streams a piece of a call's arguments. Pieces for a call whose
// arguments are already final are dropped: what was decided on stays what
// the call is.
func (s *responsesState) argsDelta(ev *responsesEvent, d string, emit func(Choice)) {
	if d == "" {
		return
	}
	st := s.call(ev.OutputIndex, ev.ItemID, argsType(ev.Type))
	if st.doneSent || st.final != nil {
		s.log("skipped arguments for a call whose arguments were final", "item_id", ev.ItemID, "output_index", ev.OutputIndex)
		return
	}
	st.args.WriteString(d)
	emit(Choice{Kind: KindToolArgs, OutputIndex: ev.OutputIndex, Delta: d, Tool: &ToolRef{ItemID: ev.ItemID}})
}

// argsDone notes a call's final arguments. Where they run past what
// streamed, the missing tail streams now; the call itself is done at its
// output_item.done, whose arguments are the last word, or at the end of
// the turn.
func (s *responsesState) argsDone(ev *responsesEvent, final string, emit func(Choice)) {
	st := s.call(ev.OutputIndex, ev.ItemID, argsType(ev.Type))
	if st.doneSent || st.final != nil {
		return
	}
	if shown := st.args.String(); len(final) > len(shown) && strings.HasPrefix(final, shown) {
		s.argsDelta(ev, final[len(shown):], emit)
	}
	if final != "" || st.args.Len() == 0 {
		st.final = &final
	}
}

func (s *responsesState) itemDone(ev *responsesEvent, emit func(Choice)) {
	var it wireItem
	if json.Unmarshal(ev.Item, &it) != nil {
		return
	}
	switch it.Type {
	case "message":
		s.messageDone(ev, emit)
	case "reasoning":
		s.reasoningDone(ev, emit)
	}
	if kind, isTool := toolKindOf(it.Type); isTool {
		st := s.itemCall(ev, &it, kind, "", emit)
		if st == nil {
			return
		}
		st.ref.Status = it.Status
		final := it.Arguments
		if kind == ToolCustom {
			final = it.Input
		}
		if final != "" {
			st.final = &final
		}
		s.sendToolDone(st, emit)
	}
	emit(Choice{Kind: KindItem, OutputIndex: ev.OutputIndex, Item: append(json.RawMessage(nil), ev.Item...)})
}

// closeCalls sends the done of every call still open, with the arguments
// its .done gave or, failing that, those that streamed.
func (s *responsesState) closeCalls(emit func(Choice)) {
	for _, st := range s.order {
		if !st.doneSent && st.ref.Kind != ToolHosted {
			s.announce(st, emit)
			s.sendToolDone(st, emit)
		}
	}
}

// sendToolDone sends a call's final arguments, once. For the calls Parley
// runs they are the server's final word, whatever streamed before, and
// ArgsChanged says when the two differ; a hosted call's are what streamed.
func (s *responsesState) sendToolDone(st *itemState, emit func(Choice)) {
	if f := st.final; f != nil && st.ref.Kind != ToolHosted {
		// A final that only runs past what streamed is a gap, not a
		// change: stream the tail first.
		if shown := st.args.String(); len(*f) > len(shown) && strings.HasPrefix(*f, shown) {
			rest := (*f)[len(shown):]
			st.args.WriteString(rest)
			emit(Choice{Kind: KindToolArgs, OutputIndex: st.outputIndex, Delta: rest, Tool: &ToolRef{ItemID: st.ref.ItemID}})
		}
	}
	st.doneSent = true
	ref := st.ref
	ref.Arguments = st.args.String()
	if st.final != nil && st.ref.Kind != ToolHosted {
		ref.ArgsChanged = *st.final != ref.Arguments
		ref.Arguments = *st.final
	}
	emit(Choice{Kind: KindToolDone, OutputIndex: st.outputIndex, Tool: &ref})
}

// messageDone fills text the deltas missed from the finished message item.
func (s *responsesState) messageDone(ev *responsesEvent, emit func(Choice)) {
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
	for i, c := range msg.Content {
		switch c.Type {
		case "output_text":
			s.fill(KindText, 't', ev, i, c.Text, emit)
		case "refusal":
			s.fill(KindRefusal, 'f', ev, i, c.Refusal, emit)
		}
	}
}

// reasoningDone fills summary parts the deltas missed.
func (s *responsesState) reasoningDone(ev *responsesEvent, emit func(Choice)) {
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
	for i, p := range r.Summary {
		s.fill(KindReasoning, 's', ev, i, p.Text, emit)
	}
	for i, p := range r.Content {
		s.fill(KindReasoning, 'r', ev, i, p.Text, emit)
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
		s.fill(KindText, 't', ev, index, part.Text, emit)
	case "refusal":
		s.fill(KindRefusal, 'f', ev, index, part.Refusal, emit)
	case "summary_text":
		s.fill(KindReasoning, 's', ev, index, part.Text, emit)
	case "reasoning_text":
		s.fill(KindReasoning, 'r', ev, index, part.Text, emit)
	}
}

// part finds the deltas at (letter, output index, part), starting them
// with the item id this event names.
func (s *responsesState) part(letter byte, ev *responsesEvent, part int) *partState {
	k := partKey{letter, ev.OutputIndex, part}
	p := s.parts[k]
	if p == nil {
		p = &partState{itemID: ev.ItemID}
		s.parts[k] = p
	}
	return p
}

func (s *responsesState) delta(kind Kind, letter byte, ev *responsesEvent, part int, emit func(Choice)) {
	d := string(ev.Delta)
	if d == "" {
		return
	}
	p := s.part(letter, ev, part)
	p.shown.WriteString(d)
	emit(s.choiceFor(kind, letter, ev.OutputIndex, part, p, d))
}

// fill reconciles a part's final text with what its deltas delivered: the
// missing tail streams as a delta; a final text that differs from what
// streamed replaces it (KindReplace), since the final text is what the
// server keeps and what the next turn sends back. An empty final text says
// nothing: servers that do not fill it in are common.
func (s *responsesState) fill(kind Kind, letter byte, ev *responsesEvent, part int, final string, emit func(Choice)) {
	if final == "" {
		return
	}
	p := s.part(letter, ev, part)
	shown := p.shown.String()
	switch {
	case final == shown:
	case strings.HasPrefix(final, shown):
		rest := final[len(shown):]
		p.shown.WriteString(rest)
		emit(s.choiceFor(kind, letter, ev.OutputIndex, part, p, rest))
	case s.replaced >= maxReplaces:
		s.log("kept the streamed text of a part whose final text differs: too many replacements", "output_index", ev.OutputIndex, "part", part)
	default:
		s.replaced++
		p.shown.Reset()
		p.shown.WriteString(final)
		c := s.choiceFor(kind, letter, ev.OutputIndex, part, p, final)
		c.Kind, c.Of = KindReplace, kind
		emit(c)
	}
}

func (s *responsesState) choiceFor(kind Kind, letter byte, out, part int, p *partState, d string) Choice {
	c := Choice{Kind: kind, OutputIndex: out, Part: part, Delta: d}
	if kind == KindReasoning {
		c.Reasoning = &ReasoningRef{ItemID: p.itemID, Part: part, Raw: letter == 'r'}
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
