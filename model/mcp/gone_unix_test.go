//go:build unix

package mcp

import (
	"errors"
	"syscall"
)

// gone says no process has the id pid.
func gone(pid int) bool {
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH)
}
