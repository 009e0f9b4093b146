package attach

import (
	"strings"
	"testing"
)

func TestFenced(t *testing.T) {
	for _, tc := range []struct {
		name, path, content, want string
	}{
		{"language from the extension", "./a//b/notes.md", "# Title\n", "File: a/b/notes.md\n```markdown\n# Title\n```\n"},
		{"no newline at the end", "x.py", "print(1)", "File: x.py\n```python\nprint(1)\n```\n"},
		{"unknown extension", "data.xyz", "1 2 3\n", "File: data.xyz\n```\n1 2 3\n```\n"},
		{"a whole base name", "build/Dockerfile", "FROM scratch\n", "File: build/Dockerfile\n```dockerfile\nFROM scratch\n```\n"},
		{"fences inside", "README.md", "Run:\n````sh\ngo test\n````\n", "File: README.md\n`````markdown\nRun:\n````sh\ngo test\n````\n`````\n"},
		{"empty", "empty.txt", "", "File: empty.txt\n```\n```\n"},
		{"control characters in the name", "evil\x1b]52;c;x\a.txt", "hi\n", "File: \"evil\\x1b]52;c;x\\a.txt\"\n```\nhi\n```\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := FromBytes(tc.path, "n", []byte(tc.content), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Fenced(); got != tc.want {
				t.Errorf("Fenced() =\n%q\nwant\n%q", got, tc.want)
			}
		})
	}
}

func TestEstimateTokens(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"abc", 1},
		{"abcd", 1},
		{"abcde", 2},
		{strings.Repeat("word ", 80), 100},
		{"日本語", 3},
		{"café", 2}, // "caf" is one, "é" one
	} {
		if got := EstimateTokens(tc.s); got != tc.want {
			t.Errorf("EstimateTokens(%.20q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

func TestImageTokens(t *testing.T) {
	// OpenAI's worked examples for GPT-4o at high detail.
	for _, tc := range []struct{ w, h, want int }{
		{1024, 1024, 765},
		{2048, 4096, 1105},
		{512, 512, 255},
		{100, 50, 255},
		{0, 10, 0},
	} {
		if got := imageTokens(tc.w, tc.h); got != tc.want {
			t.Errorf("imageTokens(%d, %d) = %d, want %d", tc.w, tc.h, got, tc.want)
		}
	}
}

func TestCountLines(t *testing.T) {
	for s, want := range map[string]int{"": 0, "a": 1, "a\n": 1, "a\nb": 2, "\n\n": 2, "a\r\nb\r\n": 2} {
		if got := countLines([]byte(s)); got != want {
			t.Errorf("countLines(%q) = %d, want %d", s, got, want)
		}
	}
}

func TestSize(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1 KB", 1536: "1.5 KB", 20 << 20: "20 MB", 3 << 30: "3 GB", 150 << 20: "150 MB"} {
		if got := Size(n); got != want {
			t.Errorf("Size(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestDisplay(t *testing.T) {
	for in, want := range map[string]string{
		"notes.txt":       "notes.txt",
		"my notes.txt":    "my notes.txt",
		"日本.txt":          "日本.txt",
		"a\x1b[2Jb":       `"a\x1b[2Jb"`,
		"line\nbreak":     `"line\nbreak"`,
		"\u202eevil.txt":  `"\u202eevil.txt"`,
		"":                `""`,
		"bad\xffutf8.txt": `"bad\xffutf8.txt"`,
	} {
		if got := Display(in); got != want {
			t.Errorf("Display(%q) = %s, want %s", in, got, want)
		}
	}
}
