package ui

import (
	"testing"
	"time"

	"github.com/parley-tui/parley/stream"
)

// TestBatchAsksForNoExtraFrame: a batch that grows the open block is drawn
// by the frame that takes it. Asking the reply for its put-off render (Wait)
// before rendering it found its text changed and scheduled one more
// Update and View a millisecond later after every batch, which doubled the
// frames of a streaming reply.
func TestBatchAsksForNoExtraFrame(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	m.render.inline = false
	sendPrompt(t, m, "go")
	for i, delta := range []string{"A first paragraph ", "that grows, ", "then ends.\n\nAnd a second ", "one begins"} {
		// Batches come a frame or more apart: a render is put off only
		// when the last one's cost says so (markdown's provDuty), which a
		// loaded machine can make true of batches a moment apart.
		time.Sleep(100 * time.Millisecond)
		feed(m, c.t, stream.Choice{Kind: stream.KindText, Delta: delta})
		if m.render.redraw {
			t.Fatalf("batch %d (%q) scheduled a redraw", i, delta)
		}
		_ = m.View()
	}
}
