package config

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// tomlLine is a commented-out line of TOML in the starter file: a table
// header or key = value, as opposed to prose.
var tomlLine = regexp.MustCompile(`^# (\[|"?[A-Za-z0-9_.-]+"? = )`)

// uncommentStarter removes "# " from the starter file's TOML lines.
func uncommentStarter() string {
	var out []string
	for _, line := range strings.Split(Starter, "\n") {
		if tomlLine.MatchString(line) && !strings.HasPrefix(line, "# theme = ") {
			line = strings.TrimPrefix(line, "# ")
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func TestInitFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "parley")
	path := filepath.Join(dir, "config.toml")
	if err := InitFile(path, false); err != nil {
		t.Fatal(err)
	}
	for p, want := range map[string]fs.FileMode{dir: 0o700, path: 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if got := st.Mode().Perm(); got != want {
			t.Errorf("%s: mode %04o, want %04o", p, got, want)
		}
	}
	got, _ := os.ReadFile(path)
	if string(got) != Starter {
		t.Error("the file is not the starter file")
	}

	// Never overwritten without force.
	os.WriteFile(path, []byte("model = \"mine\"\n"), 0o644)
	err := InitFile(path, false)
	if !errors.Is(err, fs.ErrExist) || !strings.Contains(err.Error(), "already exists; pass --force to replace it") {
		t.Errorf("second init: %v", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "model = \"mine\"\n" {
		t.Error("the existing file changed")
	}
	// With force, replaced, and private again.
	if err := InitFile(path, true); err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(path)
	if got, _ := os.ReadFile(path); string(got) != Starter || st.Mode().Perm() != 0o600 {
		t.Errorf("forced init: mode %04o, starter %v", st.Mode().Perm(), string(got) == Starter)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("%d files in the directory, want the config alone", len(entries))
	}
}

// The starter file is valid as written (all commented out), and every
// section in it is valid uncommented, but for the top-level theme line,
// which is the alternative to the [theme] table.
func TestStarterFile(t *testing.T) {
	f, err := Parse("starter.toml", []byte(Starter))
	if err != nil || f.Provider != "" || len(f.Providers) != 0 {
		t.Fatalf("the starter file sets something: %v", err)
	}
	src := uncommentStarter()
	f, err = Parse("uncommented.toml", []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s", err, src)
	}
	if f.Provider != "ollama" || f.Providers["azure"].Query["api-version"] != "preview" || f.Roles["reviewer"].Prompt == "" ||
		len(f.Keys) != 2 || f.Theme.Palette["primary"] == "" || !f.Tools["grep"].Approve || f.MCP["files"].Command[0] != "npx" ||
		f.MCP["github"].Enabled || f.Limits.MaxReplySize != 4<<20 || f.Limits.Mouse == nil || *f.Limits.Mouse ||
		f.MCP["files"].Roots[0] != "~/src" || f.MCP["files"].Env["NODE_OPTIONS"] != "--no-warnings" {
		t.Errorf("uncommented starter file: %+v", f)
	}
	s, err := Resolve(f, Flags{}, env(nil))
	if err != nil || s.Provider != "ollama" || s.Model != "llama3.2" || s.Instructions == "" {
		t.Errorf("resolving it: %+v (%v)", s, err)
	}
}

func TestLoadAndOpen(t *testing.T) {
	dir := t.TempDir()
	getenv := env(map[string]string{"XDG_CONFIG_HOME": dir})
	// No file at the default path: an empty File, no error.
	f, warnings, err := Open("", getenv)
	if err != nil || f.Exists || f.Path != filepath.Join(dir, "parley", "config.toml") || warnings != nil {
		t.Errorf("missing default: %+v %v %v", f, warnings, err)
	}
	// A missing file named by --config or PARLEY_CONFIG is an error.
	missing := filepath.Join(dir, "nope.toml")
	if _, _, err := Open(missing, getenv); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("--config missing: %v", err)
	}
	if _, _, err := Open("", env(map[string]string{"PARLEY_CONFIG": missing})); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("PARLEY_CONFIG missing: %v", err)
	}
	// --config beats PARLEY_CONFIG, which beats the default.
	a, b := filepath.Join(dir, "a.toml"), filepath.Join(dir, "b.toml")
	os.WriteFile(a, []byte("model = \"a\"\n"), 0o600)
	os.WriteFile(b, []byte("model = \"b\"\n"), 0o600)
	if f, _, err := Open(a, env(map[string]string{"PARLEY_CONFIG": b})); err != nil || f.Model != "a" || !f.Exists {
		t.Errorf("--config: %+v %v", f, err)
	}
	if f, _, err := Open("", env(map[string]string{"PARLEY_CONFIG": b, "XDG_CONFIG_HOME": dir})); err != nil || f.Model != "b" {
		t.Errorf("PARLEY_CONFIG: %+v %v", f, err)
	}
	// No home at all: no file.
	if f, _, err := Open("", env(nil)); err != nil || f.Exists {
		t.Errorf("no home: %+v %v", f, err)
	}
	// A broken file is an error naming it.
	os.WriteFile(a, []byte("model = 5\n"), 0o600)
	if _, _, err := Load(a); err == nil || err.Error() != a+":1: model: expected a string, got an integer" {
		t.Errorf("broken file: %v", err)
	}
}

func TestDefaultPath(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_CONFIG_HOME": "/x", "HOME": "/h"}, "/x/parley/config.toml"},
		{map[string]string{"XDG_CONFIG_HOME": "relative", "HOME": "/h"}, "/h/.config/parley/config.toml"},
		{map[string]string{"HOME": "/h"}, "/h/.config/parley/config.toml"},
	} {
		if got, err := DefaultPath(env(c.env)); err != nil || got != c.want {
			t.Errorf("%v: %q (%v), want %q", c.env, got, err, c.want)
		}
	}
	if _, err := DefaultPath(env(nil)); err == nil {
		t.Error("no home: no error")
	}
}

