//go:build !unix

package mcp

import "os"

// gone says no process has the id pid: on Windows, FindProcess fails
// for one that does not exist.
func gone(pid int) bool {
	p, err := os.FindProcess(pid)
	if err == nil {
		p.Release()
	}
	return err != nil
}
