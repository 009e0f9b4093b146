package ui

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/attach/attachtest"
	"github.com/parley-tui/parley/ui/prompt"
)

func attachment(t *testing.T, name string, data []byte) attach.Attachment {
	t.Helper()
	a, err := attach.FromBytes(name, name, data, attach.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// fileChips are the input's attachment chips.
func fileChips(m *Model) []prompt.Chip {
	var out []prompt.Chip
	for _, c := range m.input.Chips() {
		if c.Kind == prompt.KindAttachment {
			out = append(out, c)
		}
	}
	return out
}

// Files given with -f are chips in the input until the prompt is sent;
// the prompt then carries them and lists them in the transcript.
func TestAttachmentsGoWithTheFirstPrompt(t *testing.T) {
	notes := attachment(t, "notes.txt", []byte("first line\nsecond line\n"))
	f := &fakeStreamer{}
	m, _ := newTestModel(t, 100, 24, Deps{Client: f, Attachments: []attach.Attachment{notes}})
	mustContain(t, screen(m), "│ [notes.txt · text · 23 B · ~", "draft ~")
	typeText(m, "what is in it?")
	req := lastRequest(t, f, press(m, keyEnter), m)
	if got := req.Input[0].Text; !strings.Contains(got, "what is in it?\n\nFile: notes.txt\n```\nfirst line") {
		t.Fatalf("the prompt went as %q", got)
	}
	s := screen(m)
	if strings.Count(s, "📎 notes.txt") != 1 || !strings.Contains(s, "what is in it?\n") {
		t.Fatalf("want the file listed once, under the prompt:\n%s", s)
	}
}

// A file the model or server cannot take is refused before anything is
// sent: the reason is shown, and the draft and the chips stay.
func TestAttachmentRefusedKeepsDraftAndChips(t *testing.T) {
	pic := attachment(t, "pic.png", attachtest.PNG(3, 2))
	blind := func(provider, model string) attach.Target {
		return attach.Target{API: "chat", BaseURL: "https://api.deepseek.com", Model: model, Vision: attach.VisionOf(new(bool))}
	}
	m, _ := newTestModel(t, 120, 24, Deps{Model: "deepseek-chat", Attachments: []attach.Attachment{pic}, AttachTarget: blind})
	typeText(m, "describe it")
	press(m, keyEnter)
	if m.chat.Turn() != 0 || len(m.chat.Messages()) != 0 {
		t.Fatal("a prompt with a file the model cannot see was sent")
	}
	s := screen(m)
	mustContain(t, s, "pic.png", "[pic.png · image 3×2 · ")
	if m.input.Value() != "describe it" || len(fileChips(m)) != 1 {
		t.Fatalf("draft %q, %d chips", m.input.Value(), len(fileChips(m)))
	}
	// ctrl+c clears the draft, chips and all, which up brings back.
	if quits(press(m, ctrl('c'))) || !m.input.Empty() || strings.Contains(screen(m), "[pic.png") {
		t.Fatal("the first ctrl+c did not clear the draft and its chip")
	}
	press(m, tea.KeyPressMsg{Code: tea.KeyUp})
	if m.input.Value() != "describe it" || len(fileChips(m)) != 1 {
		t.Fatalf("up brought back %q with %d chips", m.input.Value(), len(fileChips(m)))
	}
}

// A prompt whose request failed comes back to the input with its files.
func TestFailedPromptComesBackWithItsFiles(t *testing.T) {
	notes := attachment(t, "notes.txt", []byte("x\n"))
	m, _ := newTestModel(t, 100, 24, Deps{Attachments: []attach.Attachment{notes}})
	sendPrompt(t, m, "read it")
	if !m.input.Empty() {
		t.Fatal("chips stayed after sending")
	}
	m.Update(chatFailed(m, "HTTP 500"))
	chips := fileChips(m)
	if m.input.Value() != "read it" || len(chips) != 1 {
		t.Fatalf("draft %q, %d chips after the failure", m.input.Value(), len(chips))
	}
	if a, ok := chips[0].Payload.(attach.Attachment); !ok || string(a.Data) != "x\n" {
		t.Fatalf("the chip came back without its file: %#v", chips[0].Payload)
	}
}
