package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	stdlog "log"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
)

const (
	sentinelKey    = "sk-test-SENTINEL-12345"
	sentinelHeader = "SENTINEL2"
)

// startMock starts an instant mock server and returns its base URL.
func startMock(t *testing.T) string {
	t.Helper()
	srv, err := mock.New(mock.Options{Instant: true})
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return url
}

// readLog returns the log file under the state directory state.
func readLog(t *testing.T, state string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(state, "parley", "parley.log"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// debugCommand is a command with --debug set, as setupLogging sees it.
func debugCommand(t *testing.T, debug bool) *cobra.Command {
	cmd := &cobra.Command{Use: "parley"}
	addDebugFlag(cmd)
	if debug {
		cmd.PersistentFlags().Set("debug", "true")
	}
	cmd.SetErr(io.Discard)
	return cmd
}

// TestDebugTracesHaveNoKeys streams a reply from the mock in both wire
// formats with --debug, then reads the log file: requests, responses and
// SSE frames are traced, and neither the key nor the api-key header's
// value appears.
func TestDebugTracesHaveNoKeys(t *testing.T) {
	state := t.TempDir()
	url := startMock(t)
	getenv := env(map[string]string{"XDG_STATE_HOME": state})
	logger, closeLog, err := setupLogging(debugCommand(t, true), getenv)
	if err != nil {
		t.Fatal(err)
	}
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		cfg := withLogging(stream.Config{BaseURL: url, API: api, APIKey: sentinelKey,
			Header: http.Header{"Api-Key": {sentinelHeader}}}, logger)
		s, err := stream.NewClient(cfg).Stream(context.Background(), stream.Request{
			Model: "parley-mock-1", Input: []stream.InputItem{{Role: "user", Text: "hello " + sentinelKey}}})
		if err != nil {
			t.Fatal(err)
		}
		for {
			if _, err := s.Next(); errors.Is(err, io.EOF) {
				break
			}
		}
		s.Close()
		// A failure is logged at info level with the server's message.
		_, err = stream.NewClient(cfg).Stream(context.Background(), stream.Request{Model: "fault:401"})
		if err == nil {
			t.Fatal("fault:401: want an error")
		}
	}
	closeLog()

	log := readLog(t, state)
	for _, want := range []string{
		`msg=start`, `debug=true`, `msg="http request"`, `url=` + url + `/responses`, `url=` + url + `/chat/completions`,
		"body_bytes=", `msg="http response"`, "status=200", `msg="sse frame"`, "event=response.output_text.delta",
		"header.Authorization=[REDACTED]", "header.Api-Key=[REDACTED]",
		`msg="request failed"`, "status=401", "request_id=", `msg=stop`,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("no %q in the log:\n%s", want, log)
		}
	}
	for _, secret := range []string{sentinelKey, sentinelHeader} {
		if strings.Contains(log, secret) {
			t.Errorf("%q is in the log:\n%s", secret, log)
		}
	}
}

// TestOneShotDebugLogsThroughTheChatPath runs a real chat-path request
// (one-shot) with PARLEY_DEBUG, a key and a key-carrying header from the
// config file, and reads the log.
func TestOneShotDebugLogsThroughTheChatPath(t *testing.T) {
	state := t.TempDir()
	t.Setenv("XDG_STATE_HOME", state)
	t.Setenv("PARLEY_DEBUG", "1")
	t.Setenv("OPENAI_BASE_URL", startMock(t))
	t.Setenv("OPENAI_API_KEY", sentinelKey)
	cfg := writeConfig(t, "[providers.openai]\nheaders = { api-key = \""+sentinelHeader+"\" }\n")
	var out, errb bytes.Buffer
	if code := Execute([]string{"--config", cfg, "-p", "hi", "-m", "parley-mock-1"}, strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	log := readLog(t, state)
	for _, want := range []string{`msg=chat provider=openai model=parley-mock-1`, `msg="http request"`, `msg="sse frame"`} {
		if !strings.Contains(log, want) {
			t.Errorf("no %q in the log:\n%s", want, log)
		}
	}
	for _, secret := range []string{sentinelKey, sentinelHeader} {
		if strings.Contains(log, secret) || strings.Contains(out.String()+errb.String(), secret) {
			t.Errorf("%q leaked:\nlog:\n%s\nout: %s%s", secret, log, out.String(), errb.String())
		}
	}
}

func TestSetupLoggingOwnsTheDefaultLoggers(t *testing.T) {
	state := t.TempDir()
	before := slog.Default()
	logger, closeLog, err := setupLogging(debugCommand(t, false), env(map[string]string{"XDG_STATE_HOME": state}))
	if err != nil {
		t.Fatal(err)
	}
	if slog.Default() != logger {
		t.Error("slog's default is not the file logger")
	}
	slog.Info("from slog", "authorization", "Bearer sk-abc-secret-value")
	stdlog.Print("from the log package")
	logger.Debug("not at info level")
	closeLog()
	if slog.Default() != before {
		t.Error("slog's default was not restored")
	}
	log := readLog(t, state)
	for _, want := range []string{"from slog", "from the log package", "debug=false"} {
		if !strings.Contains(log, want) {
			t.Errorf("no %q in the log:\n%s", want, log)
		}
	}
	if strings.Contains(log, "secret-value") || strings.Contains(log, "not at info level") {
		t.Errorf("log:\n%s", log)
	}
}

func TestSetupLoggingWithoutAFile(t *testing.T) {
	var errb bytes.Buffer
	cmd := debugCommand(t, false)
	cmd.SetErr(&errb)
	noPlace := env(nil) // neither XDG_STATE_HOME nor HOME
	logger, closeLog, err := setupLogging(cmd, noPlace)
	if err != nil || logger == nil {
		t.Fatalf("without --debug a missing log is a warning: %v", err)
	}
	closeLog()
	if !strings.Contains(errb.String(), "warning: no log file") {
		t.Errorf("stderr %q", errb.String())
	}
	if _, _, err := setupLogging(debugCommand(t, true), noPlace); err == nil {
		t.Error("with --debug a missing log is an error")
	}
}
