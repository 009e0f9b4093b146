package stream_test

import (
	"strings"
	"testing"

	"github.com/parley-tui/parley/stream"
)

// fold decodes body and folds every choice into a turn.
func fold(t *testing.T, api stream.API, body string) ([]stream.Choice, *stream.Turn) {
	t.Helper()
	cs, _ := collect(t, strings.NewReader(body), api)
	turn := stream.NewTurn()
	for _, c := range cs {
		turn.Add(c)
	}
	return cs, turn
}

const (
	fcAdded  = `"output_index":0,"item":{"id":"fc_1","type":"function_call","status":"in_progress","arguments":"","call_id":"call_1","name":"echo"}`
	fcHead   = `"item_id":"fc_1","output_index":0`
	streamed = `{\"msg\": \"hello\"}`
	final    = `{\"msg\": \"rm -rf ~ EXECUTED-FINAL\"}`
)

func fcDone(args string) string {
	return ev("response.output_item.done", `"output_index":0,"item":{"id":"fc_1","type":"function_call","status":"completed","arguments":"`+args+`","call_id":"call_1","name":"echo"}`)
}

// TestFinalArgumentsAreWhatTheCallIs: whatever streamed, the arguments a
// call is decided on and run with are the server's final ones, and the
// done choice says when they differ from what was shown.
func TestFinalArgumentsAreWhatTheCallIs(t *testing.T) {
	const want = `{"msg": "rm -rf ~ EXECUTED-FINAL"}`
	cases := []struct {
		name   string
		frames []string
	}{
		{"function_call_arguments.done and output_item.done disagree with the deltas", []string{
			created, ev("response.output_item.added", fcAdded),
			ev("response.function_call_arguments.delta", fcHead, `"delta":"`+streamed+`"`),
			ev("response.function_call_arguments.done", fcHead, `"arguments":"`+final+`"`),
			fcDone(final), completed}},
		{"only output_item.done disagrees", []string{
			created, ev("response.output_item.added", fcAdded),
			ev("response.function_call_arguments.delta", fcHead, `"delta":"`+streamed+`"`),
			ev("response.function_call_arguments.done", fcHead, `"arguments":"`+streamed+`"`),
			fcDone(final), completed}},
		{"function_call_arguments.done disagrees and no output_item.done", []string{
			created, ev("response.output_item.added", fcAdded),
			ev("response.function_call_arguments.delta", fcHead, `"delta":"`+streamed+`"`),
			ev("response.function_call_arguments.done", fcHead, `"arguments":"`+final+`"`),
			completed}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs, turn := fold(t, stream.APIResponses, sse(tc.frames...))
			var dones []stream.Choice
			for _, c := range cs {
				if c.Kind == stream.KindToolDone {
					dones = append(dones, c)
				}
			}
			if len(dones) != 1 || dones[0].Tool.Arguments != want || !dones[0].Tool.ArgsChanged {
				t.Fatalf("tool done choices = %s; want one with the final arguments, marked changed", describeAll(dones))
			}
			if len(turn.ToolCalls) != 1 || turn.ToolCalls[0].Arguments != want || !turn.ToolCalls[0].ArgsChanged {
				t.Errorf("turn's call = %+v; want the final arguments, marked changed", turn.ToolCalls)
			}
		})
	}
}

func TestCustomToolFinalInputIsWhatTheCallIs(t *testing.T) {
	added := `"output_index":0,"item":{"id":"ctc_1","type":"custom_tool_call","status":"in_progress","call_id":"call_c","name":"shell","input":""}`
	head := `"item_id":"ctc_1","output_index":0`
	_, turn := fold(t, stream.APIResponses, sse(created, ev("response.output_item.added", added),
		ev("response.custom_tool_call_input.delta", head, `"delta":"ls"`),
		ev("response.custom_tool_call_input.done", head, `"input":"rm -rf ~"`),
		ev("response.output_item.done", `"output_index":0,"item":{"id":"ctc_1","type":"custom_tool_call","status":"completed","call_id":"call_c","name":"shell","input":"rm -rf ~"}`),
		completed))
	if c := turn.ToolCalls[0]; c.Arguments != "rm -rf ~" || !c.ArgsChanged {
		t.Errorf("custom call = %+v, want the final input, marked changed", c)
	}
}

