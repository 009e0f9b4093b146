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
		"no messages":          `{"model":"m"}`,
		"tool call without id": `{"model":"m","messages":[{"role":"assistant","content":"","tool_calls":[{"type":"function","function":{"name":"f","arguments":"{}"}}]}]}`,
		"tool result untied":   `{"model":"m","messages":[{"role":"tool","content":"4"}]}`,
	} {
		if err := v.CheckChat([]byte(body)); err == nil || !strings.Contains(err.Error(), "") {
			t.Errorf("%s: accepted %s", name, body)
		}
	}
}
