package model

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/spectest"
)

// callReply adds a reply that ends with calls, as a crash left it: the
// calls are there, their results are not.
func callReply(c *Conversation, status stream.Status, raw bool, calls ...string) *Message {
	a := c.AddAssistant("m", "", time.Now())
	for i, id := range calls {
		ref := &stream.ToolRef{ItemID: "fc_" + id, CallID: id, Name: "clock", Kind: stream.ToolFunction, Type: "function_call"}
		a.Turn.Add(stream.Choice{Kind: stream.KindToolStart, OutputIndex: i, Tool: ref})
		done := *ref
		done.Arguments = "{}"
		a.Turn.Add(stream.Choice{Kind: stream.KindToolDone, OutputIndex: i, Tool: &done})
		if raw {
			item, _ := json.Marshal(map[string]string{"type": "function_call", "id": "fc_" + id, "call_id": id, "name": "clock", "arguments": "{}"})
			a.Turn.Add(stream.Choice{Kind: stream.KindItem, OutputIndex: i, Item: item})
		}
	}
	a.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: status}})
	return a
}

// danglingConversation is a session killed while calls awaited approval,
// in every shape a reply can take, then continued.
func danglingConversation() *Conversation {
	var c Conversation
	c.AddUser("what time is it?", time.Now())
	callReply(&c, stream.StatusCompleted, true, "call_1", "call_2")
	c.AddToolResult("call_1", "clock", "12:00", false, false, 0)
	c.AddUser("and now?", time.Now())
	callReply(&c, stream.StatusTruncated, false, "call_3")
	c.AddUser("next", time.Now())
	return &c
}

func TestRequestsWithUnansweredCallsAreRefused(t *testing.T) {
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		c := danglingConversation()
		client := stream.NewClient(stream.Config{BaseURL: "https://api.openai.com/v1", API: api})
		_, err := client.Body(c.Request("m", "", nil))
		var e *stream.Error
		if !errors.As(err, &e) || e.Code != "bad_request" {
			t.Errorf("%s: a request with unanswered calls was built (err %v); it must be refused", api, err)
		}
	}
}

func TestRepairAnswersEveryCallThenRequestsGoThrough(t *testing.T) {
	c := danglingConversation()
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	added := c.Repair(now)
	if len(added) != 2 || added[0].CallID != "call_2" || added[1].CallID != "call_3" {
		t.Fatalf("added %+v, want results for call_2 and call_3", added)
	}
	for _, m := range added {
		if m.Role != RoleTool || m.Text != InterruptedOutput || !m.ToolFailed || m.ToolName != "clock" || !m.Sent.Equal(now) {
			t.Errorf("repair result = %+v", m)
		}
	}
	var order []string
	for _, m := range c.Messages {
		order = append(order, string(m.Role)+":"+m.CallID)
	}
	want := "user: assistant: tool:call_1 tool:call_2 user: assistant: tool:call_3 user:"
	if got := strings.Join(order, " "); got != want {
		t.Errorf("order = %s\nwant    %s", got, want)
	}
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		client := stream.NewClient(stream.Config{BaseURL: "https://api.openai.com/v1", API: api})
		if _, err := client.Body(c.Request("m", "", nil)); err != nil {
			t.Errorf("%s: after Repair: %v", api, err)
		}
	}
	if again := c.Repair(now); len(again) != 0 {
		t.Errorf("a second Repair added %d results", len(again))
	}
}

func TestEffortIsDroppedForModelsWithoutReasoning(t *testing.T) {
	c := NewCatalog(nil)
	for model, want := range map[string]string{
		"gpt-4.1": "", "gpt-4.1-mini-2025-04-14": "", "gpt-4o": "", "deepseek-chat": "", "gpt-5-chat-latest": "",
		"gpt-5": "high", "o4-mini": "high", "some-local-model": "high",
	} {
		if got := c.Effort(model, "high"); got != want {
			t.Errorf("Effort(%s) = %q, want %q", model, got, want)
		}
	}
}

// TestConversationRequestsFollowTheSpec: what a conversation sends, for
// each API (a repaired crash, a cut-off reply, tool results), is valid
// against OpenAI's OpenAPI document.
func TestConversationRequestsFollowTheSpec(t *testing.T) {
	v := spectest.Load(t)
	c := danglingConversation()
	c.Repair(time.Now())
	c.Instructions = "Be brief."
	cut := c.AddAssistant("gpt-5", "low", time.Now())
	cut.Turn.Add(stream.Choice{Kind: stream.KindText, Delta: "cut here"})
	cut.Turn.Add(stream.Choice{Kind: stream.KindDone, Done: &stream.Done{Status: stream.StatusTruncated}})
	c.AddUser("go on", time.Now())
	for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
		client := stream.NewClient(stream.Config{BaseURL: "https://api.openai.com/v1", API: api})
		body, err := client.Body(c.Request("gpt-5", NewCatalog(nil).Effort("gpt-5", "low"), []stream.ToolSpec{{Name: "clock", Description: "The time"}}))
		if err != nil {
			t.Fatal(err)
		}
		if api == stream.APIChat {
			v.Chat(t, "chat", body)
		} else {
			v.Responses(t, "responses", body)
		}
	}
	// A model the catalog knows does not reason (gpt-4.1) is asked for
	// neither an effort nor encrypted reasoning, which it rejects; one
	// that reasons (gpt-5) is asked for both, and so is a model the
	// catalog does not know.
	cat := NewCatalog(nil)
	for _, tc := range []struct {
		model     string
		reasoning bool
	}{{"gpt-4.1", false}, {"gpt-4.1-mini-2025-04-14", false}, {"gpt-5", true}, {"some-local-model", true}} {
		for _, api := range []stream.API{stream.APIResponses, stream.APIChat} {
			client := stream.NewClient(stream.Config{BaseURL: "https://api.openai.com/v1", API: api})
			body, err := client.Body(cat.Fit(c.Request(tc.model, "high", nil)))
			if err != nil {
				t.Fatal(err)
			}
			var got map[string]any
			if err := json.Unmarshal(body, &got); err != nil {
				t.Fatal(err)
			}
			_, effort := got["reasoning_effort"]
			if api == stream.APIChat {
				v.Chat(t, "chat "+tc.model, body)
			} else {
				v.Responses(t, "responses "+tc.model, body)
				_, include := got["include"]
				if include != tc.reasoning {
					t.Errorf("%s: include %v, want it %v", tc.model, got["include"], tc.reasoning)
				}
				_, effort = got["reasoning"]
			}
			if effort != tc.reasoning {
				t.Errorf("%s over %s: effort sent %v, want %v", tc.model, api, effort, tc.reasoning)
			}
		}
	}
}
