package history

import (
	"bufio"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestPathFollowsXDG(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	cases := []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"XDG_STATE_HOME": "/s", "HOME": "/h"}, "/s/parley/history.jsonl"},
		{map[string]string{"XDG_STATE_HOME": "rel", "HOME": "/h"}, "/h/.local/state/parley/history.jsonl"},
		{map[string]string{"HOME": "/h"}, "/h/.local/state/parley/history.jsonl"},
	}
	for _, c := range cases {
		if got, err := Path(env(c.env)); err != nil || got != c.want {
			t.Errorf("Path(%v) = %q, %v; want %q", c.env, got, err, c.want)
		}
	}
	if _, err := Path(env(nil)); err == nil {
		t.Error("Path with neither XDG_STATE_HOME nor HOME should say so")
	}
}

func TestFileRoundTripKeepsChipsPrivately(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "parley", "history.jsonl")
	f := Open(path, Limits{})
	if got, err := f.Load(); err != nil || len(got) != 0 {
		t.Fatalf("a missing file should load as empty, got %v, %v", got, err)
	}
	long := strings.Repeat("line with \"quotes\" and \x1b escapes\n", 2000)
	want := []Entry{textEntry("first"), pasteEntry("look at this: ", "paste #1: 2,000 lines, 68.4 KB", long)}
	if err := f.Append(want[0]); err != nil {
		t.Fatal(err)
	}
	if err := f.Append(want[1]); err != nil {
		t.Fatal(err)
	}
	got, err := Open(path, Limits{}).Load()
	if err != nil || len(got) != 2 || !got[0].Equal(want[0]) || !got[1].Equal(want[1]) {
		t.Fatalf("Load = %d entries, %v; want the two appended, chips intact", len(got), err)
	}
	if st, _ := os.Stat(path); st.Mode().Perm() != 0o600 {
		t.Errorf("file mode %v, want 0600", st.Mode().Perm())
	}
	if st, _ := os.Stat(filepath.Dir(path)); st.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v, want 0700", st.Mode().Perm())
	}
}

func TestFileAppendStaysWithinLimits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	f := Open(path, Limits{Entries: 5, Bytes: 1000})
	for i := range 50 {
		if err := f.Append(textEntry(fmt.Sprintf("prompt %d %s", i, strings.Repeat("x", 100)))); err != nil {
			t.Fatal(err)
		}
	}
	got, err := f.Load()
	if err != nil || len(got) != 5 || !strings.HasPrefix(got[4].Text(), "prompt 49 ") {
		t.Fatalf("Load = %d entries (%v), want the newest 5", len(got), err)
	}
	if st, _ := os.Stat(path); st.Size() > 2000 {
		t.Errorf("file is %d bytes for 5 entries of ~110 B", st.Size())
	}
}

func TestFileDamagedLinesAreSkippedThenDropped(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	data := `{"parley_history":1}
{"parts":[{"text":"good one"}]}
{"parts":[{"text":"cut off
{"parts":[{"text":"x","chip":{"kind":"paste","label":"l"}}]}
{"parts":[]}
{"parts":[{"text":"good two"}]}
`
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	f := Open(path, Limits{})
	got, err := f.Load()
	if !errors.Is(err, ErrDamaged) || !strings.Contains(err.Error(), "3 damaged") {
		t.Fatalf("err = %v, want 3 damaged lines reported", err)
	}
	if len(got) != 2 || got[0].Text() != "good one" || got[1].Text() != "good two" {
		t.Fatalf("Load kept %v, want the two good entries", got)
	}
	if err := f.Append(textEntry("three")); err != nil {
		t.Fatal(err)
	}
	if got, err := f.Load(); err != nil || len(got) != 3 {
		t.Fatalf("after Append: %d entries, %v; want 3 and no damage", len(got), err)
	}
}

func TestFileFromANewerParleyIsLeftAlone(t *testing.T) {
	path := filepath.Join(t.TempDir(), "history.jsonl")
	data := "{\"parley_history\":2}\n{\"v2\":true}\n"
	os.WriteFile(path, []byte(data), 0o600)
	f := Open(path, Limits{})
	if _, err := f.Load(); err == nil || !strings.Contains(err.Error(), "newer Parley") {
		t.Fatalf("Load err = %v, want a newer-format error", err)
	}
	if err := f.Append(textEntry("x")); err == nil {
		t.Fatal("Append over a newer format should fail")
	}
	if b, _ := os.ReadFile(path); string(b) != data {
		t.Fatalf("the newer file was changed: %q", b)
	}
}

func TestFileFailedWriteLeavesOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "history.jsonl")
	f := Open(path, Limits{})
	if err := f.Append(textEntry("kept")); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		t.Skip("root ignores directory permissions; TestCrashMidWriteNeverCorrupts covers a write cut short")
	}
	os.Chmod(dir, 0o500) // no new files: the temporary file cannot be made
	defer os.Chmod(dir, 0o700)
	if err := f.Append(textEntry("lost")); err == nil {
		t.Fatal("Append into a read-only directory should fail")
	}
	if got, err := f.Load(); err != nil || len(got) != 1 || got[0].Text() != "kept" {
		t.Fatalf("after a failed write: %v, %v; want the old entry", got, err)
	}
}

