package attach

import (
	"bytes"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// Fenced is a text attachment as the model reads it: a line naming the
// file (so the model can cite it), then its content in a fenced code
// block tagged with the language its extension suggests. The fence is
// longer than any run of backticks in the content, so a file holding
// fences of its own cannot close it early. For other kinds it is "".
//
//	File: model/attach/text.go
//	```go
//	package attach
//	```
func (a Attachment) Fenced() string {
	if a.Kind != Text {
		return ""
	}
	return fence(a.Label(), a.Data)
}

// Label is how the model and the transcript name the attachment: its path
// as given, cleaned ("./a//b.go" is "a/b.go"), "stdin" for "-", quoted
// when it holds control characters.
func (a Attachment) Label() string {
	if a.Path == "" || a.Path == "-" {
		return Display(a.Name)
	}
	return Display(filepath.ToSlash(filepath.Clean(a.Path)))
}

func fence(label string, data []byte) string {
	content := string(bytes.TrimPrefix(data, []byte(utf8BOM)))
	ticks := strings.Repeat("`", max(3, longestRun(content, '`')+1))
	var b strings.Builder
	b.Grow(len(content) + len(label) + 32)
	b.WriteString("File: " + label + "\n")
	b.WriteString(ticks + language(label) + "\n")
	b.WriteString(content)
	if content != "" && !strings.HasSuffix(content, "\n") {
		b.WriteByte('\n')
	}
	b.WriteString(ticks + "\n")
	return b.String()
}

func longestRun(s string, c byte) int {
	best, run := 0, 0
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			run++
			best = max(best, run)
		} else {
			run = 0
		}
	}
	return best
}

// languages maps an extension (or a whole base name) to a fence's info
// string, for the common files people attach. Unknown ones get none.
var languages = map[string]string{
	".go": "go", ".py": "python", ".js": "javascript", ".mjs": "javascript", ".ts": "typescript",
	".tsx": "tsx", ".jsx": "jsx", ".rs": "rust", ".c": "c", ".h": "c", ".cc": "cpp", ".cpp": "cpp",
	".hpp": "cpp", ".java": "java", ".kt": "kotlin", ".swift": "swift", ".rb": "ruby", ".php": "php",
	".cs": "csharp", ".scala": "scala", ".lua": "lua", ".sh": "sh", ".bash": "bash", ".zsh": "zsh",
	".fish": "fish", ".ps1": "powershell", ".sql": "sql", ".html": "html", ".css": "css", ".scss": "scss",
	".xml": "xml", ".svg": "xml", ".json": "json", ".jsonl": "json", ".yaml": "yaml", ".yml": "yaml",
	".toml": "toml", ".ini": "ini", ".md": "markdown", ".markdown": "markdown", ".tex": "latex",
	".diff": "diff", ".patch": "diff", ".proto": "protobuf", ".graphql": "graphql", ".tf": "hcl",
	".hs": "haskell", ".ml": "ocaml", ".ex": "elixir", ".exs": "elixir", ".erl": "erlang",
	".clj": "clojure", ".r": "r", ".jl": "julia", ".dart": "dart", ".zig": "zig", ".nix": "nix",
	".vue": "vue", ".csv": "csv", ".el": "elisp", ".vim": "vim", ".dockerfile": "dockerfile",
	"dockerfile": "dockerfile", "makefile": "makefile", "gnumakefile": "makefile", "go.mod": "go",
	"cmakelists.txt": "cmake", ".cmake": "cmake",
}

func language(label string) string {
	base := strings.ToLower(path.Base(label))
	if l, ok := languages[base]; ok {
		return l
	}
	return languages[path.Ext(base)]
}

// countLines counts lines as an editor numbers them: a last line without
// a newline counts, an empty file has none.
func countLines(data []byte) int {
	n := bytes.Count(data, []byte("\n"))
	if len(data) > 0 && data[len(data)-1] != '\n' {
		n++
	}
	return n
}

// EstimateTokens is a quick estimate of how many tokens s costs a model,
// without a tokenizer: a token per four ASCII bytes (OpenAI's rule of
// thumb for English and code), and a token per other character (about
// right for Chinese and Japanese; high for accented Latin and Cyrillic,
// which is the safe side for a context-window check). Rounded up.
func EstimateTokens(s string) int {
	ascii, other := 0, 0
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			ascii++
			i++
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		other++
		i += size
	}
	return (ascii+3)/4 + other
}

// imageTokens estimates an image's cost the way OpenAI documents it for
// GPT-4o-class models at high detail: scaled to fit 2048×2048, then so
// its short side is at most 768, then 170 tokens per 512-pixel tile plus
// 85. Other models count differently; this is a ballpark for the status
// bar, not a bill.
func imageTokens(w, h int) int {
	if w <= 0 || h <= 0 {
		return 0
	}
	fw, fh := float64(w), float64(h)
	if s := 2048 / max(fw, fh); s < 1 {
		fw, fh = fw*s, fh*s
	}
	if s := 768 / min(fw, fh); s < 1 {
		fw, fh = fw*s, fh*s
	}
	tiles := int((fw+511)/512) * int((fh+511)/512)
	return 85 + 170*tiles
}