// TestArgumentsAfterTheDoneAreIgnored: deltas that come after a call's
// arguments were final cannot change them, on either API.
func TestArgumentsAfterTheDoneAreIgnored(t *testing.T) {
	t.Run("responses", func(t *testing.T) {
		cs, turn := fold(t, stream.APIResponses, sse(created, ev("response.output_item.added", fcAdded),
			ev("response.function_call_arguments.delta", fcHead, `"delta":"`+streamed+`"`),
			fcDone(streamed),
			ev("response.function_call_arguments.delta", fcHead, `"delta":"; rm -rf ~"`),
			completed))
		if got := turn.ToolCalls[0].Arguments; got != `{"msg": "hello"}` {
			t.Errorf("arguments = %q, want those at the done", got)
		}
		for _, c := range cs {
			if c.Kind == stream.KindToolArgs && strings.Contains(c.Delta, "rm") {
				t.Errorf("a late delta was handed out: %s", describe(c))
			}
		}
	})
	t.Run("chat", func(t *testing.T) {
		body := sse(
			`{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"echo","arguments":"{\"msg\": \"hello\"}"}}]}}]}`,
			`{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}`,
			`{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"; rm -rf ~"}}]}}]}`,
			`{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","function":{"name":"echo","arguments":"{}"}}]}}]}`,
			"[DONE]")
		_, turn := fold(t, stream.APIChat, body)
		if len(turn.ToolCalls) != 1 || turn.ToolCalls[0].Arguments != `{"msg": "hello"}` {
			t.Errorf("calls = %+v, want the one call as it was at the finish", turn.ToolCalls)
		}
	})
	t.Run("turn", func(t *testing.T) {
		turn := stream.NewTurn()
		ref := &stream.ToolRef{ItemID: "fc_1", CallID: "call_1", Name: "echo", Kind: stream.ToolFunction}
		turn.Add(stream.Choice{Kind: stream.KindToolStart, Tool: ref})
		done := *ref
		done.Arguments = "{}"
		turn.Add(stream.Choice{Kind: stream.KindToolDone, Tool: &done})
		turn.Add(stream.Choice{Kind: stream.KindToolArgs, Delta: "x", Tool: &stream.ToolRef{ItemID: "fc_1"}})
		done.Arguments = `{"a":1}`
		turn.Add(stream.Choice{Kind: stream.KindToolDone, Tool: &done})
		if got := turn.ToolCalls[0].Arguments; got != "{}" {
			t.Errorf("arguments = %q; a call decided once must not change", got)
		}
	})
}

// TestReusedIDsMakeNewCalls: a call that reuses an earlier call's item id
// or call id is another call, with its own arguments.
func TestReusedIDsMakeNewCalls(t *testing.T) {
	t.Run("responses", func(t *testing.T) {
		second := `"output_index":1,"item":{"id":"fc_1","type":"function_call","status":"in_progress","arguments":"","call_id":"call_1","name":"echo"}`
		head2 := `"item_id":"fc_1","output_index":1`
		_, turn := fold(t, stream.APIResponses, sse(created, ev("response.output_item.added", fcAdded),
			ev("response.function_call_arguments.delta", fcHead, `"delta":"{\"msg\":\"one\"}"`),
			fcDone(`{\"msg\":\"one\"}`),
			ev("response.output_item.added", second),
			ev("response.function_call_arguments.delta", head2, `"delta":"{\"msg\":\"two\"}"`),
			ev("response.output_item.done", `"output_index":1,"item":{"id":"fc_1","type":"function_call","status":"completed","arguments":"{\"msg\":\"two\"}","call_id":"call_1","name":"echo"}`),
			completed))
		if len(turn.ToolCalls) != 2 || turn.ToolCalls[0].Arguments != `{"msg":"one"}` || turn.ToolCalls[1].Arguments != `{"msg":"two"}` ||
			turn.ToolCalls[0].ArgsChanged || turn.ToolCalls[1].ArgsChanged {
			t.Errorf("calls = %+v; want two calls, each with its own arguments", turn.ToolCalls)
		}
	})
	t.Run("chat", func(t *testing.T) {
		body := sse(
			`{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"echo","arguments":"{\"msg\":\"one\"}"}}]}}]}`,
			`{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_1","type":"function","function":{"name":"echo","arguments":"{\"msg\":\"two\"}"}}]}}]}`,
			`{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}`,
			"[DONE]")
		_, turn := fold(t, stream.APIChat, body)
		if len(turn.ToolCalls) != 2 || turn.ToolCalls[0].Arguments != `{"msg":"one"}` || turn.ToolCalls[1].Arguments != `{"msg":"two"}` {
			t.Errorf("calls = %+v; want two calls, each with its own arguments", turn.ToolCalls)
		}
	})
}

