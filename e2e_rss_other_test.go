//go:build !unix

package main

import "os"

// peakRSS: the system does not say (see e2e_rss_unix_test.go).
func peakRSS(*os.ProcessState) float64 { return 0 }

// livePeakRSS: the system does not say (see e2e_rss_unix_test.go).
func livePeakRSS(int) (float64, bool) { return 0, false }
