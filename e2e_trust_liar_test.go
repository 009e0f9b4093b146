package main

// End-to-end: servers that lie in ways `parley mock-server` does not,
// written here: arguments that change after a Chat stream finished, or
// whose two final forms disagree; a stream of one-byte deltas at full
// speed; a model list of 100,000 ids; a 401 whose message is 10 MB, or
// that hides the key where Parley cuts the message. Memory stays bounded,
// and what the user sees is what happens.

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// liar serves handler on loopback and returns the base URL.
func liar(t *testing.T, handler http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(handler)
	t.Cleanup(srv.Close)
	return srv.URL
}

// chatChunk is one Chat Completions chunk, as a data line.
func chatChunk(delta string, finish string) string {
	f := "null"
	if finish != "" {
		f = `"` + finish + `"`
	}
	return `data: {"id":"c","object":"chat.completion.chunk","model":"m","choices":[{"index":0,"delta":` + delta + `,"finish_reason":` + f + "}]}\n\n"
}

// toolFragment is a delta holding one tool_calls element.
func toolFragment(index int, id, name, args string) string {
	fn, _ := json.Marshal(map[string]string{"name": name, "arguments": args})
	if id != "" {
		return fmt.Sprintf(`{"tool_calls":[{"index":%d,"id":%q,"type":"function","function":%s}]}`, index, id, fn)
	}
	return fmt.Sprintf(`{"tool_calls":[{"index":%d,"function":%s}]}`, index, fn)
}

// A Chat Completions server sends a call, finishes, and then sends more
// of its arguments, a new id and another name for it, and a second call.
// Nothing after the finish counts: the prompt shows the arguments as they
// were at the finish, and the tool receives exactly them. A Responses
// server whose arguments.done and output_item.done disagree gets the one
// the prompt shows run, and only that one.
func TestE2ELiarArgumentsChangeAfterTheyAreFinal(t *testing.T) {
	bin := parleyBinary(t)
	chatStream := chatChunk(toolFragment(0, "call_1", "echo", `{"msg": "hel`), "") +
		chatChunk(toolFragment(0, "", "", `lo"}`), "") +
		chatChunk(`{}`, "tool_calls") +
		chatChunk(toolFragment(0, "", "", `, "then": "rm -rf ~ AFTER-FINISH"}`), "") +
		chatChunk(toolFragment(0, "call_evil", "evil", `{"msg": "AFTER-FINISH"}`), "") +
		chatChunk(toolFragment(1, "call_2", "echo", `{"msg": "AFTER-FINISH"}`), "") +
		"data: [DONE]\n\n"
	responsesStream := sse(
		`{"type":"response.output_item.added","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"echo","arguments":""}}`,
		`{"type":"response.function_call_arguments.delta","item_id":"fc_1","output_index":0,"delta":"{\"msg\": \"streamed-args\"}"}`,
		`{"type":"response.function_call_arguments.done","item_id":"fc_1","output_index":0,"arguments":"{\"msg\": \"done-event-args\"}"}`,
		`{"type":"response.output_item.done","output_index":0,"item":{"type":"function_call","id":"fc_1","call_id":"call_1","name":"echo","arguments":"{\"msg\": \"item-done\"}","status":"completed"}}`)
	for _, c := range []struct {
		api, body string
		ran       string // what the tool must receive: the one the prompt shows
		others    []string
	}{
		{"chat", chatStream, `{"msg": "hello"}`, []string{"AFTER-FINISH", "evil"}},
		{"responses", responsesStream, `{"msg": "item-done"}`, []string{"streamed-args", "done-event-args"}},
	} {
		t.Run(c.api, func(t *testing.T) {
			var answered atomic.Bool
			url := liar(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/event-stream")
				if answered.Swap(true) {
					fmt.Fprint(w, chatChunk(`{"content":"All done."}`, "stop")+"data: [DONE]\n\n")
					return
				}
				fmt.Fprint(w, c.body)
			})
			cfg, received := echoTool(t, false)
			tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "--config", cfg, "--api", c.api, "-m", "m", "--no-save")
			tm.waitFor("Ask anything")
			tm.send("run it" + keyEnter)
			tm.waitForPrompt("Run echo?", strings.Trim(c.ran, "{}"))
			s := tm.screen()
			for _, o := range c.others {
				if strings.Contains(s, o) {
					t.Errorf("the screen shows %q, which does not run:\n%s", o, s)
				}
			}
			time.Sleep(guardWait)
			tm.send("y")
			if got := waitForFile(t, received); got != c.ran+"\n" {
				t.Errorf("the tool received %q, the prompt showed %q", got, c.ran)
			}
			if c.api == "chat" {
				tm.waitFor("All done.", "Tool calls · 1")
			}
		})
	}
}

