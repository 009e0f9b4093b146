package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
	"github.com/parley-tui/parley/ui"
)

// requestBody is the part of a Responses request these tests read.
type requestBody struct {
	Model        string                   `json:"model"`
	Instructions string                   `json:"instructions"`
	Reasoning    *struct{ Effort string } `json:"reasoning"`
	Input        []json.RawMessage        `json:"input"`
}

func lastRequest(t *testing.T, reqs []mock.RecordedRequest) requestBody {
	t.Helper()
	if len(reqs) == 0 {
		t.Fatal("no request reached the server")
	}
	var body requestBody
	if err := json.Unmarshal(reqs[len(reqs)-1].Body, &body); err != nil {
		t.Fatal(err)
	}
	return body
}

// TestContinueRepairsCallsBeforeTheRequest: a session left by a chat
// killed while two calls awaited approval is continued with -p; the
// request carries an output for every call (the real API rejects a call
// without one), and the repair is saved.
func TestContinueRepairsCallsBeforeTheRequest(t *testing.T) {
	srv := oneShotMock(t)
	db := filepath.Join(t.TempDir(), "s.db")
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	sess, _ := st.CreateSession(ctx, store.Session{Title: "killed", Model: "parley-mock-markdown"})
	st.AppendUserMessage(ctx, sess.ID, store.StoredMessage{Text: "clean up"})
	reply, _ := st.BeginAssistantMessage(ctx, sess.ID, store.StoredMessage{})
	st.FinishAssistantMessage(ctx, reply, store.StoredMessage{Status: store.StatusCompleted, TurnStatus: stream.StatusCompleted,
		ToolCalls: []store.ToolCall{
			{Type: "function_call", ItemID: "fc_1", CallID: "call_rm", Name: "shell", Arguments: `{"cmd":"rm -rf build"}`},
			{Type: "function_call", ItemID: "fc_2", CallID: "call_ls", Name: "shell", Arguments: `{"cmd":"ls"}`},
		}})
	st.Close()

	var out, errb bytes.Buffer
	if code := Execute([]string{"-p", "next", "--continue", "--db", db, "-m", "parley-mock-markdown"},
		strings.NewReader(""), &out, &errb); code != 0 {
		t.Fatalf("exit %d: %s", code, errb.String())
	}
	body := lastRequest(t, srv.Requests())
	calls, outputs := map[string]bool{}, map[string]string{}
	for _, raw := range body.Input {
		var it struct {
			Type   string `json:"type"`
			CallID string `json:"call_id"`
			Output string `json:"output"`
		}
		json.Unmarshal(raw, &it)
		switch it.Type {
		case "function_call":
			calls[it.CallID] = true
		case "function_call_output":
			outputs[it.CallID] = it.Output
		}
	}
	if len(calls) != 2 {
		t.Fatalf("calls sent: %v\n%s", calls, srv.Requests()[len(srv.Requests())-1].Body)
	}
	for c := range calls {
		if outputs[c] != store.InterruptedOutput {
			t.Errorf("call %s sent with output %q", c, outputs[c])
		}
	}
	st, _ = store.Open(db)
	defer st.Close()
	m, _ := st.GetMessage(ctx, reply)
	for _, c := range m.ToolCalls {
		if c.Status != store.ToolStatusInterrupted {
			t.Errorf("the repair is not saved: %+v", c)
		}
	}
}

// TestContinueRestoresTheSessionsChoices: a session started with a role,
// a model and an effort goes on with them when continued without flags;
// flags given then win, and the session records them.
func TestContinueRestoresTheSessionsChoices(t *testing.T) {
	srv := oneShotMock(t)
	cfg := writeConfig(t, `[roles.reviewer]
prompt = "You review code."
[roles.poet]
prompt = "You answer in verse."
`)
	db := filepath.Join(t.TempDir(), "s.db")
	run := func(args ...string) requestBody {
		t.Helper()
		var out, errb bytes.Buffer
		args = append([]string{"--config", cfg, "--db", db}, args...)
		if code := Execute(args, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("%v: exit %d: %s", args, code, errb.String())
		}
		return lastRequest(t, srv.Requests())
	}
	run("-p", "first", "--role", "reviewer", "-m", "parley-mock-markdown", "--reasoning-effort", "low")
	got := run("-p", "second", "--continue")
	if got.Instructions != "You review code." || got.Model != "parley-mock-markdown" || got.Reasoning == nil ||
		got.Reasoning.Effort != "low" {
		t.Errorf("continued without flags: %+v", got)
	}
	got = run("-p", "third", "--continue", "--role", "poet", "-m", "parley-mock-reasoning")
	if got.Instructions != "You answer in verse." || got.Model != "parley-mock-reasoning" || got.Reasoning == nil ||
		got.Reasoning.Effort != "low" {
		t.Errorf("continued with flags: %+v", got)
	}
	got = run("-p", "fourth", "--continue")
	if got.Instructions != "You answer in verse." || got.Model != "parley-mock-reasoning" {
		t.Errorf("the flags of the last run are not kept: %+v", got)
	}
	st, _ := store.Open(db)
	defer st.Close()
	sess, _ := st.LastSession(context.Background())
	if c := sess.Choices(); c.Role != "poet" || c.Provider != "openai" || c.Model != "parley-mock-reasoning" {
		t.Errorf("recorded %+v", c)
	}
	// A new session starts from the configuration, not from the last one.
	if got := run("-p", "fresh"); got.Instructions != "" || got.Model == "parley-mock-reasoning" {
		t.Errorf("a new session: %+v", got)
	}
}

func TestRestoreChoicesOtherProvider(t *testing.T) {
	for _, c := range []struct {
		name              string
		rec, now          string // recorded and current provider
		recModel, current string
		want              string
	}{
		{"same provider", "openai", "openai", "gpt-5", "gpt-5-mini", "gpt-5"},
		{"another provider", "ollama", "openai", "llama3", "gpt-5-mini", "gpt-5-mini"},
		{"recorded before providers were", "", "openai", "gpt-4o", "gpt-5-mini", "gpt-4o"},
		{"a demo session on a real server", "", "openai", demoModel, "gpt-5-mini", "gpt-5-mini"},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &config.Settings{Provider: c.now, Sources: map[string]config.Source{}}
			b := &backend{setup: &setup{settings: s}, model: c.current}
			open := &ui.OpenSession{}
			open.Session.SetChoices(store.Choices{Provider: c.rec, Model: c.recModel})
			st, err := store.Open(filepath.Join(t.TempDir(), "s.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			restoreChoices(context.Background(), st, b, open)
			if b.model != c.want || open.Session.Model != c.want {
				t.Errorf("model %q (session %q), want %q", b.model, open.Session.Model, c.want)
			}
		})
	}
}
