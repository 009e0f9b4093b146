package cli

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/sanitize"
)

// exportOptions say what a session export includes besides the text (and
// the attachments' names, always listed).
type exportOptions struct {
	reasoning, tools, attachments bool
}

// exportDoc is `parley sessions show --format json`: the session and its
// messages, without the raw output items (they are for the server).
type exportDoc struct {
	Session  store.Session   `json:"session"`
	Messages []exportMessage `json:"messages"`
}

type exportMessage struct {
	ID            int64               `json:"id"`
	Role          model.Role          `json:"role"`
	Status        store.Status        `json:"status"`
	Text          string              `json:"text"`
	Refusal       string              `json:"refusal,omitempty"`
	Reasoning     []string            `json:"reasoning,omitempty"`
	ToolCalls     []store.ToolCall    `json:"tool_calls,omitempty"`
	HostedCalls   []stream.HostedCall `json:"hosted_calls,omitempty"`
	Annotations   []stream.Annotation `json:"annotations,omitempty"`
	Attachments   []store.Attachment  `json:"attachments,omitempty"` // content (base64) only with --attachments
	Model         string              `json:"model,omitempty"`
	ResponseModel string              `json:"response_model,omitempty"`
	Effort        string              `json:"effort,omitempty"`
	Usage         *stream.Usage       `json:"usage,omitempty"`
	Error         *stream.Error       `json:"error,omitempty"`
	Sent          time.Time           `json:"sent,omitzero"`
	FirstToken    time.Time           `json:"first_token,omitzero"`
	Finished      time.Time           `json:"finished,omitzero"`
}

func exportJSON(sess store.Session, msgs []store.StoredMessage, opts exportOptions) exportDoc {
	doc := exportDoc{Session: sess, Messages: []exportMessage{}}
	for _, m := range msgs {
		e := exportMessage{
			ID: m.ID, Role: m.Role, Status: m.Status, Text: m.Text, Refusal: m.Refusal, Annotations: m.Annotations,
			Attachments: m.Attachments, Model: m.Model, ResponseModel: m.ResponseModel, Effort: m.Effort, Usage: m.Usage, Error: m.Error,
			Sent: m.Sent, FirstToken: m.FirstToken, Finished: m.Finished,
		}
		if opts.reasoning {
			e.Reasoning = m.Reasoning
		}
		if opts.tools {
			e.ToolCalls, e.HostedCalls = m.ToolCalls, m.HostedCalls
		}
		doc.Messages = append(doc.Messages, e)
	}
	return doc
}

// exportMarkdown renders a session as a markdown transcript. Every text
// that came from a user, a model or a server is sanitised: the transcript
// is meant to be printed to a terminal as well as saved.
func exportMarkdown(sess store.Session, msgs []store.StoredMessage, opts exportOptions) string {
	var b strings.Builder
	title := oneLine(sess.Title)
	if title == "" {
		title = "Untitled session"
	}
	fmt.Fprintf(&b, "# %s\n\n", title)
	meta := []string{"Session `" + sess.ID + "`", "started " + sess.Created.Local().Format("2006-01-02 15:04")}
	if sess.Model != "" {
		meta = append(meta, "model "+oneLine(sess.Model))
	}
	if sess.Role != "" {
		meta = append(meta, "role "+oneLine(sess.Role))
	}
	if sess.Dir != "" {
		meta = append(meta, "in "+oneLine(sess.Dir))
	}
	b.WriteString(strings.Join(meta, " · ") + "\n")
	b.WriteString("\n")
	for _, m := range msgs {
		b.WriteString("---\n\n")
		writeMarkdownMessage(&b, m, opts)
	}
	return b.String()
}

