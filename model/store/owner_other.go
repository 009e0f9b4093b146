//go:build !linux && !darwin

package store

// procInfo has no process table to read here; liveness falls back to
// processExists, then to how long ago the reply was written.
func procInfo(pid int) (start string, dead, known bool) { return "", false, false }
