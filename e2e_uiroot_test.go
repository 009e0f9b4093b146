package main

// End-to-end tests of what the chat screen integrates: files attached with
// -f in the chat, against `parley mock-server`, whose request log says
// what it received.

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestE2EChatAttachesFileFlag: `parley -f notes.txt` shows the file as a
// chip in the input; the first prompt carries it fenced under its path,
// the answer names it, the transcript lists it under the prompt, and the
// chip is gone once sent.
func TestE2EChatAttachesFileFlag(t *testing.T) {
	bin := parleyBinary(t)
	dir, _ := attachFixtures(t)
	log := filepath.Join(t.TempDir(), "requests.jsonl")
	url := startMockServer(t, bin, "--instant", "--request-log", log)
	cmd := exec.Command(bin, "-f", "notes.txt", "--model", "parley-mock-1", "--no-save")
	cmd.Dir = dir
	tm := startParleyCmd(t, cmd, []string{"OPENAI_API_KEY=mock", "OPENAI_BASE_URL=" + url})
	tm.waitFor("│ [notes.txt · text · 23 B · ~")
	tm.send("what is in it?\r")
	s := tm.waitFor("I received 1 attachment", "notes.txt", "● done")
	if strings.Count(s, "📎 notes.txt") != 1 || strings.Contains(s, "[notes.txt") {
		t.Errorf("the chip is still in the input, or the prompt lists the file twice:\n%s", s)
	}
	reqs := loggedRequests(t, log)
	if len(reqs) != 1 {
		t.Fatalf("the mock logged %d requests", len(reqs))
	}
	want := "what is in it?\n\nFile: notes.txt\n```\n" + e2eNotes + "```\n"
	if got, _ := lastUserContent(t, reqs[0]).(string); got != want {
		t.Fatalf("the prompt sent was %q, want %q", got, want)
	}
	tm.quit()
}

// TestE2EContinueResendsAttachments: a session whose first prompt had a
// file goes on, reopened with --continue in the chat, sending the file
// again; and so does -p --continue.
func TestE2EContinueResendsAttachments(t *testing.T) {
	bin := parleyBinary(t)
	dir, _ := attachFixtures(t)
	log := filepath.Join(t.TempDir(), "requests.jsonl")
	url := startMockServer(t, bin, "--instant", "--request-log", log)
	db := filepath.Join(t.TempDir(), "p.db")
	env := []string{"OPENAI_API_KEY=mock", "OPENAI_BASE_URL=" + url}
	cmd := exec.Command(bin, "-f", "notes.txt", "--model", "parley-mock-1", "--db", db)
	cmd.Dir = dir
	tm := startParleyCmd(t, cmd, env)
	tm.waitFor("[notes.txt · text")
	tm.send("what is in it?\r")
	tm.waitFor("I received 1 attachment", "● done")
	tm.quit()

	tm = startParley(t, bin, env, "--continue", "--model", "parley-mock-1", "--db", db)
	tm.waitFor("what is in it?", "📎 notes.txt")
	tm.send("and again?\r")
	tm.waitFor("Σ in", "● done") // the second turn ended
	tm.quit()
	code, _, stderr, _ := runParley(t, bin, run{dir: dir, env: env}, "-p", "once more", "--continue", "--db", db)
	if code != 0 {
		t.Fatalf("-p --continue: exit %d, stderr %q", code, stderr)
	}
	reqs := loggedRequests(t, log)
	if len(reqs) != 3 {
		t.Fatalf("the mock logged %d requests", len(reqs))
	}
	for i, req := range reqs[1:] {
		body, _ := req["body"].(map[string]any)
		input, _ := body["input"].([]any)
		first, _ := input[0].(map[string]any)
		if c, _ := first["content"].(string); !strings.Contains(c, "File: notes.txt\n```\n"+e2eNotes) {
			t.Errorf("request %d does not send the file again: %.300v", i+2, first)
		}
	}
}
