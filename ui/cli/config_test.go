package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/themes"
)

func run(args ...string) (code int, stdout, stderr string) {
	var out, errb bytes.Buffer
	code = Execute(args, strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestConfigPath(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	if code, out, errs := run("config", "path"); code != 0 || out != filepath.Join(xdg, "parley", "config.toml")+"\n" {
		t.Errorf("default: exit %d, %q %q", code, out, errs)
	}
	t.Setenv("PARLEY_CONFIG", "/env/config.toml")
	if _, out, _ := run("config", "path"); out != "/env/config.toml\n" {
		t.Errorf("PARLEY_CONFIG: %q", out)
	}
	if _, out, _ := run("config", "path", "--config", "/flag/c.toml"); out != "/flag/c.toml\n" {
		t.Errorf("--config: %q", out)
	}
	if _, out, _ := run("--config", "/flag/c.toml", "config", "path"); out != "/flag/c.toml\n" {
		t.Errorf("--config before the command: %q", out)
	}
	if code, _, _ := run("config", "path", "extra"); code != exitUsage {
		t.Errorf("an extra argument: exit %d", code)
	}
}

func TestConfigInit(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	path := filepath.Join(xdg, "parley", "config.toml")
	code, out, errs := run("config", "init")
	if code != 0 || out != "wrote "+path+"\n" {
		t.Fatalf("init: exit %d, %q %q", code, out, errs)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("the file: %v %v", st, err)
	}
	if dst, _ := os.Stat(filepath.Dir(path)); dst.Mode().Perm() != 0o700 {
		t.Errorf("directory mode %04o", dst.Mode().Perm())
	}

	os.WriteFile(path, []byte("model = \"mine\"\n"), 0o600)
	code, _, errs = run("config", "init")
	// One sentence: the cause (file exists) is not repeated after the fix.
	if code != exitError || errs != "parley: "+path+" already exists; pass --force to replace it\n" {
		t.Errorf("second init: exit %d, %q", code, errs)
	}
	if got, _ := os.ReadFile(path); string(got) != "model = \"mine\"\n" {
		t.Error("init replaced the file without --force")
	}
	if code, _, errs := run("config", "init", "--force"); code != 0 {
		t.Errorf("init --force: exit %d, %q", code, errs)
	}
	if got, _ := os.ReadFile(path); string(got) != config.Starter {
		t.Error("init --force kept the old file")
	}
}

// edit opens $EDITOR on the file (here a script appending a line), then
// checks what was saved.
func TestConfigEdit(t *testing.T) {
	xdg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", xdg)
	t.Setenv("VISUAL", "")
	path := filepath.Join(xdg, "parley", "config.toml")
	editor := func(line string) string {
		script := filepath.Join(t.TempDir(), "ed.sh")
		os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s\\n' '"+line+"' >> \"$1\"\n"), 0o700)
		return script
	}

	// No file yet: the starter file is written first, then edited.
	t.Setenv("EDITOR", editor(`model = "edited"`))
	code, _, errs := run("config", "edit")
	if code != 0 || !strings.Contains(errs, "wrote a starting file at "+path) {
		t.Fatalf("edit: exit %d, %q", code, errs)
	}
	got, _ := os.ReadFile(path)
	if !strings.HasPrefix(string(got), config.Starter) || !strings.HasSuffix(string(got), "model = \"edited\"\n") {
		t.Errorf("after edit:\n%s", got)
	}

	// An edit that breaks the file is reported with its line, exit 2.
	t.Setenv("EDITOR", editor(`reasoning_effort = "max"`))
	code, _, errs = run("config", "edit")
	lines := strings.Count(string(got), "\n") + 1
	want := "parley: " + path + ":" + itoa(lines) + `: reasoning_effort: expected minimal, low, medium or high, got "max"`
	if code != exitUsage || !strings.HasPrefix(errs, want) {
		t.Errorf("broken edit: exit %d\n got %q\nwant %q", code, errs, want)
	}

	// $VISUAL wins over $EDITOR, and may carry arguments.
	t.Setenv("VISUAL", "sh -c 'exit 7' --")
	if code, _, errs := run("config", "edit"); code != exitError || !strings.Contains(errs, "exit status 7") {
		t.Errorf("failing editor: exit %d, %q", code, errs)
	}
}

func itoa(n int) string { return strings.TrimSpace(strings.Repeat(" ", 0) + fmtInt(n)) }

func fmtInt(n int) string {
	s := ""
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// The starter file lists every binding and colour by the names keymap and
// themes accept, and its examples pass their checks.
func TestStarterMatchesKeymapAndThemes(t *testing.T) {
	listed := map[string]bool{}
	area := ""
	for _, line := range strings.Split(config.Starter, "\n") {
		m := regexp.MustCompile(`^#   (\w+)?\s+([a-z_, ]+)$`).FindStringSubmatch(line)
		if m == nil {
			continue
		}
		if m[1] != "" {
			area = m[1]
		}
		for _, name := range strings.Split(m[2], ",") {
			if name = strings.TrimSpace(name); name != "" {
				listed[area+"."+name] = true
			}
		}
	}
	names := keymap.DefaultKeyMap().Names()
	for _, n := range names {
		if !listed[n] {
			t.Errorf("the starter file does not list %s", n)
		}
	}
	if len(listed) != len(names) {
		t.Errorf("the starter file lists %d bindings, the key map has %d", len(listed), len(names))
	}
	for _, c := range themes.ColourNames() {
		if !strings.Contains(config.Starter, " "+c) {
			t.Errorf("the starter file does not name the colour %s", c)
		}
	}

	// Uncommented, its [keys] and [theme] examples pass the checks.
	var src []string
	for _, line := range strings.Split(config.Starter, "\n") {
		if regexp.MustCompile(`^# ("[a-z_.]+" = |\[keys\]|\[theme|name = |base = |primary = |accent = )`).MatchString(line) {
			line = strings.TrimPrefix(line, "# ")
		}
		src = append(src, line)
	}
	p := writeConfig(t, strings.Join(src, "\n"))
	st, err := loadSetup(chatFlags{config: p}, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if st.palette == nil || !slices.Equal(st.keys.Global.ToggleSidebar.Keys(), []string{"ctrl+b", "f2"}) {
		t.Error("the examples were not applied")
	}
}
