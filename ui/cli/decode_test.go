package cli_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"github.com/parley-tui/parley/ui/cli"
)

const recordings = "../../testdata/streams"

// decodeOutput is the JSON `parley decode` prints, read back with its own
// field names so the test checks the printed contract, not a Go struct.
type decodeOutput struct {
	API              string `json:"api"`
	Status           string `json:"status"`
	IncompleteReason string `json:"incomplete_reason"`
	Error            *struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Type    string `json:"type"`
	} `json:"error"`
	ResponseID string   `json:"response_id"`
	Model      string   `json:"model"`
	Text       string   `json:"text"`
	Refusal    string   `json:"refusal"`
	Reasoning  []string `json:"reasoning"`
	ToolCalls  []struct {
		Type      string `json:"type"`
		ID        string `json:"id"`
		CallID    string `json:"call_id"`
		Name      string `json:"name"`
		Arguments string `json:"arguments"`
	} `json:"tool_calls"`
	HostedCalls []struct {
		Type   string `json:"type"`
		ID     string `json:"id"`
		Status string `json:"status"`
	} `json:"hosted_calls"`
	Annotations []json.RawMessage `json:"annotations"`
	Usage       *usage            `json:"usage"`
	Events      struct {
		Total     int `json:"total"`
		Unknown   int `json:"unknown"`
		Malformed int `json:"malformed"`
	} `json:"events"`
}

type usage struct {
	Input     int `json:"input_tokens"`
	Cached    int `json:"cached_tokens"`
	Output    int `json:"output_tokens"`
	Reasoning int `json:"reasoning_tokens"`
	Total     int `json:"total_tokens"`
}

type toolWant struct{ typ, idPrefix, name, callID, args string }

// recordingWant is what testdata/streams/SOURCES.md says a recording
// decodes to.
type recordingWant struct {
	file                 string
	api                  string
	text                 string // exact prefix of the text
	textChars, textBytes int
	tools                []toolWant
	reasoningParts       int
	reasoningChars       int
	usage                *usage
	status               string
	errCode, errPrefix   string
	responseID, model    string
	hostedType, hostedID string // one hosted call, when hostedType is set
	frames               int    // JSON frames; [DONE] is not an event
}

