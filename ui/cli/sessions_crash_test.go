package cli

// Crash safety: the real parley binary writes sessions through the chat's
// store.Writer (`parley sessions churn`) and is killed with SIGKILL at
// random moments; the database must open, pass PRAGMA integrity_check, and
// hold every turn the process had committed, with the reply it was
// streaming marked interrupted.

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
)

// parleyBinary builds the real binary into the test's temporary directory
// (the build cache makes the second build a link).
func parleyBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and kills the real binary")
	}
	bin := filepath.Join(t.TempDir(), "parley")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/parley-tui/parley").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// churnProc is a running `parley sessions churn`.
type churnProc struct {
	cmd    *exec.Cmd
	stderr strings.Builder
	lines  chan string   // stdout, line by line
	done   chan struct{} // stdout closed
	mu     sync.Mutex
	all    []string
}

func startChurn(t *testing.T, bin, db string, args ...string) *churnProc {
	t.Helper()
	p := &churnProc{lines: make(chan string, 1024), done: make(chan struct{})}
	p.cmd = exec.Command(bin, append([]string{"sessions", "churn", "--db", db}, args...)...)
	p.cmd.Stderr = &p.stderr
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.mu.Lock()
			p.all = append(p.all, sc.Text())
			p.mu.Unlock()
			select {
			case p.lines <- sc.Text():
			default:
			}
		}
	}()
	return p
}

// waitFor waits for a stdout line with the given prefix.
func (p *churnProc) waitFor(t *testing.T, prefix string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case l := <-p.lines:
			if strings.HasPrefix(l, prefix) {
				return
			}
		case <-p.done:
			t.Fatalf("churn exited before printing %q: %s", prefix, p.stderr.String())
		case <-timeout:
			t.Fatalf("no %q from churn", prefix)
		}
	}
}

// kill sends SIGKILL and reaps the process (a zombie still counts as
// alive to kill(pid, 0)).
func (p *churnProc) kill() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
	<-p.done
}

func (p *churnProc) wait(t *testing.T) {
	t.Helper()
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("churn: %v\n%s", err, p.stderr.String())
	}
	<-p.done
}

// committed adds the turns the process reported as committed ("TAG N").
func (p *churnProc) committed(into map[string]bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, l := range p.all {
		if k, ok := strings.CutPrefix(l, "committed "); ok {
			into[k] = true
		}
	}
}

type churnCounts struct{ completed, cancelled, interrupted int }

