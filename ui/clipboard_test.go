package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
)

func TestCopyableKeepsOnlyText(t *testing.T) {
	for in, want := range map[string]string{
		"plain\ttext\nlines":                      "plain\ttext\nlines",
		"crlf\r\nline":                            "crlf\nline",
		"lone\rcr":                                "lone\ncr",
		"paste\x1b[201~; rm -rf ~\n":              "paste[201~; rm -rf ~\n",
		"osc\x1b]52;c;ZXZpbA==\x07 title":         "osc]52;c;ZXZpbA== title",
		"back\bspace del\x7f c1 \u009b2J \u0085x": "backspace del c1 2J x",
		"bidi \u202eevil\u202c ok":                "bidi evil ok",
		"bad \xff utf8 · ok 👩‍👩‍👧":                "bad  utf8 · ok 👩‍👩‍👧",
	} {
		if got := copyable(in); got != want {
			t.Errorf("copyable(%q) = %q, want %q", in, got, want)
		}
		for _, r := range copyable(in) {
			if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f || r >= 0x80 && r <= 0x9f {
				t.Errorf("copyable(%q) kept %U", in, r)
			}
		}
	}
}

// clipboardWrites are the texts a command writes to the clipboard. A
// write's end (clipSentMsg) goes back to m, as Bubble Tea would send it,
// so the next copy is not held behind it.
func clipboardWrites(m *Model, cmd tea.Cmd) []string {
	var out []string
	for _, msg := range runBatch(cmd) {
		switch msg.(type) {
		case clipSentMsg:
			_, next := m.Update(msg)
			out = append(out, clipboardWrites(m, next)...)
		default:
			if fmt.Sprintf("%T", msg) == "tea.setClipboardMsg" {
				out = append(out, fmt.Sprint(msg))
			}
		}
	}
	return out
}

// Every copy (ctrl+y, y, c) goes through the filter; y on a tool result
// says what it copied.
func TestEveryCopyIsFiltered(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "x")
	reply := "text \x1b[201~ and\r\n```sh\necho \x1b]0;t\x07hi\n```\n"
	feed(m, c.t, text(reply), done(stream.StatusCompleted))
	m.Update(nil)
	check := func(what string, cmd tea.Cmd) {
		t.Helper()
		w := clipboardWrites(m, cmd)
		if len(w) != 1 || strings.ContainsAny(w[0], "\x1b\r\x07\b") {
			t.Errorf("%s wrote %q", what, w)
		}
	}
	check("ctrl+y", press(m, ctrl('y')))
	press(m, tea.KeyPressMsg{Code: tea.KeyTab})
	check("y", press(m, key1('y')))
	check("c", press(m, key1('c')))
}

func TestCopyAToolResult(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{Tools: (&ranTool{}).registry("calc"), Yolo: true})
	sendPrompt(t, m, "x")
	runResults(m, m.chatFeed(c, append(toolCall("fc", "calc", "{}", "{}"), done(stream.StatusCompleted))...))
	press(m, tea.KeyPressMsg{Code: tea.KeyTab}) // the newest message: the reply in flight after the result
	press(m, key1('k'))
	if e := m.transcript.focused(); e == nil || e.msg.Role != "tool" {
		t.Fatalf("focused %+v", e)
	}
	if w := clipboardWrites(m, press(m, key1('y'))); len(w) != 1 || w[0] != "done" {
		t.Fatalf("copied %q", w)
	}
	mustContain(t, screen(m), "Copied the tool result")
}

// Two copies a moment apart (a double click's word, then the triple
// click's paragraph) reach the terminal in the order they were made: the
// second waits until the first is written. Commands run on goroutines of
// their own, so two writes out at once could land in either order and
// leave the word on the clipboard.
func TestCopiesReachTheTerminalInOrder(t *testing.T) {
	m, c := newTestModel(t, 100, 30, Deps{})
	sendPrompt(t, m, "x")
	feed(m, c.t, text("the reply"), done(stream.StatusCompleted))
	m.Update(nil)
	first := m.copyText("word", "a word")
	if second := m.copyText("paragraph", "a paragraph"); second != nil {
		t.Fatalf("the second copy went out while the first was still out: %v", runBatch(second))
	}
	if w := clipboardWrites(m, first); len(w) != 2 || w[0] != "word" || w[1] != "paragraph" {
		t.Fatalf("writes %q, want word then paragraph", w)
	}
	if next := m.copyText("again", "again"); next == nil {
		t.Fatal("after both were written, a copy is still held back")
	}
}
