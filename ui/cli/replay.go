package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// checkReplay says, in one sentence, why a --replay file cannot be
// played; nil when there is none to play or it can be read.
func checkReplay(path string) error {
	if path == "" {
		return nil
	}
	st, err := os.Stat(path)
	switch {
	case err != nil:
		return usageError{fmt.Errorf("--replay %w", fileProblem(path, err))}
	case st.IsDir():
		return usageError{fmt.Errorf("--replay %s is a directory, not a recorded stream (testdata/streams has some)", path)}
	}
	return nil
}

// fileProblem says in one sentence why path, which the user named, could
// not be opened: err is from os.Open or os.Stat, whose own text repeats
// the path inside a Go error chain ("open x: no such file or directory").
func fileProblem(path string, err error) error {
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: there is no such file", path)
	case errors.Is(err, fs.ErrPermission):
		return fmt.Errorf("%s: you do not have permission to read it", path)
	case errors.As(err, &pe):
		return fmt.Errorf("%s: cannot read it (%v)", path, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}
