package main

// End-to-end: the mouse as a terminal reports it (SGR: ESC[<b;x;yM for a
// press or a drag, ...m for a release, 1-based cells), and the clipboard
// write Parley answers with (OSC 52: ESC]52;c;base64 BEL), read from
// what the binary writes to its terminal.

import (
	"encoding/base64"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"
)

// sgrMouse is a report of button b (0 the left; +32 for a drag) at the
// 0-based cell x, y; release ends it with m instead of M.
func sgrMouse(b, x, y int, release bool) string {
	end := "M"
	if release {
		end = "m"
	}
	return fmt.Sprintf("\x1b[<%d;%d;%d%s", b, x+1, y+1, end)
}

var osc52 = regexp.MustCompile("\x1b\\]52;c;([A-Za-z0-9+/=]*)\x07")

// clipboardAfter waits for n OSC 52 writes after byte `from` of the
// output and returns what the last puts on the clipboard, decoded.
func (tm *term) clipboardAfter(from, n int) string {
	tm.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		if ms := osc52.FindAllStringSubmatch(tm.output()[from:], -1); len(ms) >= n {
			b, err := base64.StdEncoding.DecodeString(ms[n-1][1])
			if err != nil {
				tm.t.Fatalf("OSC 52 payload %q: %v", ms[n-1][1], err)
			}
			return string(b)
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("no OSC 52 write; the screen shows:\n%s", tm.screen())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cell is where text first shows on the screen (0-based).
func (tm *term) cell(text string) (x, y int) {
	tm.t.Helper()
	for y, l := range strings.Split(tm.screen(), "\n") {
		if i := strings.Index(l, text); i >= 0 {
			return len([]rune(l[:i])), y
		}
	}
	tm.t.Fatalf("%q is not on the screen:\n%s", text, tm.screen())
	return 0, 0
}

// scriptPart is the part of the demo's markdown script from the line that
// starts with first to the line that starts with last.
func scriptPart(t *testing.T, first, last string) string {
	t.Helper()
	b, err := os.ReadFile("stream/mock/scripts/markdown.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, first) || len(out) > 0 {
			out = append(out, l)
		}
		if len(out) > 0 && strings.HasPrefix(l, last) {
			break
		}
	}
	return strings.Join(out, "\n")
}

func TestE2EMouseSelectsAndCopies(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--speed", "20")
	tm := startParleySized(t, bin, 100, 44, []string{"OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + url}, "--model", "parley-mock-1")
	tm.waitFor("Ask anything", "● ready")
	if out := tm.output(); !strings.Contains(out, "\x1b[?1002h") || !strings.Contains(out, "\x1b[?1006h") {
		t.Fatalf("no SGR button-event mouse mode asked for: %q", out)
	}
	tm.send("show me some markdown\r")
	tm.waitFor("That's the tour", "● done")

	// A triple click on the paragraph glamour wrapped over several rows
	// copies it as the one line it is (the double click on the way copied
	// a word).
	para := scriptPart(t, "A long answer", "A long answer")
	x, y := tm.cell("A long answer")
	from := len(tm.output())
	for range 3 {
		tm.send(sgrMouse(0, x+4, y+1, false) + sgrMouse(0, x+4, y+1, true))
	}
	if got := tm.clipboardAfter(from, 2); got != para {
		t.Errorf("the triple click copied\n%q\nwant\n%q", got, para)
	}
	tm.waitFor("Copied " + fmt.Sprint(len(para)) + " characters")

	// A drag over a code block copies it verbatim, indents and all, without
	// the margin it is drawn behind.
	code := scriptPart(t, "def read_frames", "            data.append")
	x1, y1 := tm.cell("def read_frames")
	x2, y2 := tm.cell("data.append(line[5:].lstrip())")
	x2 += len("data.append(line[5:].lstrip())") - 1
	from = len(tm.output())
	tm.send(sgrMouse(0, x1, y1, false))
	for y := y1; y <= y2; y++ {
		tm.send(sgrMouse(32, x1+3, y, false))
	}
	tm.send(sgrMouse(32, x2, y2, false) + sgrMouse(0, x2, y2, true))
	if got := tm.clipboardAfter(from, 1); got != code {
		t.Errorf("the drag copied\n%s\nwant\n%s", got, code)
	}

	// The key hands the mouse to the terminal: the mode is reset, and the
	// status bar says so.
	from = len(tm.output())
	tm.send("\x1bOR") // f3
	tm.waitFor("mouse off (f3)")
	if !strings.Contains(tm.output()[from:], "\x1b[?1002l") {
		t.Errorf("f3 did not turn the mouse reports off: %q", tm.output()[from:])
	}
	tm.quit()
}

// With mouse = false (here PARLEY_MOUSE) the terminal keeps the mouse from
// the start: Parley never asks for reports, and says so.
func TestE2EMouseOff(t *testing.T) {
	bin := parleyBinary(t)
	tm := startParleySized(t, bin, 100, 30, []string{"PARLEY_MOUSE=false"})
	tm.waitFor("Ask anything", "mouse off (f3)")
	if out := tm.output(); strings.Contains(out, "\x1b[?1002h") || strings.Contains(out, "\x1b[?1000h") {
		t.Errorf("mouse reports asked for with mouse = false: %q", out)
	}
	from := len(tm.output())
	tm.send("\x1bOR")
	tm.waitFor("Mouse on: drag to select")
	if !strings.Contains(tm.output()[from:], "\x1b[?1002h") {
		t.Errorf("f3 did not ask for the mouse: %q", tm.output()[from:])
	}
	tm.quit()
}
