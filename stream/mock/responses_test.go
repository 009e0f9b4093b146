package mock

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// responsesResult is what a careful client assembles from a Responses stream.
type responsesResult struct {
	text      string
	summaries []string
	calls     []gotCall
	usage     map[string]any
	terminal  map[string]any // the terminal event's response object
	events    []decoded
	encrypted int // items carrying encrypted_content
	broken    int // frames whose data is not JSON
}

type gotCall struct {
	name, callID, args string
	deltas             []string
}

// checkResponses checks the invariants of a Responses stream and assembles
// its content. It fails the test on any violation.
func checkResponses(t *testing.T, body []byte) responsesResult {
	t.Helper()
	r := checkResponsesLenient(t, body)
	if r.broken > 0 {
		t.Errorf("%d frames are not JSON", r.broken)
	}
	return r
}

// checkResponsesLenient is checkResponses for streams that may hold frames
// whose data is not JSON, which it skips and counts.
func checkResponsesLenient(t *testing.T, body []byte) responsesResult {
	t.Helper()
	events, broken := jsonFrames(t, parseSSE(t, body), true)
	if len(events) < 3 {
		t.Fatalf("only %d events", len(events))
	}
	r := responsesResult{events: events, broken: broken}
	textDeltas := map[string]string{}
	type summaryKey struct {
		item  string
		index float64
	}
	summaryDeltas := map[summaryKey]string{}
	argDeltas := map[string][]string{}
	callsByItem := map[string]*gotCall{}
	for i, ev := range events {
		typ := str(ev.m, "type")
		if ev.event != typ {
			t.Errorf("event %d: event line %q but type %q", i, ev.event, typ)
		}
		if seq := num(ev.m, "sequence_number"); seq != float64(i) {
			t.Fatalf("event %d (%s) has sequence_number %v", i, typ, seq)
		}
		item := str(ev.m, "item_id")
		switch typ {
		case "response.output_text.delta":
			textDeltas[item] += str(ev.m, "delta")
		case "response.output_text.done":
			if got := textDeltas[item]; got != str(ev.m, "text") {
				t.Errorf("text deltas of %s do not add up to output_text.done:\n%q\n%q", item, got, str(ev.m, "text"))
			}
			r.text += str(ev.m, "text")
		case "response.content_part.done":
			if str(ev.m, "part", "text") != textDeltas[item] {
				t.Errorf("content_part.done text differs from deltas")
			}
		case "response.reasoning_summary_text.delta":
			k := summaryKey{item, num(ev.m, "summary_index")}
			summaryDeltas[k] += str(ev.m, "delta")
		case "response.reasoning_summary_text.done":
			k := summaryKey{item, num(ev.m, "summary_index")}
			if summaryDeltas[k] != str(ev.m, "text") {
				t.Errorf("summary deltas do not add up to summary_text.done")
			}
		case "response.reasoning_summary_part.done":
			r.summaries = append(r.summaries, str(ev.m, "part", "text"))
		case "response.output_item.added", "response.output_item.done":
			it := ev.m["item"].(map[string]any)
			if _, ok := it["encrypted_content"]; ok {
				r.encrypted++
			}
			if str(it, "type") == "function_call" && typ == "response.output_item.added" {
				if str(it, "arguments") != "" {
					t.Errorf("function_call added with arguments %q", str(it, "arguments"))
				}
				c := &gotCall{name: str(it, "name"), callID: str(it, "call_id")}
				callsByItem[str(it, "id")] = c
			}
			if str(it, "type") == "function_call" && typ == "response.output_item.done" {
				if c := callsByItem[str(it, "id")]; c == nil || c.args != str(it, "arguments") {
					t.Errorf("output_item.done arguments %q differ from .done", str(it, "arguments"))
				}
			}
		case "response.function_call_arguments.delta":
			argDeltas[item] = append(argDeltas[item], str(ev.m, "delta"))
		case "response.function_call_arguments.done":
			c := callsByItem[item]
			if c == nil {
				t.Fatalf("arguments for unknown item %s", item)
			}
			c.args, c.deltas = str(ev.m, "arguments"), argDeltas[item]
			if got := strings.Join(c.deltas, ""); got != c.args {
				t.Errorf("argument deltas %q do not add up to %q", got, c.args)
			}
			if !json.Valid([]byte(c.args)) {
				t.Errorf("arguments are not JSON: %q", c.args)
			}
			r.calls = append(r.calls, *c)
		}
	}
	if str(events[0].m, "type") != "response.created" || str(events[1].m, "type") != "response.in_progress" {
		t.Errorf("stream starts %s, %s", str(events[0].m, "type"), str(events[1].m, "type"))
	}
	last := events[len(events)-1]
	switch str(last.m, "type") {
	case "response.completed", "response.incomplete", "response.failed":
	default:
		t.Fatalf("last event is %s, not terminal", str(last.m, "type"))
	}
	r.terminal = last.m["response"].(map[string]any)
	r.usage, _ = r.terminal["usage"].(map[string]any)
	if dig(events[0].m, "response", "usage") != nil {
		t.Errorf("response.created carries usage")
	}
	return r
}

