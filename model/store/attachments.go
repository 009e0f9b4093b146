package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Attachment is a file sent with a message: a text file, an image, a PDF.
// Its content is stored once, by its SHA-256, however many messages attach
// it, and removed with the last message that does.
type Attachment struct {
	Name string `json:"name"`           // as shown: usually the file's base name
	Path string `json:"path,omitempty"` // as the user gave it
	Kind string `json:"kind,omitempty"` // what it was sent as (text, image, pdf), as the sender names it
	MIME string `json:"mime,omitempty"`
	Size int64  `json:"size"`
	// SHA256 is the lowercase hex digest of Data. The store computes it; a
	// caller may give it without Data to attach content already stored.
	SHA256 string `json:"sha256"`
	// Data is the content. Loading a session leaves it nil (a session's
	// images can be large); LoadAttachmentData and ResumeSession fill it.
	Data []byte `json:"data,omitempty"`
}

// ErrAttachmentMissing is returned (wrapped) when an attachment names
// content by digest alone and the store does not hold it.
var ErrAttachmentMissing = errors.New("attachment content not stored")

// saveAttachments stores a message's attachments, in order, in tx. Text
// content is redacted like the message (a secret in an attached file is
// not kept either); its digest is of what is stored.
func (s *Store) saveAttachments(ctx context.Context, tx *sql.Tx, messageID int64, atts []Attachment) error {
	r := s.redactor()
	for i, a := range atts {
		if a.Data != nil {
			if r != nil && isText(a) {
				a.Data = []byte(r.Replace(string(a.Data)))
			}
			sum := sha256.Sum256(a.Data)
			a.SHA256, a.Size = hex.EncodeToString(sum[:]), int64(len(a.Data))
			if _, err := tx.ExecContext(ctx, `INSERT INTO attachment_blobs (sha256, size, data) VALUES (?, ?, ?)
				ON CONFLICT (sha256) DO NOTHING`, a.SHA256, a.Size, a.Data); err != nil {
				return err
			}
		} else {
			a.SHA256 = strings.ToLower(a.SHA256)
			err := tx.QueryRowContext(ctx, "SELECT size FROM attachment_blobs WHERE sha256 = ?", a.SHA256).Scan(&a.Size)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("attachment %q (%s): %w", a.Name, a.SHA256, ErrAttachmentMissing)
			}
			if err != nil {
				return err
			}
		}
		if r != nil {
			a.Name, a.Path = r.Replace(a.Name), r.Replace(a.Path)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO message_attachments (message_id, ord, name, path, kind, mime, size, sha256)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, messageID, i, a.Name, a.Path, a.Kind, a.MIME, a.Size, a.SHA256); err != nil {
			return fmt.Errorf("attachment %q: %w", a.Name, err)
		}
	}
	return nil
}

// isText says whether an attachment's content is text, which redaction
// may change without spoiling it.
func isText(a Attachment) bool {
	if a.Kind == "text" || strings.HasPrefix(a.MIME, "text/") {
		return true
	}
	if a.Kind != "" || a.MIME != "" {
		return false
	}
	return utf8.Valid(a.Data)
}

// loadAttachments fills in the attachments of msgs (content too when
// withData).
func loadAttachments(ctx context.Context, q querier, msgs []StoredMessage, withData bool) error {
	if len(msgs) == 0 {
		return nil
	}
	index := make(map[int64]int, len(msgs))
	ids := make([]int64, len(msgs))
	for i, m := range msgs {
		index[m.ID], ids[i] = i, m.ID
	}
	idList, err := json.Marshal(ids)
	if err != nil {
		return err
	}
	data := "NULL"
	if withData {
		data = "(SELECT data FROM attachment_blobs b WHERE b.sha256 = a.sha256)"
	}
	rows, err := q.QueryContext(ctx, `SELECT message_id, name, path, kind, mime, size, sha256, `+data+`
		FROM message_attachments a WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY message_id, ord`,
		string(idList))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var a Attachment
		if err := rows.Scan(&id, &a.Name, &a.Path, &a.Kind, &a.MIME, &a.Size, &a.SHA256, &a.Data); err != nil {
			return err
		}
		if withData && a.Data == nil {
			a.Data = []byte{}
		}
		m := &msgs[index[id]]
		m.Attachments = append(m.Attachments, a)
	}
	return rows.Err()
}

// LoadAttachmentData fills in the content of every attachment of msgs
// (as LoadSession returns them), for sending them again or exporting
// them.
func (s *Store) LoadAttachmentData(ctx context.Context, msgs []StoredMessage) error {
	for i := range msgs {
		for j := range msgs[i].Attachments {
			a := &msgs[i].Attachments[j]
			if a.Data != nil {
				continue
			}
			data, err := s.AttachmentData(ctx, a.SHA256)
			if err != nil {
				return fmt.Errorf("attachment %q: %w", a.Name, err)
			}
			a.Data = data
		}
	}
	return nil
}

// AttachmentData returns stored content by its SHA-256 (lowercase hex).
func (s *Store) AttachmentData(ctx context.Context, sha string) ([]byte, error) {
	var data []byte
	err := s.r.QueryRowContext(ctx, "SELECT data FROM attachment_blobs WHERE sha256 = ?", strings.ToLower(sha)).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("%s: %w", sha, ErrAttachmentMissing)
	}
	if data == nil && err == nil {
		data = []byte{}
	}
	return data, err
}
