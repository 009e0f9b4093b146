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
	"os"
	"os/exec"
	"sync"
)

// Group is a started command and every process it starts. Its methods are
// safe for concurrent use, with each other and with cmd.Start.
type Group struct {
	cmd *exec.Cmd

	mu       sync.Mutex
	process  *os.Process // the command's, once Started
	killed   bool        // Kill was called: Started kills at once
	released bool
	sys      groupSys // the platform's part: a job handle on Windows
}

// NewGroup prepares cmd, which must not have started, to run in a group of
// its own. Call Started once cmd.Start has succeeded, from the goroutine
// that called it.
func NewGroup(cmd *exec.Cmd) *Group {
	g := &Group{cmd: cmd}
	g.prepare()
	return g
}

// Started records that the command runs, so that Kill reaches its group.
// When Kill came first (a cancel while the command started), the group
// is killed now.
func (g *Group) Started() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.process != nil || g.cmd.Process == nil {
		return
	}
	g.process = g.cmd.Process
	g.attach()
	if g.killed {
		g.kill()
	}
}

// Kill ends the command and whatever it started, now or, when the command
// has not started yet, as soon as Started is called.
func (g *Group) Kill() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.killed = true
	if g.process != nil {
		g.kill()
	}
}

func (g *Group) kill() {
	if g.released || !g.killGroup() {
		_ = g.process.Kill()
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
