//go:build !unix

package store

func processExists(pid int) (exists, known bool) { return false, false }
