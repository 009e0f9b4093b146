package mcp

import (
	"strings"
	"testing"

	sdk "github.com/modelcontextprotocol/go-sdk/mcp"

	"github.com/parley-tui/parley/model/tools"
)

func TestResults(t *testing.T) {
	size := int64(3)
	for _, c := range []struct {
		result sdk.CallToolResult
		want   string
		failed bool
		parts  int
	}{
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "a"}, &sdk.TextContent{Text: "b"}}}, "a\nb", false, 0},
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.TextContent{Text: "no such file"}}, IsError: true}, "Error: no such file", true, 0},
		{sdk.CallToolResult{IsError: true}, "Error: the tool reported a failure.", true, 0},
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.ImageContent{MIMEType: "image/jpeg", Data: make([]byte, 300)}}}, "[image: image/jpeg, 300 B]", false, 1},
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.ImageContent{MIMEType: "image/png", Data: make([]byte, 10)}}, IsError: true},
			"Error: the tool reported a failure.\n[image: image/png, 10 B]", true, 2},
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.ImageContent{MIMEType: "image/svg+xml", Data: make([]byte, 2048)}}},
			"[image: image/svg+xml, 2 KB, not sent: a type the model cannot take]", false, 0},
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.ImageContent{MIMEType: "image/png", Data: make([]byte, MaxImage+1)}}},
			"[image: image/png, 10.0 MB, not sent: too large to send]", false, 0},
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.AudioContent{MIMEType: "audio/wav", Data: make([]byte, 3<<20+1<<19)}}},
			"[audio: audio/wav, 3.5 MB, not sent: Parley sends no audio to the model]", false, 0},
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.ResourceLink{Name: "readme", URI: "file:///r.md", Size: &size}}}, "[resource link: readme file:///r.md]", false, 0},
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.EmbeddedResource{Resource: &sdk.ResourceContents{URI: "file:///a.txt", Text: "hello"}}}},
			"[resource file:///a.txt]\nhello", false, 0},
		{sdk.CallToolResult{Content: []sdk.Content{&sdk.EmbeddedResource{Resource: &sdk.ResourceContents{URI: "file:///a.bin", Blob: make([]byte, 2048)}}}},
			"[resource file:///a.bin: unknown type, 2 KB, not shown: binary content]", false, 0},
		{sdk.CallToolResult{StructuredContent: map[string]any{"n": 1}}, `{"n":1}`, false, 0},
	} {
		r := toResult(&c.result, 0)
		if r.Output != c.want || r.Failed != c.failed || len(r.Parts) != c.parts {
			t.Errorf("got %q failed=%v parts=%d, want %q failed=%v parts=%d", r.Output, r.Failed, len(r.Parts), c.want, c.failed, c.parts)
		}
	}
}

// The text of a result with images is capped in Output and in its parts.
func TestResultCap(t *testing.T) {
	r := toResult(&sdk.CallToolResult{Content: []sdk.Content{
		&sdk.TextContent{Text: strings.Repeat("a", 8)},
		&sdk.ImageContent{MIMEType: "image/png", Data: []byte{1}},
		&sdk.TextContent{Text: strings.Repeat("b", 8)},
	}}, 10)
	if r.Output != "aaaaaaaa\n[\n[output cut at 10 bytes; 31 more bytes were dropped]" {
		t.Errorf("output %q", r.Output)
	}
	if len(r.Parts) != 3 || r.Parts[0].Text != "aaaaaaaa" || r.Parts[1].Kind != tools.PartImage ||
		r.Parts[2].Text != "bb\n[output cut at 2 bytes; 6 more bytes were dropped]" {
		t.Errorf("parts %+v", r.Parts)
	}
}
