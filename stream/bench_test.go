package stream_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/parley-tui/parley/stream"
)

// benchBody builds a Responses stream shaped like the recordings
// (responses-text-1.sse): lifecycle events carrying the request echo,
// ~2,300 output_text.delta frames of 10-30 bytes with sequence numbers and
// an obfuscation field, then the done events and a response.completed that
// each repeat the whole text. It returns the body, its event count and the
// text. Deterministic: a fixed seed.
func benchBody(deltas int) (body []byte, events int, text string) {
	rng := rand.New(rand.NewPCG(1, 2))
	words := strings.Fields(`the a model stream decoder token reply terminal render frame delta event
		server client reasoning summary tool call arguments "quoted" value, line. Go's json
		and of to in is that for with as on by be this it not are from or`)
	const alnum = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	const itemID = "msg_0976c6df58902d6a0068c9ef3537f48196a252a62ce5661cef"
	const respID = "resp_0976c6df58902d6a0068c9ef349f8881968e62cd0dd40b45bf"
	quote := func(s string) string { b, _ := json.Marshal(s); return string(b) }

	var out bytes.Buffer
	seq := 0
	frame := func(typ, fields string) {
		fmt.Fprintf(&out, "event: %s\ndata: {\"type\":%q,\"sequence_number\":%d,%s}\n\n", typ, typ, seq, fields)
		seq++
	}
	response := func(status, output, usage string) string {
		return `"response":{"id":"` + respID + `","object":"response","created_at":1758064436,"status":"` + status +
			`","background":false,"error":null,"incomplete_details":null,"instructions":null,"max_output_tokens":null,` +
			`"model":"gpt-4o-mini-2024-07-18","output":[` + output + `],"parallel_tool_calls":true,"previous_response_id":null,` +
			`"reasoning":{"effort":null,"summary":null},"service_tier":"auto","store":true,"temperature":1.0,` +
			`"text":{"format":{"type":"text"},"verbosity":"medium"},"tool_choice":"auto","tools":[],"top_p":1.0,` +
			`"truncation":"auto","usage":` + usage + `,"user":null,"metadata":{}}`
	}

	frame("response.created", response("in_progress", "", "null"))
	frame("response.in_progress", response("in_progress", "", "null"))
	frame("response.output_item.added", `"output_index":0,"item":{"id":"`+itemID+`","type":"message","status":"in_progress","content":[],"role":"assistant"}`)
	frame("response.content_part.added", `"item_id":"`+itemID+`","output_index":0,"content_index":0,"part":{"type":"output_text","annotations":[],"logprobs":[],"text":""}`)
	var full strings.Builder
	for range deltas {
		size := 10 + rng.IntN(21)
		var d strings.Builder
		for d.Len() < size {
			if d.Len() > 0 || full.Len() > 0 {
				d.WriteByte(" \n"[min(rng.IntN(12), 1)])
			}
			d.WriteString(words[rng.IntN(len(words))])
		}
		obf := make([]byte, 1+rng.IntN(15))
		for i := range obf {
			obf[i] = alnum[rng.IntN(len(alnum))]
		}
		full.WriteString(d.String())
		frame("response.output_text.delta", `"item_id":"`+itemID+`","output_index":0,"content_index":0,"delta":`+quote(d.String())+`,"logprobs":[],"obfuscation":"`+string(obf)+`"`)
	}
	text = full.String()
	part := `{"type":"output_text","annotations":[],"logprobs":[],"text":` + quote(text) + `}`
	item := `{"id":"` + itemID + `","type":"message","status":"completed","content":[` + part + `],"role":"assistant"}`
	frame("response.output_text.done", `"item_id":"`+itemID+`","output_index":0,"content_index":0,"text":`+quote(text)+`,"logprobs":[]`)
	frame("response.content_part.done", `"item_id":"`+itemID+`","output_index":0,"content_index":0,"part":`+part)
	frame("response.output_item.done", `"output_index":0,"item":`+item)
	frame("response.completed", response("completed", item,
		`{"input_tokens":11,"input_tokens_details":{"cached_tokens":0},"output_tokens":2300,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":2311}`))
	return out.Bytes(), seq, text
}

// BenchmarkDecode compares Parley's decoder, from bytes to a Turn, with the
// floor: a bufio.Scanner that only finds the data lines.
func BenchmarkDecode(b *testing.B) {
	body, events, text := benchBody(2300)

	b.Run("parley", func(b *testing.B) {
		perEvent(b, body, events, func() {
			d := stream.NewDecoder(bytes.NewReader(body), stream.APIResponses)
			turn := stream.NewTurn()
			for {
				c, err := d.Next()
				if errors.Is(err, io.EOF) {
					break
				}
				if err != nil {
					b.Fatal(err)
				}
				turn.Add(c)
			}
			if turn.Text != text || turn.Status != stream.StatusCompleted {
				b.Fatalf("decoded %d bytes of text, status %q", len(turn.Text), turn.Status)
			}
		})
	})

	b.Run("bufio-scanner", func(b *testing.B) {
		perEvent(b, body, events, func() {
			sc := bufio.NewScanner(bytes.NewReader(body))
			sc.Buffer(make([]byte, 0, 64<<10), 32<<20)
			n := 0
			for sc.Scan() {
				if bytes.HasPrefix(sc.Bytes(), []byte("data:")) {
					n++
				}
			}
			if sc.Err() != nil || n != events {
				b.Fatalf("found %d data lines (%v), want %d", n, sc.Err(), events)
			}
		})
	})
}

// perEvent runs decode in a b.Loop and adds per-event metrics to the
// per-op ones.
func perEvent(b *testing.B, body []byte, events int, decode func()) {
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for b.Loop() {
		decode()
		n++
	}
	runtime.ReadMemStats(&after)
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(n*events), "allocs/event")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(n*events), "ns/event")
}

// TestBenchBody keeps the benchmark's input honest: the decoder must read
// it as the recordings are read.
func TestBenchBody(t *testing.T) {
	body, events, text := benchBody(50)
	turn, err := stream.DecodeAll(bytes.NewReader(body), stream.APIAuto)
	if err != nil {
		t.Fatal(err)
	}
	if turn.Text != text || turn.Status != stream.StatusCompleted || turn.Events != (stream.Stats{Total: events}) || turn.Usage == nil {
		t.Errorf("turn: status %q, %d/%d text bytes, events %+v", turn.Status, len(turn.Text), len(text), turn.Events)
	}
}
