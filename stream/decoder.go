package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"time"
)

// Stats counts the frames a decoder saw. Unknown frames (keepalive, event
// types newer than Parley) and malformed ones (JSON that does not parse)
// are skipped, never fatal, and counted here so they are never silent.
type Stats struct {
	Total     int `json:"total"`
	Unknown   int `json:"unknown"`
	Malformed int `json:"malformed"`
}

// Decoder turns an SSE body into choices. The last choice is always
// KindDone; Next returns io.EOF after it. A Decoder is used from one
// goroutine, except Close, which may be called from any.
type Decoder struct {
	frames *frameReader
	api    API
	log    *slog.Logger
	ctx    context.Context
	stall  time.Duration
	redact redactor
	// maxEvent bounds one SSE event; zero or less means no limit. The
	// reply limit is kept by budget.
	maxEvent int
	budget   replyBudget

	resp  *responsesState
	chat  *chatState
	queue []Choice
	head  int
	stats Stats
	ended bool
}

// DecoderOption configures a Decoder.
type DecoderOption func(*Decoder)

// WithLogger sends notes about skipped frames to l.
func WithLogger(l *slog.Logger) DecoderOption { return func(d *Decoder) { d.log = l } }

// WithStallTimeout ends the stream with a stream_stalled error when no
// bytes arrive for t. Zero waits for ever.
func WithStallTimeout(t time.Duration) DecoderOption { return func(d *Decoder) { d.stall = t } }

// WithMaxEventBytes ends the stream with an event_too_large error when one
// SSE line or event passes n bytes, before it is buffered whole. Zero or
// less means no limit; without the option it is DefaultMaxEventBytes.
func WithMaxEventBytes(n int) DecoderOption { return func(d *Decoder) { d.maxEvent = n } }

// WithMaxReplyBytes ends the reply with a reply_too_large error and status
// incomplete (reason "reply_limit") once its text, refusal, reasoning and
// tool arguments pass n bytes. What the stream hands out around them (raw
// items, citations, final arguments, a cost per part or call) has a bound
// of its own, proportional to n (see replyBudget), past which the reply
// ends the same way with a reply_overhead error. What came before stays.
// Zero or less means no limit; without the option it is
// DefaultMaxReplyBytes.
func WithMaxReplyBytes(n int) DecoderOption { return func(d *Decoder) { d.budget.max = n } }

// WithRedact passes every error message the stream carries (error events,
// response.failed) through f before it is handed out.
func WithRedact(f func(string) string) DecoderOption {
	return func(d *Decoder) { d.redact.hook = f }
}

// withContext lets the decoder tell a cancel from a dropped connection.
func withContext(ctx context.Context) DecoderOption { return func(d *Decoder) { d.ctx = ctx } }

// withRedactor hands the decoder its client's redactor.
func withRedactor(r redactor) DecoderOption { return func(d *Decoder) { d.redact = r } }

// NewDecoder reads body as a stream in the given format (APIAuto detects it).
func NewDecoder(body io.Reader, api API, opts ...DecoderOption) *Decoder {
	d := &Decoder{api: api, log: slog.New(slog.DiscardHandler),
		maxEvent: DefaultMaxEventBytes, budget: replyBudget{max: DefaultMaxReplyBytes}}
	for _, o := range opts {
		o(d)
	}
	if d.api == "" {
		d.api = APIAuto
	}
	if d.maxEvent > 0 {
		body = newLimitReader(body, d.maxEvent)
	}
	d.frames = newFrameReader(body, d.stall)
	return d
}

// API is the format being decoded: APIAuto until the first frame tells.
func (d *Decoder) API() API { return d.api }

// Stats returns the frame counts so far.
func (d *Decoder) Stats() Stats { return d.stats }

// Close releases the body. Safe to call more than once and from another
// goroutine than Next; a Next in progress returns soon after.
func (d *Decoder) Close() error {
	d.frames.close()
	return nil
}

