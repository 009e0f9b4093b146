//go:build windows

package proc

import "golang.org/x/sys/windows"

// groupSys is the job object the command is assigned to once started, so
// that TerminateJobObject ends it and every process it starts. A process
// the command starts before the assignment escapes the job: the window is
// the few instructions between Start and Started.
type groupSys struct {
	job windows.Handle
}

func (g *Group) prepare() {}

// attach puts the command in a job of its own. On failure the group falls
// back to killing the command's own process.
func (g *Group) attach() {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return
	}
	p, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE, false, uint32(g.process.Pid))
	if err != nil {
		_ = windows.CloseHandle(job)
		return
	}
	defer windows.CloseHandle(p)
	if err := windows.AssignProcessToJobObject(job, p); err != nil {
		_ = windows.CloseHandle(job)
		return
	}
	g.sys.job = job
}

func (g *Group) killGroup() bool {
	return g.sys.job != 0 && windows.TerminateJobObject(g.sys.job, 1) == nil
}

// release closes the job's handle; the processes in it run on, as on Unix.
func (g *Group) release() {
	if g.sys.job != 0 {
		_ = windows.CloseHandle(g.sys.job)
		g.sys.job = 0
	}
}
