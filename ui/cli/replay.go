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
	var pe *fs.PathError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usageError{fmt.Errorf("--replay %s: there is no such file", path)}
	case errors.As(err, &pe):
		return usageError{fmt.Errorf("--replay %s: cannot read it (%v)", path, pe.Err)}
	case err != nil:
		return usageError{fmt.Errorf("--replay %s: %w", path, err)}
	case st.IsDir():
		return usageError{fmt.Errorf("--replay %s is a directory, not a recorded stream (testdata/streams has some)", path)}
	}
	return nil
}
