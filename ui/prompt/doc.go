// Package prompt is Parley's prompt editor: the box at the bottom of the
// chat where a prompt is typed. A caller (the root model) writes:
//
//	in := prompt.New(prompt.Options{Styles: prompt.NewStyles(styles), Placeholder: "Ask anything…"})
//	keys := km.Input                     // a prompt.KeyMap: keymap.InputKeys
//
//	// Update, for a key or paste aimed at the input (after Send and Editor):
//	cmd := in.Update(msg, keys)          // an ErrorMsg command when it refused the input
//
//	// layout and View:
//	in.SetWidth(w)
//	h := in.Height()                     // box included, 3 to MaxRows+2
//	box := in.Render(w)
//	if c := in.Cursor(); c != nil {      // the terminal's own cursor: nothing blinks in Update
//		c.X += boxX; c.Y += boxY
//		view.Cursor = c
//	}
//
//	// Send:
//	text, chips := in.Take()             // chips expanded into text; attachments in chips
//	cmd = in.SaveHistory(historyFile)    // the history file is written on a command goroutine
//
// A draft of any length costs the same per key: the text is a gap buffer
// of lines, each wrapped only when it is on screen and changed, and the box
// draws only the rows in view. There is no cursor blink to redraw: the
// terminal blinks its real cursor.
//
// Chips are atomic labels in the text: large pastes ("[paste #1: 5,000
// lines, 97.7 KB]") and attachments. The cursor steps over a chip, backspace
// deletes it whole, ExpandChip (alt+e) turns a paste back into text to edit
// (and an attachment made from a pasted path back into what was pasted),
// and Take expands every chip into its Text. The history (package
// model/history) keeps prompts with their chips, so a recalled long prompt
// comes back as its chip.
//
// Text is measured the way lipgloss measures it (grapheme clusters, widths
// from displaywidth), so a ZWJ emoji, CJK or combining marks never push the
// box's border or put the cursor off its character. A tab is shown as four
// spaces and counted as four cells; a control character is shown as "␛" or
// "�", never sent to the terminal.
package prompt
