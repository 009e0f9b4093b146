package mcp

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/tools"
)

// MaxImage bounds an image a result carries to the model; a larger one is
// described instead. (OpenAI takes images up to 20 MB.)
const MaxImage = 10 << 20

// imageTypes are the image types the model APIs take.
var imageTypes = []string{"image/png", "image/jpeg", "image/gif", "image/webp"}

// toResult turns a tool's result into what the model gets: text content
// as it is, text resources inline, images as image parts (and a line in
// Output), anything else described in a line. An isError result is failed
// and its output starts with "Error:".
func toResult(r *sdk.CallToolResult, maxOutput int) tools.Result {
	if maxOutput <= 0 {
		maxOutput = tools.DefaultMaxOutput
	}
	var parts []tools.Part
	images := false
	for _, c := range r.Content {
		if img, ok := c.(*sdk.ImageContent); ok && slices.Contains(imageTypes, img.MIMEType) && len(img.Data) <= MaxImage {
			parts = append(parts, tools.Part{Kind: tools.PartImage, MIME: img.MIMEType, Data: img.Data})
			images = true
			continue
		}
		parts = append(parts, tools.Part{Kind: tools.PartText, Text: contentText(c)})
	}
	if len(parts) == 0 && r.StructuredContent != nil {
		if data, err := json.Marshal(r.StructuredContent); err == nil {
			parts = append(parts, tools.Part{Kind: tools.PartText, Text: string(data)})
		}
	}
	if r.IsError {
		if len(parts) > 0 && parts[0].Kind == tools.PartText {
			parts[0].Text = "Error: " + parts[0].Text
		} else {
			parts = append([]tools.Part{{Kind: tools.PartText, Text: "Error: the tool reported a failure."}}, parts...)
		}
	}
	lines := make([]string, len(parts))
	for i, p := range parts {
		lines[i] = p.Text
		if p.Kind == tools.PartImage {
			lines[i] = fmt.Sprintf("[image: %s, %s]", p.MIME, size(len(p.Data)))
		}
	}
	res := tools.Result{Output: tools.Cap(strings.Join(lines, "\n"), maxOutput), Failed: r.IsError}
	if images {
		res.Parts = capText(parts, maxOutput)
	}
	return res
}

// capText cuts the text parts to limit bytes in all, as Cap cuts Output.
func capText(parts []tools.Part, limit int) []tools.Part {
	for i := range parts {
		switch {
		case parts[i].Kind != tools.PartText:
		case limit <= 0:
			parts[i].Text = fmt.Sprintf("[output cut: %d more bytes were dropped]", len(parts[i].Text))
		default:
			parts[i].Text = tools.Cap(parts[i].Text, limit)
			limit -= len(parts[i].Text)
		}
	}
	return parts
}

// contentText describes content that is not an image the model can take.
func contentText(c sdk.Content) string {
	switch c := c.(type) {
	case *sdk.TextContent:
		return c.Text
	case *sdk.ImageContent:
		why := "a type the model cannot take"
		if len(c.Data) > MaxImage {
			why = "too large to send"
		}
		return fmt.Sprintf("[image: %s, %s, not sent: %s]", cmp.Or(c.MIMEType, "unknown type"), size(len(c.Data)), why)
	case *sdk.AudioContent:
		return fmt.Sprintf("[audio: %s, %s, not sent: Parley sends no audio to the model]", cmp.Or(c.MIMEType, "unknown type"), size(len(c.Data)))
	case *sdk.ResourceLink:
		return fmt.Sprintf("[resource link: %s %s]", cmp.Or(c.Title, c.Name), c.URI)
	case *sdk.EmbeddedResource:
		r := c.Resource
		switch {
		case r == nil:
			return "[resource]"
		case r.Blob == nil:
			return fmt.Sprintf("[resource %s]\n%s", r.URI, r.Text)
		}
		return fmt.Sprintf("[resource %s: %s, %s, not shown: binary content]", r.URI, cmp.Or(r.MIMEType, "unknown type"), size(len(r.Blob)))
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