// endlessBytes serves, to every request, a Responses stream of one-byte
// text deltas ("w" and " " in turn) as fast as the connection takes them.
func endlessBytes(t *testing.T) string {
	t.Helper()
	return liar(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/event-stream")
		fmt.Fprint(w, `data: {"type":"response.created","response":{"id":"r","model":"m","status":"in_progress"}}`+"\n\n")
		var chunk strings.Builder
		for i := range 512 {
			fmt.Fprintf(&chunk, `data: {"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":%q}`+"\n\n", "w "[i%2:i%2+1])
		}
		for r.Context().Err() == nil {
			if _, err := fmt.Fprint(w, chunk.String()); err != nil {
				return
			}
		}
	})
}

// One-byte deltas at full speed, each an event of ~150 bytes: the chat
// keeps up in little memory and cancels at once.
func TestE2ELiarOneByteDeltasAtFullSpeed(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + endlessBytes(t)}, "-m", "m", "--no-save")
	tm.waitFor("Ask anything")
	tm.send("go" + keyEnter)
	tm.waitFor("● streaming", "w w w")
	time.Sleep(5 * time.Second)
	t.Logf("one-byte deltas: esc esc cancelled on screen %v after the key", tm.cancelLatency(keyEsc, keyEsc).Round(time.Millisecond))
	peak, _ := tm.watchPeakRSS(time.Second, "● cancelled")
	t.Logf("one-byte deltas: peak RSS %.0f MiB after 5 s", peak)
	if peak > 300 {
		t.Errorf("peak RSS %.0f MiB, want under 300", peak)
	}
}

// The same stream stops at a reply limit set on the command line: the
// chat with the text kept, -p with what arrived printed and exit 3.
func TestE2ELiarOneByteDeltasStopAtTheReplyLimit(t *testing.T) {
	bin := parleyBinary(t)
	env := []string{mockKeyEnv, mockBaseEnv + endlessBytes(t)}
	tm := startParley(t, bin, env, "-m", "m", "--no-save", "--max-reply-size", "256KiB")
	tm.waitFor("Ask anything")
	tm.send("go" + keyEnter)
	peak, took := tm.watchPeakRSS(3*time.Minute, "● error", "limit for one reply")
	t.Logf("one-byte deltas: the 256 KiB reply limit stopped the reply after %v; peak RSS %.0f MiB", took.Round(100*time.Millisecond), peak)
	if peak > 300 {
		t.Errorf("peak RSS %.0f MiB, want under 300", peak)
	}
	if s := tm.screen(); !strings.Contains(s, "w w w") {
		t.Errorf("the text is not kept:\n%s", s)
	}

	t.Skip("known bug (audit N, branch fixes-core): the reply limit counts each delta's SSE framing, so one-byte deltas stop at about 8 KB of text, not 256 KiB")
	code, stdout, stderr, peak := runParley(t, bin, run{env: env}, "-p", "go", "-m", "m", "--no-save", "--max-reply-size", "256KiB")
	t.Logf("one-byte deltas, -p: exit %d, %d bytes printed, peak RSS %.0f MiB", code, len(stdout), peak)
	if code != 3 || !strings.Contains(stderr, "limit for one reply") || len(stdout) < 128<<10 || len(stdout) > 300<<10 || peak > 300 {
		t.Errorf("-p: exit %d, %d bytes on stdout, peak %.0f MiB, stderr %q; want exit 3 with the reply up to the limit", code, len(stdout), peak, stderr)
	}
}

