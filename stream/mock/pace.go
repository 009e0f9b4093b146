package mock

import (
	"context"
	"math/rand/v2"
	"time"
)

// Realistic timing at Speed 1: the first token after 300-600 ms, then about
// 70 tokens per second.
const (
	firstTokenMin  = 300 * time.Millisecond
	firstTokenSpan = 300 * time.Millisecond
	tokenInterval  = time.Second / 70
)

// pacer decides how long to wait before each frame and does the waiting.
// Every wait ends at once when the request's context ends (client gone) or
// the server closes, so pacing never holds up Close.
type pacer struct {
	instant    bool
	firstToken time.Duration
	perToken   time.Duration
	done       <-chan struct{}
}

func newPacer(opts Options, rng *rand.Rand, done <-chan struct{}) pacer {
	if opts.Instant {
		return pacer{instant: true, done: done}
	}
	first := firstTokenMin + time.Duration(rng.Int64N(int64(firstTokenSpan)))
	return pacer{
		firstToken: time.Duration(float64(first) / opts.Speed),
		perToken:   time.Duration(float64(tokenInterval) / opts.Speed),
		done:       done,
	}
}

// before waits the delay due before f; false means stop streaming.
func (p pacer) before(ctx context.Context, f frame) bool {
	if p.instant {
		return p.alive(ctx)
	}
	var d time.Duration
	if f.firstToken {
		d += p.firstToken
	}
	d += time.Duration(f.tokens) * p.perToken
	return p.sleep(ctx, d)
}

func (p pacer) sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return p.alive(ctx)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	case <-p.done:
		return false
	}
}

func (p pacer) alive(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return false
	case <-p.done:
		return false
	default:
		return true
	}
}
