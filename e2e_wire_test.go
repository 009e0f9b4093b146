package main

// End-to-end tests of the wire against hostile servers: the real binary,
// in one-shot mode or in a pseudo-terminal, against `parley mock-server`.

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// oneShot runs `parley -p` against url with env and returns its exit code,
// output and peak resident memory.
func oneShot(t *testing.T, bin, url string, env []string, args ...string) (code int, stdout, stderr string, peakMiB float64) {
	t.Helper()
	return runParley(t, bin, run{env: append([]string{"OPENAI_BASE_URL=" + url}, env...)}, append([]string{"-p", "hello", "--no-save"}, args...)...)
}

// run is how runParley starts the binary: in dir (default the test's
// own), with stdin (default none) and env added to a bare environment.
type run struct {
	dir   string
	stdin io.Reader
	env   []string
}

// runParley runs the binary with args, not in a terminal, and returns its
// exit code, output and peak resident memory.
func runParley(t *testing.T, bin string, r run, args ...string) (code int, stdout, stderr string, peakMiB float64) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir, cmd.Stdin = r.dir, r.stdin
	cmd.Env = append([]string{"HOME=" + t.TempDir(), "PATH=" + os.Getenv("PATH")}, r.env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		<-done
		t.Fatalf("parley %v did not end within a minute", args)
	}
	return cmd.ProcessState.ExitCode(), out.String(), errb.String(), peakRSS(cmd.ProcessState)
}

// TestE2EWireEchoedKeyIsNeverPrinted: a server whose 401 repeats the
// request's Authorization header does not get the key onto stderr.
func TestE2EWireEchoedKeyIsNeverPrinted(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	const key = "sk-test-e2e-0123456789abcdef"
	code, stdout, stderr, _ := oneShot(t, bin, url, []string{"OPENAI_API_KEY=" + key}, "-m", "fault:echo-auth")
	if code == 0 || strings.Contains(stdout+stderr, key) || strings.Contains(stdout+stderr, "0123456789abcdef") {
		t.Fatalf("exit %d\nstdout %q\nstderr %q\nwant a failure that does not show the key", code, stdout, stderr)
	}
	if !strings.Contains(stderr, "Authorization: Bearer [REDACTED]") {
		t.Errorf("stderr %q: want the echoed header with the key masked", stderr)
	}
}

// TestE2EWireHostileStreamsStayBounded: one 200 MB line and a reply that
// never ends each stop at Parley's limits with a clear error, and the
// process's peak memory stays far below what the server sent.
func TestE2EWireHostileStreamsStayBounded(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	env := []string{"OPENAI_API_KEY=mock"}
	for _, tc := range []struct {
		fault, message string
		code, maxOut   int
	}{
		// An event too large to read is a failed stream (1); a reply cut
		// at the reply limit is an incomplete answer (3).
		{"fault:hugeline", "Parley's limit for one event; the reply was cut there and what arrived is kept.", 1, 0},
		{"fault:endless", "the answer is incomplete: it passed Parley's limit for one reply", 3, 8 << 20},
	} {
		code, stdout, stderr, peak := oneShot(t, bin, url, env, "-m", tc.fault)
		t.Logf("%s: exit %d, %d bytes on stdout, peak RSS %.0f MiB", tc.fault, code, len(stdout), peak)
		if code != tc.code || !strings.Contains(stderr, tc.message) {
			t.Errorf("%s: exit %d, stderr %q; want exit %d saying %q", tc.fault, code, stderr, tc.code, tc.message)
		}
		if len(stdout) > tc.maxOut {
			t.Errorf("%s: %d bytes on stdout, want at most %d", tc.fault, len(stdout), tc.maxOut)
		}
		if peak > 300 {
			t.Errorf("%s: peak RSS %.0f MiB, want under 300", tc.fault, peak)
		}
	}
}

// TestE2EWireDecodeRefusesWhatIsNotSSE: `parley decode /etc/passwd` says
// the file is not an event stream and exits 1.
func TestE2EWireDecodeRefusesWhatIsNotSSE(t *testing.T) {
	bin := parleyBinary(t)
	file := filepath.Join(t.TempDir(), "passwd")
	os.WriteFile(file, []byte("root:x:0:0:root:/root:/bin/bash\n"), 0o600)
	out, err := exec.Command(bin, "decode", file).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 ||
		string(out) != "parley: "+file+" is not a server-sent event stream: it has no data: line\n" {
		t.Errorf("decode: %v, %q; want exit 1 saying it is not SSE", err, out)
	}
}

// TestE2EWireReplayNamesTheRecordedModel: with --replay, the status bar
// names the model the recording answers as, like the reply's header.
func TestE2EWireReplayNamesTheRecordedModel(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParley(t, bin, nil, "--replay", "testdata/streams/responses-text-1.sse")
	tm.waitFor("Replaying testdata/streams/responses-text-1.sse")
	tm.send("hi\r")
	s := tm.waitFor("Hello! How can I assist you today?", "● done")
	if strings.Contains(s, "parley-mock-1") || strings.Count(s, "gpt-4o-mini-2024-07-18") < 2 {
		t.Errorf("want the recorded model in the header and the status bar, not the demo's:\n%s", s)
	}
}

// TestE2EWireMissingReplayFileIsOneSentence: a --replay file that is not
// there is one sentence on stderr.
func TestE2EWireMissingReplayFileIsOneSentence(t *testing.T) {
	bin := parleyBinary(t)
	out, err := exec.Command(bin, "mock-server", "--replay", "nosuch.sse").CombinedOutput()
	if err == nil || string(out) != "parley: the replay file nosuch.sse does not exist\n" {
		t.Errorf("mock-server --replay nosuch.sse: %v, %q", err, out)
	}
}
