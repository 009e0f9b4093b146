package stream

import (
	"fmt"
	"time"
)

// Error codes Parley itself assigns, next to the server's own codes
// (rate_limit_exceeded, insufficient_quota, context_length_exceeded...).
const (
	CodeTruncated  = "stream_truncated"   // body ended before a terminal event
	CodeStalled    = "stream_stalled"     // no bytes for longer than the stall timeout
	CodeDropped    = "connection_dropped" // the connection broke mid-stream
	CodeCancelled  = "cancelled"          // the caller cancelled
	CodeConnection = "connection_error"   // could not reach the server
	CodeHTTP       = "http_error"         // a non-2xx reply without a code of its own
	CodeBadReply   = "bad_response"       // a 2xx reply that is not an event stream
	// CodeEventTooLarge: one SSE line or event passed Config.MaxEventBytes.
	CodeEventTooLarge = "event_too_large"
	// CodeReplyTooLarge: the reply passed Config.MaxReplyBytes.
	CodeReplyTooLarge = "reply_too_large"
	// CodeReplyOverhead: what came with the reply's text (calls,
	// citations, parts, raw items) passed the bound that goes with
	// Config.MaxReplyBytes.
	CodeReplyOverhead = "reply_overhead"
	// CodeUnsupported: the request asks for what this server cannot do.
	CodeUnsupported = "unsupported"
)

// ReasonReplyLimit is Done.IncompleteReason when Parley cut a reply at
// Config.MaxReplyBytes (the server's own reasons are max_output_tokens and
// content_filter).
const ReasonReplyLimit = "reply_limit"

// Error is what went wrong, in a form the UI can show and a caller can act
// on. Message is the sentence for the user (the server's own words where it
// sent some); Cause is for the log.
type Error struct {
	Code       string        `json:"code"`
	Message    string        `json:"message"`
	Type       string        `json:"type,omitempty"`
	Param      string        `json:"param,omitempty"`
	HTTPStatus int           `json:"http_status,omitempty"`
	Retryable  bool          `json:"retryable"`
	RetryAfter time.Duration `json:"retry_after,omitempty"`
	Cause      error         `json:"-"`
}

func (e *Error) Error() string {
	var s string
	switch {
	case e.HTTPStatus != 0 && e.Code != "":
		s = fmt.Sprintf("%s (HTTP %d, %s)", e.Message, e.HTTPStatus, e.Code)
	case e.HTTPStatus != 0:
		s = fmt.Sprintf("%s (HTTP %d)", e.Message, e.HTTPStatus)
	case e.Code != "":
		s = fmt.Sprintf("%s (%s)", e.Message, e.Code)
	default:
		s = e.Message
	}
	return s
}

func (e *Error) Unwrap() error { return e.Cause }

// fatalCodes are server error codes that no retry can fix.
var fatalCodes = map[string]bool{
	"context_length_exceeded": true,
	"insufficient_quota":      true,
	"usage_not_included":      true,
	"invalid_api_key":         true,
	"invalid_prompt":          true,
	"model_not_found":         true,
}

// retryableCode says whether an error code reported inside a stream (the
// `error` event, response.failed) is worth another attempt.
func retryableCode(code string) bool {
	switch code {
	case "rate_limit_exceeded", "server_error", "server_is_overloaded", "slow_down",
		"too_many_requests", CodeStalled, CodeDropped, CodeTruncated, CodeConnection:
		return true
	}
	return false
}
