package chat

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
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
		case _, ok := <-p.batches:
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

func (p *panicky) TryNext() (stream.Choice, bool, error) {
	c, err := p.Next()
	return c, true, err
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

// socket is a body that, like a TCP socket, keeps what the server sent
// until it is read, and hands all of it to one read. It counts reads.
type socket struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	more   chan struct{} // signalled when bytes arrive or the server is done
	done   bool
	closed bool
	reads  int
}

func newSocket() *socket { return &socket{more: make(chan struct{}, 1)} }

func (s *socket) send(b string, done bool) {
	s.mu.Lock()
	s.buf.WriteString(b)
	s.done = s.done || done
	s.mu.Unlock()
	select {
	case s.more <- struct{}{}:
	default:
	}
}

func (s *socket) Read(p []byte) (int, error) {
	for {
		s.mu.Lock()
		switch {
		case s.closed:
			s.mu.Unlock()
			return 0, io.ErrClosedPipe
		case s.buf.Len() > 0:
			s.reads++
			n, _ := s.buf.Read(p)
			s.mu.Unlock()
			return n, nil
		case s.done:
			s.mu.Unlock()
			return 0, io.EOF
		}
		s.mu.Unlock()
		<-s.more
	}
}

func (s *socket) Close() error {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.send("", false)
	return nil
}

// TestPumpReadsOncePerFrame streams deltas a millisecond apart, about six
// times faster than a model, and checks that the pump reads the body about
// once per batch, not once per delta: a read is a wake-up of a thread, and
// a wake-up per delta was most of the CPU a streaming reply cost. Every
// delta still arrives, in order.
func TestPumpReadsOncePerFrame(t *testing.T) {
	const deltas = 300
	sock := newSocket()
	go func() {
		sock.send(`data: {"type":"response.created","response":{"id":"r","model":"m"}}`+"\n\n", false)
		for i := range deltas {
			time.Sleep(time.Millisecond)
			sock.send(fmt.Sprintf(`data: {"type":"response.output_text.delta","item_id":"m","output_index":0,"content_index":0,"delta":"%d "}`+"\n\n", i), false)
		}
		sock.send(`data: {"type":"response.completed","response":{"id":"r","model":"m","status":"completed"}}`+"\n\n", true)
	}()
	p := newPump(stream.NewDecoder(sock, stream.APIResponses), nil)
	var text strings.Builder
	batches := 0
	for done := false; !done; {
		b := p.next(1)().(choicesMsg)
		batches++
		for _, c := range b.choices {
			text.WriteString(c.Delta)
			done = done || c.Kind == stream.KindDone
		}
		done = done || b.done
	}
	var want strings.Builder
	for i := range deltas {
		fmt.Fprintf(&want, "%d ", i)
	}
	if text.String() != want.String() {
		t.Fatalf("text = %q, want every delta in order", text.String())
	}
	sock.mu.Lock()
	reads := sock.reads
	sock.mu.Unlock()
	// A read that finds only part of an event reads once more.
	if reads > 2*batches+2 {
		t.Errorf("%d reads for %d batches of %d deltas: the pump reads per delta, not per frame", reads, batches, deltas)
	}
	t.Logf("%d deltas, %d batches, %d reads", deltas, batches, reads)
}
