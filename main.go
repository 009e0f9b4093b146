// Command parley is a terminal chat client for large language models.
package main

import (
	"os"

	"github.com/parley-tui/parley/ui/cli"
)

func main() {
	ctx, stop := cli.InterruptContext()
	code := cli.ExecuteContext(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
