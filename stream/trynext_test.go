package stream_test

import (
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/parley-tui/parley/stream"
)

// TestTryNextGivesWhatNextGives decodes recordings, each framing variant
// read a few bytes at a time, taking choices with TryNext until it says
// the bytes read so far hold no more, and only then with Next: the
// choices are the same as with Next alone, so a frame cut by a read is
// picked up where it stopped.
func TestTryNextGivesWhatNextGives(t *testing.T) {
	for _, file := range []string{"responses-text-1.sse", "responses-web-search-1.sse", "chat-parallel-tools-1.sse", "chat-reasoning-content-deepseek-1.sse"} {
		body := readRecording(t, file)
		want, _ := collect(t, strings.NewReader(body), stream.APIAuto)
		for name, framed := range map[string]string{
			"LF":   body,
			"CRLF": strings.ReplaceAll(body, "\n", "\r\n"),
			"CR":   strings.ReplaceAll(body, "\n", "\r"),
		} {
			t.Run(file+"/"+name, func(t *testing.T) {
				d := stream.NewDecoder(iotest.HalfReader(iotest.OneByteReader(strings.NewReader(framed))), stream.APIAuto)
				defer d.Close()
				var got []stream.Choice
				tries, waits := 0, 0
				for {
					c, ok, err := d.TryNext()
					tries++
					if err == nil && !ok {
						waits++
						c, err = d.Next()
					}
					if errors.Is(err, io.EOF) {
						break
					}
					if err != nil {
						t.Fatal(err)
					}
					got = append(got, c)
				}
				equalLines(t, describeAll(got), describeAll(want))
				if waits == 0 || waits == tries {
					t.Errorf("TryNext said %d times of %d that a read was needed: it should for a body read a byte at a time, not always", waits, tries)
				}
			})
		}
	}
}

// TestTryNextNeverWaits: with half a frame read and the rest not sent,
// TryNext returns at once with ok false, keeps what it read, and the
// frame decodes whole once the rest arrives.
func TestTryNextNeverWaits(t *testing.T) {
	pr, pw := io.Pipe()
	defer pw.Close()
	delta := ev("response.output_text.delta", `"item_id":"m"`, `"delta":"whole"`)
	go func() { _, _ = io.WriteString(pw, sse(created)+"data: "+delta[:20]) }()
	d := stream.NewDecoder(pr, stream.APIResponses)
	defer d.Close()
	if c, err := d.Next(); err != nil || c.Kind != stream.KindMeta {
		t.Fatalf("Next = %v, %v; want the meta", c.Kind, err)
	}
	got := make(chan bool, 1)
	go func() {
		_, ok, _ := d.TryNext()
		got <- ok
	}()
	select {
	case ok := <-got:
		if ok {
			t.Fatal("TryNext gave a choice from half a frame")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("TryNext waited for the network")
	}
	go func() { _, _ = io.WriteString(pw, delta[20:]+"\n\n") }()
	if c, err := d.Next(); err != nil || c.Kind != stream.KindText || c.Delta != "whole" {
		t.Fatalf("Next = %v %q, %v; want the text whole", c.Kind, c.Delta, err)
	}
}
