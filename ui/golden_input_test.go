package ui

import (
	"fmt"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
)

// TestGoldenInput: the input holding a paste chip and two attachment
// chips, and the file finder open over it with a query, at 80x24 and
// 60x20, in the dark and the light theme, styles and all.
func TestGoldenInput(t *testing.T) {
	dir := project(t)
	states := []struct {
		name  string
		drive func(t *testing.T, m *Model)
		want  string
	}{
		{"chips", func(t *testing.T, m *Model) {
			typeIn(t, m, "compare ")
			m.Update(tea.PasteMsg{Content: strings.Repeat("a pasted line\n", 20)})
			typeIn(t, m, " with @notes")
			pressIn(t, m, keyEnter)
			typeIn(t, m, "and @pic")
			pressIn(t, m, keyEnter)
			typeIn(t, m, "please")
		}, "please"},
		{"finder", func(t *testing.T, m *Model) {
			typeIn(t, m, "look at @doc")
		}, "docs/guide.md"},
	}
	for _, size := range [][2]int{{80, 24}, {60, 20}} {
		for _, theme := range []string{"dark", "light"} {
			for _, st := range states {
				t.Run(fmt.Sprintf("%dx%d/%s/%s", size[0], size[1], theme, st.name), func(t *testing.T) {
					deps := finderDeps(dir, &fakeStreamer{})
					deps.Theme = theme
					m, _ := newTestModel(t, size[0], size[1], deps)
					st.drive(t, m)
					frame := m.Render()
					onlySGR(t, frame)
					if plain := ansi.Strip(frame); !strings.Contains(plain, st.want) {
						t.Fatalf("the frame lacks %q:\n%s", st.want, plain)
					}
					for i, line := range strings.Split(frame, "\n") {
						if w := ansi.StringWidth(line); w > size[0] {
							t.Errorf("line %d is %d wide", i, w)
						}
					}
					golden.RequireEqual(t, frame)
				})
			}
		}
	}
}
