package cli

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"
)

// progressTick is how often the progress line is redrawn (spinner, clock).
const progressTick = 125 * time.Millisecond

var spinnerFrames = []string{"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"}

// progress is -p's status line on stderr while it waits: "waiting for
// gpt-5 · 3 s", "retry 1 of 3 in 2 s: HTTP 429", "thinking", "running
// calculator", after the tools that have run ("ran calculator · waiting
// for gpt-5"). It is drawn only when stderr is a terminal that can move
// its cursor, one line rewritten in place, and erased before the answer
// or any other line is printed; elsewhere every method but println does
// nothing, so a pipeline's stderr holds only real messages. Safe for use
// from any goroutine (the stream's retry callback runs on the caller's).
type progress struct {
	mu    sync.Mutex
	out   *os.File // nil: off
	text  string   // what to show; "" shows nothing
	since time.Time
	until time.Time // a retry's countdown ends then
	shown bool      // a line is on the screen now
	frame int
	// ran is what tools this prompt has run, in the order each first
	// finished ("calculator ×2", "weather (failed)"): the line names them
	// before what it says now, so a user sees the work done, not only
	// the call running.
	ran   []string
	times map[string]int
	stopc chan struct{}
	done  chan struct{}
	plain io.Writer // where println writes when the line is off
}

// newProgress makes the status line for stderr; it is off unless stderr
// is a terminal, and TERM is not dumb (no way to erase a line there).
func newProgress(stderr io.Writer, getenv func(string) string) *progress {
	p := &progress{plain: stderr}
	f, ok := stderr.(*os.File)
	if !ok || !isTerminal(f) || dumbTerminal(getenv) {
		return p
	}
	p.out, p.stopc, p.done = f, make(chan struct{}), make(chan struct{})
	go p.loop()
	return p
}

func (p *progress) loop() {
	defer close(p.done)
	t := time.NewTicker(progressTick)
	defer t.Stop()
	for {
		select {
		case <-p.stopc:
			return
		case <-t.C:
			p.mu.Lock()
			p.frame++
			p.draw()
			p.mu.Unlock()
		}
	}
}

// set shows text, with the time since this call. The text is Parley's own
// or passed through serverText by the caller.
func (p *progress) set(text string) { p.show(text, time.Time{}) }

// countdown shows text with the seconds left until until.
func (p *progress) countdown(text string, until time.Time) { p.show(text, until) }

func (p *progress) show(text string, until time.Time) {
	if p.out == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if text != p.text || !until.Equal(p.until) {
		p.text, p.since, p.until = text, time.Now(), until
	}
	p.draw()
}

// finished notes that a tool call ended; failed says it failed.
func (p *progress) finished(name string, failed bool) {
	if p.out == nil {
		return
	}
	if failed {
		name += " (failed)"
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.times == nil {
		p.times = map[string]int{}
	}
	if p.times[name] == 0 {
		p.ran = append(p.ran, name)
	}
	p.times[name]++
	p.draw()
}

// ranText is "ran calculator ×2, weather", or "" before any tool ran.
// Callers hold mu.
func (p *progress) ranText() string {
	if len(p.ran) == 0 {
		return ""
	}
	names := make([]string, len(p.ran))
	for i, n := range p.ran {
		names[i] = n
		if k := p.times[n]; k > 1 {
			names[i] += fmt.Sprintf(" ×%d", k)
		}
	}
	return "ran " + strings.Join(names, ", ")
}

// clear erases the line; nothing shows until the next set.
func (p *progress) clear() {
	if p.out == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.text = ""
	p.erase()
}

// println prints a line that stays (a warning, a denied call) above the
// status line.
func (p *progress) println(line string) {
	if p.out == nil {
		fmt.Fprintln(p.plain, line)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.erase()
	fmt.Fprintln(p.out, line)
	p.draw()
}

// stop erases the line and ends the redrawing.
func (p *progress) stop() {
	if p.out == nil {
		return
	}
	close(p.stopc)
	<-p.done
	p.clear()
}

// draw writes the line over the previous one. Callers hold mu.
func (p *progress) draw() {
	if p.text == "" {
		p.erase()
		return
	}
	line := spinnerFrames[p.frame%len(spinnerFrames)] + " "
	if ran := p.ranText(); ran != "" {
		line += ran + " · "
	}
	line += p.text
	if !p.until.IsZero() {
		left := max(time.Until(p.until), 0)
		line += fmt.Sprintf(" in %d s", int((left+time.Second-1)/time.Second))
	} else if d := time.Since(p.since); d >= time.Second {
		line += fmt.Sprintf(" · %d s", int(d/time.Second))
	}
	width := 80
	if w, _, err := term.GetSize(p.out.Fd()); err == nil && w > 1 {
		width = w
	}
	// One row only: a wrapped line could not be erased with one \r.
	line = ansi.Truncate(line, width-1, "…")
	io.WriteString(p.out, "\r\x1b[K"+line)
	p.shown = true
}

// erase clears the line if one is shown. Callers hold mu.
func (p *progress) erase() {
	if p.shown {
		io.WriteString(p.out, "\r\x1b[K")
		p.shown = false
	}
}

// lines is a writer whose lines print like println's, above the status
// line, for code that reports on an io.Writer (the tools' start-up).
func (p *progress) lines() io.Writer { return progressLines{p} }

type progressLines struct{ p *progress }

func (w progressLines) Write(b []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		w.p.println(line)
	}
	return len(b), nil
}
