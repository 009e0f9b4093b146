// Package proc starts the processes Parley runs for the model (command
// tools and MCP servers over stdio): each in a process group of its own,
// so that a cancel ends whatever it started too, with an environment cut
// down to what a tool needs.
//
//	cmd := exec.Command(argv[0], argv[1:]...)
//	cmd.Env = proc.Environ(os.Environ(), pass, set)
//	g := proc.NewGroup(cmd)
//	if err := cmd.Start(); err != nil { ... }
//	g.Started()
//	defer g.Release()
//	... g.Kill() ends the command and its children.
//
// On Unix the group is a process group (Setpgid) killed with SIGKILL; on
// Windows it is a job object, ended with TerminateJobObject.
package proc

import (
	"os/exec"
	"sync"
)

// Group is a started command and every process it starts. Its methods are
// safe for concurrent use and do nothing when there is nothing to do.
type Group struct {
	cmd *exec.Cmd

	mu       sync.Mutex
	started  bool
	released bool
	sys      groupSys // the platform's part: a job handle on Windows
}

// NewGroup prepares cmd, which must not have started, to run in a group of
// its own. Call Started once cmd.Start has succeeded.
func NewGroup(cmd *exec.Cmd) *Group {
	g := &Group{cmd: cmd}
	g.prepare()
	return g
}

// Started records that the command runs, so that Kill reaches its group.
func (g *Group) Started() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.started || g.cmd.Process == nil {
		return
	}
	g.started = true
	g.attach()
}

// Kill ends the command and whatever it started. Before Started, it kills
// the command's own process when there is one.
func (g *Group) Kill() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cmd.Process == nil {
		return
	}
	if !g.started || g.released || !g.killGroup() {
		_ = g.cmd.Process.Kill()
	}
}

// Release frees what the group holds once the command has ended; Kill
// then reaches the command's own process only. What the command left
// running in the background runs on.
func (g *Group) Release() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.released {
		g.released = true
		g.release()
	}
}
