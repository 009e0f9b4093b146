package stream_test

import (
	"bytes"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/parley-tui/parley/stream"
)

// responsesCase is one hand-written Responses stream and the exact choices
// it must decode to.
type responsesCase struct {
	name   string
	frames []string
	want   []string
}

func runResponsesCases(t *testing.T, cases []responsesCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			equalLines(t, decodeString(t, stream.APIResponses, sse(tc.frames...)), tc.want)
			// Auto-detection must reach the same result on every case.
			equalLines(t, decodeString(t, stream.APIAuto, sse(tc.frames...)), tc.want)
		})
	}
}

func TestResponsesLifecycle(t *testing.T) {
	runResponsesCases(t, []responsesCase{
		{
			name: "created queued in_progress completed",
			frames: []string{
				created,
				ev("response.queued", `"response":{"id":"resp_1","model":"gpt-test","status":"queued"}`),
				ev("response.in_progress", `"response":{"id":"resp_1","model":"gpt-test","status":"in_progress"}`),
				completed,
			},
			// The meta is sent once: queued and in_progress name the same response.
			want: []string{metaLine, usageLine, "done completed"},
		},
		{
			name: "queued first names the response",
			frames: []string{
				ev("response.queued", `"response":{"id":"resp_1","model":"gpt-test","status":"queued"}`),
				completed,
			},
			want: []string{metaLine, usageLine, "done completed"},
		},
		{
			name: "incomplete keeps its reason",
			frames: []string{
				created,
				ev("response.incomplete", `"response":{"id":"resp_1","model":"gpt-test","status":"incomplete","incomplete_details":{"reason":"max_output_tokens"},"usage":{"input_tokens":3,"output_tokens":16}}`),
			},
			// total_tokens absent: input + output.
			want: []string{metaLine, "usage in=3 cached=0 out=16 reasoning=0 total=19", "done incomplete max_output_tokens"},
		},
		{
			name: "incomplete by content filter",
			frames: []string{
				created,
				ev("response.incomplete", `"response":{"id":"resp_1","model":"gpt-test","status":"incomplete","incomplete_details":{"reason":"content_filter"},"usage":null}`),
			},
			want: []string{metaLine, "done incomplete content_filter"},
		},
		{
			name: "failed: usage, error, done in that order",
			frames: []string{
				created,
				ev("response.failed", `"response":{"id":"resp_1","model":"gpt-test","status":"failed","error":{"code":"server_error","message":"The model crashed."},"usage":{"input_tokens":4,"output_tokens":0,"total_tokens":4}}`),
			},
			want: []string{metaLine, "usage in=4 cached=0 out=0 reasoning=0 total=4", `error server_error "The model crashed."`, "done failed"},
		},
		{
			name: "failed without an error object",
			frames: []string{
				created,
				ev("response.failed", `"response":{"id":"resp_1","model":"gpt-test","status":"failed","error":null}`),
			},
			want: []string{metaLine, `error server_error "The server reported that the response failed."`, "done failed"},
		},
		{
			name: "failed without a response object",
			frames: []string{
				created,
				ev("response.failed", `"sequence_number":1`),
			},
			want: []string{metaLine, `error server_error "The server reported that the response failed."`, "done failed"},
		},
	})
}

