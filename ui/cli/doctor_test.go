package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image/color"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/charmbracelet/colorprofile"
)

// fakeTerm is a terminal that answers from its fields.
type fakeTerm struct {
	isTerm   bool
	w, h     int
	profile  colorprofile.Profile
	bg       color.Color
	kitty    bool
	flags    int
	queryErr error
	tmux     map[string]string // "show -gv set-clipboard" -> "on"
}

func (f *fakeTerm) IsTerminal() bool                   { return f.isTerm }
func (f *fakeTerm) Size() (int, int, error)            { return f.w, f.h, nil }
func (f *fakeTerm) ColorProfile() colorprofile.Profile { return f.profile }
func (f *fakeTerm) Background() (color.Color, error)   { return f.bg, f.queryErr }
func (f *fakeTerm) KittyKeyboard() (bool, int, error)  { return f.kitty, f.flags, f.queryErr }
func (f *fakeTerm) Tmux(args ...string) (string, error) {
	v, ok := f.tmux[strings.Join(args, " ")]
	if !ok {
		return "", errors.New("no server running")
	}
	return v, nil
}

// refusedURL is a base URL where nothing listens.
func refusedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr + "/v1"
}

// twoProviders is a config whose provider "mocked" answers and "gone"
// refuses connections; "mocked" takes its key from $WORK_KEY.
func twoProviders(t *testing.T, mockURL, goneURL string) string {
	return writeConfig(t, fmt.Sprintf(`provider = "mocked"
model = "parley-mock-1"

[providers.mocked]
api = "chat"
base_url = %q
api_key_env = "WORK_KEY"

[providers.gone]
api = "chat"
base_url = %q
`, mockURL, goneURL))
}

// lines are the output's lines that start with a status.
func statusLines(out string) []string {
	var ls []string
	for _, l := range strings.Split(out, "\n") {
		if regexp.MustCompile(`^(ok  |warn|FAIL|skip) `).MatchString(l) {
			ls = append(ls, l)
		}
	}
	return ls
}

func TestDoctorWithAFakeTerminal(t *testing.T) {
	mockURL, goneURL := startMock(t), refusedURL(t)
	cfg := twoProviders(t, mockURL, goneURL)
	term := &fakeTerm{isTerm: true, w: 120, h: 40, profile: colorprofile.TrueColor,
		bg: color.RGBA{0x1e, 0x1e, 0x2e, 0xff}, kitty: true, flags: 1}
	getenv := env(map[string]string{"WORK_KEY": sentinelKey, "TERM": "xterm-kitty", "TERM_PROGRAM": "kitty",
		"XDG_STATE_HOME": t.TempDir()})
	var out bytes.Buffer
	failed := runDoctor(context.Background(), &out, doctorOptions{
		flags: chatFlags{config: cfg}, getenv: getenv, term: term, reachTimeout: 2 * time.Second,
	})
	got := statusLines(out.String())
	want := []string{
		"ok   config " + cfg,
		"ok   settings: provider mocked, model parley-mock-1",
		"ok   log ",
		"ok   provider mocked key: $WORK_KEY (22 characters)",
		"ok   provider mocked server: " + mockURL + " answers (4 models)",
		"ok   provider gone key: none configured, none sent",
		"FAIL provider gone server: " + goneURL + ": connection refused",
		"ok   terminal: TERM=xterm-kitty, TERM_PROGRAM=kitty",
		"ok   size: 120x40",
		"ok   colours: TrueColor (24-bit)",
		"ok   background: dark (#1e1e2e), so the dark theme is used",
		"ok   keyboard: kitty keyboard protocol (flags 1): shift+enter is told from enter",
		"ok   clipboard: OSC 52 is sent",
		"ok   mouse: ",
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d:\n%s", len(got), len(want), out.String())
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("line %d = %q, want it to start %q", i, got[i], want[i])
		}
	}
	if failed != 1 {
		t.Errorf("failed = %d, want 1", failed)
	}
	if !strings.Contains(out.String(), "fix: is the server running? start it, or correct base_url at "+cfg+":11") {
		t.Errorf("no fix for the refused server:\n%s", out.String())
	}
	if strings.Contains(out.String(), sentinelKey) {
		t.Errorf("the key is in the output:\n%s", out.String())
	}
}