// modelList answers /models with n ids, model-000000 up.
func modelList(n int) []byte {
	var b strings.Builder
	b.WriteString(`{"object":"list","data":[`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"model-%06d","object":"model","owned_by":"liar"}`, i)
	}
	b.WriteString("]}")
	return []byte(b.String())
}

// modelServer answers /models with list.
func modelServer(t *testing.T, list []byte) string {
	t.Helper()
	return liar(t, func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/models") {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(list)
	})
}

// A /models answer of 100,000 ids: `parley models` lists them all, in
// bounded memory.
func TestE2ELiarHundredThousandModels(t *testing.T) {
	bin := parleyBinary(t)
	env := []string{mockKeyEnv, mockBaseEnv + modelServer(t, modelList(100_000))}
	code, stdout, stderr, peak := runParley(t, bin, run{env: env}, "models")
	t.Logf("100,000 models: parley models printed %d lines, peak RSS %.0f MiB", strings.Count(stdout, "\n"), peak)
	if code != 0 || strings.Count(stdout, "model-") != 100_000 || !strings.Contains(stdout, "model-099999") || peak > 300 {
		t.Errorf("exit %d, %d ids listed, peak %.0f MiB, stderr %q", code, strings.Count(stdout, "model-"), peak, stderr)
	}
}

// The chat's model picker takes the 100,000 ids and stays responsive: the
// filter finds one, and enter picks it.
func TestE2ELiarHundredThousandModelsInThePicker(t *testing.T) {
	t.Skip("known bug, see the hardening report: ui/model_picker.go's listed adds each id with a linear duplicate check, on the UI goroutine: 100,000 ids freeze the chat for about 35 s")
	bin := parleyBinary(t)
	env := []string{mockKeyEnv, mockBaseEnv + modelServer(t, modelList(100_000))}
	tm := startParley(t, bin, env, "-m", "m", "--no-save")
	tm.waitFor("Ask anything")
	tm.send("\x0c") // ctrl+l
	tm.waitFor("Choose a model")
	tm.send("model-099998")
	tm.waitFor("model-099998 · openai")
	tm.send(keyEnter)
	tm.waitFor("● ready model-099998")
}

// errorBody is a 401 whose JSON message is size bytes, with the key
// echoed at its end.
func errorBody(size int, key string) []byte {
	msg := "Incorrect API key provided. " + strings.Repeat("A", size) + " You sent " + key + "."
	b, _ := json.Marshal(map[string]any{"error": map[string]any{"message": msg, "type": "invalid_request_error", "code": "invalid_api_key"}})
	return b
}

// A 401 whose message is 10 MB: -p and the chat fail at once with the
// server's words, cut to a size a screen can show, in bounded memory. A
// body cut where the key was echoed never shows a piece of the key.
func TestE2ELiarHugeAndCunningErrors(t *testing.T) {
	bin := parleyBinary(t)
	env := []string{"OPENAI_API_KEY=" + sentinelKey}
	for _, c := range []struct {
		name string
		body []byte
	}{
		{"10 MB", errorBody(10<<20, sentinelKey)},
		{"60 KB", errorBody(60<<10, sentinelKey)},
		// Not JSON: Parley shows the body's start, cut in the key.
		{"cut in the key", []byte(strings.Repeat("A", 275) + " you sent " + sentinelKey + " and more")},
	} {
		t.Run(c.name, func(t *testing.T) {
			url := liar(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				w.Write(c.body)
			})
			env := append(env, mockBaseEnv+url)
			code, stdout, stderr, peak := runParley(t, bin, run{env: env}, "-p", "hi", "-m", "m", "--no-save")
			t.Logf("%s: -p exit %d, %d bytes on stderr, peak RSS %.0f MiB", c.name, code, len(stderr), peak)
			if code != 1 || stdout != "" || !strings.Contains(stderr, "AAAA") || peak > 300 {
				t.Errorf("exit %d, stdout %q, stderr %.300q", code, stdout, stderr)
			}
			if len(stderr) > 4<<10 {
				t.Errorf("stderr holds %d bytes of the server's message", len(stderr))
			}
			assertNoSecret(t, "-p", stderr)

			tm := startParley(t, bin, env, "-m", "m", "--no-save")
			tm.waitFor("Ask anything")
			tm.send("hi" + keyEnter)
			s := tm.waitFor("● error", "AAAA")
			assertNoSecret(t, "the chat", s)
			lines := 0
			for line := range strings.Lines(s) {
				if strings.Contains(line, "AAAA") {
					lines++
				}
			}
			if lines > 12 {
				t.Errorf("the message fills %d lines of the screen:\n%s", lines, s)
			}
		})
	}
}

// A /models answer past Parley's limit is refused as too large, not
// misnamed as broken JSON; the configured models are still listed.
func TestE2ELiarModelListTooLarge(t *testing.T) {
	bin := parleyBinary(t)
	env := []string{mockKeyEnv, mockBaseEnv + modelServer(t, modelList(200_000))}
	code, stdout, stderr, peak := runParley(t, bin, run{env: env}, "models")
	t.Logf("200,000 models: exit %d, peak RSS %.0f MiB, stderr %q", code, peak, stderr)
	if strings.Contains(stderr, "not JSON") || !strings.Contains(stderr, "larger than 8 MiB") || !strings.Contains(stdout, "gpt-5-mini") || peak > 300 {
		t.Errorf("exit %d, stdout %.200q, stderr %q; want the list said to be too large, and the configured models", code, stdout, stderr)
	}
}