func TestResponsesMessage(t *testing.T) {
	const (
		msgAdded = `"output_index":0,"item":{"id":"msg_1","type":"message","status":"in_progress","content":[],"role":"assistant"}`
		partText = `"item_id":"msg_1","output_index":0,"content_index":0`
	)
	msgDone := func(content string) string {
		return ev("response.output_item.done", `"output_index":0,"item":{"id":"msg_1","type":"message","status":"completed","role":"assistant","content":[`+content+`]}`)
	}
	runResponsesCases(t, []responsesCase{
		{
			name: "deltas, then done events that agree",
			frames: []string{
				created,
				ev("response.output_item.added", msgAdded),
				ev("response.content_part.added", partText, `"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}`),
				ev("response.output_text.delta", partText, `"delta":"Hel","logprobs":[],"obfuscation":"x1Yz"`),
				ev("response.output_text.delta", partText, `"delta":"lo ☃","logprobs":[],"obfuscation":"Q"`),
				ev("response.output_text.done", partText, `"text":"Hello ☃","logprobs":[]`),
				ev("response.content_part.done", partText, `"part":{"type":"output_text","annotations":[],"logprobs":[],"text":"Hello ☃"}`),
				msgDone(`{"type":"output_text","annotations":[],"logprobs":[],"text":"Hello ☃"}`),
				completed,
			},
			want: []string{metaLine, `text@0 "Hel"`, `text@0 "lo ☃"`, "item@0 message msg_1", usageLine, "done completed"},
		},
		{
			name: "output_text.done supplies the text the deltas missed",
			frames: []string{
				created,
				ev("response.output_item.added", msgAdded),
				ev("response.output_text.delta", partText, `"delta":"Hel"`),
				ev("response.output_text.done", partText, `"text":"Hello"`),
				msgDone(`{"type":"output_text","text":"Hello"}`),
				completed,
			},
			want: []string{metaLine, `text@0 "Hel"`, `text@0 "lo"`, "item@0 message msg_1", usageLine, "done completed"},
		},
		{
			name: "a done event that disagrees replaces what streamed",
			frames: []string{
				created,
				ev("response.output_item.added", msgAdded),
				ev("response.output_text.delta", partText, `"delta":"Hello"`),
				ev("response.output_text.done", partText, `"text":"Howdy, partner"`),
				ev("response.content_part.done", partText, `"part":{"type":"output_text","text":"Howdy, partner"}`),
				msgDone(`{"type":"output_text","text":"Howdy, partner"}`),
				completed,
			},
			want: []string{metaLine, `text@0 "Hello"`, `replace@0 text/0 "Howdy, partner"`, "item@0 message msg_1", usageLine, "done completed"},
		},
		{
			name: "a shorter done event replaces what streamed",
			frames: []string{
				created,
				ev("response.output_text.delta", partText, `"delta":"Hello"`),
				ev("response.output_text.done", partText, `"text":"Hell"`),
				completed,
			},
			want: []string{metaLine, `text@0 "Hello"`, `replace@0 text/0 "Hell"`, usageLine, "done completed"},
		},
		{
			name: "text only in content_part.done",
			frames: []string{
				created,
				ev("response.output_item.added", msgAdded),
				ev("response.content_part.done", partText, `"part":{"type":"output_text","text":"All at once"}`),
				msgDone(`{"type":"output_text","text":"All at once"}`),
				completed,
			},
			want: []string{metaLine, `text@0 "All at once"`, "item@0 message msg_1", usageLine, "done completed"},
		},
		{
			name: "text only in output_item.done",
			frames: []string{
				created,
				msgDone(`{"type":"output_text","text":"Late"}`),
				completed,
			},
			want: []string{metaLine, `text@0 "Late"`, "item@0 message msg_1", usageLine, "done completed"},
		},
		{
			name: "delta values: escapes, bad UTF-8, a number, and non-text that is skipped",
			frames: []string{
				created,
				ev("response.output_text.delta", partText, `"delta":"caf\u00e9 \"q\"\n"`),
				ev("response.output_text.delta", partText, "\"delta\":\"\xff!\""),
				ev("response.output_text.delta", partText, `"delta":42`),
				ev("response.output_text.delta", partText, `"delta":{"x":"y"}`),
				ev("response.output_text.delta", partText, `"delta":null`),
				ev("response.output_text.delta", partText, `"delta":""`),
				completed,
			},
			want: []string{metaLine, `text@0 "café \"q\"\n"`, "text@0 \"\ufffd!\"", `text@0 "42"`, usageLine, "done completed"},
		},
		{
			name: "annotation",
			frames: []string{
				created,
				ev("response.output_text.delta", partText, `"delta":"See example."`),
				ev("response.output_text.annotation.added", partText, `"annotation_index":0,"annotation":{"type":"url_citation","url":"https://example.com/a","title":"Example","start_index":4,"end_index":11}`),
				ev("response.output_text.annotation.added", partText, `"annotation_index":1,"annotation":null`),
				completed,
			},
			want: []string{metaLine, `text@0 "See example."`, `annotation@0 url_citation https://example.com/a "Example" 4-11`, usageLine, "done completed"},
		},
		{
			name: "refusal",
			frames: []string{
				created,
				ev("response.output_item.added", msgAdded),
				ev("response.content_part.added", partText, `"part":{"type":"refusal","refusal":""}`),
				ev("response.refusal.delta", partText, `"delta":"I can't"`),
				ev("response.refusal.done", partText, `"refusal":"I can't help with that."`),
				ev("response.content_part.done", partText, `"part":{"type":"refusal","refusal":"I can't help with that."}`),
				msgDone(`{"type":"refusal","refusal":"I can't help with that."}`),
				completed,
			},
			want: []string{metaLine, `refusal@0 "I can't"`, `refusal@0 " help with that."`, "item@0 message msg_1", usageLine, "done completed"},
		},
		{
			name: "two messages keep their text apart",
			frames: []string{
				created,
				ev("response.output_text.delta", `"item_id":"msg_1","output_index":0,"content_index":0`, `"delta":"One"`),
				ev("response.output_text.delta", `"item_id":"msg_2","output_index":1,"content_index":0`, `"delta":"Two"`),
				ev("response.output_text.done", `"item_id":"msg_1","output_index":0,"content_index":0`, `"text":"One"`),
				ev("response.output_text.done", `"item_id":"msg_2","output_index":1,"content_index":0`, `"text":"Two!"`),
				completed,
			},
			want: []string{metaLine, `text@0 "One"`, `text@1 "Two"`, `text@1 "!"`, usageLine, "done completed"},
		},
	})
}