func TestDoctorTerminalProblems(t *testing.T) {
	cases := []struct {
		name string
		term fakeTerm
		env  map[string]string
		want []string
	}{
		{"not a terminal", fakeTerm{}, nil, []string{"skip terminal: not a terminal: skipped"}},
		{"legacy terminal in tmux", fakeTerm{isTerm: true, w: 50, h: 12, profile: colorprofile.ANSI,
			tmux: map[string]string{"show -sv extended-keys": "off", "show -gv set-clipboard": "external", "show -gv allow-passthrough": "off"}},
			map[string]string{"TERM": "screen-256color", "TMUX": "/tmp/tmux-0/default,1,0"},
			[]string{
				"warn size: 50x12: small",
				"warn colours: ANSI: 16 colours",
				"warn background: the terminal did not say (OSC 11)",
				"warn keyboard: tmux's extended-keys is off: shift+enter arrives as enter",
				"     fix: use ctrl+j or alt+enter for a new line; or add `set -s extended-keys on` to ~/.tmux.conf",
				"warn clipboard: tmux set-clipboard external, allow-passthrough off: ctrl+y cannot reach the clipboard",
				"     fix: in ~/.tmux.conf: set -g set-clipboard on (or set -g allow-passthrough on)",
			}},
		{"tmux set up well", fakeTerm{isTerm: true, w: 80, h: 24, profile: colorprofile.ANSI256,
			tmux: map[string]string{"show -sv extended-keys": "on", "show -gv set-clipboard": "off", "show -gv allow-passthrough": "on"}},
			map[string]string{"TERM": "tmux-256color", "TMUX": "x"},
			[]string{
				"ok   keyboard: tmux extended-keys is on",
				"ok   clipboard: OSC 52 through tmux set-clipboard off, allow-passthrough on",
			}},
		{"no kitty protocol, no colour", fakeTerm{isTerm: true, w: 80, h: 24, profile: colorprofile.ASCII,
			bg: color.White}, map[string]string{"TERM": "xterm", "NO_COLOR": "1", "TERM_PROGRAM": "Apple_Terminal"},
			[]string{
				"warn colours: Ascii: no colours: NO_COLOR is set",
				"ok   background: light (#ffffff), so the light theme is used",
				"warn keyboard: no kitty keyboard protocol: shift+enter arrives as enter",
				"     fix: use ctrl+j or alt+enter for a new line; in tmux, set -s extended-keys on",
				"warn clipboard: Terminal.app ignores OSC 52",
			}},
		{"the query fails", fakeTerm{isTerm: true, w: 80, h: 24, profile: colorprofile.TrueColor,
			queryErr: errors.New("no answer within 1s")}, map[string]string{"TERM": "dumb", "XTERM_VERSION": "XTerm(390)"},
			[]string{
				"warn terminal: TERM=dumb",
				"warn background: cannot ask the terminal: no answer within 1s",
				"warn keyboard: cannot ask the terminal: no answer within 1s",
			}},
	}
	for _, c := range cases {
		var out bytes.Buffer
		for _, f := range checkTerminal(&c.term, env(c.env), "", mouseSetting{}) {
			f.print(&out)
		}
		for _, w := range c.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("%s: no %q in:\n%s", c.name, w, out.String())
			}
		}
	}
}

// TestDoctorNeverPrintsKeys runs doctor through Execute with --keys and
// --verbose: a key from the environment, one from api_key_cmd and one a
// server echoes back in its error must not appear in its output.
func TestDoctorNeverPrintsKeys(t *testing.T) {
	mockURL, goneURL := startMock(t), refusedURL(t)
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprintf(w, `{"error":{"message":"Incorrect API key provided: %s"}}`, r.Header.Get("Authorization"))
	}))
	defer echo.Close()
	const cmdKey = "odd-format-KEY-from-cmd-777"
	cfg := writeConfig(t, fmt.Sprintf(`provider = "mocked"
model = "parley-mock-1"

[providers.mocked]
api = "chat"
base_url = %q
api_key_env = "WORK_KEY"

[providers.gone]
api = "chat"
base_url = %q

[providers.echo]
api = "chat"
base_url = %q
api_key_cmd = "echo %s"
`, mockURL, goneURL, echo.URL+"/v1", cmdKey))
	t.Setenv("WORK_KEY", sentinelKey)

	var out, errb bytes.Buffer
	code := Execute([]string{"doctor", "--config", cfg, "--keys", "--verbose"}, strings.NewReader(""), &out, &errb)
	if code != 1 {
		t.Errorf("exit %d, want 1 (gone and echo fail)", code)
	}
	all := out.String() + errb.String()
	for _, secret := range []string{sentinelKey, cmdKey} {
		if strings.Contains(all, secret) {
			t.Errorf("%q is in the output:\n%s", secret, all)
		}
	}
	for _, want := range []string{
		"ok   provider mocked key: $WORK_KEY (22 characters)",
		"ok   provider echo key: printed by api_key_cmd (" + cfg + ":16) (27 characters)",
		"FAIL provider echo server: the key was refused (HTTP 401): Incorrect API key provided: Bearer [REDACTED]",
		"api_key from env WORK_KEY",
		"skip terminal: not a terminal: skipped",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no %q in:\n%s", want, all)
		}
	}
	if !strings.Contains(errb.String(), "parley: doctor: 2 checks failed") {
		t.Errorf("stderr %q", errb.String())
	}
}

