package logging

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func env(kv map[string]string) func(string) string { return func(k string) string { return kv[k] } }

func TestPath(t *testing.T) {
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/state", "HOME": "/home/u"}, "/state/parley/parley.log"},
		{map[string]string{"XDG_STATE_HOME": "relative", "HOME": "/home/u"}, "/home/u/.local/state/parley/parley.log"},
		{map[string]string{"HOME": "/home/u"}, "/home/u/.local/state/parley/parley.log"},
	}
	for _, c := range cases {
		got, err := Path(env(c.env))
		if err != nil || got != filepath.FromSlash(c.want) {
			t.Errorf("Path(%v) = %q, %v; want %q", c.env, got, err, c.want)
		}
	}
	if _, err := Path(env(nil)); err == nil {
		t.Error("no XDG_STATE_HOME and no HOME: want an error")
	}
}

func TestOpenModesLevelsAndAppend(t *testing.T) {
	state := t.TempDir()
	getenv := env(map[string]string{"XDG_STATE_HOME": state})
	path := filepath.Join(state, "parley", "parley.log")

	log, c, err := Open(getenv, false)
	if err != nil {
		t.Fatal(err)
	}
	log.Info("first", "api_key", "sk-test-SENTINEL-12345")
	log.Debug("hidden at info level")
	c.Close()

	log, c, err = Open(getenv, true)
	if err != nil {
		t.Fatal(err)
	}
	log.Debug("second")
	c.Close()

	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := string(data)
	if !strings.Contains(out, "msg=first") || !strings.Contains(out, "msg=second") || strings.Contains(out, "hidden") {
		t.Errorf("log:\n%s", out)
	}
	if strings.Contains(out, "SENTINEL") {
		t.Errorf("the key reached the file:\n%s", out)
	}
	if runtime.GOOS == "windows" {
		return
	}
	for p, want := range map[string]os.FileMode{filepath.Dir(path): 0o700, path: 0o600} {
		st, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", p, st.Mode().Perm(), want)
		}
	}
}

func TestOpenTightensExistingModes(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no Unix modes")
	}
	state := t.TempDir()
	dir := filepath.Join(state, "parley")
	os.MkdirAll(dir, 0o755)
	os.Chmod(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "parley.log"), []byte("old\n"), 0o644)
	os.Chmod(filepath.Join(dir, "parley.log"), 0o644)
	_, c, err := Open(env(map[string]string{"XDG_STATE_HOME": state}), false)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
	for p, want := range map[string]os.FileMode{dir: 0o700, filepath.Join(dir, "parley.log"): 0o600} {
		if st, _ := os.Stat(p); st.Mode().Perm() != want {
			t.Errorf("%s: mode %04o, want %04o", p, st.Mode().Perm(), want)
		}
	}
}

func TestRotation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "parley", "parley.log")

	// Past the limit at open: moved aside before the first line.
	os.MkdirAll(filepath.Dir(path), 0o700)
	os.WriteFile(path, bytes.Repeat([]byte("x"), 101), 0o600)
	r, err := openRotating(path, 100)
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := os.Stat(path + ".1"); st == nil || st.Size() != 101 {
		t.Fatalf("the big log was not moved to .1: %v", st)
	}

	// Past the limit while writing: the line goes to a new file.
	line := []byte(strings.Repeat("y", 39) + "\n")
	for range 3 { // 120 bytes: the third line rotates
		if _, err := r.Write(line); err != nil {
			t.Fatal(err)
		}
	}
	r.Close()
	if runtime.GOOS == "windows" {
		return // an open file cannot be renamed there: rotation waits for the next start
	}
	old, _ := os.ReadFile(path + ".1")
	cur, _ := os.ReadFile(path)
	if len(old) != 80 || len(cur) != 40 {
		t.Errorf("after rotating: .1 has %d bytes, the log %d; want 80 and 40", len(old), len(cur))
	}
	if _, err := r.Write(line); err == nil {
		t.Error("a write after Close succeeded")
	}
}