func TestResponsesTools(t *testing.T) {
	runResponsesCases(t, []responsesCase{
		{
			name: "function call: name and call_id from output_item.added",
			frames: []string{
				created,
				ev("response.output_item.added", `"output_index":0,"item":{"id":"fc_1","type":"function_call","status":"in_progress","arguments":"","call_id":"call_1","name":"add"}`),
				ev("response.function_call_arguments.delta", `"item_id":"fc_1","output_index":0,"delta":"{\"a\":","obfuscation":"abc"`),
				ev("response.function_call_arguments.delta", `"item_id":"fc_1","output_index":0,"delta":"2}"`),
				// No name and no call_id here, as in every recording.
				ev("response.function_call_arguments.done", `"item_id":"fc_1","output_index":0,"arguments":"{\"a\":2}"`),
				ev("response.output_item.done", `"output_index":0,"item":{"id":"fc_1","type":"function_call","status":"completed","arguments":"{\"a\":2}","call_id":"call_1","name":"add"}`),
				completed,
			},
			want: []string{
				metaLine,
				"tool_start@0 function function_call item=fc_1 call=call_1 name=add status=in_progress",
				`tool_args@0 item=fc_1 call= "{\"a\":"`,
				`tool_args@0 item=fc_1 call= "2}"`,
				`tool_done@0 function function_call item=fc_1 call=call_1 name=add status=completed args="{\"a\":2}"`,
				"item@0 function_call fc_1",
				usageLine, "done completed",
			},
		},
		{
			name: "function call whose arguments come only with done",
			frames: []string{
				created,
				ev("response.output_item.added", `"output_index":1,"item":{"id":"fc_2","type":"function_call","arguments":"","call_id":"call_2","name":"now"}`),
				ev("response.function_call_arguments.done", `"item_id":"fc_2","output_index":1,"arguments":"{}"`),
				completed,
			},
			want: []string{
				metaLine,
				"tool_start@1 function function_call item=fc_2 call=call_2 name=now",
				`tool_args@1 item=fc_2 call= "{}"`,
				`tool_done@1 function function_call item=fc_2 call=call_2 name=now args="{}"`,
				usageLine, "done completed",
			},
		},
		{
			name: "function call seen only in output_item.done",
			frames: []string{
				created,
				ev("response.output_item.done", `"output_index":0,"item":{"id":"fc_3","type":"function_call","status":"completed","arguments":"{\"q\":1}","call_id":"call_3","name":"find"}`),
				completed,
			},
			want: []string{
				metaLine,
				"tool_start@0 function function_call item=fc_3 call=call_3 name=find",
				`tool_args@0 item=fc_3 call= "{\"q\":1}"`,
				`tool_done@0 function function_call item=fc_3 call=call_3 name=find status=completed args="{\"q\":1}"`,
				"item@0 function_call fc_3",
				usageLine, "done completed",
			},
		},
		{
			name: "custom tool call",
			frames: []string{
				created,
				ev("response.output_item.added", `"output_index":0,"item":{"id":"ctc_1","type":"custom_tool_call","status":"in_progress","call_id":"call_c","name":"shell","input":""}`),
				ev("response.custom_tool_call_input.delta", `"item_id":"ctc_1","output_index":0,"delta":"ls "`),
				ev("response.custom_tool_call_input.delta", `"item_id":"ctc_1","output_index":0,"delta":"-la"`),
				ev("response.custom_tool_call_input.done", `"item_id":"ctc_1","output_index":0,"input":"ls -la"`),
				ev("response.output_item.done", `"output_index":0,"item":{"id":"ctc_1","type":"custom_tool_call","status":"completed","call_id":"call_c","name":"shell","input":"ls -la"}`),
				completed,
			},
			want: []string{
				metaLine,
				"tool_start@0 custom custom_tool_call item=ctc_1 call=call_c name=shell status=in_progress",
				`tool_args@0 item=ctc_1 call= "ls "`,
				`tool_args@0 item=ctc_1 call= "-la"`,
				`tool_done@0 custom custom_tool_call item=ctc_1 call=call_c name=shell status=completed args="ls -la"`,
				"item@0 custom_tool_call ctc_1",
				usageLine, "done completed",
			},
		},
	})
}