// Next returns the next choice.
func (d *Decoder) Next() (Choice, error) {
	c, _, err := d.next(true)
	return c, err
}

// TryNext returns the next choice if the bytes already read hold it, and
// ok false, without waiting, if the body must be read again first. A
// caller that shows choices once per frame takes what TryNext gives, then
// waits for its frame before calling Next, which reads what arrived
// meanwhile at once.
func (d *Decoder) TryNext() (c Choice, ok bool, err error) {
	return d.next(false)
}

func (d *Decoder) next(block bool) (Choice, bool, error) {
	for d.head >= len(d.queue) {
		if d.ended {
			return Choice{}, true, io.EOF
		}
		d.queue, d.head = d.queue[:0], 0
		if !d.step(block) {
			return Choice{}, false, nil
		}
	}
	c := d.queue[d.head]
	d.queue[d.head] = Choice{}
	d.head++
	return c, true, nil
}

// emit queues a choice, counting it against the reply's budget. Once the
// budget is spent the reply ends there: an error, a done, and nothing
// after.
func (d *Decoder) emit(c Choice) {
	if d.ended {
		return
	}
	if e := d.budget.spend(c); e != nil {
		d.queue = append(d.queue, Choice{Kind: KindError, Err: e})
		c = Choice{Kind: KindDone, Done: &Done{Status: StatusIncomplete, IncompleteReason: ReasonReplyLimit}}
	}
	if c.Kind == KindError {
		e := *c.Err
		c.Err = d.redact.error(&e)
	}
	d.queue = append(d.queue, c)
	if c.Kind == KindDone {
		d.ended = true
		d.frames.close()
	}
}

// step reads one frame and queues what it yields. Without block, it
// reports false when the frame is not all there yet.
func (d *Decoder) step(block bool) bool {
	event, data, err := d.frames.next(block)
	switch {
	case errors.Is(err, errWouldBlock):
		return false
	case err != nil:
		d.end(err)
	default:
		d.frame(event, data)
	}
	return true
}

// frame handles one SSE frame.
func (d *Decoder) frame(event, data string) {
	if d.log.Enabled(context.Background(), slog.LevelDebug) { // free when tracing is off
		d.log.Debug("sse frame", "event", event, "bytes", len(data))
	}
	if strings.TrimSpace(data) == "[DONE]" {
		// The Chat terminator. OpenAI's Responses API never sends it;
		// some proxies do, after the terminal event.
		if d.api == APIChat || (d.api == APIAuto && event == "") {
			d.ensureChat().done(d.emit)
		}
		return
	}
	d.stats.Total++
	raw := []byte(data)
	if d.api == APIAuto {
		d.detect(event, raw)
	}
	switch d.api {
	case APIResponses:
		var ev responsesEvent
		if err := json.Unmarshal(raw, &ev); err != nil {
			d.malformed(event, data, err)
			return
		}
		if ev.Type == "" {
			ev.Type = event
		}
		if !d.ensureResponses().handle(&ev, d.emit) {
			d.stats.Unknown++
			d.log.Debug("skipped unknown event", "type", ev.Type)
		}
	case APIChat:
		c, err := decodeChat(raw)
		if err != nil {
			d.malformed(event, data, err)
			return
		}
		if event == "error" && c.Error == nil {
			// Groq-style `event: error` whose body is not the usual envelope.
			c.Error = &wireError{Message: data}
		}
		if c.Choices == nil && c.Usage == nil && c.Error == nil && c.ID == "" && c.Model == "" {
			// Valid JSON but nothing a chunk carries (a Responses event
			// read as Chat, a proxy's own keepalive): count it, so it is
			// not dropped silently.
			d.stats.Unknown++
			d.log.Debug("skipped unknown chunk", "event", event)
			return
		}
		d.ensureChat().handle(c, d.emit)
	default:
		if json.Valid(raw) {
			d.stats.Unknown++
		} else {
			d.malformed(event, data, errors.New("invalid JSON"))
		}
	}
}

