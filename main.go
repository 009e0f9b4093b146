// Command parley is a terminal chat client for large language models.
package main

import (
	"os"

	"github.com/parley-tui/parley/ui/cli"
)

func main() {
	os.Exit(cli.Execute(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