func TestResponsesReasoning(t *testing.T) {
	const rs = `"item_id":"rs_1","output_index":0`
	runResponsesCases(t, []responsesCase{
		{
			name: "summary in two parts",
			frames: []string{
				created,
				ev("response.output_item.added", `"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[],"encrypted_content":"gAAAA"}`),
				ev("response.reasoning_summary_part.added", rs, `"summary_index":0,"part":{"type":"summary_text","text":""}`),
				ev("response.reasoning_summary_text.delta", rs, `"summary_index":0,"delta":"**Plan**\n\n","obfuscation":"zz"`),
				ev("response.reasoning_summary_text.delta", rs, `"summary_index":0,"delta":"Add."`),
				ev("response.reasoning_summary_text.done", rs, `"summary_index":0,"text":"**Plan**\n\nAdd."`),
				ev("response.reasoning_summary_part.done", rs, `"summary_index":0,"part":{"type":"summary_text","text":"**Plan**\n\nAdd."}`),
				ev("response.reasoning_summary_part.added", rs, `"summary_index":1,"part":{"type":"summary_text","text":""}`),
				ev("response.reasoning_summary_text.delta", rs, `"summary_index":1,"delta":"Check"`),
				ev("response.reasoning_summary_text.done", rs, `"summary_index":1,"text":"Check."`),
				ev("response.reasoning_summary_part.done", rs, `"summary_index":1,"part":{"type":"summary_text","text":"Check."}`),
				ev("response.output_item.done", `"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"**Plan**\n\nAdd."},{"type":"summary_text","text":"Check."}],"encrypted_content":"gAAAB"}`),
				completed,
			},
			want: []string{
				metaLine,
				`reasoning@0 rs_1/0 "**Plan**\n\n"`,
				`reasoning@0 rs_1/0 "Add."`,
				`reasoning@0 rs_1/1 "Check"`,
				`reasoning@0 rs_1/1 "."`,
				"item@0 reasoning rs_1",
				usageLine, "done completed",
			},
		},
		{
			name: "summary only in reasoning_summary_part.done",
			frames: []string{
				created,
				ev("response.reasoning_summary_part.done", rs, `"summary_index":0,"part":{"type":"summary_text","text":"Whole."}`),
				completed,
			},
			want: []string{metaLine, `reasoning@0 rs_1/0 "Whole."`, usageLine, "done completed"},
		},
		{
			name: "raw reasoning text",
			frames: []string{
				created,
				ev("response.output_item.added", `"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[]}`),
				ev("response.content_part.added", rs, `"content_index":0,"part":{"type":"reasoning_text","text":""}`),
				ev("response.reasoning_text.delta", rs, `"content_index":0,"delta":"Think"`),
				ev("response.reasoning_text.done", rs, `"content_index":0,"text":"Think hard"`),
				ev("response.content_part.done", rs, `"content_index":0,"part":{"type":"reasoning_text","text":"Think hard"}`),
				ev("response.output_item.done", `"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[],"content":[{"type":"reasoning_text","text":"Think hard"}]}`),
				completed,
			},
			want: []string{
				metaLine,
				`reasoning@0 raw rs_1/0 "Think"`,
				`reasoning@0 raw rs_1/0 " hard"`,
				"item@0 reasoning rs_1",
				usageLine, "done completed",
			},
		},
	})
}

