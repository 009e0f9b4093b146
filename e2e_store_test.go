//go:build unix

package main

// End-to-end: a session database Parley can read but not write. Parley
// runs as a user the database is read-only to: as root, chmod does not stop
// a write, so the binary runs as nobody with the files left to root; as
// anyone else, it runs as that user with write permission taken away.

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/store"
)

const nobody = 65534

// readOnlyUser runs parley as a user for whom some files are read-only.
type readOnlyUser struct {
	t    *testing.T
	bin  string
	cred *syscall.Credential // nil: this user
	home string
	env  []string // an instant mock server
}

func newReadOnlyUser(t *testing.T) *readOnlyUser {
	t.Helper()
	u := &readOnlyUser{t: t, bin: parleyBinary(t), home: t.TempDir()}
	u.env = []string{"OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + startMockServer(t, u.bin, "--instant")}
	if os.Geteuid() != 0 {
		return u
	}
	u.cred = &syscall.Credential{Uid: nobody, Gid: nobody}
	reachable(filepath.Dir(u.bin))
	reachable(u.home)
	os.Chown(u.home, nobody, nobody)
	cmd := u.command("sessions", "--help")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Skipf("running as root, and parley cannot be run as user %d to make permissions mean something: %v %s", nobody, err, out)
	}
	return u
}

// reachable lets every user into dir and the directories above it up to
// the temporary directory (the test's own are private).
func reachable(dir string) {
	for d := dir; d != os.TempDir() && d != filepath.Dir(d); d = filepath.Dir(d) {
		os.Chmod(d, 0o755)
	}
}

func (u *readOnlyUser) command(args ...string) *exec.Cmd {
	cmd := exec.Command(u.bin, args...)
	cmd.Env = append([]string{"HOME=" + u.home, "PATH=" + os.Getenv("PATH"), "TERM=dumb"}, u.env...)
	if u.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred}
	}
	return cmd
}

// run runs parley to its end and returns its output.
func (u *readOnlyUser) run(args ...string) (stdout, stderr string, code int) {
	u.t.Helper()
	cmd := u.command(args...)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code = cmd.ProcessState.ExitCode()
	if err != nil && code < 0 {
		u.t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

// database makes a closed database with one session, in a directory the
// user can reach; lock takes write permission away from the user
// (fileOnly: from the file, its directory staying writable; else from the
// directory, the file staying writable).
func (u *readOnlyUser) database(fileOnly bool) (db, id string) {
	t := u.t
	t.Helper()
	dir := filepath.Join(t.TempDir(), "data")
	os.Mkdir(dir, 0o755)
	db = filepath.Join(dir, "parley.db")
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	s, _ := st.CreateSession(ctx, store.Session{Title: "Kept safe", Model: "parley-mock-1"})
	id = s.ID
	st.AppendUserMessage(ctx, s.ID, store.StoredMessage{Text: "how do goroutines talk", Sent: time.Now()})
	a, _ := st.BeginAssistantMessage(ctx, s.ID, store.StoredMessage{})
	st.FinishAssistantMessage(ctx, a, store.StoredMessage{Status: store.StatusCompleted, Text: "Through channels."})
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	reachable(dir)
	t.Cleanup(func() { os.Chmod(dir, 0o755) }) // so the test can remove it
	switch {
	case u.cred != nil && fileOnly: // the file stays root's; the directory is nobody's
		os.Chmod(db, 0o644)
		os.Chown(dir, nobody, nobody)
	case u.cred != nil: // the file is nobody's; the directory stays root's
		os.Chmod(db, 0o644)
		os.Chown(db, nobody, nobody)
	case fileOnly:
		os.Chmod(db, 0o444)
	default:
		os.Chmod(dir, 0o555)
	}
	return db, id
}

func dirEntries(t *testing.T, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}

// TestE2EReadOnlyDatabase: with the database file read-only, or its
// directory, `sessions list/show/search` serve it, and -p (new or
// continued) answers and says once, with the reason and the --no-save
// hint, that the session is not saved; nothing is written beside the
// database.
func TestE2EReadOnlyDatabase(t *testing.T) {
	u := newReadOnlyUser(t)
	for _, c := range []struct {
		name     string
		fileOnly bool
		reason   string
	}{
		{"file", true, "the file is read-only"},
		{"directory", false, "directory"},
	} {
		t.Run(c.name, func(t *testing.T) {
			u.t = t
			db, id := u.database(c.fileOnly)
			before := dirEntries(t, filepath.Dir(db))
			out, errOut, code := u.run("sessions", "list", "--db", db)
			if code != 0 || !strings.Contains(out, "Kept safe") {
				t.Errorf("list: exit %d\n%s%s", code, out, errOut)
			}
			out, errOut, code = u.run("sessions", "show", "Kept safe", "--db", db)
			if code != 0 || !strings.Contains(out, "Through channels.") {
				t.Errorf("show: exit %d\n%s%s", code, out, errOut)
			}
			out, errOut, code = u.run("sessions", "search", "gorout", "--db", db)
			if code != 0 || !strings.Contains(out, "[goroutines]") {
				t.Errorf("search: exit %d\n%s%s", code, out, errOut)
			}
			_, errOut, code = u.run("sessions", "rm", id, "--db", db)
			if code != 1 || !strings.Contains(errOut, "cannot write the session database") {
				t.Errorf("rm: exit %d %s", code, errOut)
			}
			for _, args := range [][]string{{"-p", "show me some markdown"}, {"-c", "-p", "more markdown please"}} {
				out, errOut, code = u.run(append(args, "--db", db)...)
				if code != 0 || strings.TrimSpace(out) == "" {
					t.Errorf("%v: exit %d, no answer\n%s%s", args, code, out, errOut)
				}
				if strings.Count(errOut, "not saved") != 1 || !strings.Contains(errOut, "--no-save") ||
					!strings.Contains(errOut, c.reason) {
					t.Errorf("%v: stderr should say once why the session is not saved:\n%s", args, errOut)
				}
			}
			if out, _, _ := u.run("sessions", "list", "--db", db); strings.Count(out, "\n") != 2 {
				t.Errorf("a session was written:\n%s", out)
			}
			if after := dirEntries(t, filepath.Dir(db)); !slices.Equal(before, after) {
				t.Errorf("files beside the database: before %v, after %v", before, after)
			}
		})
	}
}

// TestE2EReadOnlyChat: the chat on a read-only database says the session
// is not saved, answers, and lists and opens the stored sessions.
func TestE2EReadOnlyChat(t *testing.T) {
	u := newReadOnlyUser(t)
	db, _ := u.database(false)
	cmd := exec.Command(u.bin, "--db", db, "--model", "parley-mock-1")
	if u.cred != nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: u.cred}
	}
	tm := startParleyCmd(t, cmd, append([]string{"HOME=" + u.home}, u.env...))
	s := tm.waitFor("This session is not saved")
	if strings.Count(s, "not saved") != 1 {
		t.Errorf("said more than once:\n%s", s)
	}
	tm.send("think about it\r")
	tm.waitFor("Thought for", "● done")
	tm.send("\x13") // ctrl+s: the stored sessions
	tm.waitFor("Sessions", "Kept safe")
	tm.send("\r")
	tm.waitFor("Through channels.")
}

