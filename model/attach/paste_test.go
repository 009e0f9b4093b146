package attach

import (
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

func TestPastedPaths(t *testing.T) {
	exists := files("/home/me/my notes.txt", "/home/me/shot.png", "/Users/me/Screen Shot 1.png",
		`C:\Users\me\my notes.txt`, `C:\Users\me\plain.txt`, "~/todo.md", "./rel.go", "src/main.go", "README", "/tmp/it's.txt")
	for _, tc := range []struct {
		name, paste string
		want        []string
	}{
		{"plain", "/home/me/shot.png", []string{"/home/me/shot.png"}},
		{"plain with spaces", "/home/me/my notes.txt", []string{"/home/me/my notes.txt"}},
		{"trailing space (GNOME)", "'/home/me/my notes.txt' ", []string{"/home/me/my notes.txt"}},
		{"two quoted (GNOME)", "'/home/me/my notes.txt' '/home/me/shot.png' ", []string{"/home/me/my notes.txt", "/home/me/shot.png"}},
		{"backslash-escaped (Terminal.app)", `/Users/me/Screen\ Shot\ 1.png`, []string{"/Users/me/Screen Shot 1.png"}},
		{"escaped and plain", `/Users/me/Screen\ Shot\ 1.png /home/me/shot.png`, []string{"/Users/me/Screen Shot 1.png", "/home/me/shot.png"}},
		{"double-quoted (Windows Terminal)", `"C:\Users\me\my notes.txt"`, []string{`C:\Users\me\my notes.txt`}},
		{"unquoted Windows path", `C:\Users\me\plain.txt`, []string{`C:\Users\me\plain.txt`}},
		{"a quote escaped in a shell way", `'/tmp/it'\''s.txt'`, []string{"/tmp/it's.txt"}},
		{"file URI", "file:///home/me/my%20notes.txt", []string{"/home/me/my notes.txt"}},
		{"file URI with localhost", "file://localhost/home/me/shot.png", []string{"/home/me/shot.png"}},
		{"uri-list with CRLF", "file:///home/me/shot.png\r\nfile:///home/me/my%20notes.txt\r\n", []string{"/home/me/shot.png", "/home/me/my notes.txt"}},
		{"one per line", "/home/me/shot.png\n/home/me/my notes.txt\n", []string{"/home/me/shot.png", "/home/me/my notes.txt"}},
		{"home and relative", "~/todo.md ./rel.go src/main.go", []string{"~/todo.md", "./rel.go", "src/main.go"}},
		// Text, not paths.
		{"a word that names a file", "README", nil},
		{"a sentence", "please look at /home/me/shot.png", nil},
		{"one path missing", "/home/me/shot.png /home/me/gone.png", nil},
		{"URI of another host", "file://server/home/me/shot.png", nil},
		{"unclosed quote", "'/home/me/shot.png", nil},
		{"empty", "  \n ", nil},
		{"code", "if (a) {\n  return b;\n}", nil},
		{"too long", strings.Repeat("/home/me/shot.png ", 3000), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := PastedPaths(tc.paste, exists); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("PastedPaths(%q) = %q, want %q", tc.paste, got, tc.want)
			}
		})
	}
}

func TestPastedPathsOnDisk(t *testing.T) {
	dir := t.TempDir()
	a := write(t, dir, "drop me.png", pngBytes(t, 2, 2))
	b := write(t, dir, "b.txt", []byte("x"))
	paste := "'" + a + "' " + strings.ReplaceAll(b, " ", `\ `) + " "
	got := PastedPaths(paste, Exists)
	if !reflect.DeepEqual(got, []string{a, b}) {
		t.Fatalf("PastedPaths(%q) = %q", paste, got)
	}
	if PastedPaths(filepath.Dir(a), Exists) != nil {
		t.Error("a dropped directory is offered as an attachment")
	}
	att, err := Load(got[0], Limits{})
	if err != nil || att.Kind != Image || att.Name != "drop me.png" {
		t.Errorf("Load(%q) = %+v, %v", got[0], att, err)
	}
}

// FuzzPastedPaths: any paste either is text (nil) or yields paths that
// exist and look like paths; and no paste panics.
func FuzzPastedPaths(f *testing.F) {
	for _, s := range []string{"'/a b' /c", `/x\ y "C:\z"`, "file:///a%20b\r\nfile://h/x", "'", `\`, "\"\\", "/a\n\n/b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, paste string) {
		exists := func(p string) bool { return len(p)%3 != 0 }
		for _, p := range PastedPaths(paste, exists) {
			if !exists(p) || !looksLikePath(p) {
				t.Fatalf("PastedPaths(%q) gave %q", paste, p)
			}
		}
	})
}
