package main

// End-to-end tests of the audit's smaller fixes: what the command line
// says when a session, a match or a file is not there, -p's progress and
// hints, doctor's account of the demo backend, and plain output.

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
)

// A session saved by -p against the demo backend, in a database of the
// test's own.
func savedSession(t *testing.T, bin string) (db string) {
	t.Helper()
	db = filepath.Join(t.TempDir(), "parley.db")
	if code, _, stderr, _ := runParley(t, bin, run{}, "-p", "why is the sky blue", "--db", db); code != 0 {
		t.Fatalf("-p against the demo backend: exit %d, %s", code, stderr)
	}
	return db
}

// Asking for a session, a match or a file that is not there gets one
// sentence on stderr and exit 1 (2 for a file to decode, a usage error):
// before, "no session matches "nosuch": not found", "nothing deleted: no
// session has id ...: not found", "open /nonexist: no such file or
// directory", and a search with no match printed nothing and exited 0.
func TestE2EFixesNotFoundIsOneSentence(t *testing.T) {
	bin := parleyBinary(t)
	db := savedSession(t, bin)
	for _, c := range []struct {
		args   []string
		code   int
		stderr string
	}{
		{[]string{"sessions", "show", "nosuch", "--db", db}, 1, `parley: no session matches "nosuch" (parley sessions list shows them)`},
		{[]string{"sessions", "rm", "nosuch", "--db", db}, 1, `parley: no session has id "nosuch"; nothing was deleted`},
		{[]string{"sessions", "search", "zzzzqqq", "--db", db}, 1, `parley: no saved message matches "zzzzqqq"`},
		{[]string{"sessions", "search", "--json", "zzzzqqq", "--db", db}, 1, `parley: no saved message matches "zzzzqqq"`},
		{[]string{"decode", "/nonexist"}, 2, `parley: cannot decode /nonexist: there is no such file`},
	} {
		code, stdout, stderr, _ := runParley(t, bin, run{}, c.args...)
		if code != c.code || stderr != c.stderr+"\n" {
			t.Errorf("parley %s: exit %d, stderr %q; want exit %d, %q", strings.Join(c.args, " "), code, stderr, c.code, c.stderr)
		}
		want := "" // --json still prints a list, an empty one
		if strings.Contains(strings.Join(c.args, " "), "--json") {
			want = "[]\n"
		}
		if stdout != want {
			t.Errorf("parley %s: stdout %q, want %q", strings.Join(c.args, " "), stdout, want)
		}
	}
	// A search that matches still exits 0 and prints the hit.
	if code, stdout, stderr, _ := runParley(t, bin, run{}, "sessions", "search", "sky", "--db", db); code != 0 || !strings.Contains(stdout, "[sky]") {
		t.Errorf("a search that matches: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
}

// -p on a terminal names the tools that have run on its progress line
// ("ran calculator, clock · waiting for ..."), not only the one running,
// and leaves none of it on the screen with the answer. Before, the line
// said only "running calculator, clock", gone once they ended.
func TestE2EFixesProgressNamesFinishedTools(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParley(t, bin, nil, "-p", "use the calculator", "--yolo", "--no-save")
	if code := tm.exit(); code != 0 {
		t.Fatalf("exit %d:\n%s", code, tm.screen())
	}
	if !regexp.MustCompile(`ran (calculator, clock|clock, calculator) · waiting for parley-mock-1`).MatchString(tm.output()) {
		t.Errorf("the progress line never named the tools that ran:\n%q", tm.output())
	}
	if s := tm.screen(); strings.Contains(s, "ran ") || strings.Contains(s, "waiting for") || !strings.Contains(s, "calculator") {
		t.Errorf("the progress line was left with the answer, or the answer is missing:\n%s", s)
	}
}

// When -p stops at --max-steps, its hint is one that works: with
// --no-save there is no session to continue, so it says to ask again
// with more steps; a saved session is named, and the command given goes
// on with it. Before, both said "parley -c -p "go on" continues the
// session", which with --no-save continued some other session.
func TestE2EFixesMaxStepsHint(t *testing.T) {
	bin := parleyBinary(t)
	prompt := []string{"-p", "use the calculator", "--yolo", "--max-steps", "1"}
	code, _, stderr, _ := runParley(t, bin, run{}, append(prompt, "--no-save")...)
	if code != 3 || !strings.Contains(stderr, "stopped after 1 tool round (--max-steps)") ||
		!strings.Contains(stderr, "not saved, so ask again with a higher --max-steps") || strings.Contains(stderr, "go on") {
		t.Errorf("--no-save: exit %d, stderr %q", code, stderr)
	}

	db := filepath.Join(t.TempDir(), "my sessions.db")
	code, _, stderr, _ = runParley(t, bin, run{}, append(prompt, "--db", db)...)
	m := regexp.MustCompile(`parley --session (\w+) --db '([^']+)' -p "go on" continues it`).FindStringSubmatch(stderr)
	if code != 3 || m == nil || m[2] != db {
		t.Fatalf("saved: exit %d, stderr %q", code, stderr)
	}
	if code, _, stderr, _ = runParley(t, bin, run{}, "--session", m[1], "--db", m[2], "-p", "go on", "--yolo"); code != 0 {
		t.Fatalf("the hint's command: exit %d, %s", code, stderr)
	}
	_, stdout, _, _ := runParley(t, bin, run{}, "sessions", "show", m[1], "--db", db)
	if !strings.Contains(stdout, "use the calculator") || !strings.Contains(stdout, "go on") {
		t.Errorf("the session did not go on:\n%s", stdout)
	}
}

// doctor -v with the demo backend does not say it speaks OpenAI's API
// ("api = responses (preset openai)", as before): the demo backend is
// named on every line that was resolved for OpenAI.
func TestE2EFixesDoctorDemoNamesTheDemoBackend(t *testing.T) {
	bin := parleyBinary(t)
	_, stdout, stderr, _ := runParley(t, bin, run{env: []string{"XDG_CONFIG_HOME=" + t.TempDir()}}, "doctor", "-v")
	out := stdout + stderr
	if !strings.Contains(out, "uses the built-in demo backend") ||
		!strings.Contains(out, "api = responses (the demo backend's default; it serves --api chat too)") {
		t.Errorf("doctor -v with the demo backend:\n%s", out)
	}
	if strings.Contains(strings.ToLower(out), "openai") {
		t.Errorf("doctor -v with the demo backend mentions OpenAI:\n%s", out)
	}
}

// EDITOR is split into a program and its arguments by Parley and run
// without a shell, as on Windows, where there is no sh: here PATH holds
// the editor alone, and both the chat's editor key and parley config edit
// run it with its arguments and the file. Before, both ran sh -c, which
// is not found.
func TestE2EFixesEditorRunsWithoutAShell(t *testing.T) {
	bin := parleyBinary(t)
	dir := filepath.Join(t.TempDir(), "my tools")
	if err := os.Mkdir(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	// It records its arguments, then appends to the file it was given.
	script := "#!/bin/sh\nfor a; do printf '%s\\n' \"$a\"; last=$a; done > \"${0%/*}/args\"\n" +
		"printf '%s' \"$EDIT_WITH\" >> \"$last\"\n"
	editor := filepath.Join(dir, "ed")
	if err := os.WriteFile(editor, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	env := []string{"PATH=" + dir, "VISUAL=", "EDITOR='" + editor + "' --wait -c 'set ft=markdown'"}
	args := func() string {
		b, _ := os.ReadFile(filepath.Join(dir, "args"))
		return string(b)
	}

	tm := startParley(t, bin, append(env, "EDIT_WITH= and more from the editor"), "--no-save")
	tm.waitFor("Ask anything")
	tm.send("draft text")
	tm.waitFor("draft text")
	tm.send("\x0f") // ctrl+o
	tm.waitFor("draft text and more from the editor")
	if a := args(); !strings.HasPrefix(a, "--wait\n-c\nset ft=markdown\n") {
		t.Errorf("the chat's editor got %q", a)
	}

	config := t.TempDir()
	code, _, stderr, _ := runParley(t, bin, run{env: append(env, "XDG_CONFIG_HOME="+config, "EDIT_WITH=\nmodel = \"edited\"\n")},
		"config", "edit")
	saved, _ := os.ReadFile(filepath.Join(config, "parley", "config.toml"))
	if code != 0 || !strings.HasSuffix(string(saved), "\nmodel = \"edited\"\n") {
		t.Fatalf("config edit: exit %d, stderr %q, file ends %q", code, stderr, saved[max(0, len(saved)-40):])
	}
	if a := args(); a != "--wait\n-c\nset ft=markdown\n"+filepath.Join(config, "parley", "config.toml")+"\n" {
		t.Errorf("config edit's editor got %q", a)
	}
}

// An MCP server that fails gets one plain sentence in the chat, saying
// that Parley gave up and when it tries again, not a Go error chain
// (before: "MCP server s failed to start: connection closed: calling
// "initialize": client is closing: EOF (it said: ...)", and it was never
// tried again). Once fixed, the next prompt brings it back.
func TestE2EFixesMCPFailureInTheChat(t *testing.T) {
	bin := parleyBinary(t)
	marker := filepath.Join(t.TempDir(), "started")
	if err := os.WriteFile(marker, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := writeE2EConfig(t, fmt.Sprintf("[mcp.s]\ncommand = [%q]\nenv = [%q]\n", echoServer(t), "ECHO_MODE=once:"+marker))
	tm := startParley(t, bin, nil, "--config", cfg, "--no-save")
	s := tm.waitFor("MCP server s is not running: it exited as it started. Parley tries it again with your next prompt")
	if strings.Contains(s, "initialize") || strings.Contains(s, "EOF") {
		t.Errorf("a Go error chain on screen:\n%s", s)
	}
	os.Remove(marker)
	tm.send("hello" + keyEnter)
	tm.waitFor("MCP server s reconnected: 16 tools")
}

// colourSGR finds a select-graphic-rendition sequence that sets a colour
// (30-38, 40-48, 90-97, 100-107; 39 and 49 put the default back).
func colourSGR(raw string) string {
	for _, m := range regexp.MustCompile(`\x1b\[([0-9;:]*)m`).FindAllStringSubmatch(raw, -1) {
		for _, p := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ';' || r == ':' }) {
			n, _ := strconv.Atoi(p)
			if n >= 30 && n <= 38 || n >= 40 && n <= 48 || n >= 90 && n <= 97 || n >= 100 && n <= 107 {
				return m[0]
			}
		}
	}
	return ""
}

// Goldens of plain output: the chat's first screen and a -p answer on a
// terminal with NO_COLOR=1, and both with TERM=dumb (the chat then says
// it cannot run and points to -p). No colour escape is written, and what
// is shown stays readable: the goldens are what a user reads.
// go test -run TestE2EFixesPlainOutput -update rewrites them.
func TestE2EFixesPlainOutput(t *testing.T) {
	bin := parleyBinary(t)
	for _, c := range []struct {
		name string
		env  []string
		args []string
		code int
		// noEscapes: nothing but text and newlines is written.
		noEscapes bool
	}{
		{"chat_NO_COLOR", []string{"NO_COLOR=1"}, nil, -1, false},
		{"chat_TERM_dumb", []string{"TERM=dumb"}, nil, 2, true},
		{"p_NO_COLOR", []string{"NO_COLOR=1"}, []string{"-p", "show me markdown", "-m", "parley-mock-markdown"}, 0, false},
		{"p_TERM_dumb", []string{"TERM=dumb"}, []string{"-p", "show me markdown", "-m", "parley-mock-markdown"}, 0, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			rows := 40 // the chat's screen; -p's answer, whole
			if c.args != nil {
				rows = 200
			}
			tm := startParleySized(t, bin, 120, rows, c.env, append(c.args, "--no-save")...)
			if c.code < 0 { // the chat runs: its first screen
				tm.waitFor("Ask anything")
			} else if code := tm.exit(); code != c.code {
				t.Fatalf("exit %d, want %d:\n%s", code, c.code, tm.screen())
			}
			screen := tm.screen()
			raw := tm.output()
			if c.code < 0 {
				tm.send(keyCtrlC)
				tm.exit()
			}
			if sgr := colourSGR(raw); sgr != "" || tm.colouredCells() != 0 {
				t.Errorf("a colour escape %q was written", sgr)
			}
			if c.noEscapes && strings.ContainsAny(raw, "\x1b\x07") {
				t.Errorf("escapes written to a dumb terminal: %q", raw[:min(len(raw), 300)])
			}
			golden.RequireEqual(t, []byte(trimLines(screen)))
		})
	}
}

// trimLines drops the spaces at the ends of a screen's lines and the
// empty lines after its last.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.TrimRight(strings.Join(lines, "\n"), "\n") + "\n"
}
