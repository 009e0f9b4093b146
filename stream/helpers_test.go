package stream_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/parley-tui/parley/stream"
)

// collect runs a decoder over body to its end and returns every choice. It
// fails the test unless the stream ends with exactly one done choice, last,
// and Next then keeps returning io.EOF.
func collect(t testing.TB, body io.Reader, api stream.API, opts ...stream.DecoderOption) ([]stream.Choice, *stream.Decoder) {
	t.Helper()
	d := stream.NewDecoder(body, api, opts...)
	defer d.Close()
	var out []stream.Choice
	for {
		c, err := d.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("Next: %v", err)
		}
		out = append(out, c)
		if len(out) > 1_000_000 {
			t.Fatal("decoder does not terminate")
		}
	}
	if err := checkChoices(out); err != nil {
		t.Fatal(err)
	}
	if _, err := d.Next(); !errors.Is(err, io.EOF) {
		t.Fatalf("Next after the end = %v, want io.EOF", err)
	}
	return out, d
}

// checkChoices states the invariants every decoded stream keeps: exactly
// one done choice, last, and each kind with the field it promises.
func checkChoices(cs []stream.Choice) error {
	if len(cs) == 0 {
		return errors.New("no choices: want at least a done choice")
	}
	for i, c := range cs {
		if (c.Kind == stream.KindDone) != (i == len(cs)-1) {
			return fmt.Errorf("choice %d of %d is %v: want exactly one done, last", i, len(cs), c.Kind)
		}
		var ok bool
		switch c.Kind {
		case stream.KindMeta:
			ok = c.Meta != nil
		case stream.KindText, stream.KindRefusal:
			ok = c.Delta != ""
		case stream.KindReasoning:
			ok = c.Reasoning != nil && c.Delta != ""
		case stream.KindToolStart, stream.KindToolDone, stream.KindHostedStatus:
			ok = c.Tool != nil
		case stream.KindToolArgs:
			ok = c.Tool != nil && c.Delta != ""
		case stream.KindAnnotation:
			ok = c.Annotation != nil
		case stream.KindItem:
			ok = json.Valid(c.Item)
		case stream.KindUsage:
			ok = c.Usage != nil
		case stream.KindError:
			ok = c.Err != nil && c.Err.Message != "" // Code may be empty: not every server names one
		case stream.KindDone:
			ok = c.Done != nil && c.Done.Status != ""
		case stream.KindReplace:
			ok = (c.Of == stream.KindText || c.Of == stream.KindRefusal || (c.Of == stream.KindReasoning && c.Reasoning != nil)) && c.Delta != ""
		}
		if !ok {
			return fmt.Errorf("choice %d (%v) lacks its payload: %+v", i, c.Kind, c)
		}
	}
	return nil
}

// decodeString decodes body and describes each choice on one line.
func decodeString(t testing.TB, api stream.API, body string, opts ...stream.DecoderOption) []string {
	t.Helper()
	cs, _ := collect(t, strings.NewReader(body), api, opts...)
	return describeAll(cs)
}

func describeAll(cs []stream.Choice) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = describe(c)
	}
	return out
}

// describe renders a choice as a short line, so tables of expected choices
// stay readable. Fields a kind does not use are left out.
func describe(c stream.Choice) string {
	at := fmt.Sprintf("%v@%d", c.Kind, c.OutputIndex)
	switch c.Kind {
	case stream.KindMeta:
		return fmt.Sprintf("meta id=%s model=%s", c.Meta.ResponseID, c.Meta.Model)
	case stream.KindText, stream.KindRefusal:
		if c.Part != 0 {
			at += fmt.Sprintf("/%d", c.Part)
		}
		return fmt.Sprintf("%s %q", at, c.Delta)
	case stream.KindReplace:
		return fmt.Sprintf("%s %v/%d %q", at, c.Of, c.Part, c.Delta)
	case stream.KindReasoning:
		r := c.Reasoning
		raw := ""
		if r.Raw {
			raw = " raw"
		}
		return fmt.Sprintf("%s%s %s/%d %q", at, raw, r.ItemID, r.Part, c.Delta)
	case stream.KindToolStart, stream.KindToolDone:
		s := fmt.Sprintf("%s %s %s item=%s call=%s name=%s", at, c.Tool.Kind, c.Tool.Type, c.Tool.ItemID, c.Tool.CallID, c.Tool.Name)
		if c.Tool.Status != "" {
			s += " status=" + c.Tool.Status
		}
		if c.Kind == stream.KindToolDone {
			s += fmt.Sprintf(" args=%q", c.Tool.Arguments)
			if c.Tool.ArgsChanged {
				s += " changed"
			}
		}
		return s
	case stream.KindToolArgs:
		return fmt.Sprintf("%s item=%s call=%s %q", at, c.Tool.ItemID, c.Tool.CallID, c.Delta)
	case stream.KindHostedStatus:
		return fmt.Sprintf("%s %s %s %s", at, c.Tool.Type, c.Tool.ItemID, c.Tool.Status)
	case stream.KindAnnotation:
		a := c.Annotation
		return fmt.Sprintf("%s %s %s %q %d-%d", at, a.Type, a.URL, a.Title, a.StartIndex, a.EndIndex)
	case stream.KindItem:
		var it struct {
			Type string `json:"type"`
			ID   string `json:"id"`
		}
		_ = json.Unmarshal(c.Item, &it)
		return fmt.Sprintf("%s %s %s", at, it.Type, it.ID)
	case stream.KindUsage:
		u := c.Usage
		return fmt.Sprintf("usage in=%d cached=%d out=%d reasoning=%d total=%d", u.Input, u.Cached, u.Output, u.Reasoning, u.Total)
	case stream.KindError:
		return fmt.Sprintf("error %s %q", c.Err.Code, c.Err.Message)
	case stream.KindDone:
		s := "done " + string(c.Done.Status)
		if c.Done.IncompleteReason != "" {
			s += " " + c.Done.IncompleteReason
		}
		return s
	}
	return at
}

// sse writes frames as `data:` lines, one frame per argument, each followed
// by the blank line that ends it.
func sse(frames ...string) string {
	var b strings.Builder
	for _, f := range frames {
		b.WriteString("data: ")
		b.WriteString(f)
		b.WriteString("\n\n")
	}
	return b.String()
}

// ev builds a Responses event of the given type from key/value pairs
// written as raw JSON fragments, e.g. ev("response.output_text.delta",
// `"item_id":"msg_1"`, `"delta":"Hi"`).
func ev(typ string, fields ...string) string {
	var b bytes.Buffer
	b.WriteString(`{"type":"` + typ + `"`)
	for _, f := range fields {
		b.WriteString(",")
		b.WriteString(f)
	}
	b.WriteString("}")
	return b.String()
}

// Lifecycle frames shared by the Responses tables.
var (
	created   = ev("response.created", `"sequence_number":0`, `"response":{"id":"resp_1","model":"gpt-test","status":"in_progress","usage":null,"output":[]}`)
	completed = ev("response.completed", `"response":{"id":"resp_1","model":"gpt-test","status":"completed","usage":{"input_tokens":5,"input_tokens_details":{"cached_tokens":1},"output_tokens":7,"output_tokens_details":{"reasoning_tokens":2},"total_tokens":12}}`)
)

const (
	metaLine  = "meta id=resp_1 model=gpt-test"
	usageLine = "usage in=5 cached=1 out=7 reasoning=2 total=12"
)

// equalLines fails the test with both lists when they differ.
func equalLines(t testing.TB, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("choices differ\n got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}
