package ui

import (
	"strings"
	"testing"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/attach/attachtest"
)

func attachment(t *testing.T, name string, data []byte) attach.Attachment {
	t.Helper()
	a, err := attach.FromBytes(name, name, data, attach.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// Files given with -f show as chips above the input until the prompt is
// sent; the prompt then carries them and lists them in the transcript.
func TestAttachmentsGoWithTheFirstPrompt(t *testing.T) {
	notes := attachment(t, "notes.txt", []byte("first line\nsecond line\n"))
	f := &fakeStreamer{}
	m, _ := newTestModel(t, 100, 24, Deps{Client: f, Attachments: []attach.Attachment{notes}})
	mustContain(t, screen(m), "📎 notes.txt · text, 2 lines · 23 B · ~")
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
	mustContain(t, s, "pic.png", "describe it", "📎 pic.png · image, 3×2")
	if m.input.value() != "describe it" || len(m.attached) != 1 {
		t.Fatalf("draft %q, %d chips", m.input.value(), len(m.attached))
	}
	// ctrl+c clears the draft, then the chips, then quits.
	press(m, ctrl('c'))
	press(m, ctrl('c'))
	if len(m.attached) != 0 || strings.Contains(screen(m), "📎") {
		t.Fatal("the chips stayed")
	}
}

// A prompt whose request failed comes back to the input with its files.
func TestFailedPromptComesBackWithItsFiles(t *testing.T) {
	notes := attachment(t, "notes.txt", []byte("x\n"))
	m, _ := newTestModel(t, 100, 24, Deps{Attachments: []attach.Attachment{notes}})
	sendPrompt(t, m, "read it")
	if len(m.attached) != 0 {
		t.Fatal("chips stayed after sending")
	}
	m.Update(chatFailed(m, "HTTP 500"))
	if m.input.value() != "read it" || len(m.attached) != 1 {
		t.Fatalf("draft %q, %d chips after the failure", m.input.value(), len(m.attached))
	}
}
