package store

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"testing"
	"time"
)

// streamingAs stores a streaming reply stamped with the owner o.
func streamingAs(t *testing.T, st *Store, sessionID string, o owner, updated time.Time) int64 {
	t.Helper()
	id, err := st.BeginAssistantMessage(context.Background(), sessionID, StoredMessage{Text: "partial"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.w.Exec(`UPDATE messages SET owner_host = ?, owner_pid = ?, owner_start = ?, updated_at = ? WHERE id = ?`,
		o.host, o.pid, o.start, updated.UnixNano(), id); err != nil {
		t.Fatal(err)
	}
	return id
}

// deadPid returns the pid of a process that has exited and been reaped.
func deadPid(t *testing.T) int {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	if err := cmd.Run(); err != nil {
		t.Fatal(err)
	}
	return cmd.Process.Pid
}

func TestReclaimOnlyDeadOwners(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "owners")
	me := st.owner
	now := time.Now()

	other := me
	other.token = "another store in this process"
	alive := streamingAs(t, st, s.ID, other, now.Add(-time.Hour))
	dead := streamingAs(t, st, s.ID, owner{host: me.host, pid: deadPid(t), start: "1"}, now)
	remoteFresh := streamingAs(t, st, s.ID, owner{host: "other-host", pid: 1}, now)
	remoteStale := streamingAs(t, st, s.ID, owner{host: "other-host", pid: 1}, now.Add(-staleAfter-time.Minute))
	var reused int64
	if runtime.GOOS == "linux" || runtime.GOOS == "darwin" {
		// A live process (this one) under a start time that is not its own:
		// the pid was reused, the owner is gone.
		reused = streamingAs(t, st, s.ID, owner{host: me.host, pid: me.pid, start: "12345"}, now)
	}

	n, err := st.ReclaimInterrupted(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]Status{alive: StatusStreaming, dead: StatusInterrupted, remoteFresh: StatusStreaming,
		remoteStale: StatusInterrupted}
	if reused != 0 {
		want[reused] = StatusInterrupted
	}
	reclaimed := 0
	for id, status := range want {
		m, _ := st.GetMessage(ctx, id)
		if m.Status != status {
			t.Errorf("message %d: %s, want %s", id, m.Status, status)
		}
		if m.Text != "partial" {
			t.Errorf("message %d lost its text: %q", id, m.Text)
		}
		if status == StatusInterrupted {
			reclaimed++
		}
	}
	if n != reclaimed {
		t.Errorf("ReclaimInterrupted = %d, want %d", n, reclaimed)
	}
}

func TestProcInfoOfThisProcess(t *testing.T) {
	if runtime.GOOS != "linux" && runtime.GOOS != "darwin" {
		t.Skip("no process table")
	}
	start, dead, known := procInfo(os.Getpid())
	if !known || dead || start == "" {
		t.Errorf("procInfo(self) = %q %v %v", start, dead, known)
	}
	if again, _, _ := procInfo(os.Getpid()); again != start {
		t.Errorf("start time changed: %q then %q", start, again)
	}
	if _, dead, known := procInfo(deadPid(t)); known && !dead {
		t.Error("a reaped process is alive")
	}
}

func TestParseProcStat(t *testing.T) {
	line := "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 5 3 0 0 20 0 1 0 987654 1000 100 18446744073709551615"
	if start, zombie, ok := parseProcStat(line); !ok || zombie || start != "987654" {
		t.Errorf("got %q %v %v", start, zombie, ok)
	}
	if _, zombie, ok := parseProcStat("1 (x) Z 1 1 1 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 55 0 0"); !ok || !zombie {
		t.Errorf("zombie: %v %v", zombie, ok)
	}
	if _, _, ok := parseProcStat("garbage"); ok {
		t.Error("garbage parsed")
	}
}
