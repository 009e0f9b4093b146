package main

// End-to-end tests of the chat's input: a long prompt to edit, the prompt
// history across runs, and files attached with @, through the real binary
// in a pseudo-terminal against `parley mock-server`.

import (
	"encoding/base64"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestE2ELongPromptStaysTypeable is issue 18's repro: paste 2,000 lines,
// send, cancel (esc esc), then tab, g, e to edit that prompt, and type 50
// characters: every one arrives, in order, in the prompt sent again. (How
// fast a key is with such a draft is BenchmarkKeystroke's figure in
// ui/prompt, not this test's.)
func TestE2ELongPromptStaysTypeable(t *testing.T) {
	bin := parleyBinary(t)
	log := filepath.Join(t.TempDir(), "requests.jsonl")
	url := startMockServer(t, bin, "--request-log", log)
	tm := startParley(t, bin, []string{"OPENAI_API_KEY=mock", "OPENAI_BASE_URL=" + url}, "--model", "parley-mock-markdown", "--no-save")
	tm.waitFor("Ask anything")
	var b strings.Builder
	for i := range 2000 {
		b.WriteString("log line " + strconv.Itoa(i) + " of the pasted file\n")
	}
	long := b.String()
	tm.paste(long)
	tm.waitFor("│ [paste #1: 2,000 lines")
	tm.send("\r")
	tm.waitFor("● waiting")
	tm.send(keyEsc)
	tm.waitFor("again to cancel")
	tm.send(keyEsc)
	tm.waitFor("● cancelled")
	tm.send(keyTab)
	tm.waitFor("transcript:")
	tm.send("g")
	tm.send("e")
	tm.waitFor("Editing an earlier prompt", "│ [paste #1: 2,000 lines")
	const typed = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMN"
	tm.send(typed)
	tm.waitFor(typed + " ")
	tm.send("\r")
	tm.waitFor("● streaming")
	reqs := loggedRequests(t, log)
	if len(reqs) != 2 {
		t.Fatalf("the mock logged %d requests", len(reqs))
	}
	got, _ := lastUserContent(t, reqs[1]).(string)
	if got != long+typed {
		t.Fatalf("the edited prompt went as %d bytes ending %q, want the paste then %q", len(got), got[max(0, len(got)-80):], typed)
	}
}

// TestE2EHistoryAcrossRuns: a prompt sent in one run comes back with ↑
// in the next; with --no-save nothing is added.
func TestE2EHistoryAcrossRuns(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant")
	home := t.TempDir()
	env := []string{"OPENAI_API_KEY=mock", "OPENAI_BASE_URL=" + url, "HOME=" + home}
	tm := startParley(t, bin, env, "--model", "parley-mock-1", "--no-save")
	tm.waitFor("Ask anything")
	tm.send("not to be kept\r")
	tm.waitFor("● done")
	tm.quit()

	tm = startParley(t, bin, env, "--model", "parley-mock-1", "--db", filepath.Join(home, "p.db"))
	tm.waitFor("Ask anything")
	tm.send(keyUp)
	if s := tm.screen(); strings.Contains(s, "not to be kept") {
		t.Fatalf("a prompt sent with --no-save was kept:\n%s", s)
	}
	tm.send("remember this prompt\r")
	tm.waitFor("● done")
	tm.quit()

	tm = startParley(t, bin, env, "--model", "parley-mock-1", "--no-save")
	tm.waitFor("Ask anything")
	tm.send(keyUp)
	tm.waitFor("│ remember this prompt")
}

// TestE2EAttachWithAtInTheChat: @ opens the finder in the working
// directory; a text file and an image chosen there are chips, and the
// prompt goes with them: the mock receives the text fenced under its
// name and the image as a PNG data URL, and its answer names both.
func TestE2EAttachWithAtInTheChat(t *testing.T) {
	bin := parleyBinary(t)
	dir, pic := attachFixtures(t)
	log := filepath.Join(t.TempDir(), "requests.jsonl")
	url := startMockServer(t, bin, "--instant", "--request-log", log)
	cmd := exec.Command(bin, "--model", "parley-mock-1", "--no-save")
	cmd.Dir = dir
	tm := startParleyCmd(t, cmd, []string{"OPENAI_API_KEY=mock", "OPENAI_BASE_URL=" + url})
	tm.waitFor("Ask anything")
	tm.send("what are @")
	tm.waitFor("Attach a file", "notes.txt", "pic.png")
	tm.send("notes")
	tm.waitFor("▸ notes.txt")
	tm.send("\r")
	tm.waitFor("│ what are [notes.txt · text · 23 B · ~")
	tm.send("and @pic")
	tm.waitFor("▸ pic.png")
	tm.send("\r")
	s := tm.waitFor("[pic.png · image 3×2 · ", "draft ~")
	if strings.Contains(s, "Attach a file") {
		t.Fatalf("the finder stayed open:\n%s", s)
	}
	tm.send("\r")
	tm.waitFor("I received 2 attachments", "notes.txt: a text file, 2 lines, 23 bytes", "pic.png: a PNG image, 3×2 pixels")

	reqs := loggedRequests(t, log)
	if len(reqs) != 1 {
		t.Fatalf("the mock logged %d requests", len(reqs))
	}
	parts, _ := lastUserContent(t, reqs[0]).([]any)
	if len(parts) != 3 {
		t.Fatalf("content = %.400v, want the prompt, the image's name and the image", lastUserContent(t, reqs[0]))
	}
	wantText := "what are notes.txt and pic.png\n\nFile: notes.txt\n```\n" + e2eNotes + "```\n"
	if got := parts[0].(map[string]any)["text"]; got != wantText {
		t.Errorf("the prompt sent was %q, want %q", got, wantText)
	}
	if got := parts[1].(map[string]any)["text"]; got != "Image: pic.png" {
		t.Errorf("the image is named %q", got)
	}
	wantURL := "data:image/png;base64," + base64.StdEncoding.EncodeToString(pic)
	if img := parts[2].(map[string]any); img["type"] != "input_image" || img["image_url"] != wantURL {
		t.Errorf("the image part is %.200v", img)
	}
}
