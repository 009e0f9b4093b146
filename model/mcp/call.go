package mcp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/tools"
)

// caller runs one tool of the server on its live session. A cancel ends
// the call at once (the SDK tells the server); an error result is a failed
// call. A session the server no longer knows (an HTTP server that
// restarted) is replaced and the call sent once more: the server never
// ran it. A server that stops during a call is started again, but the
// call is not repeated: it may have done part of its work.
func (cn *conn) caller(tool string) func(context.Context, string) tools.Result {
	server := cn.srv.Name
	return func(ctx context.Context, args string) tools.Result {
		if strings.TrimSpace(args) == "" {
			args = "{}"
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal([]byte(args), &obj); err != nil {
			return tools.Result{Output: "Error: the arguments are not a JSON object: " + err.Error(), Failed: true}
		}
		if cn.srv.Timeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, cn.srv.Timeout)
			defer cancel()
		}
		// Close ends the calls in flight: the SDK's Close would wait for them.
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		defer context.AfterFunc(cn.c.ctx, cancel)()
		s, gen := cn.current()
		if s == nil {
			return tools.Result{Output: "Error: " + cn.c.Missing(ToolName(server, tool)), Failed: true}
		}
		res, err := cn.c.callOn(ctx, s, tool, args)
		if err != nil && ctx.Err() == nil && s.sessionLost(err) {
			s.giveUp(err) // its watcher starts the new session
			if s = cn.awaitSession(ctx, gen); s == nil {
				return tools.Result{Output: fmt.Sprintf("Error: the MCP server %s lost its session and could not be reconnected: %s",
					server, oneLine(err.Error())), Failed: true}
			}
			res, err = cn.c.callOn(ctx, s, tool, args)
		}
		switch {
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			return tools.Result{Output: fmt.Sprintf("Error: the call timed out after %s.", cn.srv.Timeout), Failed: true}
		case ctx.Err() != nil:
			return tools.Result{Output: tools.Cancelled, Failed: true}
		case err != nil && s.ended(err):
			s.giveUp(err)
			return tools.Result{Output: fmt.Sprintf("Error: the MCP server %s stopped during the call (%s); Parley is starting it again. "+
				"The call may have done part of its work.", server, oneLine(err.Error())), Failed: true}
		case err != nil:
			return tools.Result{Output: "Error: the MCP server " + server + " could not run the call: " + oneLine(err.Error()), Failed: true}
		case res.NeedsInput():
			return tools.Result{Output: "Error: the MCP server asked for more input, which Parley cannot give.", Failed: true}
		}
		return toResult(res, cn.srv.MaxOutput)
	}
}

// callOn calls the tool on s, with a progress token when the caller wants
// progress.
func (c *Clients) callOn(ctx context.Context, s *session, tool, args string) (*sdk.CallToolResult, error) {
	params := &sdk.CallToolParams{Name: tool, Arguments: json.RawMessage(args)}
	if tools.WantsProgress(ctx) {
		token, done := c.calls.add(ctx)
		defer done()
		params.SetProgressToken(token)
	}
	return s.cs.CallTool(ctx, params)
}

// sessionLost says an HTTP server did not take the call because of the
// session: it restarted and forgot it (the Go SDK's servers answer 404,
// reported as ErrSessionMissing; the TypeScript SDK's 400 "Bad Request: No
// valid session ID provided"), or the connection the session used was
// gone before the request went out (the SDK's "rejected by transport").
// Either way the server did not run the call, so it can be sent again on
// a new session.
func (s *session) sessionLost(err error) bool {
	if !s.http {
		return false
	}
	msg := err.Error()
	return errors.Is(err, sdk.ErrSessionMissing) || strings.Contains(msg, "rejected by transport") ||
		strings.HasSuffix(msg, http.StatusText(http.StatusBadRequest)) || strings.HasSuffix(msg, http.StatusText(http.StatusNotFound))
}

// ended says the call failed because the connection did: the process
// died, the stream broke, the server is gone.
func (s *session) ended(err error) bool {
	var netErr net.Error
	var urlErr *url.Error
	return errors.Is(err, sdk.ErrConnectionClosed) || errors.Is(err, sdk.ErrSessionMissing) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.As(err, &netErr) || errors.As(err, &urlErr)
}

// maxProgressMessage bounds a progress message kept for the caller.
const maxProgressMessage = 512

// progressRoutes hands each progress notification to the call whose token
// it carries. Tokens are Parley's own; one a server makes up reaches no
// call.
type progressRoutes struct {
	mu    sync.Mutex
	next  int
	calls map[string]context.Context // token -> the call's context, which holds its reporter
}

func (p *progressRoutes) add(ctx context.Context) (token string, done func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.calls == nil {
		p.calls = map[string]context.Context{}
	}
	p.next++
	token = fmt.Sprintf("parley-%d", p.next)
	p.calls[token] = ctx
	return token, func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		delete(p.calls, token)
	}
}

// deliver is the SDK's progress handler, shared by every session.
func (p *progressRoutes) deliver(_ context.Context, req *sdk.ProgressNotificationClientRequest) {
	token, ok := req.Params.ProgressToken.(string)
	if !ok {
		return
	}
	p.mu.Lock()
	ctx := p.calls[token]
	p.mu.Unlock()
	if ctx == nil {
		return
	}
	msg := req.Params.Message
	if len(msg) > maxProgressMessage {
		msg = strings.ToValidUTF8(msg[:maxProgressMessage], "") + "…"
	}
	tools.ReportProgress(ctx, tools.Progress{Progress: req.Params.Progress, Total: req.Params.Total, Message: msg})
}
