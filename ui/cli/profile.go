package cli

import (
	"fmt"
	"os"
	"runtime"
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

// oneProc runs the chat on one processor (GOMAXPROCS=1) unless the user's
// GOMAXPROCS says otherwise. The chat is one goroutine that draws and a few
// that wait (the stream's pump, the renderer's frame ticker, commands), and
// nearly all of them wake once a frame: with a second processor idle, every
// wake-up also woke a thread to look for work there, which cost a fifth of
// what a streaming reply costs in all (docs/PERFORMANCE.md: 0.93 against
// 0.81 CPU-s for the 64 KB reply). What runs off the UI goroutine (markdown
// jobs, session writes) is short and interleaves with it; Go preempts a long
// one within 10 ms.
func oneProc(getenv func(string) string) {
	if getenv("GOMAXPROCS") == "" {
		runtime.GOMAXPROCS(1)
	}
}

// rendererFPS is how often Bubble Tea's renderer may draw: 30 frames a
// second, not its default 60. A streaming reply changes the screen 20 times
// a second (chat.FrameInterval), and the renderer's ticker runs at its full
// rate while anything changes, so at 60 two ticks in three drew nothing and
// each still woke the process twice (the timer, and the runtime's monitor
// sleeping until the next timer): a third of its thread switches while a
// reply streamed, 8% of its CPU (docs/PERFORMANCE.md). The cost: a key typed
// on an idle screen is drawn at the next 33 ms boundary instead of the next
// 17 ms one; the ticker stops when nothing changes, so idle stays free.
const rendererFPS = 30
