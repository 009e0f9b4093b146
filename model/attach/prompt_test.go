package attach

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// files is a fake file system for the parsers: the paths that exist.
func files(paths ...string) func(string) bool {
	set := map[string]bool{}
	for _, p := range paths {
		set[p] = true
	}
	return func(p string) bool { return set[p] }
}

func TestFindRefs(t *testing.T) {
	exists := files("main.go", "my notes.txt", "docs/a.md", "it's.txt", `back\slash.txt`, "~/todo.md", "日本.txt", "main.go.")
	for _, tc := range []struct {
		prompt string
		want   []Ref
	}{
		{"explain @main.go", []Ref{{8, 16, "main.go"}}},
		{"@main.go first", []Ref{{0, 8, "main.go"}}},
		{"compare @main.go and @docs/a.md please", []Ref{{8, 16, "main.go"}, {21, 31, "docs/a.md"}}},
		{`read @"my notes.txt" now`, []Ref{{5, 20, "my notes.txt"}}},
		{`read @'my notes.txt'`, []Ref{{5, 20, "my notes.txt"}}},
		{`read @my\ notes.txt`, []Ref{{5, 19, "my notes.txt"}}},
		{`read @"it's.txt"`, []Ref{{5, 16, "it's.txt"}}},
		{`read @back\slash.txt`, []Ref{{5, 20, `back\slash.txt`}}},
		{"see @docs/a.md, then", []Ref{{4, 14, "docs/a.md"}}},
		{"(see @docs/a.md)", []Ref{{5, 15, "docs/a.md"}}},
		{"is it in @docs/a.md?", []Ref{{9, 19, "docs/a.md"}}},
		{"(@main.go)", []Ref{{1, 9, "main.go"}}},
		{"ends with a dot that is a file: @main.go.", []Ref{{32, 41, "main.go."}}},
		{"@~/todo.md", []Ref{{0, 10, "~/todo.md"}}},
		{"@日本.txt を読んで", []Ref{{0, 11, "日本.txt"}}},
		{"line one\n@main.go", []Ref{{9, 17, "main.go"}}},
		// Not references.
		{"mail bob@example.com", nil},
		{"mail x@main.go", nil},
		{"ask @channel about it", nil},
		{"@ alone", nil},
		{"@", nil},
		{"@@main.go", nil},
		{`@"unclosed main.go`, nil},
		{`@"" empty`, nil},
		{"@docs", nil},
	} {
		t.Run(tc.prompt, func(t *testing.T) {
			got := FindRefs(tc.prompt, exists)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("FindRefs(%q) = %v, want %v", tc.prompt, got, tc.want)
			}
			for _, r := range got {
				if tc.prompt[r.Start] != '@' {
					t.Errorf("ref %v does not start at an @", r)
				}
			}
		})
	}
}

func TestExists(t *testing.T) {
	dir := t.TempDir()
	file := write(t, dir, "a.txt", []byte("x"))
	os.Mkdir(filepath.Join(dir, "sub"), 0o755)
	loop := filepath.Join(dir, "loop")
	os.Symlink("loop", loop)
	dangling := filepath.Join(dir, "dangling")
	os.Symlink("nowhere", dangling)
	linkToDir := filepath.Join(dir, "linkdir")
	os.Symlink("sub", linkToDir)
	for p, want := range map[string]bool{
		file:                          true,
		filepath.Join(dir, "sub"):     false, // a directory is a word, not a reference
		linkToDir:                     false,
		loop:                          true, // Load says it loops
		dangling:                      true, // Load says where it points
		filepath.Join(dir, "missing"): false,
		"":                            false,
		"a\x00b":                      false,
		strings.Repeat("x", 5000):     false,
	} {
		if got := Exists(p); got != want {
			t.Errorf("Exists(%q) = %v, want %v", p, got, want)
		}
	}
	// Refs and Load together, on a real directory.
	t.Chdir(dir)
	refs := FindRefs("summarise @a.txt and @sub and @loop", Exists)
	if len(refs) != 2 || refs[0].Path != "a.txt" || refs[1].Path != "loop" {
		t.Fatalf("refs = %v", refs)
	}
	if _, err := Load(refs[1].Path, Limits{}); ProblemOf(err) != SymlinkLoop {
		t.Errorf("Load(loop) = %v", err)
	}
}

// FuzzFindRefs checks what holds for any prompt: references are in
// order, inside the prompt, start with an @ that starts a word, name a
// path the file system said exists, and a quoted path reads back as
// itself.
func FuzzFindRefs(f *testing.F) {
	for _, s := range []string{"explain @main.go", `@"a b" @'c d' @e\ f`, "x@y.z @", "@@@", "(@a.txt).", `@"\"\\"`, "@日本\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, prompt string) {
		// Every path of even length "exists", which gives both outcomes.
		exists := func(p string) bool { return len(p)%2 == 0 }
		last := 0
		for _, r := range FindRefs(prompt, exists) {
			if r.Start < last || r.End <= r.Start || r.End > len(prompt) {
				t.Fatalf("ref %+v out of order or bounds in %q", r, prompt)
			}
			if prompt[r.Start] != '@' || !refMayStart(prompt, r.Start) {
				t.Fatalf("ref %+v does not start a word in %q", r, prompt)
			}
			if r.Path == "" || !exists(r.Path) {
				t.Fatalf("ref %+v names no existing path", r)
			}
			last = r.End
		}
		// Round trip: any path written quoted is found whole.
		if prompt != "" && !strings.ContainsAny(prompt, `"\`) {
			refs := FindRefs(`see @"`+prompt+`"`, func(string) bool { return true })
			if len(refs) != 1 || refs[0].Path != prompt {
				t.Fatalf("quoted %q read back as %v", prompt, refs)
			}
		}
	})
}
