package stream_test

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model/attach/attachtest"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/spectest"
)

// recordedTurn decodes a recording, for the raw items a real server sent.
func recordedTurn(t *testing.T, name string) *stream.Turn {
	t.Helper()
	f, err := os.Open(filepath.Join(recordings, name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	turn, err := stream.DecodeAll(f, stream.APIAuto)
	if err != nil {
		t.Fatal(err)
	}
	return turn
}

var (
	weatherSchema = json.RawMessage(`{"type":"object","properties":{"city":{"type":"string"},"units":{"type":"string","enum":["metric","imperial"]}},"required":["city"]}`)
	strictSchema  = json.RawMessage(`{"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"],"additionalProperties":false}`)
	png           = []byte("\x89PNG\r\n\x1a\n fake image bytes")
	pdf           = []byte("%PDF-1.4 fake")
)

// specRequests is every kind of request Parley builds, by name: each API
// gets the same list.
func specRequests(t *testing.T) map[string]stream.Request {
	text := recordedTurn(t, "responses-text-1.sse")
	tools := recordedTurn(t, "responses-reasoning-summary-tool-3.sse")
	search := recordedTurn(t, "responses-web-search-1.sse")
	// The recorded web_search_call (2025) lists a source of type "api",
	// which the document's WebSearchActionSearch does not know: the
	// server's own item, sent back as it came, not something Parley
	// builds. Checked here without that source.
	for i, it := range search.Items {
		search.Items[i] = json.RawMessage(strings.Replace(string(it), `,"sources":[{"type":"api","name":"oai-weather"}]`, "", 1))
	}
	chatTools := recordedTurn(t, "chat-parallel-tools-1.sse")
	user := func(s string) stream.InputItem { return stream.InputItem{Role: "user", Text: s} }
	results := func(calls []stream.ToolCall) []stream.InputItem {
		var out []stream.InputItem
		for _, c := range calls {
			out = append(out, stream.InputItem{Role: "tool", CallID: c.CallID, Text: "42", Custom: c.Type == "custom_tool_call"})
		}
		return out
	}
	functions := []stream.ToolSpec{
		{Name: "get_weather", Description: "Weather for a city", Parameters: weatherSchema},
		{Name: "calculator", Description: "Evaluates arithmetic", Parameters: strictSchema, Strict: true},
		{Name: "clock", Description: "The time"},
	}
	return map[string]stream.Request{
		"first prompt":                  {Model: "gpt-5-mini", Input: []stream.InputItem{user("hello")}},
		"instructions, effort, a limit": {Model: "gpt-5", Instructions: "Be brief.", ReasoningEffort: "low", MaxOutputTokens: 500, Input: []stream.InputItem{user("hi")}},
		"stored":                        {Model: "gpt-5", Store: true, Input: []stream.InputItem{user("hi")}},
		"a model that does not reason":  {Model: "gpt-4.1", NoReasoning: true, ReasoningEffort: "high", Input: []stream.InputItem{user("hi")}},
		"function tools":                {Model: "gpt-5", Tools: functions, Input: []stream.InputItem{user("weather?")}},
		"custom tool":                   {Model: "gpt-5", Tools: []stream.ToolSpec{{Name: "shell", Description: "Runs a command", Custom: true}}, Input: []stream.InputItem{user("ls")}},
		"web search":                    {Model: "gpt-5", WebSearch: true, Tools: functions[:1], Input: []stream.InputItem{user("news?")}},
		"continued session with raw items": {Model: "gpt-5", ReasoningEffort: "medium", Tools: functions, Input: append(append([]stream.InputItem{
			user("hi"), {Role: "assistant", Text: text.Text, Items: text.Items},
			user("search"), {Role: "assistant", Text: search.Text, Items: search.Items},
			user("weather?"), {Role: "assistant", ToolCalls: tools.ToolCalls, Items: tools.Items},
		}, results(tools.ToolCalls)...), user("thanks"))},
		"cut-off reply": {Model: "gpt-5", Input: []stream.InputItem{user("hi"), {Role: "assistant", Text: "Hello, I was cut"}, user("go on")}},
		"cross-API history": {Model: "gpt-5", Tools: functions, Input: append(append([]stream.InputItem{
			user("weather in two cities?"), {Role: "assistant", Text: chatTools.Text, ToolCalls: chatTools.ToolCalls},
		}, results(chatTools.ToolCalls)...), user("and tomorrow?"))},
		"custom tool call and its output": {Model: "gpt-5", Input: []stream.InputItem{
			user("list files"),
			{Role: "assistant", ToolCalls: []stream.ToolCall{{Type: "custom_tool_call", CallID: "call_c", Name: "shell", Arguments: "ls -la"}}},
			{Role: "tool", CallID: "call_c", Text: "a b c", Custom: true}}},
		"attachments": {Model: "gpt-5", Input: []stream.InputItem{{Role: "user", Text: "what is in these?", Parts: []stream.Part{
			{Type: stream.PartImage, MIME: "image/png", Data: png},
			{Type: stream.PartFile, MIME: "application/pdf", Data: pdf, Filename: "report.pdf"},
			{Type: stream.PartText, Text: "and this note"},
		}}}},
		"every image type, a PDF and a fenced file": {Model: "gpt-5", Input: []stream.InputItem{{Role: "user",
			Text: "compare\n\nFile: notes.txt\n```\nline\n```\n", Parts: []stream.Part{
				{Type: stream.PartImage, MIME: "image/png", Data: attachtest.PNG(2, 2)},
				{Type: stream.PartImage, MIME: "image/jpeg", Data: attachtest.JPEG(2, 2)},
				{Type: stream.PartImage, MIME: "image/gif", Data: attachtest.GIF(2, 2)},
				{Type: stream.PartImage, MIME: "image/webp", Data: attachtest.WebP(2, 2)},
				{Type: stream.PartFile, MIME: "application/pdf", Data: attachtest.PDF(1), Filename: "stdin.pdf"},
			}}}},
		"attachments in the history": {Model: "gpt-5", Input: []stream.InputItem{
			{Role: "user", Text: "look", Parts: []stream.Part{{Type: stream.PartImage, MIME: "image/png", Data: png}}},
			{Role: "assistant", Text: text.Text, Items: text.Items},
			{Role: "user", Parts: []stream.Part{{Type: stream.PartFile, MIME: "application/pdf", Data: pdf, Filename: "a.pdf"}}},
			{Role: "assistant", Text: "A PDF of one page."},
			user("thanks"),
		}},
		"tool output with an image": {Model: "gpt-5", Input: []stream.InputItem{
			user("screenshot please"),
			{Role: "assistant", ToolCalls: []stream.ToolCall{{Type: "function_call", CallID: "call_s", Name: "screenshot", Arguments: "{}"}}},
			{Role: "tool", CallID: "call_s", Text: "the screen:", Parts: []stream.Part{{Type: stream.PartImage, MIME: "image/png", Data: png}}}}},
		"developer and system roles": {Model: "gpt-5", Input: []stream.InputItem{{Role: "developer", Text: "Use metric."}, {Role: "system", Text: "Be kind."}, user("hi")}},
	}
}

// TestEveryRequestBodyFollowsTheSpec builds every kind of request for each
// API and validates it against OpenAI's own OpenAPI document.
func TestEveryRequestBodyFollowsTheSpec(t *testing.T) {
	v := spectest.Load(t)
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		client := stream.NewClient(stream.Config{BaseURL: "https://api.openai.com/v1", API: api})
		for name, req := range specRequests(t) {
			body, err := client.Body(req)
			if err != nil {
				t.Errorf("%s %s: %v", api, name, err)
				continue
			}
			if api == stream.APIChat {
				v.Chat(t, string(api)+" "+name, body)
			} else {
				v.Responses(t, string(api)+" "+name, body)
			}
		}
	}
}

// TestABrokenBodyFailsTheSpec: the check is real. The body Parley sent
// before for a reply without raw items matches no input item of the spec.
func TestABrokenBodyFailsTheSpec(t *testing.T) {
	v := spectest.Load(t)
	old := `{"model":"gpt-5","stream":true,"store":false,"input":[{"role":"user","content":"hi"},` +
		`{"type":"message","role":"assistant","content":[{"type":"output_text","text":"Hello, I was cut"}]}]}`
	if v.CheckResponses([]byte(old)) == nil {
		t.Error("an assistant output message without id and status passed the check")
	}
	noStrict := `{"model":"gpt-5","input":"hi","tools":[{"type":"function","name":"f","parameters":{}}]}`
	if v.CheckResponses([]byte(noStrict)) == nil {
		t.Error("a function tool without strict passed the check")
	}
}

func TestStrictOnlyWhereTheSchemaAllowsIt(t *testing.T) {
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		client := stream.NewClient(stream.Config{BaseURL: "https://api.openai.com/v1", API: api})
		body, err := client.Body(stream.Request{Model: "m", Input: []stream.InputItem{{Role: "user", Text: "x"}}, Tools: []stream.ToolSpec{
			{Name: "loose", Parameters: weatherSchema, Strict: true},
			{Name: "tight", Parameters: strictSchema, Strict: true},
			{Name: "unasked", Parameters: strictSchema},
		}})
		if err != nil {
			t.Fatal(err)
		}
		got := string(body)
		strictTrue := strings.Count(got, `"strict":true`)
		strictFalse := strings.Count(got, `"strict":false`)
		if api == stream.APIResponses && (strictTrue != 1 || strictFalse != 2) {
			t.Errorf("responses: %d strict true, %d false; want 1 and 2: %s", strictTrue, strictFalse, got)
		}
		if api == stream.APIChat && (strictTrue != 1 || strictFalse != 0) {
			t.Errorf("chat: %d strict true, %d false; want only the tight one strict: %s", strictTrue, strictFalse, got)
		}
	}
}

