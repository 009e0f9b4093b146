package mock

// faultCutAfter is how many text deltas fault:drop and fault:stall send
// before misbehaving.
const faultCutAfter = 5

// plan is the server's decision for one streaming request.
type plan struct {
	n     int    // response number, for ids
	reply reply  // what to say
	fault string // a stream fault kind, or ""
}

// plan picks the reply for req by the rules in the package comment, or the
// HTTP error a fault asks for. It updates the server's counters.
func (s *Server) plan(req request, api apiKind) (plan, *apiError) {
	f, isFault, err := parseFault(req.model)
	if err != nil {
		e := errBadFault(err)
		return plan{}, &e
	}
	if !isFault && s.fault != nil {
		f, isFault = *s.fault, true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	var p plan
	switch {
	case isFault && s.faultActive(req.model, f):
		if e, ok := f.httpError(req.model, api); ok {
			return plan{}, &e
		}
		p.fault = f.kind
		p.reply = s.scripts[scriptMarkdown]
		if f.kind == faultMalformed {
			p.reply = s.scripts[scriptShort]
		}
		if r, ok := hostileReply(f.kind, req); ok {
			p.reply = r
		}
	case isFault:
		// The fault's repeat count is used up: answer normally.
		p.reply = s.scripts[scriptMarkdown]
	default:
		p.reply = s.pickReply(req)
	}
	s.responses++
	p.n = s.responses
	return p, nil
}

// faultActive counts a request with a fault model name and says whether
// this one should fail. Callers hold mu.
func (s *Server) faultActive(model string, f fault) bool {
	if f.times == 0 {
		return true
	}
	s.faultHits[model]++
	return s.faultHits[model] <= f.times
}

// pickReply applies the script selection rules. Callers hold mu.
func (s *Server) pickReply(req request) reply {
	// Tool results answer the calls before anything else, or a model
	// forced to the tools script would call tools for ever.
	if len(req.toolResults) > 0 {
		return followUp(req.toolResults)
	}
	if len(req.attachments) > 0 {
		return attachmentReply(req.lastUser, req.attachments)
	}
	name, ok := scriptForModel(req.model, s.scripts)
	if !ok {
		name, ok = scriptForMessage(req.lastUser)
	}
	if !ok {
		order := cycleOrder()
		name = order[s.cycle%len(order)]
		s.cycle++
	}
	if name == scriptTools {
		if calls := demoCalls(req.toolNames); len(calls) > 0 {
			return reply{calls: calls}
		}
	}
	return s.scripts[name]
}

// demoCalls calls the demo backend's own tools when the request offers
// them, so Parley's tool loop can run them for real; the scripted calls
// are for clients that offer none.
func demoCalls(offered []string) []toolCall {
	var calls []toolCall
	for _, n := range offered {
		switch n {
		case "calculator":
			calls = append(calls, toolCall{name: n, arguments: `{"expression":"(2+3)*4^2"}`})
		case "clock":
			calls = append(calls, toolCall{name: n, arguments: `{"timezone":"Europe/Paris"}`})
		}
	}
	return calls
}