func TestResponsesReasoningParts(t *testing.T) {
	const rs = `"item_id":"rs_1","output_index":0`
	body := sse(
		created,
		ev("response.reasoning_summary_text.delta", rs, `"summary_index":0,"delta":"First"`),
		ev("response.reasoning_summary_text.delta", rs, `"summary_index":1,"delta":"Second"`),
		ev("response.reasoning_summary_text.delta", rs, `"summary_index":1,"delta":" part"`),
		completed,
	)
	turn, err := stream.DecodeAll(strings.NewReader(body), stream.APIResponses)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(turn.Reasoning, "|"); got != "First|Second part" {
		t.Errorf("stream.Turn.Reasoning = %q, want two parts First|Second part", turn.Reasoning)
	}
}

func TestResponsesHostedTools(t *testing.T) {
	hosted := func(typ, id string, idx int, statuses ...string) (frames, want []string) {
		at := `"item_id":"` + id + `","output_index":` + strconv.Itoa(idx)
		frames = append(frames, ev("response.output_item.added", `"output_index":`+strconv.Itoa(idx)+`,"item":{"id":"`+id+`","type":"`+typ+`","status":"in_progress"}`))
		want = append(want, "tool_start@"+strconv.Itoa(idx)+" hosted "+typ+" item="+id+" call= name= status=in_progress")
		for _, s := range statuses {
			frames = append(frames, ev("response."+typ+"."+s, at, `"sequence_number":3`))
			want = append(want, "hosted_status@"+strconv.Itoa(idx)+" "+typ+" "+id+" "+s)
		}
		return frames, want
	}
	itemDone := func(typ, id string, idx int, extra string) string {
		return ev("response.output_item.done", `"output_index":`+strconv.Itoa(idx)+`,"item":{"id":"`+id+`","type":"`+typ+`","status":"completed"`+extra+`}`)
	}

	var cases []responsesCase
	for _, h := range []struct {
		typ, id  string
		statuses []string
		extra    string
	}{
		{"web_search_call", "ws_1", []string{"in_progress", "searching", "completed"}, `,"action":{"type":"search","query":"weather"}`},
		{"file_search_call", "fs_1", []string{"in_progress", "searching", "completed"}, `,"queries":["q"]`},
		{"image_generation_call", "ig_1", []string{"in_progress", "generating", "completed"}, `,"result":"iVBORw0"`},
		{"mcp_list_tools", "mcpl_1", []string{"in_progress", "completed"}, `,"server_label":"s","tools":[]`},
	} {
		frames, want := hosted(h.typ, h.id, 1, h.statuses...)
		cases = append(cases, responsesCase{
			name:   h.typ,
			frames: append(append([]string{created}, frames...), itemDone(h.typ, h.id, 1, h.extra), completed),
			want: append(append([]string{metaLine}, want...),
				"tool_done@1 hosted "+h.typ+" item="+h.id+" call= name= status=completed args=\"\"",
				"item@1 "+h.typ+" "+h.id,
				usageLine, "done completed"),
		})
	}

	const ci = `"item_id":"ci_1","output_index":0`
	const ig = `"item_id":"ig_2","output_index":0`
	const mcp = `"item_id":"mcp_1","output_index":0`
	cases = append(cases,
		responsesCase{
			name: "code interpreter with code deltas",
			frames: []string{
				created,
				ev("response.output_item.added", `"output_index":0,"item":{"id":"ci_1","type":"code_interpreter_call","status":"in_progress","code":"","container_id":"cntr_1"}`),
				ev("response.code_interpreter_call.in_progress", ci),
				ev("response.code_interpreter_call_code.delta", ci, `"delta":"print(","obfuscation":"q"`),
				ev("response.code_interpreter_call_code.delta", ci, `"delta":"1)"`),
				ev("response.code_interpreter_call_code.done", ci, `"code":"print(1)\n"`),
				ev("response.code_interpreter_call.interpreting", ci),
				ev("response.code_interpreter_call.completed", ci),
				ev("response.output_item.done", `"output_index":0,"item":{"id":"ci_1","type":"code_interpreter_call","status":"completed","code":"print(1)\n","outputs":[]}`),
				completed,
			},
			want: []string{
				metaLine,
				"tool_start@0 hosted code_interpreter_call item=ci_1 call= name= status=in_progress",
				"hosted_status@0 code_interpreter_call ci_1 in_progress",
				`tool_args@0 item=ci_1 call= "print("`,
				`tool_args@0 item=ci_1 call= "1)"`,
				`tool_args@0 item=ci_1 call= "\n"`,
				"hosted_status@0 code_interpreter_call ci_1 interpreting",
				"hosted_status@0 code_interpreter_call ci_1 completed",
				`tool_done@0 hosted code_interpreter_call item=ci_1 call= name= status=completed args="print(1)\n"`,
				"item@0 code_interpreter_call ci_1",
				usageLine, "done completed",
			},
		},
		responsesCase{
			name: "image generation with a partial image",
			frames: []string{
				created,
				ev("response.output_item.added", `"output_index":0,"item":{"id":"ig_2","type":"image_generation_call","status":"in_progress"}`),
				ev("response.image_generation_call.in_progress", ig),
				ev("response.image_generation_call.generating", ig),
				ev("response.image_generation_call.partial_image", ig, `"partial_image_index":0,"partial_image_b64":"iVBORw0KGgo=","size":"1024x1024"`),
				ev("response.image_generation_call.completed", ig),
				ev("response.output_item.done", `"output_index":0,"item":{"id":"ig_2","type":"image_generation_call","status":"completed","result":"iVBORw0KGgo="}`),
				completed,
			},
			want: []string{
				metaLine,
				"tool_start@0 hosted image_generation_call item=ig_2 call= name= status=in_progress",
				"hosted_status@0 image_generation_call ig_2 in_progress",
				"hosted_status@0 image_generation_call ig_2 generating",
				"hosted_status@0 image_generation_call ig_2 partial_image",
				"hosted_status@0 image_generation_call ig_2 completed",
				`tool_done@0 hosted image_generation_call item=ig_2 call= name= status=completed args=""`,
				"item@0 image_generation_call ig_2",
				usageLine, "done completed",
			},
		},
		responsesCase{
			name: "mcp call with arguments",
			frames: []string{
				created,
				ev("response.output_item.added", `"output_index":0,"item":{"id":"mcp_1","type":"mcp_call","status":"in_progress","server_label":"deepwiki","name":"ask","arguments":""}`),
				ev("response.mcp_call.in_progress", mcp),
				ev("response.mcp_call_arguments.delta", mcp, `"delta":"{\"q\":"`),
				ev("response.mcp_call_arguments.delta", mcp, `"delta":"1}"`),
				ev("response.mcp_call_arguments.done", mcp, `"arguments":"{\"q\":1}"`),
				ev("response.mcp_call.completed", mcp),
				ev("response.output_item.done", `"output_index":0,"item":{"id":"mcp_1","type":"mcp_call","status":"completed","server_label":"deepwiki","name":"ask","arguments":"{\"q\":1}","output":"42"}`),
				completed,
			},
			want: []string{
				metaLine,
				"tool_start@0 hosted mcp_call item=mcp_1 call= name=ask status=in_progress",
				"hosted_status@0 mcp_call mcp_1 in_progress",
				`tool_args@0 item=mcp_1 call= "{\"q\":"`,
				`tool_args@0 item=mcp_1 call= "1}"`,
				"hosted_status@0 mcp_call mcp_1 completed",
				`tool_done@0 hosted mcp_call item=mcp_1 call= name=ask status=completed args="{\"q\":1}"`,
				"item@0 mcp_call mcp_1",
				usageLine, "done completed",
			},
		},
		responsesCase{
			name: "mcp call that failed",
			frames: []string{
				created,
				ev("response.output_item.added", `"output_index":0,"item":{"id":"mcp_1","type":"mcp_call","status":"in_progress","name":"ask"}`),
				ev("response.mcp_call.failed", mcp),
				ev("response.mcp_list_tools.failed", `"item_id":"mcpl_9","output_index":2`),
				completed,
			},
			want: []string{
				metaLine,
				"tool_start@0 hosted mcp_call item=mcp_1 call= name=ask status=in_progress",
				"hosted_status@0 mcp_call mcp_1 failed",
				"hosted_status@2 mcp_list_tools mcpl_9 failed",
				usageLine, "done completed",
			},
		},
	)
	runResponsesCases(t, cases)
}

