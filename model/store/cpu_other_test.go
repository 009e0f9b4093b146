//go:build !unix

package store

import "time"

// processCPU is unknown here: benchmarks report wall time only.
func processCPU() time.Duration { return 0 }
