package chat

import (
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

// What the wire tells the screen besides choices: retries before a reply
// starts, silence while it streams, and final texts that replace what
// streamed.

// retryMsg is a retry the client announced (stream.Config.OnRetry), read
// from Config.Retries.
type retryMsg struct {
	r  stream.Retry
	ok bool // false: the channel closed
}

// listenRetries waits for the next retry the client announces. One such
// command is pending at a time; it ends with the program (Shutdown).
func (c *Controller) listenRetries() tea.Cmd {
	ch, stop := c.cfg.Retries, c.stop
	if ch == nil {
		return nil
	}
	return func() tea.Msg {
		select {
		case r, ok := <-ch:
			return retryMsg{r: r, ok: ok}
		case <-stop:
			return nil
		}
	}
}

func (c *Controller) onRetry(msg retryMsg) tea.Cmd {
	if !msg.ok {
		return nil
	}
	// Only one request is in flight at a time: a retry is the waiting
	// reply's, if there is one.
	if t := c.turn; t != nil && t.pump == nil {
		r := msg.r
		t.retry, t.retryAt = &r, c.cfg.Now()
	}
	return c.listenRetries()
}

// Retrying is the last retry of the request in flight, while it waits for
// the reply to start, and when it was announced: the wait counts down
// from then.
func (c *Controller) Retrying() (stream.Retry, time.Time, bool) {
	if t := c.turn; t != nil && t.retry != nil {
		return *t.retry, t.retryAt, true
	}
	return stream.Retry{}, time.Time{}, false
}

// Silence is how long the reply in flight has sent nothing, once it has
// started; 0 otherwise.
func (c *Controller) Silence() time.Duration {
	t := c.turn
	if t == nil || t.lastData.IsZero() {
		return 0
	}
	return max(0, c.cfg.Now().Sub(t.lastData))
}

// Replaced counts the parts of a reply whose final text replaced what had
// streamed (the reply in flight, or the one that just ended): when it
// changes, what was drawn from the deltas must be drawn again from the
// reply's Turn.
func (c *Controller) Replaced(m *model.Message) int {
	if m == nil || m != c.replaced.msg {
		return 0
	}
	return c.replaced.n
}

// repair gives every tool call left without a result (a crash, a
// session written by another program) the result "interrupted before it
// ran" before a request, since no server takes a call without one, and
// saves the results with the replies that made the calls.
func (c *Controller) repair(now time.Time) {
	added := c.conv.Repair(now)
	if len(added) == 0 {
		return
	}
	c.changed()
	fresh := map[*model.Message]bool{}
	for _, m := range added {
		fresh[m] = true
	}
	// The store keeps a reply's results with its calls: each reply that
	// got one is saved with all of its results.
	var reply *model.Message
	var results []*model.Message
	repaired := false
	flush := func() {
		if repaired {
			c.saver.toolResults(reply, results)
		}
		reply, results, repaired = nil, nil, false
	}
	for _, m := range c.conv.Messages {
		switch m.Role {
		case model.RoleAssistant:
			flush()
			reply = m
		case model.RoleTool:
			if reply != nil {
				results = append(results, m)
				repaired = repaired || fresh[m]
			}
		default:
			flush()
		}
	}
	flush()
}
