package attach_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/parley-tui/parley/model/attach"
)

func Example() {
	dir, _ := os.MkdirTemp("", "attach")
	defer os.RemoveAll(dir)
	os.WriteFile(filepath.Join(dir, "todo.md"), []byte("- write tests\n- ship\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "old.txt"), []byte("caf\xe9\n"), 0o644) // Latin-1

	wd, _ := os.Getwd()
	os.Chdir(dir)
	defer os.Chdir(wd)

	// parley -p "summarise @todo.md and @old.txt, mail bob@example.com"
	prompt := "summarise @todo.md and @old.txt, mail bob@example.com"
	for _, ref := range attach.FindRefs(prompt, attach.Exists) {
		a, err := attach.Load(ref.Path, attach.Limits{})
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %s, %d lines, about %d tokens\n", a.Name, a.Kind, a.Lines, a.Tokens)
		fmt.Print(a.Fenced())
	}
	// Output:
	// todo.md: text, 2 lines, about 13 tokens
	// File: todo.md
	// ```markdown
	// - write tests
	// - ship
	// ```
	// cannot attach old.txt: it looks like Latin-1 (ISO 8859-1) text, not UTF-8 (the first byte that is not UTF-8, 0xE9, is on line 1); convert it to UTF-8 first, e.g. iconv -f LATIN1 -t UTF-8
}

func ExampleTarget_Check() {
	pdf, _ := attach.FromBytes("report.pdf", "report.pdf", []byte("%PDF-1.7\n%%EOF\n"), attach.Limits{})
	ollama := attach.Target{API: "chat", BaseURL: "http://localhost:11434/v1", Provider: "ollama", Model: "llama3.2"}
	fmt.Println(ollama.Check(pdf))
	openai := attach.Target{API: "responses", BaseURL: "https://api.openai.com/v1", Model: "gpt-5"}
	fmt.Println(openai.Check(pdf))
	// Output:
	// cannot send report.pdf: this Chat Completions server (ollama at localhost:11434) cannot take a PDF; use a Responses API provider (--api responses), or attach the document as text
	// <nil>
}

func ExamplePastedPaths() {
	exists := func(p string) bool { return strings.HasSuffix(p, ".png") }
	fmt.Printf("%q\n", attach.PastedPaths(`'/home/me/Screen Shot.png' /tmp/a\ b.png `, exists))
	fmt.Printf("%q\n", attach.PastedPaths("file:///home/me/shot%201.png", exists))
	fmt.Printf("%q\n", attach.PastedPaths("look at this.png", exists))
	// Output:
	// ["/home/me/Screen Shot.png" "/tmp/a b.png"]
	// ["/home/me/shot 1.png"]
	// []
}