var recordingWants = []recordingWant{
	{
		file: "responses-text-1.sse", api: "responses",
		text: "Hello! How can I assist you today?", textChars: 34, textBytes: 34,
		usage:  &usage{Input: 11, Cached: 0, Output: 10, Reasoning: 0, Total: 21},
		status: "completed", responseID: "resp_0976c6df58902d6a0068c9ef349f8881968e62cd0dd40b45bf", model: "gpt-4o-mini-2024-07-18",
		frames: 17,
	},
	{
		file: "responses-function-call-no-seq-3.sse", api: "responses",
		tools:  []toolWant{{"function_call", "fc_", "get_capital", "call_kL0PCQV7M2WMoVX8V8OtYSAL", `{"country":"France"}`}},
		usage:  &usage{Input: 255, Cached: 0, Output: 16, Reasoning: 0, Total: 271},
		status: "completed", responseID: "resp_67e554a155508191900ee113293c4c830794405d35281ae2", model: "gpt-4o-2024-08-06",
		frames: 11,
	},
	{
		file: "responses-reasoning-summary-tool-3.sse", api: "responses",
		tools:          []toolWant{{"function_call", "fc_", "weather", "call_zgUaIBRPTwxxOusyyKw5NVMH", `{"location":"Florence, Italy"}`}},
		reasoningParts: 1, reasoningChars: 424,
		usage:  &usage{Input: 63, Cached: 0, Output: 121, Reasoning: 64, Total: 184},
		status: "completed", responseID: "resp_017e85da2ae23b69016a3c12518cc0819da56cbbdd33f128f3", model: "gpt-5-2025-08-07",
		frames: 94,
	},
	{
		file: "responses-parallel-tools-1.sse", api: "responses",
		tools: []toolWant{
			{"function_call", "fc_", "add", "call_ZckkKeJQwcJPC27VXT61xFLf", `{"a":2,"b":3}`},
			{"function_call", "fc_", "multiply", "call_M9h2AZgoLEv6q5gkex1QMtm2", `{"a":2,"b":3}`},
		},
		usage:  &usage{Input: 104, Cached: 0, Output: 51, Reasoning: 0, Total: 155},
		status: "completed", responseID: "resp_00483e9118f52e4c016a3c1214d5d8819da2ca22014dbd1961", model: "gpt-4o-mini-2024-07-18",
		frames: 11,
	},
	{
		file: "responses-error-quota-2.sse", api: "responses",
		status:  "failed",
		errCode: "insufficient_quota", errPrefix: "You exceeded your current quota, please check your plan and billing details. For more information on this erro",
		responseID: "resp_0265b28bea036ff60068df845920648196938b4f36acdcee37", model: "gpt-5-2025-08-07",
		frames: 4,
	},
	{
		file: "responses-web-search-1.sse", api: "responses",
		text: "San Francisco weather today (Tuesday, September 16, 2025): M", textChars: 212, textBytes: 215,
		usage:  &usage{Input: 9463, Cached: 8320, Output: 582, Reasoning: 512, Total: 10045},
		status: "completed", responseID: "resp_00a60507bf41223d0068c9d2fbf93481a0ba2a7796ae2cab4c", model: "gpt-5-2025-08-07",
		hostedType: "web_search_call", hostedID: "ws_",
		frames: 61,
	},
	{
		file: "chat-parallel-tools-1.sse", api: "chat",
		tools: []toolWant{
			{"function_call", "", "GetWeatherArgs", "call_JMW1whyEaYG438VE1OIflxA2", `{"city": "Edinburgh", "country": "GB", "units": "c"}`},
			{"function_call", "", "get_stock_price", "call_DNYTawLBoN8fj3KN6qU9N1Ou", `{"ticker": "AAPL", "exchange": "NASDAQ"}`},
		},
		usage:  &usage{Input: 149, Cached: 0, Output: 60, Reasoning: 0, Total: 209},
		status: "completed", model: "gpt-4o-2024-08-06",
		frames: 25,
	},
	{
		file: "chat-reasoning-content-deepseek-1.sse", api: "chat",
		text: "Hello there! 😊 How can I help you today?", textChars: 40, textBytes: 43,
		reasoningParts: 1, reasoningChars: 882,
		usage:  &usage{Input: 6, Cached: 0, Output: 212, Reasoning: 198, Total: 218},
		status: "completed", model: "deepseek-reasoner",
		frames: 211,
	},
}

// runParley executes parley in-process and returns its exit code and output.
func runParley(t *testing.T, stdin io.Reader, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	if stdin == nil {
		stdin = strings.NewReader("")
	}
	var out, errOut bytes.Buffer
	code = cli.Execute(args, stdin, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestDecodeRecordings(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(recordings, "*.sse"))
	if err != nil {
		t.Fatal(err)
	}
	covered := map[string]bool{"hostile-responses.sse": true} // TestDecodeHostile
	for _, w := range recordingWants {
		covered[w.file] = true
	}
	for _, f := range files {
		if !covered[filepath.Base(f)] {
			t.Errorf("%s has no expectations here: add what SOURCES.md says it decodes to", filepath.Base(f))
		}
	}
	for _, w := range recordingWants {
		t.Run(w.file, func(t *testing.T) {
			code, stdout, stderr := runParley(t, nil, "decode", filepath.Join(recordings, w.file))
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			var got decodeOutput
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatalf("output is not JSON: %v\n%s", err, stdout)
			}
			checkRecording(t, w, &got)
		})
	}
}

