package finder_test

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/parley-tui/parley/model/attach/finder"
)

func Example() {
	root, _ := os.MkdirTemp("", "finder")
	defer os.RemoveAll(root)
	for name, content := range map[string]string{
		".gitignore":                  "*.log\n",
		"README.md":                   "# Parley\n",
		"model/attach/attach.go":      "package attach\n",
		"model/attach/finder/rank.go": "package finder\n",
		"docs/attachments.md":         "# Attachments\n",
		"debug.log":                   "ignored\n",
		"tool":                        "\x7fELF\x00\x00binary",
	} {
		p := filepath.Join(root, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		os.WriteFile(p, []byte(content), 0o644)
	}

	f := finder.New(root, finder.Options{})
	defer f.Close()
	for !f.Next(10 * time.Millisecond) { // a UI runs this in a command, between frames
	}
	for _, m := range f.Match("attach", 5) {
		fmt.Println(m.Path, m.Kind, m.Positions)
	}
	// Output:
	// model/attach/attach.go text [13 14 15 16 17 18]
	// docs/attachments.md text [5 6 7 8 9 10]
	// model/attach/finder/rank.go text [6 7 8 9 10 11]
}
