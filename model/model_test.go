package model

import (
	"encoding/json"
	"math"
	"testing"
	"time"

	"github.com/parley-tui/parley/stream"
)

func TestCatalogLookup(t *testing.T) {
	c := NewCatalog(nil)
	cases := []struct {
		model string
		ok    bool
		win   int
	}{
		{"gpt-4o-mini-2024-07-18", true, 128_000},
		{"gpt-4o-2024-08-06", true, 128_000},
		{"gpt-5-2025-08-07", true, 400_000},
		{"GPT-5-mini", true, 400_000},
		{"openai/gpt-4.1", true, 1_047_576},
		{"gpt-50", false, 0},
		{"llama3.2", false, 0},
		{"parley-mock-1", false, 0},
	}
	for _, tc := range cases {
		info, ok := c.Lookup(tc.model)
		if ok != tc.ok || info.ContextWindow != tc.win {
			t.Errorf("Lookup(%q) = %+v, %v", tc.model, info, ok)
		}
	}
	if info, _ := c.Lookup("gpt-4o-mini-2024-07-18"); info.Price.Input != 0.15 {
		t.Errorf("gpt-4o-mini matched the gpt-4o entry: %+v", info.Price)
	}
}

func TestCatalogCost(t *testing.T) {
	c := NewCatalog(map[string]ModelInfo{"local": {Price: &Price{1, 0.5, 2}}})
	cost, ok := c.Cost("local-7b", Usage{Input: 1_000_000, Cached: 400_000, Output: 500_000})
	if !ok || math.Abs(cost-(0.6+0.2+1.0)) > 1e-9 {
		t.Fatalf("cost = %v %v", cost, ok)
	}
	if _, ok := c.Cost("deepseek-chat", Usage{Input: 10}); ok {
		t.Fatal("a model without a price must have no cost")
	}
	if _, ok := c.Cost("unknown", Usage{Input: 10}); ok {
		t.Fatal("an unknown model must have no cost")
	}
}

func TestTotals(t *testing.T) {
	var tot Totals
	tot.Add(Usage{Input: 10, Cached: 4, Output: 5, Reasoning: 2, Total: 15}, 0.01, true)
	tot.Add(Usage{Input: 1, Output: 1, Total: 2}, 0, false)
	if tot.Input != 11 || tot.Cached != 4 || tot.Output != 6 || tot.Reasoning != 2 || tot.Turns != 2 {
		t.Fatalf("totals = %+v", tot)
	}
	if !tot.CostKnown || tot.CostComplete || tot.Cost != 0.01 {
		t.Fatalf("cost flags = %+v", tot)
	}
}

func TestConversationRequest(t *testing.T) {
	var c Conversation
	c.Instructions = "be brief"
	now := time.Now()
	c.AddUser("first", now)
	a := c.AddAssistant("gpt-5", "low", now)
	a.Turn.Add(stream.Choice{Kind: stream.KindText, Delta: "answer"})
	a.Turn.Add(stream.Choice{Kind: stream.KindItem, Item: json.RawMessage(`{"type":"reasoning","id":"rs_1"}`)})
	a.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}})
	failed := c.AddUser("this one failed", now)
	failed.Failed = true
	c.AddUser("second", now)
	cut := c.AddAssistant("gpt-5", "", now)
	cut.Turn.Add(stream.Choice{Kind: stream.KindText, Delta: "partial"})
	cut.Turn.Add(stream.Choice{Kind: stream.KindItem, Item: json.RawMessage(`{"type":"message"}`)})
	cut.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusTruncated}})
	c.AddUser("third", now)

	req := c.Request("gpt-5", "high", nil)
	if req.Instructions != "be brief" || req.ReasoningEffort != "high" || req.Model != "gpt-5" {
		t.Fatalf("request = %+v", req)
	}
	var roles []string
	for _, it := range req.Input {
		roles = append(roles, it.Role+":"+it.Text)
	}
	want := []string{"user:first", "assistant:answer", "user:second", "assistant:partial", "user:third"}
	if len(roles) != len(want) {
		t.Fatalf("input = %v", roles)
	}
	for i := range want {
		if roles[i] != want[i] {
			t.Fatalf("input = %v, want %v", roles, want)
		}
	}
	if len(req.Input[1].Items) != 1 {
		t.Error("a completed turn must send its raw items back")
	}
	if len(req.Input[3].Items) != 0 {
		t.Error("a truncated turn must be sent as its text, not partial raw items")
	}
}

func TestConversationSendsToolResults(t *testing.T) {
	var c Conversation
	now := time.Now()
	c.AddUser("what is 2+2?", now)
	a := c.AddAssistant("m", "", now)
	a.Turn.Add(stream.Choice{Kind: stream.KindToolStart, Tool: &stream.ToolRef{ItemID: "fc_1", CallID: "call_1", Name: "calculator", Kind: stream.ToolFunction}})
	a.Turn.Add(stream.Choice{Kind: stream.KindToolDone, Tool: &stream.ToolRef{ItemID: "fc_1", CallID: "call_1", Name: "calculator", Kind: stream.ToolFunction, Arguments: `{"expression":"2+2"}`}})
	a.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusCompleted}})
	c.AddToolResult("call_1", "calculator", "4", false, false, time.Millisecond)
	req := c.Request("m", "", nil)
	if len(req.Input) != 3 {
		t.Fatalf("input = %+v", req.Input)
	}
	if in := req.Input[1]; in.Role != "assistant" || len(in.ToolCalls) != 1 || in.ToolCalls[0].CallID != "call_1" {
		t.Fatalf("assistant call = %+v", in)
	}
	if in := req.Input[2]; in.Role != "tool" || in.CallID != "call_1" || in.Text != "4" {
		t.Fatalf("tool result = %+v", in)
	}
}

func TestNoteRecordsReasoningTimes(t *testing.T) {
	var m Message
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	m.Note(stream.KindReasoning, t0)
	m.Note(stream.KindReasoning, t0.Add(time.Second))
	m.Note(stream.KindText, t0.Add(3*time.Second))
	m.Note(stream.KindText, t0.Add(4*time.Second))
	if !m.FirstToken.Equal(t0) || !m.ReasoningStart.Equal(t0) || !m.ReasoningEnd.Equal(t0.Add(3*time.Second)) {
		t.Fatalf("times = %+v", m)
	}
}
