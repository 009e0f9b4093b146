package main

// End-to-end tests of the gaps a review found: what a user sees after a
// reply is cut off, the one-shot mode's words, the commands' errors.

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waitForRequests polls the mock server's request log until it holds n
// requests, and returns them.
func waitForRequests(t *testing.T, log string, n int) []map[string]any {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		reqs := loggedRequests(t, log)
		if len(reqs) >= n || time.Now().After(deadline) {
			return reqs
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A reply cut off mid-stream (a stall past --stall-timeout, a dropped
// connection) keeps what arrived, says ctrl+r retries on its error line,
// and ctrl+r asks again from its prompt, without the partial reply.
func TestE2ERetryAfterAReplyCutOff(t *testing.T) {
	bin := parleyBinary(t)
	for _, tc := range []struct{ fault, says string }{
		{"fault:stall", "The server sent nothing for 2s"},
		{"fault:drop", "✗"},
	} {
		t.Run(tc.fault, func(t *testing.T) {
			log := filepath.Join(t.TempDir(), "requests.jsonl")
			url := startMockServer(t, bin, "--instant", "--request-log", log)
			tm := startParley(t, bin, []string{"OPENAI_API_KEY=mock-key", "OPENAI_BASE_URL=" + url},
				"-m", tc.fault, "--stall-timeout", "2s", "--no-save")
			tm.waitFor("Ask anything")
			tm.send("hi\r")
			s := tm.waitFor(tc.says, "· ctrl+r retries", "● error")
			if !strings.Contains(s, "Here is a") {
				t.Fatalf("the partial reply is not kept:\n%s", s)
			}
			tm.send("\x12") // ctrl+r
			reqs := waitForRequests(t, log, 2)
			tm.waitFor("· ctrl+r retries", "● error")
			if len(reqs) != 2 {
				t.Fatalf("%d requests, want the first and the retry", len(reqs))
			}
			body, _ := reqs[1]["body"].(map[string]any)
			if in, _ := body["input"].([]any); len(in) != 1 {
				t.Fatalf("the retry does not ask again from the prompt alone: %.400v", body["input"])
			}
			if strings.Contains(tm.screen(), "Nothing to retry") {
				t.Fatalf("ctrl+r found nothing to retry:\n%s", tm.screen())
			}
		})
	}
}

// A model that does not reason (gpt-4.1) is not asked for encrypted
// reasoning, which OpenAI refuses for it with a 400; one that reasons
// (gpt-5), and one Parley does not know, are.
func TestE2EEncryptedReasoningOnlyForReasoningModels(t *testing.T) {
	bin := parleyBinary(t)
	for _, tc := range []struct {
		model   string
		include bool
	}{{"gpt-4.1", false}, {"gpt-5", true}, {"parley-mock-1", true}} {
		log := filepath.Join(t.TempDir(), "requests.jsonl")
		url := startMockServer(t, bin, "--instant", "--request-log", log)
		code, _, stderr, _ := oneShot(t, bin, url, []string{"OPENAI_API_KEY=mock-key"}, "-m", tc.model, "--reasoning-effort", "low")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.model, code, stderr)
		}
		reqs := loggedRequests(t, log)
		if len(reqs) != 1 {
			t.Fatalf("%s: %d requests", tc.model, len(reqs))
		}
		body, _ := reqs[0]["body"].(map[string]any)
		_, include := body["include"]
		_, reasoning := body["reasoning"]
		if include != tc.include || reasoning != tc.include {
			t.Errorf("%s: include %v, reasoning %v; want both sent: %v", tc.model, body["include"], body["reasoning"], tc.include)
		}
	}
}
