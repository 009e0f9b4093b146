package main

import (
	"strings"
	"testing"
	"time"
)

// Every binding rebound: the hints of the sidebar, the pickers, a folded
// prompt and a failed prompt's retry name the new keys, and no default
// one (audit G; TestE2ERebindEveryAction covers the help, the approval
// prompt and the transcript).
func TestE2EReboundKeysInEveryHint(t *testing.T) {
	bin := parleyBinary(t)
	r := newRebound(t)
	b, seq, look := r.bound, r.seq, r.look
	tm := startParley(t, bin, nil, "--config", r.path)
	look(tm, "demo backend")

	// The tools sidebar's footer.
	tm.send("use the calculator")
	tm.send(seq("input.send"))
	look(tm, "Run calculator?")
	time.Sleep(guardWait)
	tm.send(seq("approval.allow"))
	look(tm, "Run clock?")
	time.Sleep(guardWait)
	tm.send(seq("approval.allow"))
	look(tm, "Thanks, I have the tool results", "● done")
	tm.send(seq("global.focus_prev")) // from the input, back round to the sidebar
	look(tm, "tools: "+b["tools.up"]+" previous call", b["tools.down"]+" next call", b["tools.expand"]+" expand",
		b["global.toggle_sidebar"]+" tools sidebar")
	tm.send(seq("global.focus_next")) // the input again

	// A folded prompt's label, and the transcript's fold key.
	tm.paste(strings.Repeat("a log line\n", 40))
	tm.send("what failed?")
	tm.send(seq("input.send"))
	look(tm, "· "+b["transcript.expand"]+" unfolds]", "● done")
	tm.send(seq("global.focus_next"))
	tm.send(seq("transcript.up"))
	look(tm, "transcript: "+b["transcript.expand"]+" unfold/fold")
	tm.send(seq("transcript.expand"))
	look(tm, b["transcript.expand"]+" folds]")
	tm.send(seq("global.focus_prev")) // the input

	// The session picker, its delete question, and the model picker.
	tm.send(seq("global.sessions"))
	look(tm, "sessions: "+b["picker.choose"]+" choose", b["sessions.search"]+" titles/full text", b["sessions.new"]+" new")
	tm.send(seq("sessions.delete"))
	look(tm, "and its messages? "+b["sessions.confirm"]+" deletes")
	tm.send("x") // any other key keeps it
	tm.send(seq("picker.close"))
	tm.send(seq("global.model_picker"))
	look(tm, b["picker.choose"]+" choose", b["picker.close"]+" close")
	tm.send(seq("picker.close"))
	look(tm, "input: "+b["input.send"])

	// A failed prompt: the retry key, in the status and on the error.
	tm2 := startParley(t, bin, nil, "--config", r.path, "-m", "fault:401", "--no-save")
	look(tm2, "Ask anything")
	tm2.send("hi")
	tm2.send(seq("input.send"))
	s := look(tm2, "● error", b["global.retry"]+" retries")
	if strings.Contains(s, "ctrl+r") {
		t.Errorf("the default retry key is named:\n%s", s)
	}
}
