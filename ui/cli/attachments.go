package cli

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"regexp"

	"github.com/parley-tui/parley/model/attach"
)

// loaded is what -f and a -p prompt's @path references attach.
type loaded struct {
	atts []attach.Attachment
	// stdin says "-f -" read standard input, so it is not also the
	// prompt's context (-p) or the chat's keyboard.
	stdin bool
	// warnings name @words that look like paths but name no file: they
	// are sent as the text they are, which may not be what was meant.
	warnings []string
}

// loadAttachments reads the files -f names, in order, then those the
// @path references in prompt name (for -p; "" for the chat). "-" is
// standard input, which must be a pipe or a file. A file named twice is
// attached once. Every problem (a missing file, a directory, a binary, a
// file over its limit, an unreadable one, a symlink loop, text that is
// not UTF-8) is a usage error whose message is one sentence, and nothing
// is sent.
func loadAttachments(paths []string, prompt string, stdin io.Reader, lim attach.Limits) (loaded, error) {
	var l loaded
	seen := map[string]bool{}
	add := func(path string) error {
		key := fileKey(path)
		if seen[key] {
			return nil
		}
		seen[key] = true
		var a attach.Attachment
		var err error
		if path == "-" {
			if f, ok := stdin.(*os.File); ok && isTerminal(f) {
				return errors.New("-f -: standard input is a terminal, not a file; pipe one in, e.g. parley -f - -p \"summarise this\" < notes.txt")
			}
			a, err = attach.LoadReader(stdin, "stdin", lim)
			l.stdin = true
		} else {
			a, err = attach.Load(path, lim)
		}
		if err != nil {
			return err
		}
		l.atts = append(l.atts, a)
		return nil
	}
	for _, p := range paths {
		if p == "" {
			return l, errors.New("-f needs a file name (or - for standard input)")
		}
		if err := add(p); err != nil {
			return l, err
		}
	}
	found := map[string]bool{}
	for _, ref := range attach.FindRefs(prompt, attach.Exists) {
		found[ref.Path] = true
		if err := add(ref.Path); err != nil {
			return l, err
		}
	}
	for _, ref := range attach.FindRefs(prompt, meantAFile) {
		if found[ref.Path] {
			continue
		}
		what := "names no file"
		if isDir(ref.Path) {
			what = "is a directory (attach the files in it instead)"
		}
		l.warnings = append(l.warnings, "@"+attach.Display(ref.Path)+" "+what+", so it is sent as text")
	}
	return l, nil
}

// fileKey names a file whatever path reached it ("notes.txt",
// "./notes.txt", "~/x/notes.txt"), so it is attached once.
func fileKey(path string) string {
	if path == "-" {
		return path
	}
	abs, err := filepath.Abs(attach.ExpandHome(path))
	if err != nil {
		return path
	}
	return abs
}

// pathLike is a word with a folder in it or a file extension, ending as
// a name does: what an @reference to a file that is not there looks like
// ("@notes.tx", "@src/"), as opposed to "@everyone" or "@v2.".
var pathLike = regexp.MustCompile(`([/\\]|\.[A-Za-z0-9]+)$|[/\\].*[A-Za-z0-9_]$`)

// meantAFile says an @word was probably meant to attach something: it
// looks like a path, or names a directory.
func meantAFile(p string) bool { return pathLike.MatchString(p) || isDir(p) }

func isDir(p string) bool {
	fi, err := os.Stat(attach.ExpandHome(p))
	return err == nil && fi.IsDir()
}

// attachTarget is where a request with attachments goes, for
// model.Conversation.CheckSend: the server the chat starts with
// (provider "" or the starting one) or another provider it switches to,
// and the model asked there. What the catalog knows of the model's sight
// comes with it. The demo backend takes PDFs on both APIs.
func (b *backend) attachTarget(provider, modelName string) attach.Target {
	s := b.settings
	t := attach.Target{API: string(b.cfg.API), BaseURL: b.cfg.BaseURL, Model: modelName, Vision: b.catalog.Vision(modelName)}
	switch {
	case s.Demo || s.Replay != "":
		t.ChatPDF = true
	case provider == "" || provider == s.Provider:
		t.Provider = s.Provider
	default:
		if info, err := s.Inspect(provider); err == nil {
			t.API, t.BaseURL, t.Provider = string(info.API), info.BaseURL, provider
		}
	}
	return t
}
