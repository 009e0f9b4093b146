//go:build unix

package store

import (
	"errors"
	"syscall"
)

// processExists asks the kernel whether pid exists (signal 0 checks without
// sending). EPERM means it exists but belongs to someone else.
func processExists(pid int) (exists, known bool) {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM), true
}