// crashPayload is entry n's chip text, long enough that a write takes a
// while, so kills land inside one.
func crashPayload(n int) string {
	return strings.Repeat(strconv.Itoa(n)+" lorem ipsum dolor sit amet\n", 2000+n%7*500)
}

// TestCrashWriter is the child of TestCrashMidWriteNeverCorrupts: it
// appends entries until it is killed.
func TestCrashWriter(t *testing.T) {
	path := os.Getenv("PARLEY_HISTORY_CRASH_PATH")
	if path == "" {
		t.Skip("run by TestCrashMidWriteNeverCorrupts")
	}
	f := Open(path, Limits{Entries: 40, Bytes: 16 << 20})
	start, _ := f.Load()
	n := len(start)
	if n > 0 {
		n, _ = strconv.Atoi(strings.TrimPrefix(start[len(start)-1].Parts[0].Text, "entry "))
	}
	fmt.Println("writing")
	for {
		n++
		if err := f.Append(pasteEntry("entry "+strconv.Itoa(n), "paste", crashPayload(n))); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCrashMidWriteNeverCorrupts kills a process that appends to the
// history at random moments, again and again, and checks after each kill
// that the file loads whole: every entry intact, in order, nothing damaged.
func TestCrashMidWriteNeverCorrupts(t *testing.T) {
	if testing.Short() {
		t.Skip("spawns processes")
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "history.jsonl")
	midWrite, kept := 0, 0
	const rounds = 15
	for round := range rounds {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashWriter$")
		cmd.Env = append(os.Environ(), "PARLEY_HISTORY_CRASH_PATH="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill at a random moment once the child writes; every other
		// round, as soon as its temporary file appears, so that many
		// kills land inside a write whatever the timing of this machine.
		if _, err := bufio.NewReader(out).ReadString('\n'); err != nil {
			t.Fatal(err)
		}
		if round%2 == 1 {
			if !waitForWrite(dir) {
				t.Fatalf("round %d: the writer wrote nothing in 3 s", round)
			}
			time.Sleep(time.Duration(rand.IntN(2000)) * time.Microsecond)
		} else {
			time.Sleep(time.Duration(rand.IntN(80)) * time.Millisecond)
		}
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()

		if temps, _ := filepath.Glob(filepath.Join(dir, ".history-*.tmp")); len(temps) > 0 {
			midWrite++
			for _, tmp := range temps {
				os.Remove(tmp) // as removeStaleTemps would, an hour later
			}
		}
		got, err := Open(path, Limits{Entries: 40, Bytes: 16 << 20}).Load()
		if err != nil {
			t.Fatalf("round %d: Load after a kill: %v", round, err)
		}
		last := 0
		for _, e := range got {
			n, err := strconv.Atoi(strings.TrimPrefix(e.Parts[0].Text, "entry "))
			if err != nil || n <= last || len(e.Parts) != 2 || e.Parts[1].Chip.Text != crashPayload(n) {
				t.Fatalf("round %d: entry %q is not whole or out of order", round, e.Parts[0].Text)
			}
			last = n
		}
		if len(got) < kept {
			t.Fatalf("round %d: %d entries after a kill, %d before: the kill lost some", round, len(got), kept)
		}
		kept = len(got)
	}
	if midWrite == 0 {
		t.Fatalf("no kill in %d rounds left a write unfinished; the test proved nothing", rounds)
	}
	t.Logf("%d of %d kills left a temporary file behind", midWrite, rounds)
}

// waitForWrite returns once a file in dir appears or changes size, which
// is the writer writing, whatever way it writes; false after 3 s.
func waitForWrite(dir string) bool {
	sizes := func() map[string]int64 {
		m := map[string]int64{}
		entries, _ := os.ReadDir(dir)
		for _, de := range entries {
			if info, err := de.Info(); err == nil {
				m[de.Name()] = info.Size()
			}
		}
		return m
	}
	before := sizes()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); {
		now := sizes()
		for name, n := range now {
			if old, ok := before[name]; !ok || old != n {
				return true
			}
		}
		before = now
		time.Sleep(50 * time.Microsecond)
	}
	return false
}

func FuzzParse(f *testing.F) {
	f.Add([]byte("{\"parley_history\":1}\n{\"parts\":[{\"text\":\"hi\"}]}\n"))
	f.Add([]byte("{\"parts\":[{\"chip\":{\"kind\":\"paste\",\"label\":\"l\",\"text\":\"t\"}}]}"))
	f.Add([]byte("\n\n{\"parts\":null}\n{"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file := Open("fuzz", Limits{Entries: 5, Bytes: 1 << 10})
		got, _ := file.parse(data, false)
		size := 0
		for _, e := range got {
			if !valid(e) || e.Blank() {
				t.Fatalf("parse returned an invalid entry %+v", e)
			}
			size += e.Size()
		}
		if len(got) > 5 || size > 1<<10 {
			t.Fatalf("parse returned %d entries, %d bytes: over the limits", len(got), size)
		}
	})
}
