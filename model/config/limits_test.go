package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParseSize(t *testing.T) {
	for in, want := range map[string]int64{
		"4096": 4096, "8MiB": 8 << 20, "8 MiB": 8 << 20, "8mib": 8 << 20, "512KB": 512000, "1.5G": 3 << 29,
		"2M": 2 << 20, "1GB": 1e9, "100b": 100, "3k": 3072,
	} {
		if got, err := ParseSize(in); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"", "MiB", "-1", "8 parsecs", "0", "0.1", "1e3", "99999999999GiB"} {
		if n, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q) = %d, want an error", in, n)
		}
	}
	for _, n := range []int64{8 << 20, 512 << 10, 3 << 30, 1000, 1} {
		if back, err := ParseSize(FormatSize(n)); err != nil || back != n {
			t.Errorf("FormatSize(%d) = %q, read back as %d (%v)", n, FormatSize(n), back, err)
		}
	}
}

func TestParseLimits(t *testing.T) {
	f := mustParse(t, "max_reply_size = \"16MiB\"\nstall_timeout = \"90s\"\nmouse = false\nmax_attachment_size = 1048576\n")
	if f.Limits.MaxReplySize != 16<<20 || f.Limits.StallTimeout != 90*time.Second || f.Limits.Mouse == nil || *f.Limits.Mouse ||
		f.Limits.MaxAttachmentSize != 1<<20 {
		t.Errorf("limits %+v", f.Limits)
	}
	if f := mustParse(t, "stall_timeout = \"0\"\n"); f.Limits.StallTimeout >= 0 {
		t.Errorf("0 is never: %v", f.Limits.StallTimeout)
	}
	for _, c := range []struct{ src, want string }{
		{"provider = \"ollama\"\nmax_reply_size = \"lots\"\n", `c.toml:2: max_reply_size: expected a size such as "8MiB", "512KB" or a number of bytes, got "lots"`},
		{"max_reply_size = 0\n", "c.toml:1: max_reply_size: expected a size greater than 0, got 0"},
		{"max_reply_size = true\n", `c.toml:1: max_reply_size: expected a size such as "8MiB" or a number of bytes, got a boolean`},
		{"max_attachment_size = \"20 furlongs\"\n", `c.toml:1: max_attachment_size: expected a size with a unit of B, KB, MB, GB, KiB, MiB or GiB, got "20 furlongs"`},
		{"stall_timeout = 120\n", `c.toml:1: stall_timeout: expected a duration such as "120s" or "5m", got an integer`},
		{"stall_timeout = \"2 minutes\"\n", `c.toml:1: stall_timeout: expected a duration such as "120s" or "5m", or "0" for never, got "2 minutes"`},
		{"stall_timeout = \"-5s\"\n", `c.toml:1: stall_timeout: expected a duration of 0 (never) or more, such as "120s", got "-5s"`},
		{"mouse = \"off\"\n", "c.toml:1: mouse: expected true or false, got a string"},
	} {
		_, err := Parse("c.toml", []byte(c.src))
		var ce *Error
		if !errors.As(err, &ce) || err.Error() != c.want {
			t.Errorf("%q:\n got %v\nwant %s", c.src, err, c.want)
		}
	}
}

// Each limit from each level: flag, then environment, then file, then
// default; a bad flag or variable is named in the error.
func TestLimitPrecedence(t *testing.T) {
	file := mustParse(t, "max_reply_size = \"16MiB\"\nstall_timeout = \"90s\"\nmouse = false\nmax_attachment_size = \"1MiB\"\n")
	s, err := Resolve(&File{}, Flags{}, env(nil))
	if err != nil || s.MaxReplySize != DefaultMaxReplySize || s.StallTimeout != 120*time.Second || !s.Mouse ||
		s.MaxAttachmentSize != DefaultMaxAttachmentSize || s.Sources["mouse"].String() != "default" {
		t.Fatalf("defaults: %+v (%v)", s, err)
	}
	s, err = Resolve(file, Flags{}, env(nil))
	if err != nil || s.MaxReplySize != 16<<20 || s.StallTimeout != 90*time.Second || s.Mouse || s.MaxAttachmentSize != 1<<20 ||
		s.Sources["stall_timeout"].String() != "c.toml:2" || s.Sources["max_attachment_size"].String() != "c.toml:4" {
		t.Fatalf("file: %+v (%v)", s, err)
	}
	vars := env(map[string]string{"PARLEY_MAX_REPLY_SIZE": "2MiB", "PARLEY_STALL_TIMEOUT": "0", "PARLEY_MOUSE": "yes", "PARLEY_MAX_ATTACHMENT_SIZE": "3MiB"})
	s, err = Resolve(file, Flags{}, vars)
	if err != nil || s.MaxReplySize != 2<<20 || s.StallTimeout >= 0 || !s.Mouse || s.MaxAttachmentSize != 3<<20 ||
		s.Sources["mouse"].String() != "env PARLEY_MOUSE" || s.LimitValues()["stall_timeout"] != "never" {
		t.Fatalf("env: %+v (%v)", s, err)
	}
	s, err = Resolve(file, Flags{MaxReplySize: "1MiB", StallTimeout: "30s", NoMouse: true, MaxAttachmentSize: "512KiB"}, vars)
	if err != nil || s.MaxReplySize != 1<<20 || s.StallTimeout != 30*time.Second || s.Mouse || s.MaxAttachmentSize != 512<<10 ||
		s.Sources["max_reply_size"].String() != "flag --max-reply-size" {
		t.Fatalf("flags: %+v (%v)", s, err)
	}
	if v := s.LimitValues(); v["max_reply_size"] != "1MiB" || v["mouse"] != "false" || v["stall_timeout"] != "30s" {
		t.Errorf("values %v", v)
	}
	for _, c := range []struct {
		flags Flags
		env   map[string]string
		want  string
	}{
		{Flags{MaxReplySize: "big"}, nil, `--max-reply-size: expected a size such as "8MiB", "512KB" or a number of bytes, got "big"`},
		{Flags{}, map[string]string{"PARLEY_STALL_TIMEOUT": "soon"}, `PARLEY_STALL_TIMEOUT: expected a duration such as "120s" or "5m", or "0" for never, got "soon"`},
		{Flags{}, map[string]string{"PARLEY_MOUSE": "maybe"}, `PARLEY_MOUSE: expected true or false, got "maybe"`},
	} {
		if _, err := Resolve(nil, c.flags, env(c.env)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("got %v, want %s", err, c.want)
		}
	}
}
