// Package mcptest holds a small MCP server for tests, built on the SDK's
// server side: testdata/echoserver runs it over stdio, and tests serve it
// over streamable HTTP with Serve.
package mcptest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
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
//	environ     the server's whole environment, one KEY=value a line
//	picture     a line of text and a 12 KB PNG image
//	resources   a text resource, a blob resource, audio and a resource link
//	progress    {"steps": 3} reports each step as progress, then returns;
//	            with "hold": true it waits for the call to be cancelled
//	roots       the client's roots, one URI a line, asked for in the call
//	start-roots the roots it asked for when the session began, as most
//	            servers do (protocols before 2026-07-28 only), waiting
//	            up to 10 s for the client's answer
//	grow        adds the tool extra (which says "extra"): list_changed
//	dotted.name returns "dotted", for name mapping
//	LongName    returns "long": a name that passes 64 characters with any
//	            server's name before it
func EchoServer() *sdk.Server {
	var atStart sync.Map // *sdk.ServerSession -> chan string: the roots asked for at start
	rootsAtStart := func(ss *sdk.ServerSession) chan string {
		ch, _ := atStart.LoadOrStore(ss, make(chan string, 1))
		return ch.(chan string)
	}
	s := sdk.NewServer(&sdk.Implementation{Name: "echo", Version: "1"}, &sdk.ServerOptions{
		// Ask for the roots as soon as the session begins: not in answer to
		// a call, so over HTTP the request needs the standalone SSE stream.
		InitializedHandler: func(ctx context.Context, req *sdk.InitializedRequest) {
			go func() {
				// Bounded: the session cannot close while the request waits.
				ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
				defer cancel()
				// Until the client's stream is up the request cannot go out:
				// try again for a while, as a server waiting for it would.
				res, err := req.Session.ListRoots(ctx, nil)
				for err != nil && strings.Contains(err.Error(), "not connected") && ctx.Err() == nil {
					time.Sleep(50 * time.Millisecond)
					res, err = req.Session.ListRoots(ctx, nil)
				}
				answer := "error: " + fmt.Sprint(err)
				if err == nil {
					answer = rootURIs(res)
				}
				rootsAtStart(req.Session) <- answer
			}()
		},
	})
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
	sdk.AddTool(s, &sdk.Tool{Name: "environ", Description: "The server's environment."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return text(strings.Join(os.Environ(), "\n")), nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "picture", Description: "A picture."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{
				&sdk.TextContent{Text: "a picture:"},
				&sdk.ImageContent{MIMEType: "image/png", Data: PNG(12 * 1024)},
			}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "resources", Description: "Resources of every kind."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return &sdk.CallToolResult{Content: []sdk.Content{
				&sdk.EmbeddedResource{Resource: &sdk.ResourceContents{URI: "file:///notes.txt", MIMEType: "text/plain", Text: "the notes"}},
				&sdk.EmbeddedResource{Resource: &sdk.ResourceContents{URI: "file:///data.bin", MIMEType: "application/octet-stream", Blob: make([]byte, 3000)}},
				&sdk.AudioContent{MIMEType: "audio/wav", Data: make([]byte, 100)},
				&sdk.ResourceLink{Name: "readme", URI: "file:///README.md"},
			}}, nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "progress", Description: "Report progress."},
		func(ctx context.Context, req *sdk.CallToolRequest, in struct {
			Steps int  `json:"steps"`
			Hold  bool `json:"hold,omitempty"`
		}) (*sdk.CallToolResult, any, error) {
			token := req.Params.GetProgressToken()
			for i := 1; i <= in.Steps && token != nil; i++ {
				err := req.Session.NotifyProgress(ctx, &sdk.ProgressNotificationParams{
					ProgressToken: token, Progress: float64(i), Total: float64(in.Steps), Message: fmt.Sprintf("step %d of %d", i, in.Steps),
				})
				if err != nil {
					return nil, nil, err
				}
			}
			if in.Hold {
				<-ctx.Done()
				return nil, nil, ctx.Err()
			}
			return text(fmt.Sprintf("done after %d steps (token sent: %v)", in.Steps, token != nil)), nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "roots", Description: "The client's roots."}, roots)
	sdk.AddTool(s, &sdk.Tool{Name: "start-roots", Description: "The roots asked for at start."},
		func(ctx context.Context, req *sdk.CallToolRequest, _ struct{}) (*sdk.CallToolResult, any, error) {
			select {
			case answer := <-rootsAtStart(req.Session):
				rootsAtStart(req.Session) <- answer // for the next call
				return text(answer), nil, nil
			case <-time.After(10 * time.Second):
				return nil, nil, errors.New("the client never answered roots/list")
			case <-ctx.Done():
				return nil, nil, ctx.Err()
			}
		})
	sdk.AddTool(s, &sdk.Tool{Name: "grow", Description: "Add a tool."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			sdk.AddTool(s, &sdk.Tool{Name: "extra", Description: "Added later."},
				func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
					return text("extra"), nil, nil
				})
			return text("grown"), nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: LongName, Description: "A long name."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return text("long"), nil, nil
		})
	sdk.AddTool(s, &sdk.Tool{Name: "dotted.name", Description: "A name with a dot."},
		func(context.Context, *sdk.CallToolRequest, struct{}) (*sdk.CallToolResult, any, error) {
			return text("dotted"), nil, nil
		})
	return s
}

// roots asks the client for its roots: with a request of its own on the
// protocol versions before 2026-07-28, in the call's result (a multi
// round-trip request) from that version on.
func roots(ctx context.Context, req *sdk.CallToolRequest, _ struct{}) (*sdk.CallToolResult, any, error) {
	var res *sdk.ListRootsResult
	if p := req.Session.InitializeParams(); p != nil && p.ProtocolVersion < "2026-07-28" {
		var err error
		if res, err = req.Session.ListRoots(ctx, nil); err != nil {
			return nil, nil, err
		}
	} else {
		if len(req.Params.InputResponses) == 0 {
			return &sdk.CallToolResult{InputRequests: sdk.InputRequestMap{"roots": &sdk.ListRootsParams{}}}, nil, nil
		}
		res, _ = req.Params.InputResponses["roots"].(*sdk.ListRootsResult)
		if res == nil {
			return nil, nil, errors.New("no roots in the input responses")
		}
	}
	return text(rootURIs(res)), nil, nil
}

func rootURIs(res *sdk.ListRootsResult) string {
	var uris []string
	for _, r := range res.Roots {
		uris = append(uris, r.URI)
	}
	return strings.Join(uris, "\n")
}

// LongName is the name of a tool too long to offer as SERVER__TOOL.
const LongName = "describe_the_current_weather_conditions_for_a_city_in_great_detail"

func text(s string) *sdk.CallToolResult {
	return &sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: s}}}
}

// PNG is n bytes that start with the PNG signature: an image as far as a
// MIME sniffer is concerned.
func PNG(n int) []byte {
	b := make([]byte, n)
	copy(b, "\x89PNG\r\n\x1a\n")
	return b
}