func TestStrictCompatible(t *testing.T) {
	for schema, want := range map[string]bool{
		string(strictSchema):  true,
		string(weatherSchema): false, // additionalProperties unset, units not required
		`{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}},"required":["b"],"additionalProperties":false}},"required":["a"],"additionalProperties":false}`: true,
		`{"type":"object","properties":{"a":{"type":"object","properties":{"b":{"type":"string"}},"required":["b"]}},"required":["a"],"additionalProperties":false}`:                              false,
		`{"type":"object","properties":{"a":{"oneOf":[{"type":"string"}]}},"required":["a"],"additionalProperties":false}`:                                                                        false,
		`{"type":"array"}`: false,
		``:                 false,
	} {
		if got := stream.StrictCompatible(json.RawMessage(schema)); got != want {
			t.Errorf("StrictCompatible(%s) = %v, want %v", schema, got, want)
		}
	}
}

func TestWebSearchOnChat(t *testing.T) {
	req := stream.Request{Model: "gpt-4o-search-preview", WebSearch: true, Input: []stream.InputItem{{Role: "user", Text: "news"}}}
	openai := stream.NewClient(stream.Config{BaseURL: "https://api.openai.com/v1", API: stream.APIChat})
	body, err := openai.Body(req)
	if err != nil || !strings.Contains(string(body), `"web_search_options":{}`) || !openai.CanWebSearch() {
		t.Errorf("OpenAI chat: err %v, body %s; want web_search_options", err, body)
	}
	other := stream.NewClient(stream.Config{BaseURL: "https://api.groq.com/openai/v1", API: stream.APIChat})
	_, err = other.Body(req)
	var e *stream.Error
	if other.CanWebSearch() || !errors.As(err, &e) || e.Code != stream.CodeUnsupported ||
		e.Message != "This server has no hosted web search on the Chat Completions API; web search works with OpenAI's server (api.openai.com) or with the Responses API." {
		t.Errorf("other chat server: err %v; want a clear unsupported error", err)
	}
	if _, err := other.Stream(t.Context(), req); !errors.As(err, &e) || e.Code != stream.CodeUnsupported {
		t.Errorf("Stream on another chat server = %v, want the unsupported error before any request", err)
	}
}

