package ui

import (
	"strings"

	"github.com/parley-tui/parley/ui/sanitize"
)

// A long prompt (a pasted file, a log) is folded in the transcript as it
// was in the input: its first lines and a label saying how much follows,
// unfolded with the transcript's expand key. Thousands of lines never
// have to be scrolled past, and never cost a wrap per frame.

// foldShown is how many rows of a folded prompt show above its label.
const foldShown = 3

// folds says whether a prompt is long enough to fold: longer than what the
// input keeps as typed text rather than a paste label.
func folds(text string) bool {
	return len(text) > pasteMaxBytes || strings.Count(text, "\n") >= pasteMaxLines
}

// promptLines are a user message's text rows: whole, or folded.
func (e *entry) promptLines(width int, env *renderEnv) []string {
	st, text := env.st, e.msg.Text
	var out []string
	if !folds(text) {
		for _, l := range wrapText(sanitize.Text(text), width) {
			out = append(out, st.Transcript.UserText.Render(l))
		}
		return out
	}
	size := thousands(lineCount(text)) + " lines, " + formatBytes(len(text))
	if e.unfolded {
		for _, l := range wrapText(sanitize.Text(text), width) {
			out = append(out, st.Transcript.UserText.Render(l))
		}
		return append(out, fit(st.Transcript.Notice.Render("["+strings.Join(nonEmpty(size, env.foldHint), " · ")+"]"), width))
	}
	// Only the head is sanitised and wrapped: its cost does not grow
	// with the prompt.
	head := text[:min(len(text), foldShown*max(width, 1)*4)]
	rows := wrapText(sanitize.Text(head), width)
	rows = rows[:min(len(rows), foldShown)]
	for _, l := range rows {
		out = append(out, st.Transcript.UserText.Render(l))
	}
	label := "[folded: " + size + "]"
	if env.unfoldHint != "" {
		label = "[folded: " + size + " · " + env.unfoldHint + "]"
	}
	return append(out, fit(st.Transcript.Notice.Render(label), width))
}

// lineCount counts lines as the input's paste label does: a final newline
// ends the last line, it does not start another.
func lineCount(text string) int {
	n := strings.Count(text, "\n")
	if !strings.HasSuffix(text, "\n") {
		n++
	}
	return n
}
