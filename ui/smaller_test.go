package ui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
)

// A pasted block is folded in the transcript as in the input: its first
// lines and a label; the expand key unfolds it and folds it again.
func TestPastedPromptIsFoldedInTheTranscript(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{})
	var b strings.Builder
	for i := 1; i <= 5000; i++ {
		fmt.Fprintf(&b, "log line %d\n", i)
	}
	m.Update(tea.PasteMsg{Content: b.String()})
	typeText(m, " what failed?")
	if cmd := press(m, keyEnter); cmd == nil {
		t.Fatal("enter did not send")
	}
	s := screen(m)
	mustContain(t, s, "log line 1", "[folded: 5,001 lines, ")
	mustContain(t, s, "· x unfolds]")
	mustNotContain(t, s, "log line 4", "log line 4999")
	press(m, keyTab) // the transcript, at the newest message: the reply in flight
	press(m, key1('k'))
	press(m, key1('x'))
	mustContain(t, screen(m), "x folds]")
	mustNotContain(t, screen(m), "[folded:")
	press(m, key1('x'))
	mustContain(t, screen(m), "[folded: 5,001 lines")
}

// c on a reply whose last block is a code fence (no newline after it)
// copies the code, not the closing fence.
func TestCopyCodeWithoutTheClosingFence(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "code?")
	feed(m, c.t, text("Here:\n\n```go\nx := 1\n```"), done(stream.StatusCompleted))
	press(m, keyTab)
	w := clipboardWrites(m, press(m, key1('c')))
	if len(w) != 1 || w[0] != "x := 1" {
		t.Fatalf("copied %q", w)
	}
}

// Inside tmux with a set-clipboard that passes nothing on, a copy says it
// was sent and may not reach the clipboard, as parley doctor finds.
func TestCopyUnderTmuxSaysItMayNotArrive(t *testing.T) {
	env := func(k string) string {
		if k == "TMUX" {
			return "/tmp/tmux-0/default,1,0"
		}
		return ""
	}
	m, c := newTestModel(t, 160, 30, Deps{Getenv: env,
		ClipboardCheck: func() string { return "tmux set-clipboard external, allow-passthrough off" }})
	m.Update(m.checkClipboard()())
	sendPrompt(t, m, "x")
	feed(m, c.t, text("the reply"), done(stream.StatusCompleted))
	if w := clipboardWrites(m, press(m, ctrl('y'))); len(w) != 1 {
		t.Fatalf("copied %q", w)
	}
	mustContain(t, screen(m), "Sent the last reply (9 B) via OSC 52; it may not reach the clipboard (tmux set-clipboard external")
	mustNotContain(t, screen(m), "Copied")
}

// A reply from a model without a price shows no cost, whatever its usage
// (a replayed recording's model, a local one).
func TestNoCostForAnUnpricedModel(t *testing.T) {
	m, c := newTestModel(t, 160, 30, Deps{Model: "some-local-model"})
	for _, p := range []string{"one", "two"} {
		sendPrompt(t, m, p)
		c.advance(time.Second)
		feed(m, c.t, stream.Choice{Kind: stream.KindMeta, Meta: &stream.Meta{Model: "some-local-model-2025"}}, text("ok"),
			usage(1000, 0, 200, 0), done(stream.StatusCompleted))
	}
	s := screen(m)
	mustContain(t, s, "in 1,000", "Σ in 2,000")
	mustNotContain(t, s, "$")
}