func TestResponsesHostedTurn(t *testing.T) {
	const ws = `"item_id":"ws_1","output_index":0`
	body := sse(
		created,
		ev("response.output_item.added", `"output_index":0,"item":{"id":"ws_1","type":"web_search_call","status":"in_progress"}`),
		ev("response.web_search_call.searching", ws),
		ev("response.output_item.done", `"output_index":0,"item":{"id":"ws_1","type":"web_search_call","status":"completed","action":{"type":"search","query":"q"}}`),
		completed,
	)
	turn, err := stream.DecodeAll(strings.NewReader(body), stream.APIAuto)
	if err != nil {
		t.Fatal(err)
	}
	want := []stream.HostedCall{{Type: "web_search_call", ID: "ws_1", Status: "completed"}}
	if len(turn.HostedCalls) != 1 || turn.HostedCalls[0] != want[0] || len(turn.ToolCalls) != 0 {
		t.Errorf("HostedCalls = %+v, ToolCalls = %+v; want %+v and no tool calls", turn.HostedCalls, turn.ToolCalls, want)
	}
	if len(turn.Items) != 1 {
		t.Errorf("Items = %d, want 1", len(turn.Items))
	}
}

func TestResponsesErrorEvent(t *testing.T) {
	runResponsesCases(t, []responsesCase{
		{
			name: "nested production shape, then response.failed",
			frames: []string{
				created,
				ev("error", `"sequence_number":2,"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"You exceeded your current quota.","param":null}`),
				ev("response.failed", `"sequence_number":3,"response":{"id":"resp_1","model":"gpt-test","status":"failed","error":{"code":"insufficient_quota","message":"You exceeded your current quota."},"usage":null}`),
			},
			// One error only: response.failed repeats the event's.
			want: []string{metaLine, `error insufficient_quota "You exceeded your current quota."`, "done failed"},
		},
		{
			name: "flat spec shape, body ends",
			frames: []string{
				created,
				ev("error", `"code":"rate_limit_exceeded","message":"Rate limit reached. Please try again in 6.57s.","param":null,"sequence_number":1`),
			},
			want: []string{metaLine, `error rate_limit_exceeded "Rate limit reached. Please try again in 6.57s."`, "done failed"},
		},
		{
			name: "nested shape with only a type",
			frames: []string{
				ev("error", `"error":{"type":"server_error","message":"  Overloaded.  "}`),
			},
			want: []string{`error server_error "Overloaded."`, "done failed"},
		},
	})

	turn, err := stream.DecodeAll(strings.NewReader(sse(
		ev("error", `"error":{"type":"insufficient_quota","code":"insufficient_quota","message":"No money.","param":null}`),
	)), stream.APIResponses)
	if err != nil {
		t.Fatal(err)
	}
	if turn.Error == nil || turn.Error.Retryable || turn.Error.Type != "insufficient_quota" {
		t.Errorf("quota error = %+v, want type insufficient_quota, not retryable", turn.Error)
	}
	turn, err = stream.DecodeAll(strings.NewReader(sse(ev("error", `"code":"rate_limit_exceeded","message":"Slow down."`))), stream.APIResponses)
	if err != nil {
		t.Fatal(err)
	}
	if turn.Error == nil || !turn.Error.Retryable {
		t.Errorf("rate limit error = %+v, want retryable", turn.Error)
	}
}

