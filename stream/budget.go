package stream

// replyBudget keeps the reply limit (Config.MaxReplyBytes): what the user
// set bounds the reply itself, its text, refusal, reasoning and tool
// arguments, byte for byte. Everything else a consumer keeps for a reply
// (raw items, which repeat the text; citations; final arguments and
// replacements, which repeat what streamed; names and ids; the state of
// each part and call) is counted apart, against a bound of overheadFactor
// times the limit plus overheadFloor: generous for any real reply, and
// still a bound on memory for a server that sends a new part, call or
// citation with every byte.
type replyBudget struct {
	max      int // the limit; zero or less: none
	content  int // text, refusal, reasoning and argument bytes so far
	overhead int // everything else so far
	// last is the part the previous delta went to: a delta that continues
	// it costs only its bytes (the consumer appends to what it has); one
	// that opens or switches parts costs partCost too.
	last deltaPart
}

type deltaPart struct {
	kind        Kind
	output, sub int
}

const (
	// partCost is what a consumer keeps for a part, call, citation or
	// item beyond its bytes: a slice entry, a builder, a map entry.
	partCost       = 32
	overheadFactor = 4
	overheadFloor  = 1 << 20
)

// spend counts c and returns the error that ends the reply once either
// bound is passed, or nil.
func (b *replyBudget) spend(c Choice) *Error {
	if b.max <= 0 {
		return nil
	}
	switch c.Kind {
	case KindText, KindRefusal, KindReasoning, KindToolArgs:
		b.content += len(c.Delta)
		key := deltaPart{c.Kind, c.OutputIndex, c.Part}
		if c.Reasoning != nil {
			key.sub = c.Reasoning.Part
		}
		if key != b.last {
			b.last = key
			b.overhead += partCost
		}
	default:
		b.overhead += partCost + len(c.Delta) + len(c.Item)
		if a := c.Annotation; a != nil {
			b.overhead += len(a.URL) + len(a.Title) + len(a.Type)
		}
		if t := c.Tool; t != nil {
			b.overhead += len(t.Arguments) + len(t.Name) + len(t.ItemID) + len(t.CallID)
		}
	}
	switch {
	case b.content > b.max:
		return &Error{Code: CodeReplyTooLarge,
			Message: "The reply passed " + byteSize(b.max) + ", Parley's limit for one reply; it was cut there and what arrived is kept."}
	case b.overhead > overheadFactor*b.max+overheadFloor:
		return &Error{Code: CodeReplyOverhead,
			Message: "The server sent more than " + byteSize(overheadFactor*b.max+overheadFloor) +
				" of calls, citations, parts and raw items with the reply, more than Parley keeps for a reply of at most " +
				byteSize(b.max) + "; it was cut there and what arrived is kept."}
	}
	return nil
}