// mustRun runs parley to its end (runParley) and fails the test unless it
// exits 0.
func mustRun(t *testing.T, bin string, env []string, args ...string) {
	t.Helper()
	if code, out, errOut, _ := runParley(t, bin, run{env: env}, args...); code != 0 {
		t.Fatalf("parley %v: exit %d\n%s%s", args, code, out, errOut)
	}
}

// TestE2EKilledDuringApprovalThenContinued is the repro: the chat
// is killed (SIGKILL) while tool calls await approval, then `parley -c -p
// next` goes on. Its request carries an output for every call, "interrupted
// before it ran" (a real server refuses a call without one).
func TestE2EKilledDuringApprovalThenContinued(t *testing.T) {
	bin := parleyBinary(t)
	db := filepath.Join(t.TempDir(), "parley.db")
	tm := startParley(t, bin, nil, "--db", db) // the demo backend and its tools
	tm.waitFor("demo backend")
	tm.send("use the calculator tool please\r")
	tm.waitFor("Run calculator?")
	time.Sleep(300 * time.Millisecond) // the Writer stores within its interval
	tm.cmd.Process.Kill()
	<-tm.done

	srv, env := recordingServer(t)
	mustRun(t, bin, env, "-c", "-p", "next", "--db", db)
	calls, outputs := map[string]bool{}, map[string]string{}
	for _, it := range lastBody(t, srv)["input"].([]any) {
		item := it.(map[string]any)
		id, _ := item["call_id"].(string)
		switch item["type"] {
		case "function_call":
			calls[id] = true
		case "function_call_output":
			outputs[id], _ = item["output"].(string)
		}
	}
	if len(calls) == 0 {
		t.Fatalf("the continued request has no call: %s", srv.Requests()[len(srv.Requests())-1].Body)
	}
	for id := range calls {
		if outputs[id] != store.InterruptedOutput {
			t.Errorf("call %s sent with output %q", id, outputs[id])
		}
	}
}

// TestE2ESessionKeepsItsRole: a chat started with --role is continued by
// -p without it; the request still carries the role's instructions and the
// session's model.
func TestE2ESessionKeepsItsRole(t *testing.T) {
	bin := parleyBinary(t)
	srv, env := recordingServer(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config.toml")
	os.WriteFile(cfg, []byte("[roles.reviewer]\nprompt = \"You review code, tersely.\"\n"), 0o600)
	db := filepath.Join(dir, "parley.db")
	common := []string{"--config", cfg, "--db", db}
	tm := startParley(t, bin, env, append(common, "--role", "reviewer", "-m", "parley-mock-markdown")...)
	tm.waitFor("● ready")
	tm.send("show me some markdown\r")
	tm.waitFor("● done")
	tm.quit()

	mustRun(t, bin, env, append(common, "-c", "-p", "and a table")...)
	body := lastBody(t, srv)
	if body["instructions"] != "You review code, tersely." || body["model"] != "parley-mock-markdown" {
		t.Errorf("continued without --role or -m: instructions %q, model %q", body["instructions"], body["model"])
	}
}
