package config

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/BurntSushi/toml"

	"github.com/parley-tui/parley/stream"
)

// The limits' defaults.
const (
	// DefaultMaxReplySize bounds one reply's text, reasoning and tool
	// arguments together.
	DefaultMaxReplySize = 4 << 20
	// DefaultMaxAttachmentSize bounds one attached file: 20 MiB is
	// OpenAI's limit for an image, and after base64 a file this size
	// still fits the 32 MB OpenAI takes in file inputs per request.
	DefaultMaxAttachmentSize = 20 << 20
	// DefaultStallTimeout ends a stream that sends nothing for this long.
	DefaultStallTimeout = stream.DefaultStallTimeout
)

// limitsTOML are the top-level limits as decoded: sizes take a number of
// bytes or a string, so they stay Primitive until their type is known;
// the duration stays a string so a bad one is reported in the file's words.
type limitsTOML struct {
	MaxReplySize      toml.Primitive `toml:"max_reply_size"`
	StallTimeout      string         `toml:"stall_timeout"`
	Mouse             *bool          `toml:"mouse"`
	MaxAttachmentSize toml.Primitive `toml:"max_attachment_size"`
}

// Limits are the file's limits and switches; zero (nil for Mouse) when
// the file does not set them.
type Limits struct {
	MaxReplySize      int64
	StallTimeout      time.Duration // negative: never (stall_timeout = "0")
	Mouse             *bool
	MaxAttachmentSize int64
}

var limitKeys = []string{"max_reply_size", "stall_timeout", "mouse", "max_attachment_size"}

// loadLimits converts the top-level limits, reporting every bad value.
func (f *File) loadLimits(md *toml.MetaData, raw *limitsTOML) []Problem {
	var out []Problem
	bad := func(key string, format string, args ...any) {
		out = append(out, Problem{Line: f.line(key), Key: key, Msg: fmt.Sprintf(format, args...)})
	}
	size := func(key string, p toml.Primitive) int64 {
		var n int64
		var err error
		switch v := probeKey(md, p, key).(type) {
		case nil:
			return 0
		case int64:
			_ = md.PrimitiveDecode(p, &v) // marks it decoded
			n = v
			if n <= 0 {
				err = fmt.Errorf("expected a size greater than 0, got %d", n)
			}
		case string:
			_ = md.PrimitiveDecode(p, &v)
			n, err = ParseSize(v)
		default:
			err = fmt.Errorf(`expected a size such as "8MiB" or a number of bytes, got %s`, goTypeName(fmt.Sprintf("%T", v)))
		}
		if err != nil {
			bad(key, "%v", err)
		}
		return n
	}
	f.Limits.MaxReplySize = size("max_reply_size", raw.MaxReplySize)
	f.Limits.MaxAttachmentSize = size("max_attachment_size", raw.MaxAttachmentSize)
	if raw.StallTimeout != "" {
		d, err := parseStall(raw.StallTimeout)
		if err != nil {
			bad("stall_timeout", "%v", err)
		}
		f.Limits.StallTimeout = d
	}
	f.Limits.Mouse = raw.Mouse
	return out
}

// limitTypeHint says what a limit whose TOML type is wrong should be.
func limitTypeHint(key string) string {
	if key == "stall_timeout" {
		return `a duration such as "120s" or "5m"`
	}
	return ""
}

var sizeSyntax = regexp.MustCompile(`^(\d+(?:\.\d+)?)\s*([A-Za-z]*)$`)

// sizeUnits are the units ParseSize reads, in lower case: decimal KB, MB
// and GB, binary KiB, MiB and GiB, and K, M, G as the binary ones.
var sizeUnits = map[string]float64{
	"": 1, "b": 1,
	"kb": 1e3, "mb": 1e6, "gb": 1e9,
	"k": 1 << 10, "kib": 1 << 10, "m": 1 << 20, "mib": 1 << 20, "g": 1 << 30, "gib": 1 << 30,
}

// ParseSize reads a size such as "8MiB", "512 KB", "1.5G" or "4096" (bytes).
func ParseSize(s string) (int64, error) {
	m := sizeSyntax.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf(`expected a size such as "8MiB", "512KB" or a number of bytes, got %q`, s)
	}
	unit, ok := sizeUnits[strings.ToLower(m[2])]
	if !ok {
		return 0, fmt.Errorf(`expected a size with a unit of B, KB, MB, GB, KiB, MiB or GiB, got %q`, s)
	}
	v, err := strconv.ParseFloat(m[1], 64)
	n := v * unit
	switch {
	case err != nil || n >= math.MaxInt64/2:
		return 0, fmt.Errorf("expected a size Parley can count, got %q", s)
	case n < 1:
		return 0, fmt.Errorf("expected a size greater than 0, got %q", s)
	}
	return int64(n), nil
}

