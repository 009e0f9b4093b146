// Package mock is a loopback HTTP server that speaks OpenAI's streaming APIs
// (Responses and Chat Completions) with scripted replies and injectable
// faults. Tests, the TUI's offline demo backend and recorded demos use it.
//
// Routes: POST /v1/responses, POST /v1/chat/completions, GET /v1/models and
// GET /v1/models/{model}. Anything else gets 404 with an OpenAI-shaped JSON
// error. Only streaming requests ("stream": true) are served; others get 400.
// Request bodies over Options.MaxBodyBytes (128 MiB, room for the
// attachments a client may send) get 413. Server.Requests keeps the last
// 100 requests (bodies cut at 1 MiB; the attachments each carried, read
// from the whole body) for tests to inspect, and Options.RequestLog
// receives every one as a line of JSON (parley mock-server --request-log).
//
// # Which reply a request gets
//
// A "fault:..." model name injects a fault (below). Otherwise, if the
// input ends with tool results (function_call_output items after the last
// user message in a Responses request; role "tool" messages after the last
// user message in a Chat request), the reply is a short text that quotes
// each tool output, closing the tool loop. Then the model names
// "parley-mock-markdown", "parley-mock-reasoning" and "parley-mock-tools"
// force that script.
//
// If the last user message carries attachments, the reply says what it
// received: each file's name, kind and size, a text file's line count and
// first line, an image's size in pixels, a PDF's pages when they are
// written plainly. Fenced text files ("File: path" then a code fence, as
// Parley sends one) count, as do image and file parts sent as data URLs
// on either API; a text part "Image: name" just before an image names it.
//
// Otherwise the last user message picks the script: the message is split
// into words (runs of letters and digits, lower-cased) and the first rule
// with a word starting with one of its keywords wins:
//
//  1. "tool", "weather", "calculat", "clock" -> tools (two parallel function calls)
//  2. "sky" -> sky (reasoning, then why the sky is blue: the welcome screen's prompt)
//  3. "think", "reason", "why"   -> reasoning (two summary parts, then text)
//  4. "markdown", "demo", "table", "code" -> markdown (a ~3 KB rich reply)
//
// If none matches, the server cycles markdown, reasoning, tools, markdown, ...
// counting only the requests that reached this rule.
//
// The tools script calls the demo backend's own tools, calculator and
// clock, when the request offers them (so a client's tool loop runs for
// real); otherwise it makes its two scripted calls.
//
// # Faults
//
// A model name of the form "fault:KIND[:ARG][xN|-once]" injects KIND. With
// xN (or -once, meaning x1) only the first N requests carrying that exact
// model name fail; later ones get the markdown script, so tests can watch a
// retry succeed. An unknown kind gets 400 invalid_value listing the known
// ones. Kinds:
//
//   - 400 401 403 404 429 500 502 503 504: that HTTP status with an
//     OpenAI-shaped error body. 429 sends Retry-After: ARG (default 1).
//   - context: 400 context_length_exceeded.
//   - drop: a 200 stream cut off after a few text deltas (the connection is
//     aborted, so the client sees an unexpected EOF).
//   - stall: a 200 stream that goes silent after a few text deltas until
//     Options.StallAfter passes, the client leaves or the server closes.
//   - malformed: a short reply with broken JSON frames, a keepalive event
//     and an unknown event type mixed in; it still completes.
//   - error-event: an in-stream error (nested production shape) followed by
//     response.failed (Chat: an "event: error" frame and no [DONE]).
//   - incomplete: half the markdown script, then response.incomplete with
//     reason max_output_tokens (Chat: finish_reason "length").
//
// Hostile kinds, what a server must never be able to do to a client:
//
//   - args-changed: a call (to the first tool the request offers, else
//     "echo") whose deltas stream {"msg": "hello"} while
//     function_call_arguments.done and output_item.done say
//     {"msg": "rm -rf ~ EXECUTED-FINAL"} (Chat: fragments after the
//     finish that would change the arguments).
//   - reused-ids: two calls with the same item id and call id, and every
//     later reply under this fault reuses them again.
//   - endless: a text reply that never ends, sent as fast as the
//     connection takes it, until the client leaves.
//   - hugeline: one 200 MB SSE line (a text delta), then a normal end.
//   - echo-auth: a 401 whose message repeats the request's headers,
//     Authorization included.
//   - escapes: terminal escapes (OSC 0 title, OSC 52 clipboard, OSC 8 link,
//     CSI clears and cursor moves, ESC[201~, a C1 CSI, BEL) in every field:
//     the model id, reasoning, text, citation title and URL, the tool name
//     and arguments, and the error that ends the stream.
//
// Options.Fault applies one kind to every request whatever its model, and
// to /v1/models where it means something there: echo-auth answers it with
// the 401, escapes lists a model id full of escapes.
//
// With Options.Replay set, every POST to a streaming route is answered with
// the bytes of a recorded SSE file, frame by frame, and /v1/models lists the
// model the recording names first (Server.ReplayModel).
package mock
