package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to write from the command's goroutine
// while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestMockServerCommand(t *testing.T) {
	outR, outW := io.Pipe()
	var stderr lockedBuffer
	root := NewRoot(strings.NewReader(""), outW, &stderr)
	root.SetArgs([]string{"mock-server", "--instant"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	result := make(chan error, 1)
	go func() {
		result <- root.ExecuteContext(ctx)
		outW.Close()
	}()

	first, err := bufio.NewReader(outR).ReadString('\n')
	if err != nil {
		t.Fatalf("reading the base URL: %v", err)
	}
	base := strings.TrimSuffix(first, "\n")
	if !regexp.MustCompile(`^http://127\.0\.0\.1:\d+/v1$`).MatchString(base) {
		t.Fatalf("first stdout line %q is not a base URL", first)
	}
	resp, err := http.Post(base+"/responses", "application/json",
		strings.NewReader(`{"model":"parley-mock-1","stream":true,"input":"markdown demo"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Contains(body, []byte("event: response.completed")) {
		t.Errorf("the served stream did not complete")
	}

	cancel()
	select {
	case err := <-result:
		if err != nil {
			t.Errorf("mock-server returned %v after cancel", err)
		}
	case <-time.After(3 * time.Second):
		t.Fatal("mock-server did not stop when its context was cancelled")
	}
	if _, err := http.Get(base + "/models"); err == nil {
		t.Errorf("server still answers after shutdown")
	}
	// Checked after the command ends: the hint is written after the URL,
	// from the command's goroutine.
	if want := "export OPENAI_BASE_URL=" + base + " OPENAI_API_KEY=mock\n"; stderr.String() != want {
		t.Errorf("stderr %q, want %q", stderr.String(), want)
	}
}

func TestMockServerUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"mock-server", "--replay", "/does/not/exist.sse"},
		{"mock-server", "--speed", "0"},
		{"mock-server", "--speed", "-2"},
		{"mock-server", "--speed", "fast"},
		{"mock-server", "--addr", "no-port"},
		{"mock-server", "extra-arg"},
		{"mock-server", "--no-such-flag"},
	} {
		var stdout, stderr bytes.Buffer
		if code := Execute(args, strings.NewReader(""), &stdout, &stderr); code != exitUsage {
			t.Errorf("%v: exit %d, want %d (stderr %q)", args, code, exitUsage, stderr.String())
		}
		if stdout.Len() != 0 {
			t.Errorf("%v: printed %q on stdout", args, stdout.String())
		}
	}
}