// parseStall reads stall_timeout: a duration, or "0" for never.
func parseStall(s string) (time.Duration, error) {
	if strings.TrimSpace(s) == "0" {
		return -1, nil
	}
	d, err := time.ParseDuration(s)
	switch {
	case err != nil:
		return 0, fmt.Errorf(`expected a duration such as "120s" or "5m", or "0" for never, got %q`, s)
	case d < 0:
		return 0, fmt.Errorf(`expected a duration of 0 (never) or more, such as "120s", got %q`, s)
	case d == 0:
		return -1, nil
	}
	return d, nil
}

// parseMouse reads PARLEY_MOUSE.
func parseMouse(s string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("expected true or false, got %q", s)
}

// resolveLimits works out the limits from flags, then the environment,
// then the file, then defaults.
func (s *Settings) resolveLimits(f *File, flags Flags) error {
	flag := func(v, name string) candidate { return candidate{v, Source{Kind: FromFlag, Name: name}} }
	env := func(name string) candidate { return candidate{s.getenv(name), Source{Kind: FromEnv, Name: name}} }
	fromFile := Source{Kind: FromFile, File: f.Path}
	at := func(key string) Source { src := fromFile; src.Line = f.line(key); return src }

	size := func(key, flagValue, flagName, envName string, fileValue, def int64) (int64, error) {
		v, src := first(flag(flagValue, flagName), env(envName))
		switch {
		case v != "":
			n, err := ParseSize(v)
			if err != nil {
				return 0, fmt.Errorf("%s: %w", src.label(), err)
			}
			s.Sources[key] = src
			return n, nil
		case fileValue > 0:
			s.Sources[key] = at(key)
			return fileValue, nil
		}
		s.Sources[key] = Source{Kind: FromDefault}
		return def, nil
	}
	var err error
	if s.MaxReplySize, err = size("max_reply_size", flags.MaxReplySize, "--max-reply-size", "PARLEY_MAX_REPLY_SIZE",
		f.Limits.MaxReplySize, DefaultMaxReplySize); err != nil {
		return err
	}
	if s.MaxAttachmentSize, err = size("max_attachment_size", flags.MaxAttachmentSize, "--max-attachment-size", "PARLEY_MAX_ATTACHMENT_SIZE",
		f.Limits.MaxAttachmentSize, DefaultMaxAttachmentSize); err != nil {
		return err
	}

	s.StallTimeout, s.Sources["stall_timeout"] = DefaultStallTimeout, Source{Kind: FromDefault}
	if v, src := first(flag(flags.StallTimeout, "--stall-timeout"), env("PARLEY_STALL_TIMEOUT")); v != "" {
		d, err := parseStall(v)
		if err != nil {
			return fmt.Errorf("%s: %w", src.label(), err)
		}
		s.StallTimeout, s.Sources["stall_timeout"] = d, src
	} else if f.Limits.StallTimeout != 0 {
		s.StallTimeout, s.Sources["stall_timeout"] = f.Limits.StallTimeout, at("stall_timeout")
	}

	s.Mouse, s.Sources["mouse"] = true, Source{Kind: FromDefault}
	switch v := s.getenv("PARLEY_MOUSE"); {
	case flags.NoMouse:
		s.Mouse, s.Sources["mouse"] = false, Source{Kind: FromFlag, Name: "--no-mouse"}
	case v != "":
		on, err := parseMouse(v)
		if err != nil {
			return fmt.Errorf("PARLEY_MOUSE: %w", err)
		}
		s.Mouse, s.Sources["mouse"] = on, Source{Kind: FromEnv, Name: "PARLEY_MOUSE"}
	case f.Limits.Mouse != nil:
		s.Mouse, s.Sources["mouse"] = *f.Limits.Mouse, at("mouse")
	}
	return nil
}

// LimitValues are the limits as doctor shows them, by setting name.
func (s *Settings) LimitValues() map[string]string {
	stall := s.StallTimeout.String()
	if s.StallTimeout < 0 {
		stall = "never"
	}
	return map[string]string{
		"max_reply_size":      FormatSize(s.MaxReplySize),
		"max_attachment_size": FormatSize(s.MaxAttachmentSize),
		"stall_timeout":       stall,
		"mouse":               strconv.FormatBool(s.Mouse),
	}
}

// FormatSize writes a size as ParseSize reads it: 8MiB, 512KiB, 100B.
func FormatSize(n int64) string {
	for _, u := range []struct {
		name string
		size int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if n >= u.size && n%u.size == 0 {
			return strconv.FormatInt(n/u.size, 10) + u.name
		}
	}
	return strconv.FormatInt(n, 10) + "B"
}
