package spectest

import (
	"strings"
	"testing"
)

// TestItReallyValidates: bodies that break the document's rules fail, so
// a passing check means something.
func TestItReallyValidates(t *testing.T) {
	v := Load(t)
	good := `{"model":"gpt-5","input":[{"role":"user","content":"hi"}],"stream":true}`
	if err := v.CheckResponses([]byte(good)); err != nil {
		t.Fatalf("a minimal valid body fails: %v", err)
	}
	bad := map[string]string{
		"tool without name":          `{"model":"m","input":"hi","tools":[{"type":"function","parameters":{}}]}`,
		"input of the wrong type":    `{"model":"m","input":42}`,
		"output message without id":  `{"model":"m","input":[{"type":"message","role":"assistant","content":[{"type":"output_text","text":"x"}]}]}`,
		"unknown role":               `{"model":"m","input":[{"role":"robot","content":"hi"}]}`,
		"reasoning effort not known": `{"model":"m","input":"hi","reasoning":{"effort":"extreme"}}`,
		"raw base64 as an image URL": `{"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"aW1n","detail":"auto"}]}]}`,
		"image detail not known":     `{"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"data:image/png;base64,aW1n","detail":"huge"}]}]}`,
		"file data not a string":     `{"model":"m","input":[{"role":"user","content":[{"type":"input_file","filename":"a.pdf","file_data":{"b64":"cGRm"}}]}]}`,
		"text part without text":     `{"model":"m","input":[{"role":"user","content":[{"type":"input_text"}]}]}`,
	}
	for name, body := range bad {
		if err := v.CheckResponses([]byte(body)); err == nil {
			t.Errorf("%s: accepted %s", name, body)
		}
	}
	if err := v.CheckChat([]byte(`{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true}`)); err != nil {
		t.Fatalf("a minimal valid chat body fails: %v", err)
	}
	for name, body := range map[string]string{
		"no messages":                `{"model":"m"}`,
		"tool call without id":       `{"model":"m","messages":[{"role":"assistant","content":"","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]}`,
		"tool result untied":         `{"model":"m","messages":[{"role":"tool","content":"4"}]}`,
		"image URL as a string":      `{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":"data:image/png;base64,aW1n"}]}]}`,
		"raw base64 as an image URL": `{"model":"m","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"aW1n"}}]}]}`,
		"file part without its file": `{"model":"m","messages":[{"role":"user","content":[{"type":"file","filename":"a.pdf"}]}]}`,
	} {
		if err := v.CheckChat([]byte(body)); err == nil || !strings.Contains(err.Error(), "") {
			t.Errorf("%s: accepted %s", name, body)
		}
	}
}
