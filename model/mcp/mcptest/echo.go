// Package mcptest holds a small MCP server for tests, built on the SDK's
// server side: testdata/echoserver runs it over stdio, and tests serve it
// over streamable HTTP with httptest.
package mcptest

import (
	"context"
	"errors"
	"os"
	"strconv"
	"time"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// EchoServer offers these tools:
//
//	echo        {"text": "..."} returns the text
//	fail        always fails (an isError result)
//	sleep       {"seconds": 5} waits, or until the call is cancelled
//	pid         the server's process id
//	cwd         the server's working directory
//	getenv      {"name": "X"} the value of an environment variable
//	picture     a line of text and a 12 KB PNG image
//	dotted.name returns "dotted", for name mapping
func EchoServer() *sdk.Server {
	s := sdk.NewServer(&sdk.Implementation{Name: "echo", Version: "1"}, nil)
	sdk.AddTool(s, &sdk.Tool{Name: "echo", Description: "Say the text back."},
		func(_ context.Context, _ *sdk.CallToolRequest, in struct {
			Text string `json:"text" jsonschema:"what to say back"`
		}) (*sdk.CallToolResult, any, error) {
			return text(in.Text), nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "fail", Description: "Fail, always."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return nil, nil, errors.New("it failed, as asked")
		})
	sdk.AddTool(s, &sdk.Tool{Name: "sleep", Description: "Wait."},
		func(ctx context.Context, _ *sdk.CallToolRequest, in struct {
			Seconds float64 `json:"seconds"`
		}) (*sdk.CallToolResult, any, error) {
			select {
			case <-time.After(time.Duration(in.Seconds * float64(time.Second))):
				return text("slept"), nil, nil
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			}
		})
	sdk.AddTool(s, &sdk.Tool{Name: "pid", Description: "The server's process id."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return text(strconv.Itoa(os.Getpid())), nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "cwd", Description: "The server's working directory."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			wd, err := os.Getwd()
			return text(wd), nil, err
		})
	sdk.AddTool(s, &sdk.Tool{Name: "getenv", Description: "An environment variable's value."},
		func(_ context.Context, _ *sdk.CallToolRequest, in struct {
			Name string `json:"name"`
		}) (*sdk.CallToolResult, any, error) {
			return text(os.Getenv(in.Name)), nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "picture", Description: "A picture."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{
				&sdk.TextContent{Text: "a picture:"},
				&sdk.ImageContent{MIMEType: "image/png", Data: make([]byte, 12*1024)},
			}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "dotted.name", Description: "A name with a dot."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return text("dotted"), nil, nil
		})
	return s
}

func text(s string) *sdk.CallToolResult {
	return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: s}}}
}
