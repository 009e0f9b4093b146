package store

import (
	"strconv"

	"golang.org/x/sys/unix"
)

// procInfo reads a process's start time from the kernel's process table.
// dead is true for a zombie (dead, not yet reaped); known is false when the
// table does not answer (a pid that does not exist is one), and the caller
// falls back to kill(pid, 0).
func procInfo(pid int) (start string, dead, known bool) {
	k, err := unix.SysctlKinfoProc("kern.proc.pid", pid)
	if err != nil || k.Proc.P_pid != int32(pid) {
		return "", false, false
	}
	const szomb = 5 // SZOMB in <sys/proc.h>
	tv := k.Proc.P_starttime
	return strconv.FormatInt(int64(tv.Sec), 10) + "." + strconv.FormatInt(int64(tv.Usec), 10), k.Proc.P_stat == szomb, true
}
