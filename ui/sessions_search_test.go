package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
)

// searchFor opens the picker, switches to full-text search and types q.
func searchFor(d *driver, q string) {
	d.t.Helper()
	d.press(ctrl('s'))
	d.until("the list", func() bool { return openPicker(d.m) != nil && !openPicker(d.m).loading })
	d.press(tea.KeyPressMsg{Code: tea.KeyTab})
	typeKeys(d, q)
	d.until("hits for "+q, func() bool { return openPicker(d.m) != nil && len(openPicker(d.m).hits) > 0 })
}

// Search snippets read as plain text, like the previews: no markdown
// marks; and a session that holds the same words twice (a prompt asked
// again) lists them once, saying so.
func TestSearchSnippetsArePlainAndFoldAlikeHits(t *testing.T) {
	st := tempStore(t)
	seedSession(t, st, "cut-off streams", "why would a stream end early?",
		"## Short answer\n\nA stream that stops **without** a terminal event was cut off, not `finished`.")
	seedSession(t, st, "sums", "calculate it again", "80", "calculate it again", "80 again")
	m, _ := newTestModel(t, 100, 30, Deps{Store: st})
	d := newDriver(t, m)
	searchFor(d, "without")
	s := screen(m)
	mustContain(t, s, "Short answer A stream that stops without a terminal event was cut off, not finished.")
	mustNotContain(t, s, "##", "**", "`")
	if !strings.Contains(m.Render(), m.look.styles.Transcript.SelectionHighlight.Render("without")) {
		t.Error("the hit is not highlighted in its snippet")
	}
	d.press(keyEsc)
	searchFor(d, "calculate")
	s = screen(m)
	if n := strings.Count(s, "calculate it again"); n != 1 {
		t.Errorf("the same prompt twice in a session is listed %d times:\n%s", n, s)
	}
	mustContain(t, s, "sums · user · 2 alike")
}

// enter on a hit deep in a long reply opens the session with the hit on
// screen, highlighted, at 80x24.
func TestOpeningAHitShowsIt(t *testing.T) {
	st := tempStore(t)
	var reply []string
	for i := range 60 {
		word := "filler"
		if i == 55 {
			word = "zeppelin"
		}
		reply = append(reply, fmt.Sprintf("Paragraph %d says %s once.", i, word))
	}
	seedSession(t, st, "long", "tell me a long story", strings.Join(reply, "\n\n"))
	seedSession(t, st, "other", "hello", "hi")
	m, _ := newTestModel(t, 80, 24, Deps{Store: st})
	d := newDriver(t, m)
	searchFor(d, "zeppelin")
	d.press(keyEnter)
	d.until("opened", func() bool { return m.chat.Session().Title == "long" && openPicker(m) == nil })
	mustContain(t, screen(m), "Paragraph 55 says zeppelin once.")
	if !strings.Contains(m.Render(), m.look.styles.Transcript.SelectionHighlight.Render("zeppelin")) {
		t.Errorf("the hit is not highlighted:\n%s", screen(m))
	}
}