func checkUsage(t *testing.T, u map[string]any, wantReasoning bool) {
	t.Helper()
	if u == nil {
		t.Fatal("no usage in the terminal event")
	}
	in, out, total := num(u, "input_tokens"), num(u, "output_tokens"), num(u, "total_tokens")
	if in <= 0 || out <= 0 || total != in+out {
		t.Errorf("usage %v: want input, output > 0 and total = input + output", u)
	}
	if num(u, "input_tokens_details", "cached_tokens") != 0 {
		t.Errorf("cached tokens %v", u)
	}
	reasoning := num(u, "output_tokens_details", "reasoning_tokens")
	if wantReasoning != (reasoning > 0) || reasoning > out {
		t.Errorf("reasoning_tokens %v (output %v), want > 0: %v", reasoning, out, wantReasoning)
	}
}

func responsesRequest(model, message string) map[string]any {
	return map[string]any{"model": model, "stream": true, "input": []any{
		map[string]any{"role": "user", "content": []any{map[string]any{"type": "input_text", "text": message}}},
	}}
}

func TestResponsesMarkdown(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	resp, body := post(t, base+"/responses", responsesRequest("", "Show me a markdown demo please"))
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("status %d, content type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	r := checkResponses(t, body)
	if str(r.terminal, "status") != "completed" || str(r.terminal, "model") != defaultModel || str(r.terminal, "id") != "resp_mock_1" {
		t.Errorf("terminal response %v", r.terminal)
	}
	for _, want := range []string{"# ", "| Event", "```go", "```python", "1. **", "   - ", "[OpenAI streaming guide](", "*formatting*"} {
		if !strings.Contains(r.text, want) {
			t.Errorf("markdown reply lacks %q", want)
		}
	}
	if n := len(r.text); n < 2000 || n > 4096 {
		t.Errorf("markdown reply is %d bytes", n)
	}
	if len(r.calls) != 0 || len(r.summaries) != 0 {
		t.Errorf("unexpected calls or reasoning")
	}
	checkUsage(t, r.usage, false)
	deltas := 0
	for _, ev := range r.events {
		if ev.event == "response.output_text.delta" {
			deltas++
			if str(ev.m, "delta") == "" {
				t.Errorf("empty delta")
			}
		}
	}
	if deltas < 100 {
		t.Errorf("only %d text deltas for %d bytes", deltas, len(r.text))
	}
}

func TestResponsesReasoning(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	for _, include := range []bool{false, true} {
		req := responsesRequest("gpt-test", "Why did my stream stop? Think it through.")
		if include {
			req["include"] = []string{"reasoning.encrypted_content"}
		}
		_, body := post(t, base+"/responses", req)
		r := checkResponses(t, body)
		if len(r.summaries) != 2 || !strings.HasPrefix(r.summaries[0], "**") {
			t.Fatalf("summaries %q", r.summaries)
		}
		if str(r.terminal, "model") != "gpt-test" {
			t.Errorf("model %q, want the request's", str(r.terminal, "model"))
		}
		summaryDeltas := 0
		for _, ev := range r.events {
			if ev.event == "response.reasoning_summary_text.delta" {
				summaryDeltas++
			}
		}
		if summaryDeltas < 20 {
			t.Errorf("only %d summary deltas", summaryDeltas)
		}
		if !strings.Contains(r.text, "| Cause") {
			t.Errorf("answer %q lacks its table", r.text)
		}
		checkUsage(t, r.usage, true)
		out := r.terminal["output"].([]any)
		if len(out) != 2 || str(out[0].(map[string]any), "type") != "reasoning" || str(out[1].(map[string]any), "type") != "message" {
			t.Errorf("final output %v", out)
		}
		// added, done, and the item in response.completed
		if want := map[bool]int{false: 0, true: 2}[include]; r.encrypted != want {
			t.Errorf("include=%v: %d items with encrypted_content, want %d", include, r.encrypted, want)
		}
		if _, ok := out[0].(map[string]any)["encrypted_content"]; ok != include {
			t.Errorf("include=%v: final reasoning item has encrypted_content: %v", include, ok)
		}
	}
}

func TestResponsesTools(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	_, body := post(t, base+"/responses", responsesRequest("", "What's the weather in Lisbon? Use your tools."))
	r := checkResponses(t, body)
	if len(r.calls) != 2 || r.calls[0].name != "get_weather" || r.calls[1].name != "search_docs" {
		t.Fatalf("calls %+v", r.calls)
	}
	if r.text != "" {
		t.Errorf("tool turn has text %q", r.text)
	}
	var weather struct{ City, Units string }
	var search struct {
		Query string
		Limit int
	}
	if json.Unmarshal([]byte(r.calls[0].args), &weather) != nil || weather.City == "" || weather.Units == "" {
		t.Errorf("get_weather arguments %q", r.calls[0].args)
	}
	if json.Unmarshal([]byte(r.calls[1].args), &search) != nil || search.Query == "" || search.Limit == 0 {
		t.Errorf("search_docs arguments %q", r.calls[1].args)
	}
	for _, c := range r.calls {
		if !strings.HasPrefix(c.callID, "call_") || len(c.deltas) < 4 {
			t.Errorf("call %+v: want a call_ id and many deltas", c)
		}
		for i, d := range c.deltas {
			if (len(d) < 3 && i < len(c.deltas)-1) || len(d) > 8 {
				t.Errorf("argument delta %q is %d bytes, want 3-8", d, len(d))
			}
		}
	}
	if r.calls[0].callID == r.calls[1].callID {
		t.Errorf("calls share an id")
	}
	checkUsage(t, r.usage, false)
}

func TestResponsesToolFollowUp(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	req := map[string]any{"model": "gpt-5", "stream": true, "input": []any{
		map[string]any{"role": "user", "content": "weather in Lisbon?"},
		map[string]any{"type": "function_call", "call_id": "call_abc", "name": "get_weather", "arguments": `{"city":"Lisbon"}`},
		map[string]any{"type": "function_call_output", "call_id": "call_abc", "output": `{"temp_c":21,"sky":"clear <&>"}`},
		map[string]any{"type": "function_call_output", "call_id": "call_def", "output": []any{map[string]any{"type": "input_text", "text": "doc: key.Matches"}}},
	}}
	_, body := post(t, base+"/responses", req)
	r := checkResponses(t, body)
	for _, want := range []string{`{"temp_c":21,"sky":"clear <&>"}`, "get_weather", "call_abc", "doc: key.Matches"} {
		if !strings.Contains(r.text, want) {
			t.Errorf("follow-up %q does not quote %q", r.text, want)
		}
	}
	if len(r.calls) != 0 {
		t.Errorf("follow-up makes calls again")
	}
	// A new user message after the tool round is a new question, not a follow-up.
	req["input"] = append(req["input"].([]any), map[string]any{"role": "user", "content": "now a markdown table"})
	_, body = post(t, base+"/responses", req)
	if r := checkResponses(t, body); strings.Contains(r.text, "temp_c") || !strings.Contains(r.text, "| Event") {
		t.Errorf("new question after tool round got %q", r.text[:min(80, len(r.text))])
	}
}

func TestResponsesStringInputAndEcho(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	_, body := post(t, base+"/responses", map[string]any{
		"model": "m", "stream": true, "input": "tools please", "instructions": "be brief", "store": false,
		"tools": []any{map[string]any{"type": "function", "name": "get_weather"}},
	})
	r := checkResponses(t, body)
	if len(r.calls) != 2 {
		t.Errorf("string input: want the tools script, got %d calls", len(r.calls))
	}
	if str(r.terminal, "instructions") != "be brief" || r.terminal["store"] != false || str(r.terminal, "tools", "0", "name") != "get_weather" {
		t.Errorf("request settings not echoed: %v", r.terminal)
	}
}

func TestNonStreamingAndBadJSON(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	for _, tc := range []struct {
		path, body string
		code       string
	}{
		{"/responses", `{"model":"m","input":"hi"}`, "unsupported_value"},
		{"/chat/completions", `{"model":"m","stream":false,"messages":[]}`, "unsupported_value"},
		{"/responses", `{"model":"m",`, "invalid_json"},
		{"/responses", `{"model":"m","stream":true,"input":42}`, "invalid_json"},
		{"/chat/completions", `[1,2]`, "invalid_json"},
	} {
		resp, err := http.Post(base+tc.path, "application/json", strings.NewReader(tc.body))
		if err != nil {
			t.Fatal(err)
		}
		e := readAPIError(t, resp)
		if resp.StatusCode != 400 || e.Type != "invalid_request_error" || *e.Code != tc.code || e.Message == "" {
			t.Errorf("%s %s: %d %+v", tc.path, tc.body, resp.StatusCode, e)
		}
	}
}