func TestResponsesUnknownAndMalformed(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))
	const part = `"item_id":"msg_1","output_index":0,"content_index":0`
	body := sse(
		created,
		ev("keepalive", `"sequence_number":1`),
		ev("response.output_text.delta", part, `"delta":"A"`),
		// Not in the spec: a mix-up of summary_part.added and summary_text.delta.
		ev("response.reasoning_summary_text.added", `"item_id":"rs_1","summary_index":0`),
		ev("response.future_thing.delta", `"delta":"?"`),
		`{"type":"response.output_text.delta", "delta": "oops`,
		ev("response.output_text.delta", part, `"delta":"B"`),
		"[DONE]", // a proxy's Chat terminator inside a Responses stream: ignored
		completed,
	)
	cs, d := collect(t, strings.NewReader(body), stream.APIResponses, stream.WithLogger(log))
	equalLines(t, describeAll(cs), []string{metaLine, `text@0 "A"`, `text@0 "B"`, usageLine, "done completed"})
	if got, want := d.Stats(), (stream.Stats{Total: 8, Unknown: 3, Malformed: 1}); got != want {
		t.Errorf("stream.Stats = %+v, want %+v", got, want)
	}
	line := logs.String()
	if strings.Count(line, "\n") != 1 || !strings.Contains(line, "level=WARN") ||
		!strings.Contains(line, `msg="skipped malformed frame"`) || !strings.Contains(line, "oops") {
		t.Errorf("log = %q, want one warning naming the malformed frame", line)
	}
}