// A key in a file others can read is warned about; a private file, or one
// without keys, is not.
func TestPermissionWarnings(t *testing.T) {
	dir := t.TempDir()
	for _, c := range []struct {
		name string
		src  string
		mode fs.FileMode
		want string
	}{
		{"api_key, 0644", "[providers.openai]\napi_key = \"sk-x\"\n", 0o644, "holds a key (providers.openai.api_key at line 2) and other users can read it (mode 0644): run chmod 600"},
		{"api_key, 0640", "[providers.openai]\napi_key = \"sk-x\"\n", 0o640, "mode 0640"},
		{"api_key, 0600", "[providers.openai]\napi_key = \"sk-x\"\n", 0o600, ""},
		{"authorization header", "[providers.x]\nbase_url = \"http://h/v1\"\nheaders = { Authorization = \"Bearer x\" }\n", 0o644, "providers.x.headers.Authorization at line 3"},
		{"api-key header", "[providers.azure]\nheaders = { api-key = \"x\" }\n", 0o604, "providers.azure.headers.api-key at line 2"},
		{"key in the query", "[providers.x]\nbase_url = \"http://h/v1\"\nquery = { key = \"x\" }\n", 0o644, "providers.x.query.key at line 3"},
		{"no key, 0644", "[providers.x]\nbase_url = \"http://h/v1\"\napi_key_env = \"X\"\napi_key_cmd = \"pass x\"\nheaders = { X-Team = \"t\" }\n", 0o644, ""},
	} {
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "_")+".toml")
		os.WriteFile(path, []byte(c.src), 0o600)
		os.Chmod(path, c.mode)
		_, warnings, err := Load(path)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		switch {
		case c.want == "" && len(warnings) != 0:
			t.Errorf("%s: warned %q", c.name, warnings)
		case c.want != "" && (len(warnings) != 1 || !strings.Contains(warnings[0], c.want) || !strings.HasPrefix(warnings[0], path)):
			t.Errorf("%s: warnings %q, want one with %q", c.name, warnings, c.want)
		}
		for _, w := range warnings {
			if strings.Contains(w, "sk-x") || strings.Contains(w, "Bearer x") {
				t.Errorf("%s: the warning shows the key: %s", c.name, w)
			}
		}
	}
}
