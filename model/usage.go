package model

import "github.com/parley-tui/parley/stream"

// Usage counts tokens: Cached is part of Input, Reasoning part of Output.
type Usage = stream.Usage

// Totals adds up a session's usage and cost.
type Totals struct {
	Usage
	Turns int
	// Cost sums the turns whose price is known; CostComplete is false when
	// some turn's model has no known price, so the sum is a lower bound.
	Cost         float64
	CostKnown    bool
	CostComplete bool
}

// Add counts one turn.
func (t *Totals) Add(u Usage, cost float64, known bool) {
	if t.Turns == 0 {
		t.CostComplete = true
	}
	t.Turns++
	t.Input += u.Input
	t.Cached += u.Cached
	t.Output += u.Output
	t.Reasoning += u.Reasoning
	t.Total += u.Total
	if known {
		t.Cost += cost
		t.CostKnown = true
	} else {
		t.CostComplete = false
	}
}
