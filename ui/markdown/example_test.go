package markdown_test

import (
	"fmt"
	"strings"

	tea "charm.land/bubbletea/v2"
	xansi "github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/themes"
	"github.com/parley-tui/parley/ui/markdown"
	"github.com/parley-tui/parley/ui/sanitize"
)

// jobDone is the message a rendering job sends back to Update.
type jobDone struct{ job *markdown.Job }

// runJob is the command that renders a Stream's closed blocks off the UI
// goroutine.
func runJob(j *markdown.Job) tea.Cmd {
	if j == nil {
		return nil
	}
	return func() tea.Msg { j.Run(); return jobDone{j} }
}

// A reply streamed as a Bubble Tea program would: deltas appended in
// Update, a job asked for after each batch and run as a command, its result
// applied in Update, Lines drawn in View.
func ExampleStream_Job() {
	pal, _ := themes.ByName("dark")
	r, err := markdown.NewRenderer(themes.NewStyles(pal).Markdown, 40) // in a command, in the app
	if err != nil {
		panic(err)
	}
	s := markdown.NewStream(r)
	s.SetAsync(true)

	// Update, for each batch of deltas:
	var pending []tea.Cmd
	for _, delta := range []string{"# Plan\n\nFirst, **measure**", ".\n\n```go\nx := 1\n", "```\n\nThen decide.\n"} {
		s.Append(sanitize.Text(delta))
		pending = append(pending, runJob(s.Job()))
		_ = s.Lines() // View
	}
	s.Finish()
	pending = append(pending, runJob(s.Job()))

	// The runtime runs the commands; Update applies what comes back and
	// asks for more until the Stream is done.
	for len(pending) > 0 {
		cmd := pending[0]
		pending = pending[1:]
		if cmd == nil {
			continue
		}
		if done, ok := cmd().(jobDone); ok {
			s.Apply(done.job)
			pending = append(pending, runJob(s.Job()))
		}
	}
	fmt.Println(s.Done())
	for _, l := range s.Lines() {
		fmt.Println(strings.TrimRight(xansi.Strip(l), " "))
	}
	// Output:
	// true
	//  Plan
	//
	// First, measure.
	//
	//   x := 1
	//
	// Then decide.
}
