package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --web-search on a Chat Completions server that is not OpenAI's cannot
// work: it is refused before anything is sent, saying why.
func TestWebSearchOnAChatServerIsRefused(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "hi", "--web-search", "--api", "chat", "--base-url", "http://127.0.0.1:9/v1", "--no-save"},
		strings.NewReader(""), &out, &errb)
	if code != exitUsage || !strings.Contains(errb.String(), "--web-search: this server (chat API at http://127.0.0.1:9/v1/chat/completions) has no hosted web search") {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
}

// From the config file the same setting only warns, and the prompt is
// answered without search.
func TestWebSearchFromTheFileOnAChatServerWarns(t *testing.T) {
	t.Setenv("XDG_STATE_HOME", t.TempDir())
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	if err := os.WriteFile(cfg, []byte("web_search = true\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	var out, errb bytes.Buffer
	code := Execute([]string{"-p", "hi", "--config", cfg, "--api", "chat", "--no-save"}, strings.NewReader(""), &out, &errb)
	if code != 0 || !strings.Contains(errb.String(), "web_search is set in the config file, but this server") {
		t.Fatalf("exit %d, stderr %q, stdout %q", code, errb.String(), out.String())
	}
}
