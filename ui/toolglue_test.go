package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/mcp"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/chat"
)

// slowTool reports progress, then waits until released.
type slowTool struct {
	started chan struct{}
	release chan struct{}
}

func newSlowTool() *slowTool {
	return &slowTool{started: make(chan struct{}), release: make(chan struct{})}
}

func (s *slowTool) tool(name string) tools.Tool {
	return tools.Tool{Spec: stream.ToolSpec{Name: name}, Run: func(ctx context.Context, _ string) tools.Result {
		tools.ReportProgress(ctx, tools.Progress{Progress: 1, Total: 4, Message: "fetching page 1\x1b]0;pwned\x07"})
		close(s.started)
		select {
		case <-s.release:
		case <-ctx.Done():
		}
		return tools.Result{Output: "fetched"}
	}}
}

// A running tool's card counts its time and shows its progress; the status
// bar says which tool runs; once the call is approved nothing asks for
// approval any more.
func TestRunningToolShowsItsTimeAndProgress(t *testing.T) {
	slow := newSlowTool()
	m, c := newTestModel(t, 140, 30, Deps{Tools: tools.NewRegistry(slow.tool("fetch"))})
	d := newDriver(t, m)
	sendPrompt(t, m, "fetch it")
	c.advance(2 * inputIdle)
	feed(m, c.t, append(toolCall("fc_1", "fetch", `{}`, `{}`), done(stream.StatusCompleted))...)
	mustContain(t, screen(m), "needs approval")
	decideWith(d, c, 'y')
	<-slow.started
	c.advance(3500 * time.Millisecond)
	m.Update(chat.Tick())
	s := screen(m)
	mustContain(t, s, "● running fetch", "running 1/4", "3.5 s", "fetching page 1")
	mustNotContain(t, s, "approval")
	if strings.Contains(m.Render(), "\x1b]0;") {
		t.Fatal("the tool's escape reached the frame")
	}
	close(slow.release)
	d.until("the result", func() bool { return len(toolMessages(m.chat.Conversation())) == 1 })
	mustNotContain(t, screen(m), "running 1/4", "fetching page")
}

// A call to a tool Parley does not offer fails at once, without asking,
// and says why, to the model and on the card.
func TestCallToAToolNotOfferedFailsWithoutAsking(t *testing.T) {
	rt := &ranTool{}
	m, c := newTestModel(t, 140, 30, Deps{Tools: rt.registry("calculator")})
	d := newDriver(t, m)
	sendPrompt(t, m, "delete everything")
	c.advance(2 * inputIdle)
	d.run(m.chatFeed(c, append(toolCall("fc_1", "rm_rf", `{"path":"/"}`, `{"path":"/"}`), done(stream.StatusCompleted))...))
	if promptOpen(m) || awaiting(m) {
		t.Fatal("a call to a tool that is not offered asked for approval")
	}
	d.until("the failed result", func() bool { return len(toolMessages(m.chat.Conversation())) == 1 })
	res := toolMessages(m.chat.Conversation())[0]
	if !res.ToolFailed || !strings.Contains(res.Text, "no tool named rm_rf") {
		t.Fatalf("result %+v", res)
	}
	mustContain(t, screen(m), "● not offered", "no tool named rm_rf")
	if len(rt.ran()) != 0 {
		t.Fatal("something ran")
	}
}

// A recording that calls a tool when Parley offers none shows the call
// as not offered, with a note, and asks nothing more of the server.
func TestCallWhenNoToolsAreOffered(t *testing.T) {
	m, c := newTestModel(t, 140, 30, Deps{})
	sendPrompt(t, m, "weather?")
	cmd := m.chatFeed(c, append(toolCall("fc_1", "get_weather", `{}`, `{"city":"Paris"}`), done(stream.StatusCompleted))...)
	if m.chat.Busy() || cmd != nil && m.chat.Turn() != 0 {
		t.Fatal("a request followed calls nothing could run")
	}
	mustContain(t, screen(m), "● not offered", "no tool named get_weather was offered")
	mustNotContain(t, screen(m), "● complete")
}

