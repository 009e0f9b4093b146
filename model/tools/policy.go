package tools

import (
	"cmp"
	"slices"
	"sync"
)

// Policy answers "may this call run without asking?": every call under
// --yolo, the tools and servers the config approves, and the tools the
// user allowed for the chat session. Approvals are kept by Key (server and
// tool), never by the name a tool is offered under, so a name that moves
// to another server's tool carries no approval with it. It is safe for
// concurrent use.
type Policy struct {
	yolo bool

	mu      sync.Mutex
	config  map[Key]bool
	servers map[string]bool // servers whose every tool the config approves
	session map[Key]bool
}

// NewPolicy makes a policy; yolo approves every call.
func NewPolicy(yolo bool) *Policy {
	return &Policy{yolo: yolo, config: map[Key]bool{}, servers: map[string]bool{}, session: map[Key]bool{}}
}

// ApproveTool pre-approves one tool, as the config does: a local tool
// (Server empty) or one MCP server's tool.
func (p *Policy) ApproveTool(k Key) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.config[k] = true
}

// ApproveServer pre-approves every tool of an MCP server, whatever tools
// it offers later.
func (p *Policy) ApproveServer(server string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.servers[server] = true
}

// Yolo says every call runs without asking.
func (p *Policy) Yolo() bool { return p != nil && p.yolo }

// Allows says a call of the tool k runs without asking.
func (p *Policy) Allows(k Key) bool {
	if p == nil {
		return false
	}
	if p.yolo {
		return true
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.config[k] || k.Server != "" && p.servers[k.Server] || p.session[k]
}

// Approved says a call of the tool offered as name runs without asking.
// A name the registry does not offer now is never approved (unless
// --yolo): a call to it fails without running anyway.
func (p *Policy) Approved(reg *Registry, name string) bool {
	if p.Yolo() {
		return true
	}
	t, ok := reg.Lookup(name)
	return ok && p.Allows(t.ApprovalKey())
}

// AllowForSession approves the tool k until ForgetSession.
func (p *Policy) AllowForSession(k Key) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.session[k] = true
}

// ForgetSession drops the session's approvals: a new chat session (new,
// open, switch, fork) starts asking again.
func (p *Policy) ForgetSession() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.session)
}

// SessionAllowed lists the tools allowed for the session, sorted, for the
// status bar to say that calls run without asking.
func (p *Policy) SessionAllowed() []Key {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Key, 0, len(p.session))
	for k := range p.session {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b Key) int {
		return cmp.Or(cmp.Compare(a.Server, b.Server), cmp.Compare(a.Tool, b.Tool))
	})
	return out
}
