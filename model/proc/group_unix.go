//go:build unix

package proc

import "syscall"

type groupSys struct{}

func (g *Group) prepare() {
	if g.cmd.SysProcAttr == nil {
		g.cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	g.cmd.SysProcAttr.Setpgid = true
}

func (g *Group) attach() {}

// killGroup signals the process group, whose id is the leader's pid.
func (g *Group) killGroup() bool {
	return syscall.Kill(-g.process.Pid, syscall.SIGKILL) == nil
}

func (g *Group) release() {}