// "Allow for the session" is kept by server and tool in the policy; the
// status bar says so, and a new session forgets it.
func TestSessionApprovalIsKeptByServerAndTool(t *testing.T) {
	policy := tools.NewPolicy(false)
	src := &fixedSource{ts: []tools.Tool{{Spec: stream.ToolSpec{Name: "files__read"}, Key: tools.Key{Server: "files", Tool: "read"},
		Run: func(context.Context, string) tools.Result { return tools.Result{Output: "text"} }}}}
	reg := tools.NewRegistry()
	reg.AddSource(src)
	m, c := newTestModel(t, 140, 30, Deps{Tools: reg, Policy: policy, Client: mockClient(t)})
	d := newDriver(t, m)
	sendPrompt(t, m, "read")
	c.advance(2 * inputIdle)
	d.run(m.chatFeed(c, append(toolCall("fc_1", "files__read", `{}`, `{}`), done(stream.StatusCompleted))...))
	decideWith(d, c, 'a')
	if got := policy.SessionAllowed(); len(got) != 1 || got[0] != (tools.Key{Server: "files", Tool: "read"}) {
		t.Fatalf("session approvals %v", got)
	}
	mustContain(t, screen(m), "auto-approved: files read")
	d.until("idle", idle(m))
	press(m, ctrl('n'))
	if len(policy.SessionAllowed()) != 0 {
		t.Fatal("a new session kept the approval")
	}
	mustNotContain(t, screen(m), "auto-approved")
}

type fixedSource struct{ ts []tools.Tool }

func (s *fixedSource) Tools() []tools.Tool   { return s.ts }
func (s *fixedSource) Missing(string) string { return "" }

// Images a tool returns go to the model as image parts of its output.
func TestToolImagesReachTheRequest(t *testing.T) {
	png := []byte("\x89PNG\r\n\x1a\n fake")
	reg := tools.NewRegistry(tools.Tool{Spec: stream.ToolSpec{Name: "shot"}, Run: func(context.Context, string) tools.Result {
		return tools.Result{Output: "a screenshot\n[image: image/png, 13 B]", Parts: []tools.Part{
			{Kind: tools.PartText, Text: "a screenshot"}, {Kind: tools.PartImage, MIME: "image/png", Data: png}}}
	}})
	f := &fakeStreamer{}
	m, c := newTestModel(t, 140, 30, Deps{Tools: reg, Yolo: true, Client: f})
	sendPrompt(t, m, "take one")
	next := m.chatFeed(c, append(toolCall("fc_1", "shot", `{}`, `{}`), done(stream.StatusCompleted))...)
	var cmd tea.Cmd
	for _, msg := range runBatch(next) {
		if _, c := m.Update(msg); c != nil {
			cmd = c
		}
	}
	req := lastRequest(t, f, cmd, m)
	var out *stream.InputItem
	for i, it := range req.Input {
		if it.Role == "tool" {
			out = &req.Input[i]
		}
	}
	if out == nil || out.Text != "" || len(out.Parts) != 2 || out.Parts[1].Type != stream.PartImage || string(out.Parts[1].Data) != string(png) {
		t.Fatalf("tool output sent as %+v", out)
	}
}

// MCP servers connect in the background: the status bar says so until
// they answer, and a server that fails says why.
func TestMCPStatusAndNotices(t *testing.T) {
	clients := mcp.Start(context.Background(), []mcp.Server{
		{Name: "slow", Command: []string{"sh", "-c", "sleep 30"}},
		{Name: "broken", Command: []string{"sh", "-c", "exit 3"}},
	}, mcp.Options{StartTimeout: 20 * time.Second})
	t.Cleanup(clients.Close)
	reg := tools.NewRegistry()
	reg.AddSource(clients)
	m, _ := newTestModel(t, 160, 30, Deps{Tools: reg, MCP: clients})
	d := newDriver(t, m)
	d.run(m.listenMCP())
	d.until("the broken server's notice", func() bool { return strings.Contains(screen(m), "MCP server broken") })
	mustContain(t, screen(m), "connecting to 1 MCP server")
}

// A call whose reply then failed never runs, and its card says so rather
// than "complete".
func TestCallOfAFailedReplyIsNotRun(t *testing.T) {
	rt := &ranTool{}
	m, c := newTestModel(t, 140, 30, Deps{Tools: rt.registry("echo")})
	sendPrompt(t, m, "hi")
	feed(m, c.t, append(toolCall("fc_1", "echo", `{}`, `{}`),
		stream.Choice{Kind: stream.KindError, Err: &stream.Error{Code: "server_error", Message: "The server failed"}},
		done(stream.StatusFailed))...)
	s := screen(m)
	mustContain(t, s, "● not run")
	mustNotContain(t, s, "● complete", "needs approval")
}
