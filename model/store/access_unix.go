//go:build unix

package store

import "golang.org/x/sys/unix"

// writable asks the kernel whether this process may write path (root may,
// whatever the mode, except on a read-only file system).
func writable(path string) error { return unix.Access(path, unix.W_OK) }
