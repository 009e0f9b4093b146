package mock

import (
	"bytes"
	"encoding/json"
)

// object is a JSON object that keeps its keys in the order they were added.
// Frames then read like OpenAI's ("type" first), which helps anyone reading a
// demo recording; decoders must not depend on the order.
type object []field

type field struct {
	key   string
	value any
}

func (o object) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := marshal(f.key)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		v, err := marshal(f.value)
		if err != nil {
			return nil, err
		}
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// marshal is json.Marshal without HTML escaping: OpenAI sends "<" and "&"
// as they are, and model text (code, markdown) is full of them.
func marshal(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// with returns a copy of o with fs appended; o itself is never changed, so
// a shared prefix can be extended many times.
func (o object) with(fs ...field) object {
	return append(o[:len(o):len(o)], fs...)
}
