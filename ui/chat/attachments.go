package chat

import (
	"math"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/store"
)

// Files attached to prompts: checked before they are sent (the same
// check as -p), saved with the prompt (content once by hash), and rebuilt
// from the store when a session is opened again, so it goes on sending
// them.

// queued is a prompt waiting for the reply in flight to end.
type queued struct {
	text string
	atts []attach.Attachment
}

// checkSend says whether the next prompt, with atts, can go where the
// next request goes: each file against the server and model, and the
// request's files together against the APIs' limits.
func (c *Controller) checkSend(atts []attach.Attachment) error {
	if c.cfg.AttachTarget == nil {
		return nil
	}
	return c.conv.CheckSend(c.cfg.AttachTarget(c.provider, c.conv.Model), atts)
}

// StoreAttachments is what the store keeps of attachments, for
// Writer.UserSent: the chat and -p save them alike.
func StoreAttachments(atts []attach.Attachment) []store.Attachment {
	out := make([]store.Attachment, 0, len(atts))
	for _, a := range atts {
		out = append(out, store.Attachment{Name: a.Name, Path: a.Path, Kind: string(a.Kind), MIME: a.MIME,
			Size: a.Size, SHA256: a.SHA256, Data: a.Data})
	}
	return out
}

// Reattach gives the prompts of a conversation rebuilt from a loaded
// session (store.Conversation, from ResumeSession's messages) the files
// they were sent with, so the next request sends them again. It returns
// the names of those it could not rebuild.
func Reattach(conv *model.Conversation, msgs []store.StoredMessage) (lost []string) {
	var users []*model.Message
	for _, m := range conv.Messages {
		if m.Role == model.RoleUser {
			users = append(users, m)
		}
	}
	i := 0
	for _, sm := range msgs {
		if sm.Role != model.RoleUser {
			continue
		}
		if i < len(users) && len(sm.Attachments) > 0 {
			var l []string
			users[i].Attachments, l = fromStore(sm.Attachments)
			lost = append(lost, l...)
		}
		i++
	}
	return lost
}

// kept accepts any size: a file the store kept was accepted when it was
// sent, whatever the limits are now.
var kept = attach.Limits{Text: math.MaxInt64, Image: math.MaxInt64, PDF: math.MaxInt64}

// fromStore rebuilds stored attachments (their content loaded, as
// ResumeSession loads it). One that cannot be rebuilt is left out and
// reported, so the session still opens.
func fromStore(sas []store.Attachment) (atts []attach.Attachment, lost []string) {
	for _, sa := range sas {
		if sa.Data == nil {
			lost = append(lost, sa.Name)
			continue
		}
		a, err := attach.FromBytes(sa.Path, sa.Name, sa.Data, kept)
		if err != nil {
			lost = append(lost, sa.Name)
			continue
		}
		atts = append(atts, a)
	}
	return atts, lost
}