func TestDoctorDoesNotRunKeyCommandsUnlessAsked(t *testing.T) {
	marker := filepath.Join(t.TempDir(), "ran")
	cfg := writeConfig(t, fmt.Sprintf(`[providers.work]
api = "chat"
base_url = %q
api_key_cmd = "sh -c 'touch %s; echo k-123456789'"
`, startMock(t), marker))
	var out, errb bytes.Buffer
	code := Execute([]string{"doctor", "--config", cfg}, strings.NewReader(""), &out, &errb)
	if _, err := os.Stat(marker); err == nil {
		t.Fatal("api_key_cmd ran without --keys")
	}
	if code != 0 {
		t.Errorf("exit %d:\n%s%s", code, out.String(), errb.String())
	}
	if !strings.Contains(out.String(), "ok   provider work key: printed by api_key_cmd ("+cfg+":4); not run (parley doctor --keys runs it)") {
		t.Errorf("output:\n%s", out.String())
	}
	// The demo is in use (no provider chosen): the chat needs no key.
	if !strings.Contains(out.String(), "built-in demo backend") {
		t.Errorf("output:\n%s", out.String())
	}

	code = Execute([]string{"doctor", "--config", cfg, "--keys"}, strings.NewReader(""), io.Discard, io.Discard)
	if _, err := os.Stat(marker); err != nil || code != 0 {
		t.Errorf("with --keys: ran = %v, exit %d", err == nil, code)
	}
}

func TestDoctorConfigProblems(t *testing.T) {
	bad := writeConfig(t, "provider = \"ollama\"\n[providers.ollama]\napi = \"soap\"\n")
	var out, errb bytes.Buffer
	if code := Execute([]string{"doctor", "--config", bad}, strings.NewReader(""), &out, &errb); code != 1 {
		t.Errorf("exit %d", code)
	}
	for _, want := range []string{
		"FAIL config " + bad + ": 1 problem",
		bad + ":3: providers.ollama.api:",
		"fix: parley config edit",
		"skip terminal",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}

	missing := filepath.Join(t.TempDir(), "nope.toml")
	out.Reset()
	Execute([]string{"doctor", "--config", missing}, strings.NewReader(""), &out, io.Discard)
	if !strings.Contains(out.String(), "FAIL config "+missing+": no such file") {
		t.Errorf("output:\n%s", out.String())
	}
}

func TestDoctorLocalServerFix(t *testing.T) {
	t.Setenv("OLLAMA_HOST", strings.TrimSuffix(strings.TrimPrefix(refusedURL(t), "http://"), "/v1"))
	var out bytes.Buffer
	Execute([]string{"doctor", "--provider", "ollama"}, strings.NewReader(""), &out, io.Discard)
	for _, want := range []string{
		"FAIL settings: no model chosen for provider ollama",
		"fix: parley models lists the models ollama has",
		": connection refused",
		"fix: is the server running? start it with `ollama serve`",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}
}

// doctor -v in demo mode says what the chat uses, not the defaults the
// demo backend overrides (provider openai, model unset).
func TestDoctorVerboseDemoModeAgreesWithItself(t *testing.T) {
	var out bytes.Buffer
	runDoctor(context.Background(), &out, doctorOptions{
		verbose: true, getenv: env(map[string]string{"XDG_STATE_HOME": t.TempDir(), "XDG_CONFIG_HOME": t.TempDir()}),
		term: &fakeTerm{},
	})
	s := out.String()
	if !strings.Contains(s, "uses the built-in demo backend") ||
		!strings.Contains(s, "     provider = the built-in demo backend (no provider, key or base URL set)\n") ||
		!strings.Contains(s, "     model = parley-mock-1 (the demo backend's") {
		t.Fatalf("output:\n%s", s)
	}
	if !strings.Contains(s, "     api = responses (the demo backend's default; it serves --api chat too)\n") {
		t.Errorf("the api line does not name the demo backend:\n%s", s)
	}
	for _, bad := range []string{"provider = openai", "model = (unset)", "preset openai"} {
		if strings.Contains(s, bad) {
			t.Errorf("demo mode says %q:\n%s", bad, s)
		}
	}
}
