package attach

import (
	"path/filepath"
	"strings"
)

// ShortPath is how a file's path is shown to the model and the user: an
// absolute path under dir (the working directory) relative to it, one
// under home as "~/...", anything else as it is. A pasted path is
// absolute, and the model has no use for /home/me/src/project/ in front
// of every file it is asked about; a name relative to where Parley runs
// is also what it would cite back. dir and home may be "" (unknown).
func ShortPath(path, dir, home string) string {
	if !filepath.IsAbs(path) {
		return path
	}
	path = filepath.Clean(path)
	if rel, ok := under(path, dir); ok {
		return rel
	}
	if rel, ok := under(path, home); ok {
		return "~/" + filepath.ToSlash(rel)
	}
	return path
}

// under is path relative to dir when path is inside dir (not dir itself).
func under(path, dir string) (string, bool) {
	if dir == "" || !filepath.IsAbs(dir) {
		return "", false
	}
	rel, err := filepath.Rel(filepath.Clean(dir), path)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", false
	}
	return rel, true
}
