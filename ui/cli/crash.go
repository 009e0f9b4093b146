package cli

import (
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime/debug"
	"sync"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/logging"
)

// crashError is a panic caught while a command ran: ExecuteContext writes
// its trace to the log and one line to stderr, and exits exitCrash.
type crashError struct {
	value any
	trace []byte // nil: it was printed to stderr already (by Bubble Tea)
}

func (c crashError) Error() string { return fmt.Sprint("panic: ", c.value) }

func stackTrace() []byte { return debug.Stack() }

// reportCrash writes a panic's trace to the log, opened afresh (the
// command's own log may be closed by now), and one line to stderr; the
// trace goes to stderr only when the log cannot take it, so it is never
// lost.
func reportCrash(stderr io.Writer, value any, trace []byte) int {
	where := "the log"
	logger, closer, err := logging.Open(os.Getenv, false)
	if err == nil {
		logger.Error("panic", "value", fmt.Sprint(value), "trace", string(trace))
		closer.Close()
		if p, err := logging.Path(os.Getenv); err == nil {
			where = p
		}
	}
	fmt.Fprintf(stderr, "parley: Parley crashed, which is a bug: %s; the trace is in %s, please report it\n",
		serverText(fmt.Sprint(value)), where)
	if err != nil && trace != nil {
		fmt.Fprintf(stderr, "parley: the log cannot be written (%v), so here is the trace:\n%s", err, trace)
	}
	return exitCrash
}

// crashGuard wraps the chat's model so that a panic in Init, Update, View
// or a command it returns is caught before Bubble Tea's own handler, which
// would print the whole trace over the terminal: the guard keeps the
// value and trace, and quits the program, which restores the terminal.
// Bubble Tea's handler stays as the net for panics in its own code.
type crashGuard struct {
	inner tea.Model
	rec   *crashRecord // shared: Bubble Tea copies the model value
}

// crashRecord is the first panic caught, and how to end the program from
// View, which cannot return a command.
type crashRecord struct {
	mu     sync.Mutex
	value  any
	trace  []byte
	quit   func()
	inject string // PARLEY_TEST_PANIC, see injectPanic
	armed  bool   // a key was pressed: View panics (inject "view")
}

func newCrashGuard(m tea.Model, inject string) crashGuard {
	return crashGuard{inner: m, rec: &crashRecord{inject: inject}}
}

// caught returns the panic the guard caught, if any.
func (g crashGuard) caught() (crashError, bool) {
	g.rec.mu.Lock()
	defer g.rec.mu.Unlock()
	return crashError{value: g.rec.value, trace: g.rec.trace}, g.rec.value != nil
}

func (g crashGuard) crashed() bool {
	_, ok := g.caught()
	return ok
}

// keep records a recovered panic; only the first counts. A panic carried
// from another goroutine (ui/chat's GoroutinePanic) keeps that
// goroutine's stack.
func (g crashGuard) keep(r any) {
	trace := debug.Stack()
	if c, ok := r.(interface{ Trace() []byte }); ok {
		trace = c.Trace()
	}
	g.rec.mu.Lock()
	defer g.rec.mu.Unlock()
	if g.rec.value == nil {
		g.rec.value, g.rec.trace = r, trace
	}
}

// crashMsg reports a panic in a command, caught on its goroutine.
type crashMsg struct{}

func (g crashGuard) Init() (cmd tea.Cmd) {
	defer func() {
		if r := recover(); r != nil {
			g.keep(r)
			cmd = tea.Quit
		}
	}()
	return g.wrap(g.inner.Init())
}

func (g crashGuard) Update(msg tea.Msg) (m tea.Model, cmd tea.Cmd) {
	if _, ok := msg.(crashMsg); ok || g.crashed() {
		return g, tea.Quit
	}
	defer func() {
		if r := recover(); r != nil {
			g.keep(r)
			m, cmd = g, tea.Quit
		}
	}()
	if c := g.injectPanic(msg); c != nil {
		return g, g.wrap(c)
	}
	inner, c := g.inner.Update(msg)
	g.inner = inner
	return g, g.wrap(c)
}

func (g crashGuard) View() (v tea.View) {
	if g.crashed() {
		return tea.NewView("")
	}
	defer func() {
		if r := recover(); r != nil {
			g.keep(r)
			if q := g.rec.quit; q != nil {
				go q() // View runs on the event loop: Quit would wait on it
			}
			v = tea.NewView("")
		}
	}()
	g.rec.mu.Lock()
	armed := g.rec.armed
	g.rec.mu.Unlock()
	if armed {
		panic("injected panic in View (PARLEY_TEST_PANIC=view)")
	}
	return g.inner.View()
}

// wrap makes a command report a panic as crashMsg instead of crashing.
// Batches and sequences are slices of commands that Bubble Tea runs
// itself, each on its own goroutine, so their commands are wrapped too.
func (g crashGuard) wrap(c tea.Cmd) tea.Cmd {
	if c == nil {
		return nil
	}
	return func() (msg tea.Msg) {
		defer func() {
			if r := recover(); r != nil {
				g.keep(r)
				msg = crashMsg{}
			}
		}()
		return g.wrapMsg(c())
	}
}

var cmdType = reflect.TypeFor[tea.Cmd]()

// wrapMsg wraps the commands of a tea.BatchMsg, or of any message that is
// a slice of commands (tea.Sequence's type is not exported).
func (g crashGuard) wrapMsg(msg tea.Msg) tea.Msg {
	v := reflect.ValueOf(msg)
	if !v.IsValid() || v.Kind() != reflect.Slice || v.Type().Elem() != cmdType {
		return msg
	}
	out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
	for i := range v.Len() {
		c, _ := v.Index(i).Interface().(tea.Cmd)
		out.Index(i).Set(reflect.ValueOf(g.wrap(c)))
	}
	return out.Interface()
}

// injectPanic makes the first key press panic, when PARLEY_TEST_PANIC
// asks: "update" in Update, "cmd" in the command Update returns, "view"
// in the next View. The end-to-end test uses it to crash the real binary;
// it is not documented for users.
func (g crashGuard) injectPanic(msg tea.Msg) tea.Cmd {
	if _, ok := msg.(tea.KeyPressMsg); !ok || g.rec.inject == "" {
		return nil
	}
	switch g.rec.inject {
	case "update":
		panic("injected panic in Update (PARLEY_TEST_PANIC=update)")
	case "cmd":
		return func() tea.Msg { panic("injected panic in a command (PARLEY_TEST_PANIC=cmd)") }
	case "view":
		g.rec.mu.Lock()
		g.rec.armed = true
		g.rec.mu.Unlock()
	}
	return nil
}
