package mock

import (
	"encoding/json"
	"strings"
	"testing"
)

type chatResult struct {
	content, reasoning string
	calls              []gotCall // by index
	finish             string
	usage              map[string]any
	chunks             []decoded
	done               bool // ended with data: [DONE]
}

// checkChat checks the invariants of a Chat Completions stream and
// assembles its content.
func checkChat(t *testing.T, body []byte, allowBroken bool) chatResult {
	t.Helper()
	frames := parseSSE(t, body)
	var r chatResult
	r.done = len(frames) > 0 && frames[len(frames)-1].data == "[DONE]"
	for _, f := range frames[:len(frames)-1] {
		if f.data == "[DONE]" {
			t.Errorf("[DONE] before the end")
		}
	}
	chunks, _ := jsonFrames(t, frames, allowBroken)
	r.chunks = chunks
	for i, c := range chunks {
		if c.event != "" {
			t.Errorf("chunk %d has event line %q", i, c.event)
		}
		if str(c.m, "object") != "chat.completion.chunk" || !strings.HasPrefix(str(c.m, "id"), "chatcmpl-mock-") {
			t.Errorf("chunk %d: %v", i, c.m)
		}
		if u, ok := c.m["usage"].(map[string]any); ok {
			if len(c.m["choices"].([]any)) != 0 {
				t.Errorf("usage chunk has choices")
			}
			r.usage = u
			continue
		}
		choices := c.m["choices"].([]any)
		if len(choices) != 1 {
			t.Fatalf("chunk %d has %d choices", i, len(choices))
		}
		ch := choices[0].(map[string]any)
		delta := ch["delta"].(map[string]any)
		if role := str(delta, "role"); (i == 0) != (role == "assistant") {
			t.Errorf("chunk %d has role %q", i, role)
		}
		r.content += str(delta, "content")
		r.reasoning += str(delta, "reasoning_content")
		if tcs, ok := delta["tool_calls"].([]any); ok {
			for _, x := range tcs {
				tc := x.(map[string]any)
				idx := int(num(tc, "index"))
				if idx == len(r.calls) {
					if str(tc, "type") != "function" || str(tc, "id") == "" || str(tc, "function", "name") == "" {
						t.Errorf("first fragment of call %d lacks id, type or name: %v", idx, tc)
					}
					r.calls = append(r.calls, gotCall{name: str(tc, "function", "name"), callID: str(tc, "id")})
				} else if idx != len(r.calls)-1 {
					t.Fatalf("tool call index %d out of order", idx)
				} else if _, ok := tc["id"]; ok {
					t.Errorf("later fragment repeats the id")
				}
				if a := str(tc, "function", "arguments"); a != "" {
					r.calls[idx].args += a
					r.calls[idx].deltas = append(r.calls[idx].deltas, a)
				}
			}
		}
		if fr, ok := ch["finish_reason"].(string); ok {
			if r.finish != "" {
				t.Errorf("two finish reasons")
			}
			r.finish = fr
		}
	}
	for _, c := range r.calls {
		if !json.Valid([]byte(c.args)) {
			t.Errorf("arguments of %s are not JSON: %q", c.name, c.args)
		}
	}
	return r
}

func chatBodyFor(model, message string, usage bool) map[string]any {
	b := map[string]any{"model": model, "stream": true, "messages": []any{
		map[string]any{"role": "system", "content": "You are terse."},
		map[string]any{"role": "user", "content": message},
	}}
	if usage {
		b["stream_options"] = map[string]any{"include_usage": true}
	}
	return b
}

func TestChatScripts(t *testing.T) {
	s, base := startServer(t, Options{Instant: true})
	for _, tc := range []struct {
		message      string
		script       string
		finish       string
		reasoning    bool
		calls, usage bool
	}{
		{"a markdown demo", scriptMarkdown, "stop", false, false, true},
		{"why? think", scriptReasoning, "stop", true, false, true},
		{"call your tools", scriptTools, "tool_calls", false, true, true},
		{"a markdown demo", scriptMarkdown, "stop", false, false, false},
	} {
		_, body := post(t, base+"/chat/completions", chatBodyFor("", tc.message, tc.usage))
		r := checkChat(t, body, false)
		want := s.scripts[tc.script]
		if !r.done || r.finish != tc.finish {
			t.Errorf("%s: done=%v finish=%q", tc.script, r.done, r.finish)
		}
		if r.content != want.text {
			t.Errorf("%s: content differs from the script:\n%q", tc.script, r.content)
		}
		if tc.reasoning != (r.reasoning != "") || (tc.reasoning && r.reasoning != strings.Join(want.summary, "\n\n")) {
			t.Errorf("%s: reasoning_content %q", tc.script, r.reasoning)
		}
		if tc.calls {
			if len(r.calls) != 2 || r.calls[0].name != "get_weather" || r.calls[1].name != "search_docs" {
				t.Fatalf("calls %+v", r.calls)
			}
			for i, c := range r.calls {
				if c.args != want.calls[i].arguments || len(c.deltas) < 4 {
					t.Errorf("call %d: args %q in %d deltas", i, c.args, len(c.deltas))
				}
			}
		} else if len(r.calls) != 0 {
			t.Errorf("%s: unexpected calls", tc.script)
		}
		if !tc.usage {
			if r.usage != nil {
				t.Errorf("usage sent without include_usage")
			}
			continue
		}
		if r.usage == nil {
			t.Fatalf("%s: no usage chunk", tc.script)
		}
		in, out := num(r.usage, "prompt_tokens"), num(r.usage, "completion_tokens")
		if in <= 0 || out <= 0 || num(r.usage, "total_tokens") != in+out {
			t.Errorf("usage %v", r.usage)
		}
		if rt := num(r.usage, "completion_tokens_details", "reasoning_tokens"); tc.reasoning != (rt > 0) {
			t.Errorf("%s: reasoning_tokens %v", tc.script, rt)
		}
	}
}

func TestChatToolFollowUp(t *testing.T) {
	_, base := startServer(t, Options{Instant: true})
	req := map[string]any{"model": "gpt-4o", "stream": true, "messages": []any{
		map[string]any{"role": "user", "content": "weather?"},
		map[string]any{"role": "assistant", "content": nil, "tool_calls": []any{
			map[string]any{"id": "call_w", "type": "function", "function": map[string]any{"name": "get_weather", "arguments": "{}"}},
		}},
		map[string]any{"role": "tool", "tool_call_id": "call_w", "content": "sunny, 24°C"},
	}}
	_, body := post(t, base+"/chat/completions", req)
	r := checkChat(t, body, false)
	if !strings.Contains(r.content, "sunny, 24°C") || !strings.Contains(r.content, "get_weather") || r.finish != "stop" {
		t.Errorf("follow-up %q (finish %q)", r.content, r.finish)
	}
}
