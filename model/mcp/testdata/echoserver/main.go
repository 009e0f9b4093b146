// Command echoserver is mcptest.EchoServer over stdio, for tests. With
// ECHO_MODE=exit it complains on stderr and exits at once; with
// ECHO_MODE=hang it never answers.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/mcp/mcptest"
)

func main() {
	switch os.Getenv("ECHO_MODE") {
	case "exit":
		fmt.Fprintln(os.Stderr, "echoserver: starting\necho: no token configured")
		os.Exit(3)
	case "hang":
		time.Sleep(time.Hour)
	}
	if err := mcptest.EchoServer().Run(context.Background(), &sdk.StdioTransport{}); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
