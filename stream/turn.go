package stream

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Turn is a finished (or cut-off) reply folded from its choices. The UI
// keeps one per assistant message; `parley decode` prints one.
type Turn struct {
	API              API               `json:"api"`
	Status           Status            `json:"status"`
	IncompleteReason string            `json:"incomplete_reason"`
	Error            *Error            `json:"error"`
	ResponseID       string            `json:"response_id"`
	Model            string            `json:"model"`
	Text             string            `json:"text"`
	Refusal          string            `json:"refusal"`
	Reasoning        []string          `json:"reasoning"`
	ToolCalls        []ToolCall        `json:"tool_calls"`
	HostedCalls      []HostedCall      `json:"hosted_calls"`
	Annotations      []Annotation      `json:"annotations"`
	Usage            *Usage            `json:"usage"`
	Events           Stats             `json:"events"`
	Items            []json.RawMessage `json:"-"`

	text, refusal strings.Builder
	reasoning     []*strings.Builder // pointers: growing the slice must not copy a Builder in use
	args          []*strings.Builder // ToolCalls[i].Arguments as it grows, so a long one is not copied per delta
	partIndex     map[ReasoningRef]int
	calls         map[string]int // tool key → index in ToolCalls or HostedCalls
	itemOrder     map[int]int    // output index → position in Items
}

// ToolCall is a call Parley runs: its final arguments and identity.
type ToolCall struct {
	Type        string `json:"type"` // function_call or custom_tool_call
	ID          string `json:"id"`
	CallID      string `json:"call_id"`
	Name        string `json:"name"`
	Arguments   string `json:"arguments"`
	OutputIndex int    `json:"-"`
}

// HostedCall is a tool the server ran itself (web search...).
type HostedCall struct {
	Type        string `json:"type"`
	ID          string `json:"id"`
	Status      string `json:"status"`
	OutputIndex int    `json:"-"`
}

// NewTurn returns an empty turn, ready for Add.
func NewTurn() *Turn {
	return &Turn{
		Reasoning: []string{}, ToolCalls: []ToolCall{}, HostedCalls: []HostedCall{}, Annotations: []Annotation{},
		partIndex: map[ReasoningRef]int{}, calls: map[string]int{}, itemOrder: map[int]int{},
	}
}

// toolKey finds a call across choices: Responses choices carry the item id,
// Chat choices only the index.
func toolKey(c Choice) string {
	if c.Tool != nil && c.Tool.ItemID != "" {
		return "i:" + c.Tool.ItemID
	}
	return "x:" + strconv.Itoa(c.OutputIndex)
}

// Add folds one choice in. Text fields are kept current after every call.
func (t *Turn) Add(c Choice) {
	switch c.Kind {
	case KindMeta:
		if c.Meta.ResponseID != "" {
			t.ResponseID = c.Meta.ResponseID
		}
		if c.Meta.Model != "" {
			t.Model = c.Meta.Model
		}
	case KindText:
		t.text.WriteString(c.Delta)
		t.Text = t.text.String()
	case KindRefusal:
		t.refusal.WriteString(c.Delta)
		t.Refusal = t.refusal.String()
	case KindReasoning:
		ref := *c.Reasoning
		i, ok := t.partIndex[ref]
		if !ok {
			i = len(t.reasoning)
			t.partIndex[ref] = i
			t.reasoning = append(t.reasoning, &strings.Builder{})
			t.Reasoning = append(t.Reasoning, "")
		}
		t.reasoning[i].WriteString(c.Delta)
		t.Reasoning[i] = t.reasoning[i].String()
	case KindToolStart:
		t.toolStart(c)
	case KindToolArgs:
		if i, ok := t.calls[toolKey(c)]; ok && i >= 0 {
			t.args[i].WriteString(c.Delta)
			t.ToolCalls[i].Arguments = t.args[i].String()
		}
	case KindToolDone:
		t.toolDone(c)
	case KindHostedStatus:
		if i, ok := t.calls[toolKey(c)]; ok && i < 0 {
			t.HostedCalls[-i-1].Status = c.Tool.Status
		}
	case KindAnnotation:
		t.Annotations = append(t.Annotations, *c.Annotation)
	case KindItem:
		if i, ok := t.itemOrder[c.OutputIndex]; ok {
			t.Items[i] = c.Item
		} else {
			t.itemOrder[c.OutputIndex] = len(t.Items)
			t.Items = append(t.Items, c.Item)
		}
	case KindUsage:
		u := *c.Usage
		t.Usage = &u
	case KindError:
		if t.Error == nil {
			e := *c.Err
			t.Error = &e
		}
	case KindDone:
		t.Status = c.Done.Status
		t.IncompleteReason = c.Done.IncompleteReason
	}
}

// Calls are stored in output order; ToolCalls index i ≥ 0, HostedCalls -i-1.
func (t *Turn) toolStart(c Choice) {
	key := toolKey(c)
	if i, ok := t.calls[key]; ok { // a later start fills in a name or id
		if i >= 0 {
			tc := &t.ToolCalls[i]
			tc.CallID = orString(tc.CallID, c.Tool.CallID)
			tc.Name = orString(tc.Name, c.Tool.Name)
		}
		return
	}
	if c.Tool.Kind == ToolHosted {
		t.HostedCalls = append(t.HostedCalls, HostedCall{Type: c.Tool.Type, ID: c.Tool.ItemID, Status: c.Tool.Status, OutputIndex: c.OutputIndex})
		t.calls[key] = -len(t.HostedCalls)
		return
	}
	typ := c.Tool.Type
	if typ == "" {
		typ = "function_call"
	}
	t.ToolCalls = append(t.ToolCalls, ToolCall{Type: typ, ID: c.Tool.ItemID, CallID: c.Tool.CallID, Name: c.Tool.Name, OutputIndex: c.OutputIndex})
	t.args = append(t.args, &strings.Builder{})
	t.calls[key] = len(t.ToolCalls) - 1
}

func (t *Turn) toolDone(c Choice) {
	i, ok := t.calls[toolKey(c)]
	if !ok {
		t.toolStart(c)
		i = t.calls[toolKey(c)]
	}
	if i < 0 {
		if c.Tool.Status != "" {
			t.HostedCalls[-i-1].Status = c.Tool.Status
		}
		return
	}
	tc := &t.ToolCalls[i]
	tc.Arguments = c.Tool.Arguments
	t.args[i].Reset()
	t.args[i].WriteString(tc.Arguments)
	tc.CallID = orString(tc.CallID, c.Tool.CallID)
	tc.Name = orString(tc.Name, c.Tool.Name)
}

func orString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
