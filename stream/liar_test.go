package stream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// liar serves every request with status, contentType and body.
func liar(t *testing.T, status int, contentType string, body []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// streamError is the error Stream returns against url.
func streamError(t *testing.T, url string) *Error {
	t.Helper()
	_, err := NewClient(secretConfig(url, APIResponses)).Stream(context.Background(), Request{Model: "m"})
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want an *Error", err)
	}
	return e
}

// A server's message too long to show is cut; one that echoes the key
// where the message is cut shows no piece of the key.
func TestServerMessagesAreCutAfterRedaction(t *testing.T) {
	long, _ := json.Marshal(map[string]any{"error": map[string]any{
		"message": "Bad key. " + strings.Repeat("A", 50<<10) + " You sent " + secretHeader + ".",
		"code":    strings.Repeat("c", 5<<10), "type": "invalid_request_error"}})
	e := streamError(t, liar(t, http.StatusUnauthorized, "application/json", long))
	if !strings.HasPrefix(e.Message, "Bad key. AAAA") || !strings.HasSuffix(e.Message, "…") || len(e.Message) > maxMessage+len("…") {
		t.Errorf("a 50 KB message became %d bytes: %.80q…", len(e.Message), e.Message)
	}
	if len(e.Code) > maxMessage+len("…") {
		t.Errorf("a 5 KB code became %d bytes", len(e.Code))
	}

	// Not JSON: the body's start is shown, cut at 300 bytes, which here
	// fall inside the echoed secret.
	for _, secret := range []string{secretKey, secretHeader} {
		body := strings.Repeat("A", 300-len(" you sent ")-len(secret)/2) + " you sent " + secret + " and more"
		e := streamError(t, liar(t, http.StatusUnauthorized, "text/plain", []byte(body)))
		if half := secret[:len(secret)/2]; strings.Contains(e.Message, half) || !strings.Contains(e.Message, Mask) {
			t.Errorf("the cut fell in %q and shows %q of it: %q", secret, half, e.Message)
		}
	}

	// A stream's error event: the same.
	event := fmt.Sprintf(`data: {"type":"error","code":"server_error","message":%q}`+"\n\n",
		strings.Repeat("B", 20<<10)+secretKey)
	s, err := NewClient(secretConfig(liar(t, http.StatusOK, "text/event-stream", []byte(event)), APIResponses)).
		Stream(context.Background(), Request{Model: "m"})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for {
		c, err := s.Next()
		if err != nil {
			t.Fatalf("no error choice: %v", err)
		}
		if c.Kind == KindError {
			if len(c.Err.Message) > maxMessage+len("…") || strings.Contains(c.Err.Message, "0123456789") {
				t.Errorf("the error event's message is %d bytes: %.80q", len(c.Err.Message), c.Err.Message)
			}
			break
		}
	}
}

// A model list past the limit is refused as too large, not as bad JSON.
func TestModelListTooLarge(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"data":[`)
	for i := 0; b.Len() <= maxModelList; i++ {
		fmt.Fprintf(&b, `{"id":"model-%07d","object":"model"},`, i)
	}
	b.WriteString(`{"id":"last"}]}`)
	_, err := NewClient(secretConfig(liar(t, http.StatusOK, "application/json", []byte(b.String())), APIResponses)).
		ListModels(context.Background())
	if err == nil || !strings.Contains(err.Error(), "The model list is larger than 8 MiB, Parley's limit for it.") {
		t.Errorf("err = %v, want the list refused as too large", err)
	}
	_, err = NewClient(secretConfig(liar(t, http.StatusOK, "application/json", []byte(`{"data":[{"id":`)), APIResponses)).
		ListModels(context.Background())
	if err == nil || !strings.Contains(err.Error(), "The model list is not JSON") {
		t.Errorf("err = %v, want a short list that is not JSON said to be so", err)
	}
}
