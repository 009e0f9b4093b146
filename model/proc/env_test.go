package proc

import (
	"runtime"
	"slices"
	"testing"
)

func TestEnviron(t *testing.T) {
	parent := []string{
		"HOME=/home/me", "PATH=/bin", "OPENAI_API_KEY=sk-sentinel", "ANTHROPIC_API_KEY=x", "LC_ALL=C",
		"LC_=odd", "GITHUB_TOKEN=ghp", "BASH_FUNC_f%%=() { echo hi; }", "SHELL=() { evil; }", "=C:=C:\\", "noequals",
		"TERM=xterm",
	}
	got := Environ(parent, []string{"GITHUB_TOKEN", "MISSING"}, []string{"TERM=dumb", "EXTRA=1"})
	want := []string{"HOME=/home/me", "PATH=/bin", "LC_ALL=C", "GITHUB_TOKEN=ghp", "TERM=dumb", "EXTRA=1"}
	if !slices.Equal(got, want) {
		t.Errorf("Environ = %q\nwant       %q", got, want)
	}
	// A provider key passes only when named.
	if got := Environ(parent, []string{"OPENAI_API_KEY"}, nil); !slices.Contains(got, "OPENAI_API_KEY=sk-sentinel") {
		t.Errorf("named key: %q", got)
	}
	if got := Environ(nil, nil, nil); len(got) != 0 {
		t.Errorf("empty: %q", got)
	}
}

func TestEnvironWindowsCase(t *testing.T) {
	if runtime.GOOS != "windows" {
		t.Skip("names match case-insensitively on Windows only")
	}
	got := Environ([]string{"Path=C:\\bin", "SystemRoot=C:\\Windows", "github_token=x"}, []string{"GITHUB_TOKEN"}, []string{"PATH=D:\\"})
	if !slices.Equal(got, []string{"PATH=D:\\", "SystemRoot=C:\\Windows", "github_token=x"}) {
		t.Errorf("Environ = %q", got)
	}
}
