//go:build unix

package ui

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/colorprofile"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/teatest/v2"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/uitest"
)

// BenchmarkCancelUnderEndlessStream measures how long a cancel key takes
// to show on screen while the fastest stream a server can send runs: the
// program (a real Bubble Tea program, its real pump and client) gets the
// key, and the time to the frame that says "cancelled" is reported. Keys
// wait at most one bounded batch and one frame, never the stream.
func BenchmarkCancelUnderEndlessStream(b *testing.B) {
	url := uitest.Endless(b)
	for _, c := range []struct {
		name string
		keys []tea.KeyPressMsg
	}{{"ctrl+c", []tea.KeyPressMsg{ctrl('c')}}, {"esc-esc", []tea.KeyPressMsg{keyEsc, keyEsc}}} {
		b.Run(c.name, func(b *testing.B) {
			m := New(Deps{Client: stream.NewClient(stream.Config{BaseURL: url}), Model: "m", Theme: "dark"})
			tm := teatest.NewTestModel(b, m, teatest.WithInitialTermSize(120, 40),
				teatest.WithProgramOptions(tea.WithColorProfile(colorprofile.Ascii), tea.WithEnvironment([]string{"TERM=xterm-256color"})))
			var total time.Duration
			for b.Loop() {
				tm.Type("go on forever")
				tm.Send(keyEnter)
				teatest.WaitFor(b, tm.Output(), func(out []byte) bool { return bytes.Contains(out, []byte("streaming")) },
					teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(time.Millisecond))
				time.Sleep(500 * time.Millisecond) // the reply grows at full speed
				for _, k := range c.keys[:len(c.keys)-1] {
					tm.Send(k)
				}
				start := time.Now()
				tm.Send(c.keys[len(c.keys)-1])
				teatest.WaitFor(b, tm.Output(), func(out []byte) bool { return strings.Contains(ansi.Strip(string(out)), "cancelled") },
					teatest.WithDuration(10*time.Second), teatest.WithCheckInterval(time.Millisecond))
				total += time.Since(start)
				time.Sleep(200 * time.Millisecond) // clear of the late-key window
			}
			b.ReportMetric(float64(total.Microseconds())/1000/float64(b.N), "ms/cancel")
			tm.Quit()
		})
	}
}

// BenchmarkBatchUpdate measures one full batch of choices (the most the
// pump delivers at once) through Update and View, behind a reply of the
// given size: the longest a key waits behind stream work.
func BenchmarkBatchUpdate(b *testing.B) {
	batch := make([]stream.Choice, 256)
	for i := range batch {
		batch[i] = text("more and more words, ")
	}
	for _, kb := range []int{0, 256, 1024} {
		b.Run(fmt.Sprintf("reply=%dKB", kb), func(b *testing.B) {
			m, c := newTestModel(b, benchWidth, benchHeight, Deps{})
			typeText(m, "go")
			press(m, keyEnter)
			for len(m.chat.Streaming().Turn.Text) < kb<<10 {
				m.Update(chat.Batch(m.chat.Turn(), c.t, batch...))
			}
			for b.Loop() {
				m.Update(chat.Batch(m.chat.Turn(), c.t, batch...))
				_ = m.View()
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/batch")
		})
	}
}