func writeMarkdownMessage(b *strings.Builder, m store.StoredMessage, opts exportOptions) {
	head := "You"
	if m.Role == model.RoleAssistant {
		head = "Assistant"
		name := m.ResponseModel // the snapshot that answered, else the model asked
		if name == "" {
			name = m.Model
		}
		if name != "" {
			head += " · " + oneLine(name)
		}
	}
	if !m.Sent.IsZero() {
		head += " · " + m.Sent.Local().Format("2006-01-02 15:04")
	}
	fmt.Fprintf(b, "## %s\n\n", head)
	writeMarkdownAttachments(b, m.Attachments, opts)
	if opts.reasoning {
		for _, part := range m.Reasoning {
			if part = strings.TrimSpace(sanitize.Text(part)); part != "" {
				b.WriteString("> **Reasoning**\n>\n")
				for _, line := range strings.Split(part, "\n") {
					b.WriteString(strings.TrimRight("> "+line, " ") + "\n")
				}
				b.WriteString("\n")
			}
		}
	}
	if opts.tools {
		for _, c := range m.ToolCalls {
			fmt.Fprintf(b, "**Tool call** `%s`", strings.ReplaceAll(oneLine(c.Name), "`", "'"))
			if c.CallID != "" {
				fmt.Fprintf(b, " · %s", oneLine(c.CallID))
			}
			b.WriteString("\n\n")
			writeFenced(b, "json", prettyJSON(c.Arguments))
			if c.Output != "" {
				b.WriteString("Output:\n\n")
				writeFenced(b, "", c.Output)
			}
		}
		for _, h := range m.HostedCalls {
			fmt.Fprintf(b, "**Server tool** `%s` · %s\n\n", oneLine(h.Type), oneLine(h.Status))
		}
	}
	if text := strings.TrimSpace(sanitize.Text(m.Text)); text != "" {
		b.WriteString(text + "\n\n")
	}
	if r := strings.TrimSpace(sanitize.Text(m.Refusal)); r != "" {
		fmt.Fprintf(b, "> Refused: %s\n\n", oneLine(r))
	}
	links := 0
	for _, a := range m.Annotations {
		if a.URL != "" {
			fmt.Fprintf(b, "- [%s](%s)\n", oneLine(a.Title), oneLine(a.URL))
			links++
		}
	}
	if links > 0 {
		b.WriteString("\n")
	}
	if note := statusNote(m); note != "" {
		fmt.Fprintf(b, "_%s_\n\n", note)
	}
}

func statusNote(m store.StoredMessage) string {
	msg := ""
	if m.Error != nil {
		msg = oneLine(m.Error.Message)
	}
	switch m.Status {
	case store.StatusInterrupted:
		return "Interrupted: Parley stopped before this reply finished."
	case store.StatusStreaming:
		return "Still streaming."
	case store.StatusCancelled:
		return "Cancelled."
	case store.StatusIncomplete:
		if m.IncompleteReason != "" {
			return "Incomplete: " + oneLine(m.IncompleteReason) + "."
		}
		return "Incomplete."
	case store.StatusFailed:
		if msg != "" {
			return "Failed: " + msg
		}
		return "Failed."
	}
	return ""
}

// writeMarkdownAttachments lists a message's attachments, with the content
// of the text ones when asked.
func writeMarkdownAttachments(b *strings.Builder, atts []store.Attachment, opts exportOptions) {
	for _, a := range atts {
		desc := []string{sizeText(a.Size)}
		if t := cmp.Or(a.MIME, a.Kind); t != "" {
			desc = append([]string{oneLine(t)}, desc...)
		}
		fmt.Fprintf(b, "**Attached** `%s` · %s", strings.ReplaceAll(oneLine(a.Name), "`", "'"), strings.Join(desc, " · "))
		if a.Path != "" && a.Path != a.Name {
			fmt.Fprintf(b, " · from %s", oneLine(a.Path))
		}
		b.WriteString("\n\n")
		if opts.attachments && a.Data != nil {
			if utf8.Valid(a.Data) && !strings.HasPrefix(a.MIME, "image/") && a.MIME != "application/pdf" {
				writeFenced(b, "", string(a.Data))
			} else {
				b.WriteString("_(binary content: see the JSON export)_\n\n")
			}
		}
	}
}

// sizeText is a size as a person reads it: 512 B, 1.5 KB, 2.0 MB.
func sizeText(n int64) string {
	if n < 1024 {
		return fmt.Sprintf("%d B", n)
	}
	v, unit := float64(n)/1024, "KB"
	if v >= 1024 {
		v, unit = v/1024, "MB"
	}
	return fmt.Sprintf("%.1f %s", v, unit)
}

// writeFenced writes text in a code fence longer than any backtick run in
// it, so the text cannot close the fence.
func writeFenced(b *strings.Builder, lang, text string) {
	text = sanitize.Text(text)
	fence := "```"
	for strings.Contains(text, fence) {
		fence += "`"
	}
	fmt.Fprintf(b, "%s%s\n%s\n%s\n\n", fence, lang, strings.TrimRight(text, "\n"), fence)
}

func prettyJSON(s string) string {
	var buf bytes.Buffer
	if json.Indent(&buf, []byte(s), "", "  ") != nil {
		return s
	}
	return buf.String()
}