// verifyChurn opens the database as the next Parley would and checks every
// message against the text churn writes for its prompt.
func verifyChurn(t *testing.T, db string, committed map[string]bool, cancelEvery int) churnCounts {
	t.Helper()
	st, err := store.Open(db)
	if err != nil {
		t.Fatalf("reopening after the kill: %v", err)
	}
	defer st.Close()
	ctx := context.Background()
	if err := st.IntegrityCheck(ctx); err != nil {
		t.Fatal(err)
	}
	list, err := st.ListSessions(ctx, store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var c churnCounts
	seen := map[string]store.Status{}
	for _, s := range list {
		_, msgs, err := st.LoadSession(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(msgs) != s.Messages {
			t.Errorf("session %s: %d messages, counted %d", s.ID, len(msgs), s.Messages)
		}
		var prompt string
		for _, m := range msgs {
			if m.Role == model.RoleUser {
				if m.Status != store.StatusCompleted {
					t.Errorf("prompt %d: %s", m.ID, m.Status)
				}
				prompt = m.Text
				continue
			}
			tag, n, deltas, ok := parseChurnPrompt(prompt)
			if !ok {
				t.Errorf("reply %d follows %q", m.ID, prompt)
				continue
			}
			key := fmt.Sprintf("%s %d", tag, n)
			seen[key] = m.Status
			full := churnText(tag, n, deltas)
			switch m.Status {
			case store.StatusCompleted:
				c.completed++
				if m.Text != full || m.TurnStatus != stream.StatusCompleted || len(m.Items) != 1 ||
					m.Usage == nil || m.Usage.Output != deltas || len(m.ToolCalls) != 1 ||
					m.ToolCalls[0].Arguments != churnArgs(n) ||
					!slices.Equal(m.Reasoning, []string{churnDelta(tag, n, 0) + churnDelta(tag, n, 1) + churnDelta(tag, n, 2)}) {
					t.Errorf("completed reply %s is not intact: %+v", key, m)
				}
			case store.StatusCancelled:
				c.cancelled++
				if n%cancelEvery != cancelEvery-1 || m.Text == "" || len(m.Text) >= len(full) || !strings.HasPrefix(full, m.Text) {
					t.Errorf("cancelled reply %s: %q", key, m.Text)
				}
			case store.StatusInterrupted:
				c.interrupted++
				if !strings.HasPrefix(full, m.Text) || m.Text == "" {
					t.Errorf("interrupted reply %s holds %q, not a prefix of its reply", key, m.Text)
				}
			default:
				t.Errorf("reply %s is %s after its writer died", key, m.Status)
			}
		}
	}
	for key := range committed {
		var n int
		fmt.Sscanf(key[strings.IndexByte(key, ' ')+1:], "%d", &n)
		want := store.StatusCompleted
		if n%cancelEvery == cancelEvery-1 {
			want = store.StatusCancelled
		}
		if seen[key] != want {
			t.Errorf("turn %s was committed, but is %q", key, seen[key])
		}
	}
	return c
}

func TestSessionsSurviveKill9(t *testing.T) {
	bin := parleyBinary(t)
	db := filepath.Join(t.TempDir(), "parley.db")
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 0))
	const kills = 24
	committed := map[string]bool{}
	var total churnCounts
	start := time.Now()
	for k := range kills {
		// Half the runs store every delta, so a kill mostly lands inside a
		// write transaction; the others coalesce as the chat does.
		interval := "2ms"
		if k%2 == 0 {
			interval = "0s"
		}
		p := startChurn(t, bin, db, "--tag", fmt.Sprintf("k%d", k), "--deltas", "60", "--delay", "200us",
			"--interval", interval, "--per-session", "3", "--cancel-every", "3")
		if k%6 == 0 {
			// Anywhere, even while the database is being opened or migrated.
			time.Sleep(time.Duration(rng.IntN(40)) * time.Millisecond)
		} else {
			p.waitFor(t, "ready")
			time.Sleep(time.Duration(5+rng.IntN(250)) * time.Millisecond)
		}
		p.kill()
		p.committed(committed)
		total = verifyChurn(t, db, committed, 3)
		if t.Failed() {
			t.Fatalf("after kill %d", k+1)
		}
	}
	t.Logf("%d kills in %v: %d replies completed, %d cancelled, %d interrupted; %d turns reported committed",
		kills, time.Since(start).Round(time.Millisecond), total.completed, total.cancelled, total.interrupted, len(committed))
	if total.completed < kills/3 || total.interrupted < kills/3 || total.cancelled == 0 {
		t.Errorf("the kills did not land mid-stream often enough to prove anything: %+v", total)
	}
}

// TestSessionsTwoProcesses runs two parley processes writing to one
// database at once; while they run, a third opens it (and so looks for
// interrupted replies) and one of the first two is killed.
func TestSessionsTwoProcesses(t *testing.T) {
	bin := parleyBinary(t)
	db := filepath.Join(t.TempDir(), "parley.db")
	committed := map[string]bool{}
	common := []string{"--deltas", "40", "--delay", "1ms", "--interval", "5ms", "--per-session", "4"}

	a := startChurn(t, bin, db, append([]string{"--tag", "A", "--turns", "12"}, common...)...)
	a.waitFor(t, "streaming A 0")
	b := startChurn(t, bin, db, append([]string{"--tag", "B", "--turns", "12"}, common...)...)
	b.waitFor(t, "streaming B 1")
	// C opens the database while A and B stream: it must not take their
	// replies for interrupted (if it did, their next write would fail and
	// they would exit 1).
	c := startChurn(t, bin, db, append([]string{"--tag", "C", "--turns", "1"}, common...)...)
	c.wait(t)
	a.wait(t)
	b.wait(t)
	for _, p := range []*churnProc{a, b, c} {
		p.committed(committed)
	}
	got := verifyChurn(t, db, committed, 5)
	if got.completed+got.cancelled != 25 || got.interrupted != 0 {
		t.Errorf("after three clean runs: %+v", got)
	}

	// D, a slow reply, is killed mid-stream while E goes on writing.
	d := startChurn(t, bin, db, "--tag", "D", "--deltas", "40", "--delay", "50ms", "--interval", "5ms")
	e := startChurn(t, bin, db, append([]string{"--tag", "E", "--turns", "10"}, common...)...)
	d.waitFor(t, "streaming D 0")
	e.waitFor(t, "streaming E 1")
	d.kill()
	f := startChurn(t, bin, db, append([]string{"--tag", "F", "--turns", "1"}, common...)...) // reclaims D's reply, not E's
	f.wait(t)
	e.wait(t)
	for _, p := range []*churnProc{d, e, f} {
		p.committed(committed)
	}
	got = verifyChurn(t, db, committed, 5)
	if got.interrupted != 1 {
		t.Errorf("after killing D: %+v", got)
	}
}
