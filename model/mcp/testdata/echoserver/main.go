// Command echoserver is mcptest.EchoServer over stdio, for tests, with one
// more tool, exit, which ends the process at once (a server that dies).
//
// ECHO_MODE picks a misbehaviour: exit complains on stderr and exits at
// once; hang never answers; once:FILE starts only when FILE does not
// exist, and creates it (a server that cannot start again); legacy
// refuses server/discover, as servers of protocol 2025-11-25 do.
// ECHO_EXTRA_TOOL names one more tool (which says its name), so that two
// servers' tools can be made to share a name.
package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/mcp/mcptest"
)

func main() {
	mode := os.Getenv("ECHO_MODE")
	switch {
	case mode == "exit":
		fmt.Fprintln(os.Stderr, "echoserver: starting\necho: no token configured")
		os.Exit(3)
	case mode == "hang":
		time.Sleep(time.Hour)
	case strings.HasPrefix(mode, "once:"):
		f, err := os.OpenFile(strings.TrimPrefix(mode, "once:"), os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
		if err != nil {
			fmt.Fprintln(os.Stderr, "echo: already started once")
			os.Exit(4)
		}
		f.Close()
	}
	s := mcptest.EchoServer()
	sdk.AddTool(s, &sdk.Tool{Name: "exit", Description: "End the server."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			os.Exit(0)
			return nil, nil, nil
		})
	if name := os.Getenv("ECHO_EXTRA_TOOL"); name != "" {
		sdk.AddTool(s, &sdk.Tool{Name: name, Description: "Say its name."},
			func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
				return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: name}}}, nil, nil
			})
	}
	var t sdk.Transport = &sdk.StdioTransport{}
	if mode == "legacy" {
		t = mcptest.LegacyTransport(t)
	}
	if err := s.Run(context.Background(), t); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
