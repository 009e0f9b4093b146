package mock

import (
	"net/http"
	"strconv"
)

// apiError is the body of every non-200 reply, in OpenAI's envelope:
// {"error":{"message":..,"type":..,"param":..,"code":..}}.
type apiError struct {
	status     int
	message    string
	typ        string
	param      string // "" is sent as null
	code       string // "" is sent as null
	retryAfter int    // seconds; 0 = no Retry-After header
}

type errorEnvelope struct {
	Error errorBody `json:"error"`
}

type errorBody struct {
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

func (e apiError) body() errorEnvelope {
	return errorEnvelope{Error: errorBody{
		Message: e.message,
		Type:    e.typ,
		Param:   nullable(e.param),
		Code:    nullable(e.code),
	}}
}

func nullable(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// writeError sends e as a JSON reply. Streaming APIs reply to rejected
// requests this way too (not as SSE), so clients must check the status first.
func writeError(w http.ResponseWriter, e apiError) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if e.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	writeJSON(w, e.status, e.body())
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := marshal(v)
	if err != nil {
		// Only our own types are marshalled here; failing is a bug.
		http.Error(w, `{"error":{"message":"mock server could not encode its reply","type":"server_error","param":null,"code":null}}`, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(append(b, '\n'))
}

func errNotFound(method, path string) apiError {
	return apiError{
		status:  http.StatusNotFound,
		message: "Invalid URL (" + method + " " + path + ")",
		typ:     "invalid_request_error",
		code:    "not_found",
	}
}

func errMethodNotAllowed(method, path string) apiError {
	return apiError{
		status:  http.StatusMethodNotAllowed,
		message: "Method " + method + " is not allowed for " + path + ".",
		typ:     "invalid_request_error",
		code:    "method_not_allowed",
	}
}

func errTooLarge(limit int64) apiError {
	return apiError{
		status:  http.StatusRequestEntityTooLarge,
		message: "Request body too large: the mock server accepts at most " + strconv.FormatInt(limit>>20, 10) + " MiB.",
		typ:     "invalid_request_error",
		code:    "request_too_large",
	}
}

func errBadJSON(cause error) apiError {
	return apiError{
		status:  http.StatusBadRequest,
		message: "We could not parse the JSON body of your request: " + cause.Error(),
		typ:     "invalid_request_error",
		code:    "invalid_json",
	}
}

func errReadBody(cause error) apiError {
	return apiError{
		status:  http.StatusBadRequest,
		message: "Could not read the request body: " + cause.Error(),
		typ:     "invalid_request_error",
	}
}

func errNotStreaming() apiError {
	return apiError{
		status:  http.StatusBadRequest,
		message: `The Parley mock server only supports streaming; set "stream": true in the request.`,
		typ:     "invalid_request_error",
		param:   "stream",
		code:    "unsupported_value",
	}
}

func errShuttingDown() apiError {
	return apiError{
		status:  http.StatusServiceUnavailable,
		message: "The mock server is shutting down.",
		typ:     "server_error",
		code:    "server_shutting_down",
	}
}
