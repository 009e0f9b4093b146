package store

import (
	"os"
	"strconv"
)

// procInfo reads a process's start time from /proc. dead is true for a
// process that is gone or a zombie (dead, not yet reaped); known is false
// when /proc cannot answer.
func procInfo(pid int) (start string, dead, known bool) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if os.IsNotExist(err) {
		if _, serr := os.Stat("/proc/self/stat"); serr != nil {
			return "", false, false // no /proc mounted
		}
		return "", true, true
	}
	if err != nil {
		return "", false, false
	}
	start, zombie, ok := parseProcStat(string(b))
	return start, zombie, ok
}