func checkRecording(t *testing.T, w recordingWant, got *decodeOutput) {
	t.Helper()
	if got.API != w.api || got.Status != w.status || got.IncompleteReason != "" {
		t.Errorf("api %q status %q (%q), want %q %q", got.API, got.Status, got.IncompleteReason, w.api, w.status)
	}
	if !strings.HasPrefix(got.Text, w.text) || utf8.RuneCountInString(got.Text) != w.textChars || len(got.Text) != w.textBytes {
		t.Errorf("text %q: %d chars / %d bytes, want prefix %q, %d chars / %d bytes",
			got.Text, utf8.RuneCountInString(got.Text), len(got.Text), w.text, w.textChars, w.textBytes)
	}
	if got.Refusal != "" || len(got.Annotations) != 0 {
		t.Errorf("refusal %q, annotations %s: want none", got.Refusal, got.Annotations)
	}
	if len(got.ToolCalls) != len(w.tools) {
		t.Errorf("%d tool calls, want %d: %+v", len(got.ToolCalls), len(w.tools), got.ToolCalls)
	} else {
		for i, tw := range w.tools {
			tc := got.ToolCalls[i]
			idOK := strings.HasPrefix(tc.ID, tw.idPrefix) && (tw.idPrefix != "" || tc.ID == "")
			if tc.Type != tw.typ || !idOK || tc.Name != tw.name || tc.CallID != tw.callID || tc.Arguments != tw.args {
				t.Errorf("tool call %d = %+v, want %+v", i, tc, tw)
			}
		}
	}
	chars := 0
	for _, r := range got.Reasoning {
		chars += utf8.RuneCountInString(r)
	}
	if len(got.Reasoning) != w.reasoningParts || chars != w.reasoningChars {
		t.Errorf("reasoning: %d parts, %d chars; want %d, %d", len(got.Reasoning), chars, w.reasoningParts, w.reasoningChars)
	}
	switch {
	case w.usage == nil && got.Usage != nil:
		t.Errorf("usage %+v, want none", *got.Usage)
	case w.usage != nil && (got.Usage == nil || *got.Usage != *w.usage):
		t.Errorf("usage %+v, want %+v", got.Usage, *w.usage)
	}
	switch {
	case w.errCode == "" && got.Error != nil:
		t.Errorf("error %+v, want none", *got.Error)
	case w.errCode != "" && (got.Error == nil || got.Error.Code != w.errCode || !strings.HasPrefix(got.Error.Message, w.errPrefix)):
		t.Errorf("error %+v, want code %q and a message starting %q", got.Error, w.errCode, w.errPrefix)
	}
	if w.responseID != "" && got.ResponseID != w.responseID {
		t.Errorf("response_id %q, want %q", got.ResponseID, w.responseID)
	}
	if got.Model != w.model {
		t.Errorf("model %q, want %q", got.Model, w.model)
	}
	if w.hostedType == "" {
		if len(got.HostedCalls) != 0 {
			t.Errorf("hosted calls %+v, want none", got.HostedCalls)
		}
	} else if len(got.HostedCalls) != 1 || got.HostedCalls[0].Type != w.hostedType ||
		!strings.HasPrefix(got.HostedCalls[0].ID, w.hostedID) || got.HostedCalls[0].Status != "completed" {
		t.Errorf("hosted calls %+v, want one completed %s", got.HostedCalls, w.hostedType)
	}
	if got.Events.Total != w.frames || got.Events.Unknown != 0 || got.Events.Malformed != 0 {
		t.Errorf("events %+v, want total %d, none unknown or malformed", got.Events, w.frames)
	}
}

// TestDecodeKeyOrder: the printed object starts with these keys, in this
// order; more may follow.
func TestDecodeKeyOrder(t *testing.T) {
	want := []string{"api", "status", "incomplete_reason", "error", "response_id", "model", "text", "refusal",
		"reasoning", "tool_calls", "hosted_calls", "annotations", "usage", "events"}
	for _, file := range []string{"responses-error-quota-2.sse", "chat-parallel-tools-1.sse"} {
		_, stdout, _ := runParley(t, nil, "decode", filepath.Join(recordings, file))
		keys := topLevelKeys(t, stdout)
		if len(keys) < len(want) || strings.Join(keys[:len(want)], ",") != strings.Join(want, ",") {
			t.Errorf("%s: keys %v, want them to start %v", file, keys, want)
		}
	}
}

