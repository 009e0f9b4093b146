package stream

import (
	"encoding/json"
	"slices"
)

// StrictCompatible reports whether a tool's JSON schema meets the rules
// OpenAI's strict mode (structured outputs) sets, so that "strict": true
// is accepted: the root is an object; every object lists all its
// properties as required and sets additionalProperties to false; nesting
// stays within 10 levels; and no keyword strict mode rejects (allOf, oneOf,
// not, if/then/else, patternProperties...) appears. A schema that fails
// is sent with "strict": false and works as before.
func StrictCompatible(schema json.RawMessage) bool {
	var root map[string]any
	if len(schema) == 0 || json.Unmarshal(schema, &root) != nil || root["type"] != "object" {
		return false
	}
	return strictNode(root, 0)
}

// strictUnsupported are keywords strict mode rejects.
var strictUnsupported = []string{"allOf", "oneOf", "not", "if", "then", "else", "dependentRequired",
	"dependentSchemas", "patternProperties", "unevaluatedProperties", "unevaluatedItems", "propertyNames",
	"minProperties", "maxProperties", "contains", "minContains", "maxContains", "uniqueItems"}

func strictNode(n map[string]any, depth int) bool {
	if depth > 10 {
		return false
	}
	for _, k := range strictUnsupported {
		if _, ok := n[k]; ok {
			return false
		}
	}
	if isType(n["type"], "object") {
		props, _ := n["properties"].(map[string]any)
		if ap, ok := n["additionalProperties"].(bool); !ok || ap {
			return false
		}
		var required []string
		if rs, ok := n["required"].([]any); ok {
			for _, r := range rs {
				if s, ok := r.(string); ok {
					required = append(required, s)
				}
			}
		}
		for name, p := range props {
			child, ok := p.(map[string]any)
			if !ok || !slices.Contains(required, name) || !strictNode(child, depth+1) {
				return false
			}
		}
	}
	if items, ok := n["items"].(map[string]any); ok && !strictNode(items, depth+1) {
		return false
	}
	for _, key := range []string{"anyOf"} {
		if list, ok := n[key].([]any); ok {
			for _, s := range list {
				child, ok := s.(map[string]any)
				if !ok || !strictNode(child, depth+1) {
					return false
				}
			}
		}
	}
	for _, key := range []string{"$defs", "definitions"} {
		if defs, ok := n[key].(map[string]any); ok {
			for _, s := range defs {
				child, ok := s.(map[string]any)
				if !ok || !strictNode(child, depth+1) {
					return false
				}
			}
		}
	}
	return true
}

// isType says whether a schema's "type" (a name or a list of names)
// includes want.
func isType(t any, want string) bool {
	switch t := t.(type) {
	case string:
		return t == want
	case []any:
		return slices.Contains(t, any(want))
	}
	return false
}
