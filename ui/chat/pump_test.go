package chat

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
)

// TestPumpCoalescesToFrames streams a whole reply that is already waiting
// (an instant mock server) and checks the UI gets it in a few frame-sized
// batches, at most one per frame interval, in order, ending with done.
func TestPumpCoalescesToFrames(t *testing.T) {
	srv, err := mock.New(mock.Options{Speed: 20})
	if err != nil {
		t.Fatal(err)
	}
	url, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	client := stream.NewClient(stream.Config{BaseURL: url})
	msg := startTurn(context.Background(), client, stream.Request{Model: "parley-mock-markdown",
		Input: []stream.InputItem{{Role: "user", Text: "hi"}}}, 7, nil)()
	started, ok := msg.(turnStartedMsg)
	if !ok {
		t.Fatalf("start: %#v", msg)
	}
	var batches []choicesMsg
	total := 0
	for {
		b := started.pump.next(7)().(choicesMsg)
		if b.id != 7 {
			t.Fatalf("batch for turn %d", b.id)
		}
		batches = append(batches, b)
		total += len(b.choices)
		if b.done || (len(b.choices) > 0 && b.choices[len(b.choices)-1].Kind == stream.KindDone) {
			break
		}
	}
	if total < 100 {
		t.Fatalf("only %d choices", total)
	}
	if len(batches) > total/4 {
		t.Errorf("%d choices in %d batches: deltas were not coalesced", total, len(batches))
	}
	// The last batch goes out as soon as the stream ends, without waiting
	// for its frame; the ones before it keep the frame interval.
	for i := 2; i < len(batches)-1; i++ {
		// Allow a little timer slack; the point is no more than one per frame.
		if gap := batches[i].at.Sub(batches[i-1].at); gap < FrameInterval-5*time.Millisecond {
			t.Errorf("batches %d and %d only %v apart", i-1, i, gap)
		}
	}
	last := batches[len(batches)-1].choices
	if last[len(last)-1].Kind != stream.KindDone {
		t.Errorf("stream did not end with done")
	}
	t.Logf("%d choices in %d batches", total, len(batches))
}

func TestPumpCloseEndsReader(t *testing.T) {
	srv, _ := mock.New(mock.Options{Speed: 1})
	url, _ := srv.Start("127.0.0.1:0")
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	msg := startTurn(ctx, stream.NewClient(stream.Config{BaseURL: url}), stream.Request{Model: "parley-mock-markdown",
		Input: []stream.InputItem{{Role: "user", Text: "hi"}}}, 1, nil)()
	p := msg.(turnStartedMsg).pump
	cancel()
	p.close()
	deadline := time.After(2 * time.Second)
	for {
		select {
		case _, ok := <-p.ch:
			if !ok {
				return // the reader goroutine ended and closed its channel
			}
		case <-deadline:
			t.Fatal("the pump's reader did not end after cancel and close")
		}
	}
}

// panicky is a stream whose reading panics, as a decoder bug would.
type panicky struct{ n int }

func (p *panicky) Next() (stream.Choice, error) {
	if p.n++; p.n > 2 {
		panic("decoder bug")
	}
	return stream.Choice{Kind: stream.KindText, Delta: "x"}, nil
}

func (p *panicky) Close() error { return nil }

// A panic in the stream's reader goroutine is not lost, nor does it kill
// the program past its crash guard: the command that reads the stream
// panics with it, carrying the reader's stack.
func TestReaderPanicReachesTheCommand(t *testing.T) {
	p := newPump(&panicky{}, nil)
	var got any
	func() {
		defer func() { got = recover() }()
		for range 10 {
			p.next(1)()
		}
	}()
	gp, ok := got.(*GoroutinePanic)
	if !ok {
		t.Fatalf("recovered %v", got)
	}
	if gp.String() != "decoder bug" || !strings.Contains(string(gp.Trace()), "(*panicky).Next") {
		t.Fatalf("panic %q, trace:\n%s", gp, gp.Trace())
	}
}
