package mcp

import (
	"cmp"
	"encoding/json"
	"fmt"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"
)

// Text flattens a tool's result for the model: text content as it is,
// joined by newlines; other content described in a line ("[image:
// image/png, 12 KB]"); the structured content as JSON when there is
// nothing else.
func Text(r *sdk.CallToolResult) string {
	parts := make([]string, 0, len(r.Content))
	for _, c := range r.Content {
		parts = append(parts, contentText(c))
	}
	if len(parts) == 0 && r.StructuredContent != nil {
		if data, err := json.Marshal(r.StructuredContent); err == nil {
			parts = append(parts, string(data))
		}
	}
	return strings.Join(parts, "\n")
}

func contentText(c sdk.Content) string {
	switch c := c.(type) {
	case *sdk.TextContent:
		return c.Text
	case *sdk.ImageContent:
		return fmt.Sprintf("[image: %s, %s]", cmp.Or(c.MIMEType, "unknown type"), size(len(c.Data)))
	case *sdk.AudioContent:
		return fmt.Sprintf("[audio: %s, %s]", cmp.Or(c.MIMEType, "unknown type"), size(len(c.Data)))
	case *sdk.ResourceLink:
		return fmt.Sprintf("[resource link: %s %s]", cmp.Or(c.Title, c.Name), c.URI)
	case *sdk.EmbeddedResource:
		r := c.Resource
		switch {
		case r == nil:
			return "[resource]"
		case r.Text != "":
			return fmt.Sprintf("[resource %s]\n%s", r.URI, r.Text)
		}
		return fmt.Sprintf("[resource %s: %s, %s]", r.URI, cmp.Or(r.MIMEType, "unknown type"), size(len(r.Blob)))
	}
	var kind struct {
		Type string `json:"type"`
	}
	if data, err := c.MarshalJSON(); err == nil {
		_ = json.Unmarshal(data, &kind)
	}
	return fmt.Sprintf("[%s content]", cmp.Or(kind.Type, "unknown"))
}

// size reads a byte count for people: 512 B, 12 KB, 3.4 MB.
func size(n int) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%d KB", (n+512)/1024)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
}
