package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"time"
)

// owner identifies the process streaming a reply. The pid alone is not
// enough (pids are reused), so it carries the process's start time where
// the OS tells it; the token tells apart two Stores in one process.
type owner struct {
	host  string
	pid   int
	start string
	token string
}

func currentOwner() owner {
	host, _ := os.Hostname()
	pid := os.Getpid()
	start, _, _ := procInfo(pid)
	return owner{host: host, pid: pid, start: start, token: randomHex(8)}
}

// staleAfter is how long a reply must have gone without a write before it
// is reclaimed when its owner's liveness cannot be checked (another host,
// an OS without a process table Parley can read).
const staleAfter = 10 * time.Minute

// alive reports whether the process that stamped a streaming reply may
// still be writing it.
func (o owner) alive(other owner, lastWrite time.Time) bool {
	if other.host != o.host || other.pid <= 0 {
		return time.Since(lastWrite) < staleAfter
	}
	if other.pid == o.pid && other.start == o.start {
		return true // this process
	}
	start, dead, known := procInfo(other.pid)
	if !known {
		exists, ok := processExists(other.pid)
		if !ok {
			return time.Since(lastWrite) < staleAfter
		}
		return exists
	}
	if dead {
		return false
	}
	// A live process with another start time took over a dead one's pid.
	return other.start == "" || start == "" || start == other.start
}

// ReclaimInterrupted marks replies left streaming by processes that are
// gone as interrupted, keeping the text that had arrived, and returns how
// many it marked. Open calls it; a long-running process may call it again to
// notice another's crash. A live process's reply is never touched.
func (s *Store) ReclaimInterrupted(ctx context.Context) (int, error) {
	n := 0
	err := s.write(ctx, func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT id, owner_host, owner_pid, owner_start, updated_at
			FROM messages WHERE status = 'streaming'`)
		if err != nil {
			return err
		}
		var dead []int64
		for rows.Next() {
			var id, updated int64
			var o owner
			if err := rows.Scan(&id, &o.host, &o.pid, &o.start, &updated); err != nil {
				rows.Close()
				return err
			}
			if !s.owner.alive(o, fromNano(updated)) {
				dead = append(dead, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, id := range dead {
			ok, err := settle(ctx, tx, id, StatusInterrupted)
			if err != nil {
				return err
			}
			if ok {
				n++
			}
		}
		return nil
	})
	return n, err
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand since Go 1.24)
	return hex.EncodeToString(b)
}

// parseProcStat reads the state and start time (field 22, clock ticks
// since boot) from a Linux /proc/PID/stat line. The command name, field 2,
// may hold spaces and parentheses, so fields are counted from its last ')'.
func parseProcStat(line string) (start string, zombie, ok bool) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return "", false, false
	}
	f := strings.Fields(line[i+1:])
	// f[0] is field 3 (state); field 22 is f[19].
	if len(f) < 20 {
		return "", false, false
	}
	if _, err := strconv.ParseUint(f[19], 10, 64); err != nil {
		return "", false, false
	}
	return f[19], f[0] == "Z" || f[0] == "X", true
}
