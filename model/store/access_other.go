//go:build !unix

package store

import (
	"errors"
	"os"
)

// writable reads the file's read-only attribute: Windows has no access(2).
func writable(path string) error {
	fi, err := os.Stat(path)
	if err != nil {
		return err
	}
	if !fi.IsDir() && fi.Mode().Perm()&0o200 == 0 {
		return errors.New("read-only attribute set")
	}
	return nil
}
