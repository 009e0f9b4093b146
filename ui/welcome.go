package ui

import (
	"strings"

	"github.com/parley-tui/parley/ui/sanitize"
)

// welcome fills an empty transcript: what Parley is talking to and what to
// try, so a first run never opens on a blank screen.
func (m *Model) welcome(width, height int) []string {
	st := m.look.styles
	var lines []string
	add := func(s string) { lines = append(lines, fit(s, width)) }
	add(st.Transcript.AssistantLabel.Render("Parley") + st.Transcript.MessageMeta.Render(" · "+sanitize.Text(m.chat.Model())))
	add("")
	if m.deps.Demo {
		add(st.Transcript.Notice.Render("You are talking to the built-in demo backend: scripted replies, no network."))
		add(st.Transcript.Notice.Render("Set OPENAI_API_KEY (and OPENAI_BASE_URL for other servers) to talk to a real model."))
		add("")
		add("Try:")
		add("  " + st.Status.Value.Render("show me some markdown") + st.Status.Dim.Render("   headings, a table, code"))
		add("  " + st.Status.Value.Render("think about why the sky is blue") + st.Status.Dim.Render("   live reasoning"))
		add("  " + st.Status.Value.Render("use the calculator and the clock") + st.Status.Dim.Render("   streaming tool calls"))
	} else {
		add(st.Transcript.Notice.Render("Type a prompt and press " + keyName(m.keys.Input.Send) + "."))
	}
	add("")
	add(st.Status.Dim.Render(strings.Join(nonEmpty(hint(m.keys.Global.Help, "shows every key"), hint(m.keys.Global.Quit, "quits")), " · ")))
	if len(lines) > height {
		lines = lines[:max(height, 0)]
	}
	for len(lines) < height {
		lines = append([]string{""}, lines...)
	}
	return lines
}