func TestResponsesDoneAfterCompleted(t *testing.T) {
	body := sse(created, ev("response.output_text.delta", `"item_id":"m","delta":"x"`), completed, "[DONE]")
	cs, d := collect(t, strings.NewReader(body), stream.APIAuto)
	equalLines(t, describeAll(cs), []string{metaLine, `text@0 "x"`, usageLine, "done completed"})
	if d.Stats() != (stream.Stats{Total: 3}) {
		t.Errorf("stream.Stats = %+v, want 3 known frames", d.Stats())
	}
	if d.API() != stream.APIResponses {
		t.Errorf("stream.API = %q, want responses", d.API())
	}
}

// TestResponsesReasoningEarlierPartGrows: output_item.done can fill a
// summary part after a later part has started. The Turn must take the
// late text into the right part (this once panicked: strings.Builder
// values were copied when the slice of parts grew).
func TestResponsesReasoningEarlierPartGrows(t *testing.T) {
	const rs = `"item_id":"rs_1","output_index":0`
	body := sse(
		created,
		ev("response.reasoning_summary_text.delta", rs, `"summary_index":0,"delta":"One"`),
		ev("response.reasoning_summary_text.delta", rs, `"summary_index":1,"delta":"Two"`),
		ev("response.reasoning_summary_text.delta", rs, `"summary_index":2,"delta":"Three"`),
		ev("response.output_item.done", `"output_index":0,"item":{"id":"rs_1","type":"reasoning","summary":[{"type":"summary_text","text":"One more"},{"type":"summary_text","text":"Two more"},{"type":"summary_text","text":"Three"}]}`),
		completed,
	)
	cs, _ := collect(t, strings.NewReader(body), stream.APIResponses)
	turn := stream.NewTurn()
	for _, c := range cs {
		turn.Add(c)
	}
	if got := strings.Join(turn.Reasoning, "|"); got != "One more|Two more|Three" {
		t.Errorf("Turn.Reasoning = %q, want One more|Two more|Three", turn.Reasoning)
	}
}

// TestTurnLongToolArgumentsLinear: folding a long tool argument delta by
// delta must cost memory in proportion to its length, not its square (an
// editing tool can stream 100 KB of arguments in thousands of deltas).
// It counts bytes allocated, not time, so a slow machine cannot fail it.
func TestTurnLongToolArgumentsLinear(t *testing.T) {
	const deltas, size = 4000, 25 // 100 KB
	piece := strings.Repeat("x", size)
	turn := stream.NewTurn()
	turn.Add(stream.Choice{Kind: stream.KindToolStart, Tool: &stream.ToolRef{ItemID: "fc_1", CallID: "call_1", Name: "write", Kind: stream.ToolFunction, Type: "function_call"}})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	for range deltas {
		turn.Add(stream.Choice{Kind: stream.KindToolArgs, Delta: piece, Tool: &stream.ToolRef{ItemID: "fc_1"}})
	}
	runtime.ReadMemStats(&after)
	if got := turn.ToolCalls[0].Arguments; len(got) != deltas*size {
		t.Fatalf("arguments are %d bytes, want %d", len(got), deltas*size)
	}
	// A growing buffer allocates about twice the final size; copying the
	// whole string on every delta allocates about deltas*size*deltas/2 (200 MB).
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 20*deltas*size {
		t.Errorf("folding %d KB of arguments allocated %d KB: quadratic", deltas*size/1000, alloc/1000)
	}
}
