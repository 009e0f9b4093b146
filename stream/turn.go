package stream

import (
	"encoding/json"
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

	text, refusal textBuf
	reasoning     []*strings.Builder // pointers: growing the slice must not copy a Builder in use
	args          []*strings.Builder // ToolCalls[i].Arguments as it grows, so a long one is not copied per delta
	partIndex     map[reasoningKey]int
	calls         map[callKey]int // (output index, item id) → index in ToolCalls or HostedCalls
	itemOrder     map[int]int     // output index → position in Items
}

// reasoningKey names a reasoning part by output index as well as item id,
// so a server that reuses an item id does not merge two items' parts.
type reasoningKey struct {
	out int
	ref ReasoningRef
}

// ToolCall is a call Parley runs: its final arguments and identity.
type ToolCall struct {
	Type      string `json:"type"` // function_call or custom_tool_call
	ID        string `json:"id"`
	CallID    string `json:"call_id"`
	Name      string `json:"name"`
	Arguments string `json:"arguments"`
	// ArgsChanged: the server's final arguments differ from what streamed.
	ArgsChanged bool `json:"args_changed,omitempty"`
	// Done: Arguments are final (a KindToolDone came); later argument
	// deltas for the call are ignored.
	Done        bool `json:"-"`
	OutputIndex int  `json:"-"`
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
		partIndex: map[reasoningKey]int{}, calls: map[callKey]int{}, itemOrder: map[int]int{},
	}
}

// toolKey finds a call across choices by its output index (the call's
// index on Chat) and item id (none on Chat): a reused id at another index
// is another call.
func toolKey(c Choice) callKey {
	k := callKey{out: c.OutputIndex}
	if c.Tool != nil {
		k.id = c.Tool.ItemID
	}
	return k
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
		t.Text = t.text.add(c.OutputIndex, c.Part, c.Delta)
	case KindRefusal:
		t.Refusal = t.refusal.add(c.OutputIndex, c.Part, c.Delta)
	case KindReasoning:
		i := t.reasoningPart(c)
		t.reasoning[i].WriteString(c.Delta)
		t.Reasoning[i] = t.reasoning[i].String()
	case KindReplace:
		t.replace(c)
	case KindToolStart:
		t.toolStart(c)
	case KindToolArgs:
		if i, ok := t.calls[toolKey(c)]; ok && i >= 0 && !t.ToolCalls[i].Done {
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
	if tc.Done {
		return // decided once: a second done cannot change what runs
	}
	tc.Done = true
	tc.Arguments, tc.ArgsChanged = c.Tool.Arguments, c.Tool.ArgsChanged
	t.args[i].Reset()
	t.args[i].WriteString(tc.Arguments)
	tc.CallID = orString(tc.CallID, c.Tool.CallID)
	tc.Name = orString(tc.Name, c.Tool.Name)
}

// reasoningPart finds or starts the reasoning part a choice belongs to.
func (t *Turn) reasoningPart(c Choice) int {
	k := reasoningKey{c.OutputIndex, *c.Reasoning}
	i, ok := t.partIndex[k]
	if !ok {
		i = len(t.reasoning)
		t.partIndex[k] = i
		t.reasoning = append(t.reasoning, &strings.Builder{})
		t.Reasoning = append(t.Reasoning, "")
	}
	return i
}

// replace applies a KindReplace: the part's final text instead of what
// streamed.
func (t *Turn) replace(c Choice) {
	switch c.Of {
	case KindText:
		t.Text = t.text.replace(c.OutputIndex, c.Part, c.Delta)
	case KindRefusal:
		t.Refusal = t.refusal.replace(c.OutputIndex, c.Part, c.Delta)
	case KindReasoning:
		if c.Reasoning != nil {
			i := t.reasoningPart(c)
			t.reasoning[i].Reset()
			t.reasoning[i].WriteString(c.Delta)
			t.Reasoning[i] = t.reasoning[i].String()
		}
	}
}

func orString(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
