package sanitize

import (
	"strings"
	"testing"
)

func TestText(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "hello, world\n\tindented", "hello, world\n\tindented"},
		{"unicode", "héllo 😊 日本", "héllo 😊 日本"},
		{"sgr", "\x1b[31mred\x1b[0m", "␛[31mred␛[0m"},
		{"osc title", "\x1b]0;pwned\x07", "␛]0;pwned\uFFFD"},
		{"osc52 clipboard", "\x1b]52;c;ZWNobyBwd25lZA==\x1b\\", "␛]52;c;ZWNobyBwd25lZA==␛\\"},
		{"osc8 hyperlink", "\x1b]8;;http://evil\x1b\\x\x1b]8;;\x1b\\", "␛]8;;http://evil␛\\x␛]8;;␛\\"},
		{"dcs", "\x1bP+q544e\x1b\\", "␛P+q544e␛\\"},
		{"c1 csi", "a\u009b2Jb", "a\uFFFD2Jb"},
		{"c1 osc", "\u009d0;t\u009c", "\uFFFD0;t\uFFFD"},
		{"bell backspace", "ding\x07\x08\x08x", "ding\uFFFD\uFFFD\uFFFDx"},
		{"carriage return", "safe\rEVIL\r\nnext", "safeEVIL\nnext"},
		{"del", "a\x7fb", "a\uFFFDb"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"bidi override", "abc\u202edcba", "abcdcba"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := Text(tc.in)
			if got != tc.want {
				t.Fatalf("Text(%q) = %q, want %q", tc.in, got, tc.want)
			}
			if strings.ContainsAny(got, "\x1b\x07\x08\r\u009b\u009d\u0090") {
				t.Fatalf("control byte survived: %q", got)
			}
		})
	}
}

func TestTextSplitSequenceStaysNeutral(t *testing.T) {
	// A sequence split across two deltas must not re-form when joined.
	a, b := Text("before \x1b"), Text("]0;title\x07 after")
	if strings.ContainsRune(a+b, 0x1b) || strings.ContainsRune(a+b, 0x07) {
		t.Fatalf("joined deltas carry a control: %q", a+b)
	}
}

func TestTextCleanDoesNotAllocate(t *testing.T) {
	s := strings.Repeat("plain text with ünïcödé\n", 20)
	if n := testing.AllocsPerRun(100, func() { _ = Text(s) }); n != 0 {
		t.Fatalf("clean text allocated %v times", n)
	}
}

func FuzzText(f *testing.F) {
	f.Add("\x1b]52;c;eA==\x07")
	f.Add("héllo\r\n\u009b")
	f.Fuzz(func(t *testing.T, s string) {
		got := Text(s)
		for _, r := range got {
			if r == 0x1b || (r < 0x20 && r != '\n' && r != '\t') || (r >= 0x7f && r <= 0x9f) {
				t.Fatalf("Text(%q) kept control %U", s, r)
			}
		}
		if Text(got) != got {
			t.Fatalf("not idempotent on %q", s)
		}
	})
}

// A search snippet with a tab or a line break stays on its row (issue 16):
// OneLine folds them, ExpandTabs and Width measure a tab as the terminal
// shows it.
func TestOneLineAndTabs(t *testing.T) {
	if got := OneLine("func f() {\n\treturn\x1b[2J\n}"); got != "func f() {  return␛[2J }" {
		t.Errorf("OneLine = %q", got)
	}
	for _, tc := range []struct {
		in   string
		tab  int
		want string
	}{
		{"\tx", 8, "        x"},
		{"ab\tc", 4, "ab  c"},
		{"abcd\te", 4, "abcd    e"},
		{"中\tx", 4, "中  x"},
		{"a\tb\n\tc", 4, "a   b\n    c"},
		{"no tabs", 4, "no tabs"},
	} {
		if got := ExpandTabs(tc.in, tc.tab); got != tc.want {
			t.Errorf("ExpandTabs(%q, %d) = %q, want %q", tc.in, tc.tab, got, tc.want)
		}
	}
	if w := Width("snippet\twith a tab"); w != 8+10 {
		t.Errorf("Width = %d, want 18", w)
	}
	if w := Width("first line\n\tsecond"); w != 14 {
		t.Errorf("Width of the last line = %d, want 14", w)
	}
}
