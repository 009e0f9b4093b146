package ui

import (
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/mcp"
	"github.com/parley-tui/parley/ui/sanitize"
)

// The MCP servers connect in the background and may go down and come back
// while the chat runs: the status bar says how many are still connecting,
// and a server that goes down, comes back or has tools withdrawn gets a
// notice. What a server says is untrusted text, sanitised here.

// servers is what the screen knows of the MCP servers.
type servers struct {
	connecting int                  // servers that have not answered (yet, or again)
	last       map[string]mcp.State // each server's state at its last event
}

// mcpEventMsg is one server's news.
type mcpEventMsg struct{ ev mcp.Event }

// listenMCP waits for the servers' next event; one such command is
// pending at a time, and it ends with the program.
func (m *Model) listenMCP() tea.Cmd {
	c := m.deps.MCP
	if c == nil {
		return nil
	}
	if m.servers.last == nil {
		m.servers.last = map[string]mcp.State{}
		m.servers.connecting = c.Connecting()
	}
	events, stop := c.Events(), m.stop
	return func() tea.Msg {
		select {
		case ev := <-events:
			return mcpEventMsg{ev}
		case <-stop:
			return nil
		}
	}
}

// onMCPEvent keeps the count of servers connecting and tells the user what
// changed, except a server answering for the first time: the count going
// down says that.
func (m *Model) onMCPEvent(msg mcpEventMsg) tea.Cmd {
	ev := msg.ev
	m.servers.connecting = m.deps.MCP.Connecting()
	before, seen := m.servers.last[ev.Server]
	m.servers.last[ev.Server] = ev.State
	first := !seen && (ev.State == mcp.Ready || ev.State == mcp.Connecting)
	if !first && ev.Text != "" && !(ev.State == mcp.Connecting && before == mcp.Down) {
		m.flash(sanitize.Text(ev.Text))
	}
	return m.listenMCP()
}

// mcpStatus is the status bar's word on the servers: how many are still
// connecting, or nothing.
func (m *Model) mcpStatus() string {
	switch n := m.servers.connecting; n {
	case 0:
		return ""
	case 1:
		return "connecting to 1 MCP server"
	default:
		return "connecting to " + itoa(n) + " MCP servers"
	}
}
