package attach

import (
	"path/filepath"
	"runtime"
	"testing"
)

func TestShortPath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("the cases are written with Unix paths")
	}
	for _, c := range []struct{ path, dir, home, want string }{
		{"/home/me/src/proj/notes.txt", "/home/me/src/proj", "/home/me", "notes.txt"},
		{"/home/me/src/proj/docs/a b.md", "/home/me/src/proj/", "/home/me", "docs/a b.md"},
		{"/home/me/other/x.go", "/home/me/src/proj", "/home/me", "~/other/x.go"},
		{"/home/me/src/proj", "/home/me/src/proj", "/home/me", "~/src/proj"},
		{"/home/me/src/projection/x", "/home/me/src/proj", "", "/home/me/src/projection/x"},
		{"/etc/hosts", "/home/me/src/proj", "/home/me", "/etc/hosts"},
		{"/home/me/src/proj/../proj/a.txt", "/home/me/src/proj", "/home/me", "a.txt"},
		{"notes.txt", "/home/me/src/proj", "/home/me", "notes.txt"},
		{"~/notes.txt", "/home/me/src/proj", "/home/me", "~/notes.txt"},
		{"/tmp/x.png", "", "", "/tmp/x.png"},
		{"/tmp/x.png", "relative", "", "/tmp/x.png"},
	} {
		if got := ShortPath(c.path, c.dir, c.home); got != filepath.FromSlash(c.want) {
			t.Errorf("ShortPath(%q, %q, %q) = %q, want %q", c.path, c.dir, c.home, got, c.want)
		}
	}
}