// topLevelKeys lists an object's keys in the order they were written.
func topLevelKeys(t *testing.T, s string) []string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("want an object, got %v %v", tok, err)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func TestDecodeChoices(t *testing.T) {
	for _, w := range recordingWants {
		t.Run(w.file, func(t *testing.T) {
			code, stdout, stderr := runParley(t, nil, "decode", "--choices", filepath.Join(recordings, w.file))
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
			var text strings.Builder
			for i, line := range lines {
				var c struct {
					Kind  string `json:"kind"`
					Delta string `json:"delta"`
				}
				if err := json.Unmarshal([]byte(line), &c); err != nil || c.Kind == "" {
					t.Fatalf("line %d is not a choice: %v: %s", i, err, line)
				}
				if (c.Kind == "done") != (i == len(lines)-1) {
					t.Fatalf("line %d of %d has kind %q: want exactly one done, last", i, len(lines), c.Kind)
				}
				if c.Kind == "text" {
					text.WriteString(c.Delta)
				}
			}
			if !strings.HasPrefix(text.String(), w.text) || len(text.String()) != w.textBytes {
				t.Errorf("text deltas add up to %q, want %d bytes starting %q", text.String(), w.textBytes, w.text)
			}
		})
	}
}

// TestDecodeWrongAPI: forcing the other format is not an error of parley's
// use; the turn says the stream made no sense in it.
func TestDecodeWrongAPI(t *testing.T) {
	cases := []struct{ file, api, status string }{
		{"responses-text-1.sse", "chat", "truncated"},
		{"responses-web-search-1.sse", "chat", "truncated"},
		{"responses-error-quota-2.sse", "chat", "failed"}, // its error event reads as a Chat error
		{"chat-parallel-tools-1.sse", "responses", "truncated"},
		{"chat-reasoning-content-deepseek-1.sse", "responses", "truncated"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			code, stdout, stderr := runParley(t, nil, "decode", "--api", tc.api, filepath.Join(recordings, tc.file))
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			var got decodeOutput
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			if got.API != tc.api || got.Status != tc.status || got.Error == nil || got.Text != "" || len(got.ToolCalls) != 0 {
				t.Errorf("got api %q status %q error %+v text %q tools %d; want api %q status %q, an error, nothing else",
					got.API, got.Status, got.Error, got.Text, len(got.ToolCalls), tc.api, tc.status)
			}
			if got.Events.Total == 0 || got.Events.Malformed != 0 || got.Events.Unknown < got.Events.Total-1 {
				t.Errorf("events %+v, want every frame (but an error) unknown", got.Events)
			}
		})
	}
}

func TestDecodeStdin(t *testing.T) {
	body, err := os.ReadFile(filepath.Join(recordings, "responses-text-1.sse"))
	if err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"decode", "-"}, {"decode"}, {"decode", "--api", "responses", "-"}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			code, stdout, stderr := runParley(t, bytes.NewReader(body), args...)
			if code != 0 || stderr != "" {
				t.Fatalf("exit %d, stderr %q", code, stderr)
			}
			var got decodeOutput
			if err := json.Unmarshal([]byte(stdout), &got); err != nil {
				t.Fatal(err)
			}
			checkRecording(t, recordingWants[0], &got)
		})
	}
}

func TestDecodeUsageErrors(t *testing.T) {
	file := filepath.Join(recordings, "responses-text-1.sse")
	cases := []struct {
		name    string
		args    []string
		stdin   io.Reader
		message string
	}{
		{"missing file", []string{"decode", filepath.Join(t.TempDir(), "nope.sse")}, nil, "no such file"},
		{"directory", []string{"decode", recordings}, nil, "is a directory"},
		{"bad --api", []string{"decode", "--api", "soap", file}, nil, `--api must be auto, responses or chat, not "soap"`},
		{"unknown flag", []string{"decode", "--colour", file}, nil, "unknown flag: --colour"},
		{"two files", []string{"decode", file, file}, nil, "accepts at most 1 arg"},
		{"unreadable stdin", []string{"decode", "-"}, iotest.ErrReader(errors.New("disk on fire")), "reading standard input: disk on fire"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runParley(t, tc.stdin, tc.args...)
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if stdout != "" {
				t.Errorf("stdout %q, want nothing", stdout)
			}
			if !strings.HasPrefix(stderr, "parley: ") || !strings.Contains(stderr, tc.message) {
				t.Errorf("stderr %q, want a parley: line saying %q", stderr, tc.message)
			}
		})
	}
}

