package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"
	"time"

	"github.com/parley-tui/parley/model"
)

var pngBytes = append([]byte("\x89PNG\r\n\x1a\n"), bytes.Repeat([]byte{0, 1, 2, 0xff}, 100)...)

func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func blobCount(t *testing.T, st *Store) int {
	t.Helper()
	var n int
	if err := st.r.QueryRow("SELECT count(*) FROM attachment_blobs").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestAttachmentsStoredOnceByHash: two prompts attach the same image and
// one a text file; the image is stored once, both prompts load their
// attachments in order, content comes with LoadAttachmentData and
// ResumeSession, and the content goes when the last message using it
// does.
func TestAttachmentsStoredOnceByHash(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "attach")
	w := NewWriter(st, s.ID)
	conv := &model.Conversation{}
	shot := Attachment{Name: "screen.png", Path: "./shots/screen.png", Kind: "image", MIME: "image/png", Data: pngBytes}
	notes := Attachment{Name: "notes.md", Path: "/home/u/notes.md", Kind: "text", MIME: "text/markdown", Data: []byte("# Notes\n")}
	first := conv.AddUser("what is on screen", time.Now())
	w.UserSent(first, shot, notes)
	second := conv.AddUser("and now", time.Now())
	w.UserSent(second, shot)
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if n := blobCount(t, st); n != 2 {
		t.Errorf("%d blobs for two distinct files", n)
	}
	_, msgs, err := st.LoadSession(ctx, s.ID)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("%d messages, %v", len(msgs), err)
	}
	got := msgs[0].Attachments
	if len(got) != 2 || got[0].Name != "screen.png" || got[0].Path != "./shots/screen.png" || got[0].MIME != "image/png" ||
		got[0].Kind != "image" || got[0].Size != int64(len(pngBytes)) || got[0].SHA256 != digest(pngBytes) ||
		got[0].Data != nil || got[1].Name != "notes.md" {
		t.Fatalf("loaded %+v", got)
	}
	if err := st.LoadAttachmentData(ctx, msgs); err != nil || !bytes.Equal(msgs[0].Attachments[0].Data, pngBytes) ||
		string(msgs[0].Attachments[1].Data) != "# Notes\n" {
		t.Errorf("content: %v", err)
	}
	if _, resumed, _ := st.ResumeSession(ctx, s.ID); !bytes.Equal(resumed[1].Attachments[0].Data, pngBytes) {
		t.Error("ResumeSession does not bring the content to send again")
	}
	// Attaching stored content by its digest alone (a fork) works; an
	// unknown digest is an error.
	id, err := st.AppendUserMessage(ctx, s.ID, StoredMessage{Text: "again", Attachments: []Attachment{
		{Name: "screen.png", SHA256: digest(pngBytes)}}})
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := st.GetMessage(ctx, id); m.Attachments[0].Size != int64(len(pngBytes)) {
		t.Errorf("by digest: %+v", m.Attachments)
	}
	_, err = st.AppendUserMessage(ctx, s.ID, StoredMessage{Text: "x", Attachments: []Attachment{{Name: "gone", SHA256: digest([]byte("nope"))}}})
	if !errors.Is(err, ErrAttachmentMissing) {
		t.Errorf("unknown digest: %v", err)
	}
	// The content goes with the last message that uses it.
	st.DeleteMessage(ctx, msgs[0].ID)
	if n := blobCount(t, st); n != 1 {
		t.Errorf("%d blobs after the only message with the notes went", n)
	}
	st.DeleteSession(ctx, s.ID)
	if n := blobCount(t, st); n != 0 {
		t.Errorf("%d blobs after the session went", n)
	}
	if _, err := st.w.Exec("INSERT INTO messages_fts (messages_fts) VALUES ('integrity-check')"); err != nil {
		t.Errorf("fts integrity-check: %v", err)
	}
}

// TestAttachmentNamesSearchable: a prompt is found by the name of a file
// attached to it.
func TestAttachmentNamesSearchable(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	s := newSession(t, st, "a")
	id, err := st.AppendUserMessage(ctx, s.ID, StoredMessage{Text: "review please", Attachments: []Attachment{
		{Name: "quarterly-report.pdf", Path: "docs/quarterly-report.pdf", MIME: "application/pdf", Data: []byte("%PDF-1.7")}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"quarterly", "quarterly-report.pdf", "docs report", `"quarterly report"`} {
		if ids := searchIDs(t, st, q); len(ids) != 1 || ids[0] != id {
			t.Errorf("search %s: %v", q, ids)
		}
	}
}

// TestAttachmentRedacted: a secret in an attached text file is not stored;
// an image is stored as it is.
func TestAttachmentRedacted(t *testing.T) {
	const key = "sk-attached-0123456789abcdef"
	st := newStore(t)
	st.Redact(key)
	ctx := context.Background()
	s := newSession(t, st, "a")
	img := append(append([]byte{}, pngBytes...), key...)
	id, _ := st.AppendUserMessage(ctx, s.ID, StoredMessage{Text: "x", Attachments: []Attachment{
		{Name: ".env", Kind: "text", Data: []byte("OPENAI_API_KEY=" + key + "\n")},
		{Name: "i.png", MIME: "image/png", Data: img}}})
	m, _ := st.GetMessage(ctx, id)
	st.LoadAttachmentData(ctx, []StoredMessage{m})
	data, _ := st.AttachmentData(ctx, m.Attachments[0].SHA256)
	if string(data) != "OPENAI_API_KEY=[redacted]\n" || m.Attachments[0].SHA256 != digest(data) {
		t.Errorf("text attachment stored as %q", data)
	}
	if data, _ := st.AttachmentData(ctx, m.Attachments[1].SHA256); !bytes.Equal(data, img) {
		t.Error("an image was changed")
	}
}
