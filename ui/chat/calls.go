package chat

import (
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
)

// CallStatus is where a tool call is in its life.
type CallStatus uint8

const (
	CallStreaming   CallStatus = iota // arguments arriving
	CallReady                         // arguments final; nothing runs it (yet)
	CallAwaiting                      // waits for the user's decision
	CallRunning                       // running (or a server tool in progress)
	CallDone                          // ran and answered
	CallFailed                        // ran and failed
	CallDenied                        // the user said no: it never ran
	CallInterrupted                   // cancelled before or while it ran
	CallNotRun                        // the reply was cut off, or another call took its id
)

// Outputs Parley gives the model for calls that did not run.
const (
	DeniedOutput    = "The user denied this tool call."
	CancelledOutput = "The call was cancelled before it ran."
)

// Call is one tool call: the single record the tool phase drives and the
// sidebar draws. Calls are keyed by turn and call, so a server that reuses
// an item or call id (in one turn or a later one) gets a new Call, never
// one merged with an older call's arguments or result.
type Call struct {
	Turn     int
	Ref      stream.ToolRef // name, ids, kind and wire type
	Status   CallStatus
	Progress string // a server tool's last progress ("searching")
	// report is the tool's last progress, stored by the goroutine that
	// runs it (Report reads it).
	report atomic.Pointer[tools.Progress]
	// NotOffered: the model called a tool Parley does not offer (or no
	// longer does); the call fails without asking, saying why.
	NotOffered bool
	Started    time.Time
	Ended      time.Time
	// Output is the result the model gets, as the tool (or Parley) wrote
	// it, Parts the same with its images, and Ran how long the tool took.
	Output string
	Parts  []stream.Part
	Ran    time.Duration

	streamed strings.Builder // the argument deltas as they came
	final    string
	isFinal  bool
	changed  bool
}

// Streamed is the arguments as they streamed in.
func (c *Call) Streamed() string { return c.streamed.String() }

// Final is the final arguments, once the stream has given them. What the
// tool receives is exactly this text.
func (c *Call) Final() (string, bool) { return c.final, c.isFinal }

// Args is what the call's arguments are now: the final text once known,
// else what has streamed.
func (c *Call) Args() string {
	if c.isFinal {
		return c.final
	}
	return c.streamed.String()
}

// Changed reports that the final arguments differ from what streamed: the
// screen must show the final ones and say so.
func (c *Call) Changed() bool { return c.changed }

// Hosted says the server runs this call itself (web search...).
func (c *Call) Hosted() bool { return c.Ref.Kind == stream.ToolHosted }

// Name is the tool's name, or for a server tool its type ("web search").
func (c *Call) Name() string {
	if c.Ref.Name != "" {
		return c.Ref.Name
	}
	return strings.ReplaceAll(strings.TrimSuffix(c.Ref.Type, "_call"), "_", " ")
}

// setFinal records the final arguments and whether they differ from what
// streamed.
func (c *Call) setFinal(args string) {
	c.final, c.isFinal = args, true
	// Arguments that only come whole, at the end, did not change.
	c.changed = c.streamed.Len() > 0 && c.streamed.String() != args
}

// finished records an outcome.
func (c *Call) finished(status CallStatus, output string, now time.Time) {
	c.Status, c.Output, c.Ended, c.Progress = status, output, now, ""
}

// Report is the last progress the tool reported while it runs, if any:
// its words are the tool's, to sanitise.
func (c *Call) Report() (tools.Progress, bool) {
	if c.Status != CallRunning {
		return tools.Progress{}, false
	}
	if p := c.report.Load(); p != nil {
		return *p, true
	}
	return tools.Progress{}, false
}

// callKey names a call within its turn: by item id (Responses), or by its
// index when the wire gives none (Chat Completions).
type callKey struct {
	turn int
	id   string
}

func keyOf(turn int, itemID string, outputIndex int) callKey {
	if itemID != "" {
		return callKey{turn, "i:" + itemID}
	}
	return callKey{turn, "x:" + strconv.Itoa(outputIndex)}
}

// callState is the session's calls, newest last, and the tool phase.
type callState struct {
	list  []*Call
	byKey map[callKey]*Call // the newest call with each key
	phase *phase
}

func (s *callState) reset() {
	*s = callState{byKey: map[callKey]*Call{}}
}

func (s *callState) add(k callKey, ref stream.ToolRef, now time.Time) *Call {
	c := &Call{Turn: k.turn, Ref: ref, Started: now}
	c.Ref.Arguments = ""
	if c.Hosted() {
		c.Status, c.Progress = CallRunning, ref.Status
	}
	s.list = append(s.list, c)
	s.byKey[k] = c
	return c
}

// apply folds a tool choice of turn into the calls.
func (s *callState) apply(turn int, ch stream.Choice, now time.Time) {
	if ch.Tool == nil {
		return
	}
	k := keyOf(turn, ch.Tool.ItemID, ch.OutputIndex)
	c := s.byKey[k]
	switch ch.Kind {
	case stream.KindToolStart:
		if c != nil && !c.isFinal && !c.Hosted() {
			// A later start names a call that began nameless (Chat).
			c.Ref.Name = or(c.Ref.Name, ch.Tool.Name)
			c.Ref.CallID = or(c.Ref.CallID, ch.Tool.CallID)
			return
		}
		if c != nil && c.Hosted() && c.Status == CallRunning {
			return
		}
		s.add(k, *ch.Tool, now)
	case stream.KindToolArgs:
		if c == nil || c.isFinal || c.Hosted() {
			return // arguments for no open call are dropped, never merged into a final one
		}
		c.streamed.WriteString(ch.Delta)
	case stream.KindToolDone:
		if c == nil || c.isFinal {
			c = s.add(k, *ch.Tool, now)
		}
		c.Ref.Name = or(c.Ref.Name, ch.Tool.Name)
		c.Ref.CallID = or(c.Ref.CallID, ch.Tool.CallID)
		c.Ended = now
		if c.Hosted() {
			c.Status, c.Progress = CallDone, ch.Tool.Status
			if ch.Tool.Status == "failed" || ch.Tool.Status == "incomplete" {
				c.Status = CallFailed
			}
			return
		}
		c.setFinal(ch.Tool.Arguments)
		c.Status = CallReady
	case stream.KindHostedStatus:
		if c != nil {
			c.Progress = ch.Tool.Status
		}
	}
}

// endTurn settles the calls of a reply that runs none of them: when it was
// cut off, calls still open did not run.
func (s *callState) endTurn(turn int, completed bool) {
	for _, c := range s.list {
		if c.Turn != turn {
			continue
		}
		switch {
		case (c.Status == CallStreaming || c.Status == CallReady) && !completed:
			c.Status = CallNotRun // the reply failed or was cut: nothing runs it
		case c.Status == CallStreaming:
			c.Status = CallReady
		case c.Hosted() && c.Status == CallRunning && !completed:
			c.Status = CallInterrupted
		}
	}
}

// lookup finds the call of turn with the given ids.
func (s *callState) lookup(turn int, itemID string, outputIndex int) *Call {
	return s.byKey[keyOf(turn, itemID, outputIndex)]
}

func or(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