// TestDecodeMalformedFrameLogged: a malformed frame is counted, reported on
// stderr, and does not change the exit code.
func TestDecodeMalformedFrameLogged(t *testing.T) {
	body := "data: {\"type\":\"response.created\",\"response\":{\"id\":\"r\",\"model\":\"m\"}}\n\n" +
		"data: {not json\n\n" +
		"data: {\"type\":\"response.completed\",\"response\":{\"id\":\"r\",\"model\":\"m\"}}\n\n"
	code, stdout, stderr := runParley(t, strings.NewReader(body), "decode")
	if code != 0 {
		t.Fatalf("exit %d, stderr %q", code, stderr)
	}
	var got decodeOutput
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	if got.Status != "completed" || got.Events.Total != 3 || got.Events.Malformed != 1 {
		t.Errorf("status %q events %+v, want completed with 1 malformed of 3", got.Status, got.Events)
	}
	sc := bufio.NewScanner(strings.NewReader(stderr))
	n := 0
	for sc.Scan() {
		n++
		if !strings.Contains(sc.Text(), "level=WARN") || !strings.Contains(sc.Text(), "skipped malformed frame") {
			t.Errorf("stderr line %q, want the malformed-frame warning", sc.Text())
		}
	}
	if n != 1 {
		t.Errorf("%d stderr lines, want 1", n)
	}
}

// TestDecodeHostile: Parley's own hostile stream (control sequences in
// every field) decodes as SOURCES.md says, and the printed JSON holds no
// byte a terminal would act on: encoding/json escapes ESC and the other C0
// controls, and decode escapes C1 (U+0080-U+009F) too. The values survive.
func TestDecodeHostile(t *testing.T) {
	file := filepath.Join(recordings, "hostile-responses.sse")
	for _, args := range [][]string{{"decode", file}, {"decode", "--choices", file}} {
		code, stdout, stderr := runParley(t, nil, args...)
		if code != 0 || stderr != "" {
			t.Fatalf("%v: exit %d, stderr %q", args, code, stderr)
		}
		for i, r := range stdout {
			if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) {
				t.Fatalf("%v: control character %U at byte %d of the output", args, r, i)
			}
		}
		if args[1] == "--choices" {
			continue
		}
		var got decodeOutput
		if err := json.Unmarshal([]byte(stdout), &got); err != nil {
			t.Fatal(err)
		}
		if got.Status != "failed" || got.Error == nil || got.Error.Code != "server_error" ||
			got.Events.Unknown != 0 || got.Events.Malformed != 0 {
			t.Errorf("status %q error %+v events %+v, want failed with server_error, every frame known", got.Status, got.Error, got.Events)
		}
		if !strings.Contains(got.Text, "\u009d") || !strings.Contains(got.Text, "\x1b]52;") {
			t.Errorf("text %q lost its control characters: the JSON must keep the value", got.Text)
		}
	}
}

// TestDecodeNotSSE: a file that holds no server-sent events says so and
// exits 1, instead of printing a "truncated" turn and exiting 0.
func TestDecodeNotSSE(t *testing.T) {
	dir := t.TempDir()
	passwd := filepath.Join(dir, "passwd")
	os.WriteFile(passwd, []byte("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1::/usr/sbin:/usr/sbin/nologin\n"), 0o600)
	empty := filepath.Join(dir, "empty")
	os.WriteFile(empty, nil, 0o600)
	for _, file := range []string{passwd, empty} {
		for _, args := range [][]string{{"decode", file}, {"decode", "--choices", file}} {
			code, stdout, stderr := runParley(t, nil, args...)
			if args[1] == "--choices" {
				stdout = "" // the choices stream out as they come, before the end tells
			}
			if code != 1 || stdout != "" || stderr != "parley: "+file+" is not a server-sent event stream: it has no data: line\n" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q; want exit 1 and one line saying it is not SSE", args, code, stdout, stderr)
			}
		}
	}
	// A stream with only [DONE] is SSE.
	done := filepath.Join(dir, "done.sse")
	os.WriteFile(done, []byte("data: [DONE]\n\n"), 0o600)
	if code, _, stderr := runParley(t, nil, "decode", done); code != 0 {
		t.Errorf("[DONE] only: exit %d, %s", code, stderr)
	}
}
