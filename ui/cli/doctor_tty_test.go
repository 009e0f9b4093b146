//go:build !windows

package cli

import (
	"fmt"
	"io"
	"reflect"
	"testing"
	"time"

	"github.com/charmbracelet/x/term"
	"github.com/creack/pty"
)

// TestQueryTerminal plays the terminal on a pseudo-terminal's far side:
// the query arrives, the answers go back, and the mode is restored.
func TestQueryTerminal(t *testing.T) {
	cases := []struct {
		name    string
		answer  string
		kitty   bool
		flags   int
		bg      string // "" for none
		wantErr bool
	}{
		{"kitty", "\x1b]11;rgb:1e1e/1e1e/2e2e\x1b\\\x1b[?1u\x1b[?62;22c", true, 1, "#1e1e2e", false},
		{"legacy: DA1 only", "\x1b[?1;2c", false, 0, "", false},
		{"a key typed meanwhile", "x\x1b]11;rgb:ffff/ffff/ffff\x07\x1b[?62c", false, 0, "#ffffff", false},
		{"silent", "", false, 0, "", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ptm, tty, err := pty.Open()
			if err != nil {
				t.Skip("no pseudo-terminal:", err)
			}
			defer ptm.Close()
			defer tty.Close()
			before, err := term.GetState(tty.Fd())
			if err != nil {
				t.Fatal(err)
			}
			go func() {
				buf := make([]byte, len(termQuery))
				if _, err := io.ReadFull(ptm, buf); err != nil || string(buf) != termQuery {
					t.Errorf("the terminal read %q, %v", buf, err)
				}
				io.WriteString(ptm, c.answer)
			}()
			start := time.Now()
			r, err := queryTerminal(tty, tty, 300*time.Millisecond)
			if (err != nil) != c.wantErr {
				t.Fatalf("err = %v", err)
			}
			if c.wantErr && time.Since(start) > 2*time.Second {
				t.Errorf("a silent terminal held doctor for %v", time.Since(start))
			}
			if r.kitty != c.kitty || r.kittyFlags != c.flags {
				t.Errorf("kitty = %v, %d", r.kitty, r.kittyFlags)
			}
			var bg string
			if r.background != nil {
				cr, cg, cb, _ := r.background.RGBA()
				bg = fmt.Sprintf("#%02x%02x%02x", cr>>8, cg>>8, cb>>8)
			}
			if bg != c.bg {
				t.Errorf("background %q, want %q", bg, c.bg)
			}
			after, err := term.GetState(tty.Fd())
			if err != nil || !reflect.DeepEqual(before, after) {
				t.Errorf("the terminal's mode was not restored")
			}
		})
	}
}
