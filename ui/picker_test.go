package ui

import (
	"context"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/stream"
)

// listingStreamer is a fake backend that also lists models.
type listingStreamer struct {
	fakeStreamer
	ids []string
}

func (l *listingStreamer) ListModels(context.Context) ([]string, error) { return l.ids, nil }

// lastRequest runs a turn's command far enough to see the request it sends.
func lastRequest(t *testing.T, f *fakeStreamer, cmd tea.Cmd, m *Model) stream.Request {
	t.Helper()
	go runBatch(cmd)
	deadline := time.Now().Add(3 * time.Second)
	for {
		f.mu.Lock()
		n := len(f.reqs)
		f.mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no request was sent")
		}
		time.Sleep(5 * time.Millisecond)
	}
	m.chat.Shutdown()
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.reqs[len(f.reqs)-1]
}

func TestPickerSwitchesModelForTheNextTurn(t *testing.T) {
	ls := &listingStreamer{ids: []string{"llama3.2", "qwen3:8b", "gpt-oss:20b"}}
	m, _ := newTestModel(t, 100, 30, Deps{Client: ls, Provider: "ollama", Model: "llama3.2",
		Models: []ModelOption{{Provider: "ollama", Model: "qwen3:8b", Reasoning: true}}})
	cmd := press(m, ctrl('l'))
	mustContain(t, screen(m), "Choose a model", "qwen3:8b · ollama", "llama3.2 · ollama ✓", "asking the server")
	for _, msg := range runBatch(cmd) {
		m.Update(msg)
	}
	mustContain(t, screen(m), "gpt-oss:20b · ollama")
	typeText(m, "oss")
	s := screen(m)
	mustContain(t, s, "filter: oss", "▸ gpt-oss:20b")
	mustNotContain(t, s, "qwen3:8b")
	press(m, keyEnter)
	if _, open := find[*modelPicker](m.overlays); open {
		t.Fatal("enter did not close the picker")
	}
	mustContain(t, screen(m), "● ready gpt-oss:20b", "Model: gpt-oss:20b")
	if m.chat.Conversation().Model != "gpt-oss:20b" {
		t.Fatalf("the conversation does not remember the model: %q", m.chat.Conversation().Model)
	}
	typeText(m, "hello")
	req := lastRequest(t, &ls.fakeStreamer, press(m, keyEnter), m)
	if req.Model != "gpt-oss:20b" {
		t.Fatalf("next request used %q", req.Model)
	}
}

func TestPickerEscClosesWithoutChange(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{Model: "gpt-5"})
	press(m, ctrl('l'))
	typeText(m, "zzz")
	mustContain(t, screen(m), "no model matches")
	press(m, keyEsc)
	if _, open := find[*modelPicker](m.overlays); open || m.chat.Model() != "gpt-5" {
		t.Fatalf("esc: picker %v, model %q", open, m.chat.Model())
	}
}

func TestEffortCycleAppliesToNextRequest(t *testing.T) {
	f := &fakeStreamer{}
	m, _ := newTestModel(t, 120, 30, Deps{Client: f, Model: "gpt-5",
		Models: []ModelOption{{Model: "gpt-5", Reasoning: true}, {Model: "gpt-4o-mini"}}})
	press(m, ctrl('x'))
	press(m, ctrl('x'))
	mustContain(t, screen(m), "gpt-5 · effort low", "Reasoning effort: low")
	typeText(m, "hi")
	req := lastRequest(t, f, press(m, keyEnter), m)
	if req.ReasoningEffort != "low" || m.chat.Conversation().Effort != "low" {
		t.Fatalf("request effort %q, conversation %q", req.ReasoningEffort, m.chat.Conversation().Effort)
	}
	m.chat.SetModel("", "gpt-4o-mini")
	m.Update(nil)
	press(m, ctrl('x'))
	mustContain(t, screen(m), "gpt-4o-mini does not take a reasoning effort")
}

func TestPickerChoosesRoleAndProvider(t *testing.T) {
	f := &fakeStreamer{}
	other := &fakeStreamer{}
	var asked []string
	m, _ := newTestModel(t, 100, 30, Deps{Client: f, Provider: "openai", Model: "gpt-5",
		Models: []ModelOption{{Provider: "ollama", Model: "llama3.2"}},
		Roles:  []RoleOption{{Name: "reviewer", Description: "careful code review", Prompt: "You review code."}},
		ClientFor: func(p string) (Streamer, error) {
			asked = append(asked, p)
			return other, nil
		}})
	press(m, ctrl('l'))
	mustContain(t, screen(m), "Choose a model or a role", "role reviewer · careful code review", "llama3.2 · ollama")
	typeText(m, "review")
	press(m, keyEnter)
	if m.chat.Conversation().Instructions != "You review code." || m.chat.Role() != "reviewer" {
		t.Fatalf("role not applied: %q %q", m.chat.Conversation().Instructions, m.chat.Role())
	}
	mustContain(t, screen(m), "role reviewer")

	press(m, ctrl('l'))
	typeText(m, "llama")
	cmd := press(m, keyEnter)
	if len(asked) != 0 {
		t.Fatal("the client for another provider must be made off Update")
	}
	for _, msg := range runBatch(cmd) {
		m.Update(msg)
	}
	if len(asked) != 1 || asked[0] != "ollama" || m.chat.Client() != other || m.chat.Model() != "llama3.2" {
		t.Fatalf("provider switch: asked %v, model %q", asked, m.chat.Model())
	}
	typeText(m, "hi")
	req := lastRequest(t, other, press(m, keyEnter), m)
	if req.Model != "llama3.2" || req.Instructions != "You review code." {
		t.Fatalf("next request: %+v", req)
	}
}

// A paste goes into a picker's filter, one line of it.
func TestPasteIntoThePickerFilter(t *testing.T) {
	m, _ := newTestModel(t, 100, 30, Deps{Models: []ModelOption{{Model: "gpt-oss:20b"}, {Model: "qwen3:8b"}}})
	press(m, ctrl('l'))
	m.Update(tea.PasteMsg{Content: "oss\nignored"})
	s := screen(m)
	mustContain(t, s, "filter: oss", "▸ gpt-oss:20b")
	mustNotContain(t, s, "qwen3:8b", "ignored")
}
