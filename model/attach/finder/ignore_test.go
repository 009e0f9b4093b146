package finder

import "testing"

func TestIgnoreRules(t *testing.T) {
	for _, tc := range []struct {
		gitignore string
		path      string
		dir       bool
		want      bool
	}{
		{"*.log", "a.log", false, true},
		{"*.log", "deep/er/a.log", false, true},
		{"*.log", "a.log.txt", false, false},
		{"*.log\n!keep.log", "keep.log", false, false},
		{"*.log\n!keep.log", "x/keep.log", false, false},
		{"*.log\n!keep.log", "x/a.log", false, true},
		{"!keep.log\n*.log", "keep.log", false, true}, // the last matching line wins
		{"build/", "build", true, true},
		{"build/", "build", false, false}, // a file called build stays
		{"build/", "src/build", true, true},
		{"/build", "build", true, true},
		{"/build", "src/build", true, false},
		{"docs/*.md", "docs/a.md", false, true},
		{"docs/*.md", "docs/sub/a.md", false, false},
		{"docs/*.md", "x/docs/a.md", false, false}, // a slash in the middle anchors
		{"doc/frotz/", "doc/frotz", true, true},
		{"doc/frotz/", "a/doc/frotz", true, false},
		{"frotz/", "a/frotz", true, true},
		{"**/foo", "foo", false, true},
		{"**/foo", "a/b/foo", false, true},
		{"**/foo/bar", "x/foo/bar", false, true},
		{"a/**/b", "a/b", false, true},
		{"a/**/b", "a/x/y/b", false, true},
		{"a/**/b", "a/x/c", false, false},
		{"abc/**", "abc/x", false, true},
		{"abc/**", "abc/x/y", false, true},
		{"abc/**", "abc", true, false},
		{"**", "anything/at/all", false, true},
		{"foo**bar", "fooXbar", false, true}, // not a whole segment: a plain star
		{"# comment", "# comment", false, false},
		{`\#file`, "#file", false, true},
		{`\!important`, "!important", false, true},
		{"trailing   ", "trailing", false, true},
		{`space\ `, "space ", false, true},
		{"[a-c].txt", "b.txt", false, true},
		{"[a-c].txt", "d.txt", false, false},
		{"[!a].txt", "a.txt", false, false},
		{"[^a].txt", "b.txt", false, true},
		{"[]x].txt", "].txt", false, true},
		{"[a-].txt", "-.txt", false, true},
		{"?.go", "a.go", false, true},
		{"?.go", "ab.go", false, false},
		{"?.go", "é.go", false, true},    // one character, two bytes
		{"*.LOG", "a.log", false, false}, // case matters, as in git on Linux
		{"a[", "a[", false, false},       // a malformed class matches nothing
		{"*.log\r\n", "a.log", false, true},
		{"\n\n*.tmp\n\n", "x.tmp", false, true},
		{"/", "x", false, false},
		{"!", "x", false, false},
		// Ignore everything but directories and Go files.
		{"*\n!*/\n!*.go", "src", true, false},
		{"*\n!*/\n!*.go", "src/a.go", false, false},
		{"*\n!*/\n!*.go", "src/a.txt", false, true},
		{"foo/bar", "foo/bar", false, true},
		{"foo/bar", "x/foo/bar", false, false},
		{"*.o", "a.o", true, true}, // without a slash it matches directories too
	} {
		r := &rules{patterns: parseIgnore([]byte(tc.gitignore))}
		if got := r.ignored(tc.path, tc.dir); got != tc.want {
			t.Errorf("%q: ignored(%q, dir=%v) = %v, want %v", tc.gitignore, tc.path, tc.dir, got, tc.want)
		}
	}
}

// A nested .gitignore applies below its directory only, and overrides
// the ones above it.
func TestNestedRules(t *testing.T) {
	top := &rules{patterns: parseIgnore([]byte("*.log\n*.tmp\n"))}
	sub := &rules{base: "sub", patterns: parseIgnore([]byte("!keep.log\n/local.txt\n")), parent: top}
	for _, tc := range []struct {
		path string
		want bool
	}{
		{"sub/keep.log", false},
		{"sub/deeper/keep.log", false},
		{"keep.log", true}, // sub's rule does not reach up
		{"sub/other.log", true},
		{"sub/x.tmp", true},
		{"sub/local.txt", true},
		{"sub/d/local.txt", false}, // anchored to sub
		{"local.txt", false},
		{"subway/keep.log", true}, // "sub" is not a prefix of "subway"
	} {
		if got := sub.ignored(tc.path, false); got != tc.want {
			t.Errorf("ignored(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, tc := range []struct {
		pat, name string
		want      bool
	}{
		{"*", "", true},
		{"*", "abc", true},
		{"a*c", "abbbc", true},
		{"a*c", "abbb", false},
		{"*a*b*c*", "xxaxxbxxcxx", true},
		{"*.go", ".go", true},
		{`\*`, "*", true},
		{`\*`, "a", false},
		{"[[:alpha:]]", "a", true},
		{"[[:alpha:]]", "1", false},
		{"[[:digit:][:upper:]]x", "Xx", true},
		{"[![:digit:]]", "7", false},
		{"[[:nonsense:]]", "a", false},
		{"日*", "日本", true},
		{"?", "日", true},
		{"[日本]", "本", true},
	} {
		if got := glob(tc.pat, tc.name); got != tc.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tc.pat, tc.name, got, tc.want)
		}
	}
}
