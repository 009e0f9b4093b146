package stream_test

import (
	"strings"
	"testing"

	"github.com/parley-tui/parley/stream"
)

// chunk builds a Chat Completions chunk with the given choices JSON (the
// inside of the array) and any extra top-level fields.
func chunk(choices string, extra ...string) string {
	s := `{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-test","choices":[` + choices + `]`
	for _, e := range extra {
		s += "," + e
	}
	return s + "}"
}

// delta is one choice at index 0 with the given delta and finish reason.
func delta(d, finish string) string {
	if finish == "" {
		finish = "null"
	} else {
		finish = `"` + finish + `"`
	}
	return `{"index":0,"delta":` + d + `,"logprobs":null,"finish_reason":` + finish + `}`
}

const chatMeta = "meta id=chatcmpl-1 model=gpt-test"

func TestChat(t *testing.T) {
	cases := []struct {
		name string
		body string
		want []string
	}{
		{
			name: "content",
			body: sse(
				chunk(delta(`{"role":"assistant","content":"","refusal":null}`, "")),
				chunk(delta(`{"content":"Hello"}`, "")),
				chunk(delta(`{"content":" ☃"}`, "")),
				chunk(delta(`{}`, "stop")),
				"[DONE]",
			),
			want: []string{chatMeta, `text@0 "Hello"`, `text@0 " ☃"`, "done completed"},
		},
		{
			name: "refusal",
			body: sse(
				chunk(delta(`{"role":"assistant","content":null,"refusal":""}`, "")),
				chunk(delta(`{"refusal":"I can't"}`, "")),
				chunk(delta(`{"refusal":" do that."}`, "")),
				chunk(delta(`{}`, "stop")),
				"[DONE]",
			),
			want: []string{chatMeta, `refusal@0 "I can't"`, `refusal@0 " do that."`, "done completed"},
		},
		{
			name: "reasoning_content and reasoning, one of them null",
			body: sse(
				chunk(delta(`{"role":"assistant","content":null,"reasoning_content":"Think","reasoning":null}`, "")),
				chunk(delta(`{"content":null,"reasoning_content":null,"reasoning":" more"}`, "")),
				chunk(delta(`{"content":null,"reasoning_content":"","reasoning":"."}`, "")),
				chunk(delta(`{"content":"Answer","reasoning_content":null}`, "")),
				chunk(delta(`{}`, "stop")),
				"[DONE]",
			),
			want: []string{chatMeta, `reasoning@0 raw /0 "Think"`, `reasoning@0 raw /0 " more"`, `reasoning@0 raw /0 "."`, `text@0 "Answer"`, "done completed"},
		},
		{
			name: "parallel tool calls merged by index, arguments split mid-token",
			body: sse(
				chunk(delta(`{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}`, "")),
				chunk(delta(`{"tool_calls":[{"index":0,"function":{"arguments":"{\"ci"}}]}`, "")),
				chunk(delta(`{"tool_calls":[{"index":0,"function":{"arguments":"ty\": \"Par"}}]}`, "")),
				chunk(delta(`{"tool_calls":[{"index":0,"function":{"arguments":"is\"}"}}]}`, "")),
				chunk(delta(`{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":""}}]}`, "")),
				chunk(delta(`{"tool_calls":[{"index":1,"function":{"arguments":"{}"}}]}`, "")),
				chunk(delta(`{}`, "tool_calls")),
				chunk(``, `"usage":{"prompt_tokens":10,"completion_tokens":20,"total_tokens":30,"prompt_tokens_details":{"cached_tokens":4},"completion_tokens_details":{"reasoning_tokens":0}}`),
				"[DONE]",
			),
			want: []string{
				chatMeta,
				"tool_start@0 function function_call item= call=call_a name=get_weather",
				`tool_args@0 item= call=call_a "{\"ci"`,
				`tool_args@0 item= call=call_a "ty\": \"Par"`,
				`tool_args@0 item= call=call_a "is\"}"`,
				"tool_start@1 function function_call item= call=call_b name=get_time",
				`tool_args@1 item= call=call_b "{}"`,
				`tool_done@0 function function_call item= call=call_a name=get_weather status=completed args="{\"city\": \"Paris\"}"`,
				`tool_done@1 function function_call item= call=call_b name=get_time status=completed args="{}"`,
				"usage in=10 cached=4 out=20 reasoning=0 total=30",
				"done completed",
			},
		},
		{
			name: "a server that omits the tool index",
			body: sse(
				chunk(delta(`{"tool_calls":[{"id":"x1","type":"function","function":{"name":"a","arguments":"{\"n\":"}}]}`, "")),
				chunk(delta(`{"tool_calls":[{"function":{"arguments":"1}"}}]}`, "")),
				chunk(delta(`{"tool_calls":[{"id":"x2","type":"function","function":{"name":"b","arguments":"{}"}}]}`, "")),
				chunk(delta(`{}`, "tool_calls")),
				"[DONE]",
			),
			want: []string{
				chatMeta,
				"tool_start@0 function function_call item= call=x1 name=a",
				`tool_args@0 item= call=x1 "{\"n\":"`,
				`tool_args@0 item= call=x1 "1}"`,
				"tool_start@1 function function_call item= call=x2 name=b",
				`tool_args@1 item= call=x2 "{}"`,
				`tool_done@0 function function_call item= call=x1 name=a status=completed args="{\"n\":1}"`,
				`tool_done@1 function function_call item= call=x2 name=b status=completed args="{}"`,
				"done completed",
			},
		},
		{
			name: "finish_reason length",
			body: sse(chunk(delta(`{"content":"Cut"}`, "")), chunk(delta(`{}`, "length")), "[DONE]"),
			want: []string{chatMeta, `text@0 "Cut"`, "done incomplete max_output_tokens"},
		},
		{
			name: "finish_reason content_filter",
			body: sse(chunk(delta(`{"content":"Cut"}`, "")), chunk(delta(`{}`, "content_filter")), "[DONE]"),
			want: []string{chatMeta, `text@0 "Cut"`, "done incomplete content_filter"},
		},
		{
			name: "usage in the chunk with the finish reason (DeepSeek)",
			body: sse(
				chunk(delta(`{"content":"Hi"}`, "")),
				chunk(delta(`{"content":""}`, "stop"), `"usage":{"prompt_tokens":6,"completion_tokens":212,"total_tokens":218,"prompt_tokens_details":{"cached_tokens":0},"prompt_cache_hit_tokens":3,"prompt_cache_miss_tokens":3,"completion_tokens_details":{"reasoning_tokens":198}}`),
				"[DONE]",
			),
			want: []string{chatMeta, `text@0 "Hi"`, "usage in=6 cached=3 out=212 reasoning=198 total=218", "done completed"},
		},
		{
			name: "usage in a choices:[] chunk after the finish reason",
			body: sse(
				chunk(delta(`{"content":"Hi"}`, ""), `"usage":null`),
				chunk(delta(`{}`, "stop"), `"usage":null`),
				chunk(``, `"usage":{"prompt_tokens":9,"completion_tokens":1}`),
				"[DONE]",
			),
			want: []string{chatMeta, `text@0 "Hi"`, "usage in=9 cached=0 out=1 reasoning=0 total=10", "done completed"},
		},
		{
			name: "event: error frame, no [DONE] (Groq)",
			body: sse(chunk(delta(`{"content":"Let me"}`, ""))) +
				"event: error\ndata: {\"error\":{\"message\":\"Failed to call a function.\",\"type\":\"invalid_request_error\",\"code\":\"tool_use_failed\",\"failed_generation\":\"<x>\",\"status_code\":400}}\n\n",
			want: []string{chatMeta, `text@0 "Let me"`, `error tool_use_failed "Failed to call a function."`, "done failed"},
		},
		{
			name: "event: error frame with an unusual body",
			body: sse(chunk(delta(`{"content":"x"}`, ""))) + "event: error\ndata: {\"detail\":\"overloaded\"}\n\n",
			want: []string{chatMeta, `text@0 "x"`, `error  "{\"detail\":\"overloaded\"}"`, "done failed"},
		},
		{
			name: "top-level error with a numeric code (OpenRouter)",
			body: ": OPENROUTER PROCESSING\n\n" + sse(
				chunk(delta(`{"content":"Par"}`, "")),
				chunk(delta(`{"content":""}`, "error"), `"error":{"code":400,"message":"Token limit reached"}`),
				"[DONE]",
			),
			want: []string{chatMeta, `text@0 "Par"`, `error 400 "Token limit reached"`, "done failed"},
		},
		{
			name: "extra choices beyond index 0 are ignored",
			body: sse(
				chunk(delta(`{"content":"A"}`, "")+`,{"index":1,"delta":{"content":"B"},"finish_reason":null}`),
				chunk(delta(`{}`, "stop")),
				"[DONE]",
			),
			want: []string{chatMeta, `text@0 "A"`, "done completed"},
		},
		{
			name: "no [DONE] after a finish reason (some local servers)",
			body: sse(chunk(delta(`{"content":"ok"}`, "")), chunk(delta(`{}`, "stop"))),
			want: []string{chatMeta, `text@0 "ok"`, "done completed"},
		},
		{
			name: "body ends without finish reason or [DONE]",
			body: sse(chunk(delta(`{"content":"half"}`, ""))),
			want: []string{chatMeta, `text@0 "half"`, `error stream_truncated "The stream ended before the reply was complete; what arrived is kept."`, "done truncated"},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			equalLines(t, decodeString(t, stream.APIChat, tc.body), tc.want)
			equalLines(t, decodeString(t, stream.APIAuto, tc.body), tc.want)
		})
	}
}

