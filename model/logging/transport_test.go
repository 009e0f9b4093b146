package logging

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestTransportLogsFailuresAndTraces(t *testing.T) {
	const body = `{"error":{"message":"Incorrect API key provided: sk-test-SENTINEL-12345.","code":"invalid_api_key"}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req_123")
		if r.URL.Path == "/ok" {
			io.WriteString(w, "fine")
			return
		}
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, body)
	}))
	defer srv.Close()

	for _, level := range []slog.Level{slog.LevelInfo, slog.LevelDebug} {
		var buf bytes.Buffer
		log := slog.New(NewRedactor(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: level})))
		client := &http.Client{Transport: Transport(nil, log)}

		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1?api-key=query-SENTINEL-3", strings.NewReader("{}"))
		req.Header.Set("Authorization", "Bearer sk-test-SENTINEL-12345")
		req.Header.Set("api-key", "SENTINEL2-header")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body) // the peek must not eat the body
		resp.Body.Close()
		if string(got) != body {
			t.Errorf("the caller read %q, want the whole body", got)
		}
		resp, err = client.Get(srv.URL + "/ok")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()

		out := buf.String()
		for _, s := range []string{"SENTINEL"} {
			if strings.Contains(out, s) {
				t.Errorf("level %v: %q leaked:\n%s", level, s, out)
			}
		}
		for _, want := range []string{`msg="request failed"`, "status=401", "request_id=req_123", "Incorrect API key provided"} {
			if !strings.Contains(out, want) {
				t.Errorf("level %v: no %q in:\n%s", level, want, out)
			}
		}
		traced := strings.Contains(out, `msg="http request"`) && strings.Contains(out, "body_bytes=2") &&
			strings.Contains(out, `msg="http response"`) && strings.Contains(out, "header.X-Request-Id=req_123") &&
			strings.Contains(out, "header.Authorization="+Mask)
		if traced != (level == slog.LevelDebug) {
			t.Errorf("level %v: traced = %v:\n%s", level, traced, out)
		}
		if strings.Count(out, `msg="request failed"`) != 1 {
			t.Errorf("level %v: the 200 was logged as a failure:\n%s", level, out)
		}
	}
}

func TestTransportLogsUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close() // nothing listens there now
	var buf bytes.Buffer
	log := slog.New(NewRedactor(slog.NewTextHandler(&buf, nil)))
	_, err := (&http.Client{Transport: Transport(nil, log)}).Get(url + "/v1/models")
	if err == nil {
		t.Fatal("want an error")
	}
	if !strings.Contains(buf.String(), `msg="request failed"`) || !strings.Contains(buf.String(), "refused") {
		t.Errorf("log:\n%s", buf.String())
	}
}
