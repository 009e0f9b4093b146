package cli

import (
	"fmt"
	"os"
	"runtime/pprof"
)

// startProfile writes a CPU profile of the chat to the file named by
// PARLEY_CPUPROFILE, for measuring (docs/PERFORMANCE.md); unset, it does
// nothing. It is an environment variable, not a flag, so it stays out of
// users' way. The returned function stops the profile and closes the file.
func startProfile(getenv func(string) string) (stop func(), err error) {
	path := getenv("PARLEY_CPUPROFILE")
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("PARLEY_CPUPROFILE: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("PARLEY_CPUPROFILE: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