func TestChatTurn(t *testing.T) {
	body := sse(
		chunk(delta(`{"reasoning_content":"Hmm."}`, "")),
		chunk(delta(`{"content":"Hi"}`, "")),
		chunk(delta(`{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"f","arguments":"{\"a\""}}]}`, "")),
		chunk(delta(`{"tool_calls":[{"index":0,"function":{"arguments":":1}"}}]}`, "")),
		chunk(delta(`{}`, "tool_calls")),
		"[DONE]",
	)
	turn, err := stream.DecodeAll(strings.NewReader(body), stream.APIAuto)
	if err != nil {
		t.Fatal(err)
	}
	if turn.API != stream.APIChat || turn.Text != "Hi" || len(turn.Reasoning) != 1 || turn.Reasoning[0] != "Hmm." {
		t.Errorf("turn = %+v", turn)
	}
	want := stream.ToolCall{Type: "function_call", CallID: "call_a", Name: "f", Arguments: `{"a":1}`, Done: true}
	if len(turn.ToolCalls) != 1 || turn.ToolCalls[0] != want {
		t.Errorf("ToolCalls = %+v, want [%+v]", turn.ToolCalls, want)
	}
	if turn.Events != (stream.Stats{Total: 5}) {
		t.Errorf("Events = %+v, want 5 known frames ([DONE] is not one)", turn.Events)
	}
}

// A frame with nothing a chunk carries is counted as unknown, never
// dropped silently.
func TestChatUnknownChunk(t *testing.T) {
	body := sse(chunk(delta(`{"content":"a"}`, "")), `{"type":"keepalive"}`, `{}`, chunk(delta(`{}`, "stop")), "[DONE]")
	cs, d := collect(t, strings.NewReader(body), stream.APIChat)
	equalLines(t, describeAll(cs), []string{chatMeta, `text@0 "a"`, "done completed"})
	if got, want := d.Stats(), (stream.Stats{Total: 4, Unknown: 2}); got != want {
		t.Errorf("Stats = %+v, want %+v", got, want)
	}
}
