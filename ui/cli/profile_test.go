package cli

import (
	"runtime"
	"testing"
)

// The chat runs on one processor unless the user's GOMAXPROCS says
// otherwise (docs/PERFORMANCE.md: a second idle processor made every
// wake-up of a streaming reply a thread wake-up too).
func TestOneProcUnlessGOMAXPROCSIsSet(t *testing.T) {
	was := runtime.GOMAXPROCS(0)
	t.Cleanup(func() { runtime.GOMAXPROCS(was) })
	runtime.GOMAXPROCS(3)
	oneProc(func(k string) string {
		if k == "GOMAXPROCS" {
			return "3"
		}
		return ""
	})
	if got := runtime.GOMAXPROCS(0); got != 3 {
		t.Fatalf("GOMAXPROCS=3 set by the user: runs on %d processors", got)
	}
	oneProc(func(string) string { return "" })
	if got := runtime.GOMAXPROCS(0); got != 1 {
		t.Fatalf("GOMAXPROCS unset: runs on %d processors, want 1", got)
	}
}