// detect settles the format from the first frame that says which it is.
func (d *Decoder) detect(event string, raw []byte) {
	var probe struct {
		Type    string          `json:"type"`
		Object  string          `json:"object"`
		Choices json.RawMessage `json:"choices"`
		Error   json.RawMessage `json:"error"`
	}
	if json.Unmarshal(raw, &probe) != nil {
		if strings.HasPrefix(event, "response.") {
			d.api = APIResponses
		}
		return
	}
	switch {
	case probe.Type != "" || strings.HasPrefix(event, "response."):
		d.api = APIResponses
	case strings.HasPrefix(probe.Object, "chat.completion") || probe.Choices != nil || probe.Error != nil:
		d.api = APIChat
	}
}

func (d *Decoder) malformed(event, data string, err error) {
	d.stats.Malformed++
	if len(data) > 200 {
		data = data[:200] + "…"
	}
	d.log.Warn("skipped malformed frame", "event", event, "error", err, "data", data)
}

func (d *Decoder) ensureResponses() *responsesState {
	if d.resp == nil {
		d.resp = newResponsesState(func(msg string, args ...any) { d.log.Warn(msg, args...) })
	}
	return d.resp
}

func (d *Decoder) ensureChat() *chatState {
	if d.chat == nil {
		d.chat = &chatState{log: func(msg string, args ...any) { d.log.Warn(msg, args...) }}
	}
	return d.chat
}

// end closes a stream whose body ended, stalled or broke before a terminal
// choice. What arrived stays; the Done says how it ended.
func (d *Decoder) end(err error) {
	d.frames.close()
	clean := errors.Is(err, io.EOF)
	if d.api == APIChat && clean && d.chat != nil && (d.chat.finish != "" || d.chat.sawError) {
		// Servers that send no [DONE] (Groq after an error, some local ones).
		d.chat.done(d.emit)
		return
	}
	if d.resp != nil && d.resp.sawError && clean {
		d.emit(Choice{Kind: KindDone, Done: &Done{Status: StatusFailed}})
		return
	}
	e := &Error{Code: CodeTruncated, Retryable: true, Cause: err,
		Message: "The stream ended before the reply was complete; what arrived is kept."}
	var big errEventTooLarge
	switch {
	case errors.As(err, &big):
		e = &Error{Code: CodeEventTooLarge, Cause: err,
			Message: "The server sent " + big.Error() + ", Parley's limit for one event; the reply was cut there and what arrived is kept."}
	case d.ctx != nil && d.ctx.Err() != nil:
		e = &Error{Code: CodeCancelled, Message: "Cancelled; the reply so far is kept.", Cause: d.ctx.Err()}
	case errors.Is(err, errStalled):
		e = &Error{Code: CodeStalled, Retryable: true, Cause: err,
			Message: fmt.Sprintf("The server sent nothing for %s; the reply so far is kept.", d.stall)}
	case !clean && !errors.Is(err, io.ErrUnexpectedEOF):
		e = &Error{Code: CodeDropped, Retryable: true, Cause: err,
			Message: "The connection dropped mid-reply (" + err.Error() + "); the reply so far is kept."}
	}
	d.emit(Choice{Kind: KindError, Err: e})
	d.emit(Choice{Kind: KindDone, Done: &Done{Status: StatusTruncated}})
}

// DecodeAll reads a whole body and returns the accumulated turn, for
// `parley decode` and tests.
func DecodeAll(body io.Reader, api API, opts ...DecoderOption) (*Turn, error) {
	d := NewDecoder(body, api, opts...)
	defer d.Close()
	t := NewTurn()
	for {
		c, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return t, err
		}
		t.Add(c)
	}
	t.API = d.API()
	t.Events = d.Stats()
	return t, nil
}
