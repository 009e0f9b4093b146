package ui

import (
	"slices"
	"strings"
	"testing"

	"charm.land/bubbles/v2/key"

	"github.com/parley-tui/parley/themes"
)

// TestFitCacheMatchesFit checks that the cache gives what fit gives row by
// row, whatever changed since the last call: rows appended, a row in the
// middle replaced, rows removed, the width changed.
func TestFitCacheMatchesFit(t *testing.T) {
	var c fitCache
	want := func(rows []string, width int) []string {
		out := make([]string, len(rows))
		for i, r := range rows {
			out[i] = fit(r, width)
		}
		return out
	}
	steps := []struct {
		rows  []string
		width int
	}{
		{[]string{"short", "a row that is longer than ten"}, 10},
		{[]string{"short", "a row that is longer than ten", "\x1b[1mbold and long text\x1b[m"}, 10},
		{[]string{"short", "changed in the middle", "\x1b[1mbold and long text\x1b[m"}, 10},
		{[]string{"short"}, 10},
		{[]string{"short", "a row that is longer than ten"}, 6},
		{[]string{"short", "a row that is longer than ten"}, 40},
	}
	for i, s := range steps {
		if got := c.fit(s.rows, s.width); !slices.Equal(got, want(s.rows, s.width)) {
			t.Errorf("step %d: got %q, want %q", i, got, want(s.rows, s.width))
		}
	}
}

// TestFrameCacheFollowsItsInputs checks that each of the frame's caches
// gives what the uncached function gives, again after any of its inputs
// changes: a stale hint or row would show a key or text that is not so.
func TestFrameCacheFollowsItsInputs(t *testing.T) {
	var c frameCache
	st := themes.NewStyles(themes.Default(true))
	send := key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "send"))
	quit := key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"))
	for i, step := range []struct {
		bindings []key.Binding
		width    int
		all      bool
	}{
		{[]key.Binding{send, quit}, 80, false},
		{[]key.Binding{send, quit}, 80, false},
		{[]key.Binding{key.NewBinding(key.WithKeys("ctrl+j"), key.WithHelp("ctrl+j", "send")), quit}, 80, false},
		{[]key.Binding{send, key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit"), key.WithDisabled())}, 80, false},
		{[]key.Binding{send, quit}, 12, false},
		{[]key.Binding{send, quit}, 12, true},
	} {
		if got, want := c.shortHelp(step.bindings, step.width, step.all, st), shortHelp(step.bindings, step.width, step.all, st); got != want {
			t.Errorf("hints, step %d: got %q, want %q", i, got, want)
		}
	}

	frames := [][]string{
		{"status", "a row that is longer than ten", "input"},
		{"a row that is longer than ten", "next", "status", "input"},
		{"a row that is longer than ten", "next", "status", "input"},
	}
	for i, rows := range frames {
		want := make([]string, len(rows))
		for j, r := range rows {
			want[j] = fit(r, 10)
		}
		if got := c.rows.fit(rows, 10); !slices.Equal(got, want) {
			t.Errorf("rows, frame %d: got %q, want %q", i, got, want)
		}
	}
	if got := c.rows.fit(frames[0], 40); !slices.Equal(got, frames[0]) {
		t.Errorf("rows at a new width: got %q", got)
	}
}

// TestStyledIsLipgloss: a kept render is the render, for every style,
// width and text, after the kept ones were dropped too.
func TestStyledIsLipgloss(t *testing.T) {
	var c styled
	st := themes.NewStyles(themes.Default(true))
	for i := range 3 * maxStyled {
		style, text, width := &st.Status.Dim, "text "+strings.Repeat("x", i%7), 0
		if i%3 == 0 {
			style, width = &st.Status.Bar, 30+i%5
		}
		want := style.Render(text)
		if width > 0 {
			want = style.Width(width).Render(text)
		}
		if got := c.renderWidth(style, width, text); got != want {
			t.Fatalf("render %d: got %q, want %q", i, got, want)
		}
	}
	var none *styled
	if got := none.render(&st.Status.Key, "k"); got != st.Status.Key.Render("k") {
		t.Errorf("nil: got %q", got)
	}
}
