package mock

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

const faultPrefix = "fault:"

// fault is a failure requested through the model name; see the package
// comment for the grammar.
type fault struct {
	kind       string
	retryAfter int // seconds, for kind "429"
	times      int // 0 = every request; N = only the first N with this model name
}

// Stream faults answer 200 and misbehave inside the stream; the others
// answer with an HTTP error before any stream starts.
const (
	faultDrop       = "drop"
	faultStall      = "stall"
	faultMalformed  = "malformed"
	faultErrorEvent = "error-event"
	faultIncomplete = "incomplete"
	faultContext    = "context"
	// Hostile faults: what a server must never be able to do to a client.
	faultArgsChanged = "args-changed"
	faultEndless     = "endless"
	faultHugeLine    = "hugeline"
	faultEchoAuth    = "echo-auth"
	faultEscapes     = "escapes"
	faultReusedIDs   = "reused-ids"
)

// faultKinds lists every kind, for membership tests and error messages.
const faultKinds = "400, 401, 403, 404, 429, 500, 502, 503, 504, " +
	"context, drop, stall, malformed, error-event, incomplete, " +
	"args-changed, endless, hugeline, echo-auth, escapes, reused-ids"

// parseFault reads a "fault:..." model name. ok is false when the model
// is not a fault at all; err is set when it is one but cannot be read.
func parseFault(model string) (f fault, ok bool, err error) {
	rest, ok := strings.CutPrefix(model, faultPrefix)
	if !ok {
		return fault{}, false, nil
	}
	if r, once := strings.CutSuffix(rest, "-once"); once {
		rest, f.times = r, 1
	} else if i := strings.LastIndexByte(rest, 'x'); i > 0 && isDigits(rest[i+1:]) {
		n, err := strconv.Atoi(rest[i+1:])
		if err != nil || n < 1 {
			return fault{}, true, fmt.Errorf("bad repeat count in %q", model)
		}
		rest, f.times = rest[:i], n
	}
	kind, arg, hasArg := strings.Cut(rest, ":")
	f.kind = kind
	if !isFaultKind(kind) {
		return fault{}, true, fmt.Errorf("unknown fault %q; known faults: %s", kind, faultKinds)
	}
	if hasArg {
		n, err := strconv.Atoi(arg)
		if kind != "429" || !isDigits(arg) || err != nil || n < 1 || n > 3600 {
			return fault{}, true, fmt.Errorf("bad argument %q in %q: only 429 takes one, a Retry-After of 1 to 3600 seconds", arg, model)
		}
		f.retryAfter = n
	} else if kind == "429" {
		f.retryAfter = 1
	}
	return f, true, nil
}

func isFaultKind(kind string) bool {
	return slices.Contains(strings.Split(faultKinds, ", "), kind)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func errBadFault(err error) apiError {
	return apiError{
		status:  http.StatusBadRequest,
		message: "Invalid mock fault model: " + err.Error() + ".",
		typ:     "invalid_request_error",
		param:   "model",
		code:    "invalid_value",
	}
}

// httpError is the error reply for the faults that fail before streaming;
// ok is false for stream faults. The bodies copy real OpenAI replies.
func (f fault) httpError(model string, api apiKind) (apiError, bool) {
	switch f.kind {
	case "400":
		return apiError{status: 400, typ: "invalid_request_error", param: "temperature", code: "decimal_below_min_value",
			message: "Invalid 'temperature': decimal below minimum value. Expected a value >= 0, but got -1 instead. (mock fault:400)"}, true
	case "401":
		return apiError{status: 401, typ: "invalid_request_error", code: "invalid_api_key",
			message: "Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys. (mock fault:401)"}, true
	case "403":
		return apiError{status: 403, typ: "request_forbidden", code: "unsupported_country_region_territory",
			message: "Country, region, or territory not supported (mock fault:403)"}, true
	case "404":
		return apiError{status: 404, typ: "invalid_request_error", param: "model", code: "model_not_found",
			message: fmt.Sprintf("The model `%s` does not exist or you do not have access to it.", model)}, true
	case "429":
		return apiError{status: 429, typ: "requests", code: "rate_limit_exceeded", retryAfter: f.retryAfter,
			message: fmt.Sprintf("Rate limit reached for %s in organization org-mock on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in %ds. Visit https://platform.openai.com/account/rate-limits to learn more.", defaultModel, f.retryAfter)}, true
	case "500":
		return apiError{status: 500, typ: "server_error", code: "server_error",
			message: "The server had an error while processing your request. Sorry about that! (mock fault:500)"}, true
	case "502":
		return apiError{status: 502, typ: "server_error", code: "bad_gateway",
			message: "Bad gateway: the upstream server returned an invalid response. (mock fault:502)"}, true
	case "503":
		return apiError{status: 503, typ: "server_error", code: "server_is_overloaded",
			message: "The server is overloaded or not ready yet. (mock fault:503)"}, true
	case "504":
		return apiError{status: 504, typ: "server_error", code: "timeout",
			message: "Gateway timeout: the request took too long to complete. (mock fault:504)"}, true
	case faultContext:
		e := apiError{status: 400, typ: "invalid_request_error", param: "input", code: "context_length_exceeded",
			message: "Your input exceeds the context window of this model. Please adjust your input and try again."}
		if api == apiChat {
			e.param = "messages"
			e.message = "This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages."
		}
		return e, true
	}
	return apiError{}, false
}
