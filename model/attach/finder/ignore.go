package finder

import (
	"bufio"
	"bytes"
	"strings"
)

// The rules of gitignore(5), written here rather than taken from a
// library: the kept Go ones either match one file at a time without the
// nesting of .gitignore files (sabhiram/go-gitignore, unmaintained since
// 2021) or come inside go-git with its dependencies. A lazy walk needs
// only "is this entry ignored", asked once per entry with the rules of
// the directories above it, which is this file.

// pattern is one line of a .gitignore.
type pattern struct {
	negate   bool     // "!pattern": re-include
	dirOnly  bool     // "pattern/": directories only
	anchored bool     // a slash at the start or in the middle: relative to the file's directory
	segs     []string // the pattern split at "/"; "**" segments kept whole
}

// rules are the patterns of one .gitignore (or .git/info/exclude), and
// those of the directories above it. Deeper files override shallower
// ones, and within a file the last matching line wins, so matching goes
// from the deepest file's last line up.
type rules struct {
	base     string // the file's directory, relative to the repository top, "" for the top
	patterns []pattern
	parent   *rules
}

// parseIgnore reads the patterns of a .gitignore's content.
func parseIgnore(data []byte) []pattern {
	var out []pattern
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), 64<<10)
	for sc.Scan() {
		if p, ok := parseLine(sc.Text()); ok {
			out = append(out, p)
		}
	}
	return out
}

func parseLine(line string) (pattern, bool) {
	line = strings.TrimSuffix(line, "\r")
	// Trailing spaces go unless escaped with a backslash.
	for strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
		line = line[:len(line)-1]
	}
	if line == "" || line[0] == '#' {
		return pattern{}, false
	}
	var p pattern
	if line[0] == '!' {
		p.negate, line = true, line[1:]
	}
	if strings.HasSuffix(line, "/") {
		p.dirOnly, line = true, strings.TrimRight(line, "/")
	}
	if strings.Contains(line, "/") {
		p.anchored, line = true, strings.TrimLeft(line, "/")
	}
	if line == "" {
		return pattern{}, false
	}
	p.segs = strings.Split(line, "/")
	return p, true
}

// ignored reports whether the entry at path (relative to the repository
// top, slash-separated) is ignored by these rules or their parents'.
func (r *rules) ignored(path string, isDir bool) bool {
	name := path[strings.LastIndexByte(path, '/')+1:]
	for rs := r; rs != nil; rs = rs.parent {
		rel, ok := under(path, rs.base)
		if !ok {
			continue
		}
		for i := len(rs.patterns) - 1; i >= 0; i-- {
			if p := &rs.patterns[i]; p.matches(rel, name, isDir) {
				return !p.negate
			}
		}
	}
	return false
}

// under is path relative to dir, if it is inside it.
func under(path, dir string) (string, bool) {
	if dir == "" {
		return path, true
	}
	if len(path) > len(dir) && path[len(dir)] == '/' && strings.HasPrefix(path, dir) {
		return path[len(dir)+1:], true
	}
	return "", false
}

func (p *pattern) matches(rel, name string, isDir bool) bool {
	if p.dirOnly && !isDir {
		return false
	}
	if !p.anchored {
		return glob(p.segs[0], name)
	}
	return matchSegs(p.segs, strings.Split(rel, "/"))
}

// matchSegs matches path segments against pattern segments, where "**"
// is any number of segments: "a/**/b" matches "a/b" and "a/x/y/b", and a
// trailing "a/**" everything inside a (not a itself).
func matchSegs(pat, path []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			if len(pat) == 1 {
				return len(path) > 0
			}
			for i := 0; i <= len(path); i++ {
				if matchSegs(pat[1:], path[i:]) {
					return true
				}
			}
			return false
		}
		if len(path) == 0 || !glob(pat[0], path[0]) {
			return false
		}
		pat, path = pat[1:], path[1:]
	}
	return len(path) == 0
}
