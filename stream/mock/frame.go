package mock

// frame is one SSE frame before encoding. Builders produce the whole list up
// front (a reply is a few KB); faults then cut or spoil the list, and the
// sender paces and writes it.
type frame struct {
	// event is the SSE "event:" name. For Responses it is also the JSON
	// "type", which the encoder adds with the sequence number; Chat frames
	// leave it empty except for in-stream errors.
	event string
	body  object
	// raw, when set, is written verbatim instead: deliberately broken
	// frames, "data: [DONE]", replayed recordings.
	raw string
	// firstToken makes the sender wait the first-token delay before it.
	firstToken bool
	// tokens is how many generated tokens the frame carries; the sender
	// waits that many token intervals before it.
	tokens int
}

// frameEncoder turns frames into wire bytes. Encoders keep per-stream state
// (the sequence number), so each stream gets its own.
type frameEncoder interface {
	encode(f frame) ([]byte, error)
}

// responsesEncoder numbers events from 0; raw frames take no number, so
// the valid events stay contiguous even in fault:malformed streams.
type responsesEncoder struct{ seq int }

func (e *responsesEncoder) encode(f frame) ([]byte, error) {
	if f.raw != "" {
		return []byte(f.raw), nil
	}
	body := make(object, 0, len(f.body)+2)
	body = append(body, field{"type", f.event}, field{"sequence_number", e.seq})
	body = append(body, f.body...)
	data, err := marshal(body)
	if err != nil {
		return nil, err
	}
	e.seq++
	return sseFrame(f.event, data), nil
}

type chatEncoder struct{}

func (chatEncoder) encode(f frame) ([]byte, error) {
	if f.raw != "" {
		return []byte(f.raw), nil
	}
	data, err := marshal(f.body)
	if err != nil {
		return nil, err
	}
	return sseFrame(f.event, data), nil
}

func sseFrame(event string, data []byte) []byte {
	b := make([]byte, 0, len(event)+len(data)+16)
	if event != "" {
		b = append(b, "event: "...)
		b = append(b, event...)
		b = append(b, '\n')
	}
	b = append(b, "data: "...)
	b = append(b, data...)
	return append(b, "\n\n"...)
}

// cutAfterTokens keeps the frames up to and including the n-th one that
// carries tokens: the part of a stream that fault:drop and fault:stall send.
func cutAfterTokens(frames []frame, n int) []frame {
	seen := 0
	for i, f := range frames {
		if f.tokens > 0 {
			seen++
			if seen == n {
				return frames[:i+1]
			}
		}
	}
	return frames
}

// insertAfterTokens returns frames with extra[k] inserted after the k-th
// frame that carries tokens (k from 1).
func insertAfterTokens(frames []frame, extra map[int][]frame) []frame {
	out := make([]frame, 0, len(frames)+2*len(extra))
	seen := 0
	for _, f := range frames {
		out = append(out, f)
		if f.tokens > 0 {
			seen++
			out = append(out, extra[seen]...)
		}
	}
	return out
}
