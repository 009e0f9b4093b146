package store

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/stream"
)

// awaitingApproval stores what a chat killed while two calls awaited
// approval leaves: a finished reply with calls and no results, after an
// earlier reply whose call ran.
func awaitingApproval(t *testing.T, st *Store) (sessionID string, pending int64) {
	t.Helper()
	ctx := context.Background()
	s := newSession(t, st, "killed mid-approval")
	appendUser(t, st, s.ID, "what time is it")
	ran, _ := st.BeginAssistantMessage(ctx, s.ID, StoredMessage{})
	st.FinishAssistantMessage(ctx, ran, StoredMessage{Status: StatusCompleted, TurnStatus: stream.StatusCompleted,
		ToolCalls: []ToolCall{{Type: "function_call", CallID: "call_ran", Name: "clock", Arguments: "{}"}}})
	st.SetToolCalls(ctx, ran, []ToolCall{{Type: "function_call", CallID: "call_ran", Name: "clock", Arguments: "{}",
		Output: "12:00", Status: "done", Duration: time.Second}})
	appendUser(t, st, s.ID, "and delete the logs")
	pending, _ = st.BeginAssistantMessage(ctx, s.ID, StoredMessage{})
	st.FinishAssistantMessage(ctx, pending, StoredMessage{Status: StatusCompleted, TurnStatus: stream.StatusCompleted,
		ToolCalls: []ToolCall{
			{Type: "function_call", CallID: "call_a", Name: "shell", Arguments: `{"cmd":"rm *.log"}`},
			{Type: "custom_tool_call", CallID: "call_b", Name: "patch", Arguments: "*** Begin Patch"},
		}})
	return s.ID, pending
}

// TestResumeSessionRepairsCallsWithoutResults: reopening gives every call
// without a result the interrupted output, saved, so the conversation
// rebuilt from it has a result for every call; a call that ran keeps its
// own.
func TestResumeSessionRepairsCallsWithoutResults(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	id, pending := awaitingApproval(t, st)
	sess, msgs, err := st.ResumeSession(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	conv := Conversation(sess, msgs)
	results := map[string]*model.Message{}
	calls := 0
	for _, m := range conv.Messages {
		if m.Role == model.RoleTool {
			results[m.CallID] = m
		}
		if m.Turn != nil {
			calls += len(m.Turn.ToolCalls)
		}
	}
	if calls != 3 || len(results) != 3 {
		t.Fatalf("%d calls, %d results", calls, len(results))
	}
	if r := results["call_ran"]; r.Text != "12:00" || r.ToolFailed {
		t.Errorf("the call that ran: %+v", r)
	}
	for _, c := range []string{"call_a", "call_b"} {
		if r := results[c]; r.Text != InterruptedOutput || !r.ToolFailed {
			t.Errorf("%s: %+v", c, r)
		}
	}
	if !results["call_b"].Custom {
		t.Error("a custom tool call's result must be a custom one")
	}
	// Saved: loading again (without repairing) finds the results.
	m, _ := st.GetMessage(ctx, pending)
	for _, c := range m.ToolCalls {
		if c.Status != ToolStatusInterrupted || c.Output != InterruptedOutput {
			t.Errorf("stored call %+v", c)
		}
	}
	// The model's own repair, run on the rebuilt conversation before a
	// request, finds nothing left to do: the two agree.
	if added := conv.Repair(time.Now()); len(added) != 0 {
		t.Errorf("Conversation.Repair added %d results after ResumeSession", len(added))
	}
	// The request built from it has an output for every call.
	req := conv.Request("m", "", nil)
	outputs := map[string]bool{}
	for _, it := range req.Input {
		if it.Role == "tool" {
			outputs[it.CallID] = true
		}
	}
	for _, it := range req.Input {
		for _, c := range it.ToolCalls {
			if !outputs[c.CallID] {
				t.Errorf("call %s sent without its output", c.CallID)
			}
		}
	}
}

// TestRepairKeepsAResultWrittenMeanwhile: a result another Parley stored
// after the session was loaded is not overwritten.
func TestRepairKeepsAResultWrittenMeanwhile(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	id, pending := awaitingApproval(t, st)
	_, msgs, _ := st.LoadSession(ctx, id)
	st.SetToolCalls(ctx, pending, []ToolCall{
		{Type: "function_call", CallID: "call_a", Name: "shell", Arguments: `{"cmd":"rm *.log"}`, Output: "removed", Status: "done"},
		{Type: "custom_tool_call", CallID: "call_b", Name: "patch", Arguments: "*** Begin Patch"},
	})
	RepairToolCalls(msgs) // what this Parley saw
	if err := st.write(ctx, func(tx *sql.Tx) error { return repairStored(ctx, tx, pending) }); err != nil {
		t.Fatal(err)
	}
	m, _ := st.GetMessage(ctx, pending)
	if m.ToolCalls[0].Output != "removed" || m.ToolCalls[1].Status != ToolStatusInterrupted {
		t.Errorf("%+v", m.ToolCalls)
	}
}

// TestResumeReadOnly: on a database Parley cannot write, the messages come
// back repaired with an error saying the repair is not saved.
func TestResumeReadOnly(t *testing.T) {
	path := t.TempDir() + "/p.db"
	st, _ := Open(path)
	id, _ := awaitingApproval(t, st)
	st.Close()
	ro, err := OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	_, msgs, err := ro.ResumeSession(context.Background(), id)
	if !errors.Is(err, ErrReadOnly) || len(msgs) != 4 {
		t.Fatalf("%d messages, %v", len(msgs), err)
	}
	if c := msgs[3].ToolCalls; c[0].Output != InterruptedOutput || c[1].Output != InterruptedOutput {
		t.Errorf("not repaired in memory: %+v", c)
	}
}

func TestRepairToolCallsCopies(t *testing.T) {
	calls := []ToolCall{{CallID: "a"}, {CallID: "b", Status: "done", Output: "x"}}
	msgs := []StoredMessage{{ToolCalls: calls}, {Text: "no calls"}}
	if changed := RepairToolCalls(msgs); len(changed) != 1 || changed[0] != 0 {
		t.Errorf("changed %v", changed)
	}
	if calls[0].Status != "" {
		t.Error("the caller's slice was changed")
	}
	if msgs[0].ToolCalls[0].Status != ToolStatusInterrupted || msgs[0].ToolCalls[1].Output != "x" {
		t.Errorf("%+v", msgs[0].ToolCalls)
	}
	if changed := RepairToolCalls(msgs); len(changed) != 0 {
		t.Errorf("repaired twice: %v", changed)
	}
}
