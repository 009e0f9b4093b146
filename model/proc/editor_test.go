package proc

import (
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func TestSplitPOSIX(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"vi", []string{"vi"}},
		{"  code   --wait ", []string{"code", "--wait"}},
		{"emacsclient -t -a ''", []string{"emacsclient", "-t", "-a", ""}},
		{`'/opt/my editor/ed' -w`, []string{"/opt/my editor/ed", "-w"}},
		{`"/opt/my editor/ed" "a \"b\" \$HOME \x"`, []string{"/opt/my editor/ed", `a "b" $HOME \x`}},
		{`/opt/my\ editor/ed -c 'set ft=md'`, []string{"/opt/my editor/ed", "-c", "set ft=md"}},
		{"vim -u\\\nNONE", []string{"vim", "-uNONE"}},
		{`ed; rm -rf $HOME`, []string{"ed;", "rm", "-rf", "$HOME"}}, // no shell: nothing runs but ed
		{"", nil},
	} {
		got, err := splitPOSIX(c.in)
		if err != nil || !slices.Equal(got, c.want) {
			t.Errorf("splitPOSIX(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
	}
	for _, bad := range []string{`vim 'x`, `vim "x`, `vim \`} {
		if got, err := splitPOSIX(bad); err == nil {
			t.Errorf("splitPOSIX(%q) = %q, want an error", bad, got)
		}
	}
}

func TestSplitWindows(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"notepad", []string{"notepad"}},
		{`"C:\Program Files\Notepad++\notepad++.exe" -multiInst -nosession`,
			[]string{`C:\Program Files\Notepad++\notepad++.exe`, "-multiInst", "-nosession"}},
		{`C:\tools\ed.exe --wait`, []string{`C:\tools\ed.exe`, "--wait"}},
		{`code --wait ""`, []string{"code", "--wait", ""}},
		{`ed a\\\"b "c d\\" e`, []string{"ed", `a\"b`, `c d\`, "e"}},
		{`ed C:\dir\\ x`, []string{"ed", `C:\dir\\`, "x"}},
		{`ed "open to the end`, []string{"ed", "open to the end"}},
		{`ed 'single' quotes`, []string{"ed", "'single'", "quotes"}},
	} {
		if got := splitWindows(c.in); !slices.Equal(got, c.want) {
			t.Errorf("splitWindows(%q) = %q; want %q", c.in, got, c.want)
		}
	}
}

// Editor runs what VISUAL, else EDITOR, names, with its arguments and
// the file, without a shell; a program that is not there is one sentence.
func TestEditor(t *testing.T) {
	dir := t.TempDir()
	ed := filepath.Join(dir, "my editor")
	if runtime.GOOS == "windows" {
		ed += ".exe"
	}
	if err := os.WriteFile(ed, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	quoted := `'` + ed + `'`
	if runtime.GOOS == "windows" {
		quoted = `"` + ed + `"`
	}
	env := map[string]string{"EDITOR": quoted + " --wait", "VISUAL": ""}
	c, err := Editor(func(k string) string { return env[k] }, "notes.txt")
	if err != nil || c.Path != ed || !slices.Equal(c.Args[1:], []string{"--wait", "notes.txt"}) {
		t.Fatalf("Editor = %v %q, %v", c, c.Args, err)
	}
	env["VISUAL"] = "no-such-editor-anywhere -x"
	if _, err := Editor(func(k string) string { return env[k] }, "notes.txt"); err == nil ||
		err.Error() != "VISUAL runs no-such-editor-anywhere, which is not installed or not on PATH; set VISUAL or EDITOR to an editor you have" {
		t.Errorf("a missing editor: %v", err)
	}
	env["VISUAL"] = "'vim"
	if _, err := Editor(func(k string) string { return env[k] }, "x"); runtime.GOOS != "windows" &&
		(err == nil || !strings.Contains(err.Error(), "VISUAL ('vim) cannot be read as a command")) {
		t.Errorf("an unclosed quote: %v", err)
	}
}