// TestPartsTravelInline: images and files go as data URLs in the part
// types of each API; a Chat tool result, text only, notes what it left out.
func TestPartsTravelInline(t *testing.T) {
	parts := []stream.Part{{Type: stream.PartImage, MIME: "image/png", Data: []byte("img")}, {Type: stream.PartFile, MIME: "application/pdf", Data: []byte("pdf"), Filename: "a.pdf"}}
	req := stream.Request{Model: "m", Input: []stream.InputItem{
		{Role: "user", Text: "look", Parts: parts},
		{Role: "assistant", ToolCalls: []stream.ToolCall{{CallID: "c1", Name: "shot", Arguments: "{}"}}},
		{Role: "tool", CallID: "c1", Text: "here", Parts: parts[:1]},
	}}
	want := map[stream.API][]string{
		stream.APIResponses: {`{"text":"look","type":"input_text"}`, `"image_url":"data:image/png;base64,aW1n","type":"input_image"`,
			`{"file_data":"data:application/pdf;base64,cGRm","filename":"a.pdf","type":"input_file"}`,
			`"output":[{"text":"here","type":"input_text"},{"detail":"auto","image_url":"data:image/png;base64,aW1n","type":"input_image"}]`},
		stream.APIChat: {`{"text":"look","type":"text"}`, `{"image_url":{"url":"data:image/png;base64,aW1n"},"type":"image_url"}`,
			`{"file":{"file_data":"data:application/pdf;base64,cGRm","filename":"a.pdf"},"type":"file"}`,
			`"content":"here\n[image image/png left out: Chat Completions tool results carry text only]"`},
	}
	for api, frags := range want {
		body, err := stream.NewClient(stream.Config{BaseURL: "https://api.openai.com/v1", API: api}).Body(req)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range frags {
			if !strings.Contains(string(body), f) {
				t.Errorf("%s: body lacks %s\n%s", api, f, body)
			}
		}
	}
}
