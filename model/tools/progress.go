package tools

import (
	"context"
	"sync"
)

// progressKey carries a call's progress reporter in its context, so that
// Tool.Run keeps one signature for tools with and without progress.
type progressKey struct{}

type reporter struct {
	mu      sync.Mutex
	fn      func(Progress)
	stopped bool
}

func withProgress(ctx context.Context, fn func(Progress)) (context.Context, func()) {
	if fn == nil {
		return ctx, func() {}
	}
	r := &reporter{fn: fn}
	stop := func() {
		r.mu.Lock()
		r.stopped = true
		r.mu.Unlock()
	}
	return context.WithValue(ctx, progressKey{}, r), stop
}

// ReportProgress hands p to the caller of CallProgress, if it asked for
// progress and the call has not returned yet.
func ReportProgress(ctx context.Context, p Progress) {
	r, _ := ctx.Value(progressKey{}).(*reporter)
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.stopped {
		r.fn(p)
	}
}

// WantsProgress says the caller asked for progress: a tool need not ask
// its server for any otherwise.
func WantsProgress(ctx context.Context) bool {
	_, ok := ctx.Value(progressKey{}).(*reporter)
	return ok
}