// TestDoneEventsMatchTheirDeltasByIndex: `.done` events that name another
// item id than their deltas, at the same output and content index, do not
// repeat the text; where the final text differs, it is what is kept.
func TestDoneEventsMatchTheirDeltasByIndex(t *testing.T) {
	delta := func(id, d string) string {
		return ev("response.output_text.delta", `"item_id":"`+id+`","output_index":0,"content_index":0`, `"delta":"`+d+`"`)
	}
	cases := []struct {
		name, final string
		want        string
		replaced    bool
	}{
		{"same text", "Hello, world", "Hello, world", false},
		{"longer text", "Hello, world!", "Hello, world!", false},
		{"different text", "Hello,!", "Hello,!", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs, turn := fold(t, stream.APIResponses, sse(created,
				delta("msg_a", "Hello,"), delta("msg_a", " world"),
				ev("response.output_text.done", `"item_id":"msg_b","output_index":0,"content_index":0`, `"text":"`+tc.final+`"`),
				ev("response.content_part.done", `"item_id":"msg_c","output_index":0,"content_index":0`, `"part":{"type":"output_text","text":"`+tc.final+`"}`),
				ev("response.output_item.done", `"output_index":0,"item":{"id":"msg_d","type":"message","status":"completed","role":"assistant","content":[{"type":"output_text","text":"`+tc.final+`"}]}`),
				completed))
			if turn.Text != tc.want {
				t.Errorf("Text = %q, want %q", turn.Text, tc.want)
			}
			replaces := 0
			for _, c := range cs {
				if c.Kind == stream.KindReplace {
					replaces++
				}
			}
			if (replaces == 1) != tc.replaced || replaces > 1 {
				t.Errorf("%d replace choices; want one only when the final text differs", replaces)
			}
		})
	}
}

// TestReplaceKeepsOtherParts: replacing one part's text leaves the text of
// the parts around it in place.
func TestReplaceKeepsOtherParts(t *testing.T) {
	text := func(out, part int, d string) stream.Choice {
		return stream.Choice{Kind: stream.KindText, OutputIndex: out, Part: part, Delta: d}
	}
	turn := stream.NewTurn()
	for _, c := range []stream.Choice{text(0, 0, "One. "), text(1, 0, "Two"), text(1, 0, " too. "), text(1, 1, "Three.")} {
		turn.Add(c)
	}
	turn.Add(stream.Choice{Kind: stream.KindReplace, Of: stream.KindText, OutputIndex: 1, Part: 0, Delta: "2. "})
	turn.Add(text(1, 1, " Four."))
	if turn.Text != "One. 2. Three. Four." {
		t.Errorf("Text = %q", turn.Text)
	}
	turn.Add(stream.Choice{Kind: stream.KindReplace, Of: stream.KindReasoning, Reasoning: &stream.ReasoningRef{ItemID: "rs"}, Delta: "final"})
	if len(turn.Reasoning) != 1 || turn.Reasoning[0] != "final" {
		t.Errorf("Reasoning = %q", turn.Reasoning)
	}
}
