package model

import (
	"errors"
	"strings"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/stream"
)

// userInput is a user message as the request carries it. Text files are
// joined to the prompt, fenced and headed by their path, so a message
// with only text attachments is still plain text, which every Chat
// server takes (some, DeepSeek's among them, refuse a list of parts).
// Images and PDFs follow as parts, each image after a line naming it
// ("Image: shots/pic.png"): stream encodes them for the API in use
// (input_image / image_url data URLs, input_file / file with file_data).
// Their bytes are shared with the message, not copied.
func userInput(m *Message) stream.InputItem {
	it := stream.InputItem{Role: "user", Text: m.Text}
	var files []string
	for _, a := range m.Attachments {
		switch a.Kind {
		case attach.Text:
			files = append(files, a.Fenced())
		case attach.Image:
			// An image travels without a name: a line before it gives
			// one, so the model and the user can speak of "pic.png".
			it.Parts = append(it.Parts, stream.Part{Type: stream.PartText, Text: "Image: " + a.Label()},
				stream.Part{Type: stream.PartImage, MIME: bareMIME(a.MIME), Data: a.Data})
		case attach.PDF:
			it.Parts = append(it.Parts, stream.Part{Type: stream.PartFile, MIME: bareMIME(a.MIME), Data: a.Data, Filename: pdfName(a.Name)})
		}
	}
	if len(files) > 0 {
		if it.Text != "" {
			files = append([]string{it.Text + "\n"}, files...)
		}
		it.Text = strings.Join(files, "\n")
	}
	return it
}

// bareMIME drops a MIME type's parameters ("; charset=utf-8").
func bareMIME(mime string) string {
	m, _, _ := strings.Cut(mime, ";")
	return strings.TrimSpace(m)
}

// pdfName is the filename a PDF is sent with: servers tell a file's type
// by its extension, and a PDF read from stdin is called "stdin".
func pdfName(name string) string {
	if strings.HasSuffix(strings.ToLower(name), ".pdf") {
		return name
	}
	return name + ".pdf"
}

// Attachments lists the files the next request re-sends: those of every
// user message it carries (a failed prompt's are left out with it).
func (c *Conversation) Attachments() []attach.Attachment {
	var atts []attach.Attachment
	for _, m := range c.Messages {
		if m.Role == RoleUser && !m.Failed {
			atts = append(atts, m.Attachments...)
		}
	}
	return atts
}

// CheckSend says, before anything is sent, whether the next prompt with
// the files next attached can go to t: each file must suit the server and
// model (attach.Target.Check: no PDF over Chat Completions where the
// server takes none, no image for a model known to be blind), and the
// request's files together, the history's included since every request
// re-sends them, must stay within the APIs' limits. The error, an
// *attach.Error, is a sentence for the user. The chat and -p both call it,
// so both refuse the same things.
func (c *Conversation) CheckSend(t attach.Target, next []attach.Attachment) error {
	history := c.Attachments()
	for _, a := range history {
		if err := t.Check(a); err != nil {
			return sentEarlier(err)
		}
	}
	return t.CheckRequest(append(history, next...))
}

// sentEarlier rewords a refusal of a file from the history, which the
// user cannot remove from the draft: switching back, or a new session,
// is what helps.
func sentEarlier(err error) error {
	var e *attach.Error
	if !errors.As(err, &e) {
		return err
	}
	why, _, _ := strings.Cut(e.Detail, ";")
	return &attach.Error{Path: e.Path, Problem: e.Problem, Err: e.Err,
		Detail: why + "; it was sent earlier in this session and every request sends it again: " +
			"switch back to a model or server that takes it, or start a new session"}
}
