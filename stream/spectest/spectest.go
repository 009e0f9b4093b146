// Package spectest checks request bodies against OpenAI's published
// OpenAPI document, for tests. A test writes
//
//	v := spectest.Load(t) // skips when the document is absent
//	v.Responses(t, body)  // fails unless body is a valid CreateResponse
//	v.Chat(t, body)       // ... a valid CreateChatCompletionRequest
//
// The document is read at test time, never copied into the repository:
// $PARLEY_OPENAPI if set, else shared/openapi/openapi.yaml beside the
// repository or one of the folders above it (the team keeps it in
// ../shared/openapi/openapi.yaml). It is OpenAPI 3.1, whose schemas are JSON
// Schema 2020-12, so santhosh-tekuri/jsonschema validates them as they are,
// $refs and all: the rules are the document's, not a hand-written copy.
// Two rewrites make it mean in JSON Schema what it means in OpenAPI:
//   - a oneOf with a discriminator becomes an anyOf. In OpenAPI the
//     discriminator picks the branch; the document's branches overlap (a
//     user message with a content list is both an EasyInputMessage and an
//     InputMessage), so a plain oneOf would reject every such message. At
//     least one branch must still match.
//   - two file-search filter schemas use draft 2019-09's $recursiveAnchor
//     and $recursiveRef "#", which 2020-12 dropped; they become the plain
//     $ref to the schema itself that they mean.
//
// Formats are asserted, as an API server checks them: an image_url must
// be a URI, so raw base64 where a data URL belongs fails.
package spectest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// EnvPath names the variable that points at openapi.yaml.
const EnvPath = "PARLEY_OPENAPI"

// Validator holds the compiled request schemas.
type Validator struct {
	responses, chat *jsonschema.Schema
}

var load = sync.OnceValues(func() (*Validator, error) {
	path, err := find()
	if err != nil {
		return nil, err
	}
	return compile(path)
})

// errAbsent means the document is not there: tests skip, saying where
// they looked.
var errAbsent = errors.New("absent")

// Load returns the validator, compiled once per test binary. It skips the
// test, saying why, when the document cannot be found; it fails it when
// the document is there but cannot be read.
func Load(t testing.TB) *Validator {
	t.Helper()
	v, err := load()
	if errors.Is(err, errAbsent) {
		t.Skipf("OpenAI's OpenAPI document is not here (%v): set %s to its path to run this test", err, EnvPath)
	}
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// find locates openapi.yaml: $PARLEY_OPENAPI, else shared/openapi beside
// the module root or any folder above it.
func find() (string, error) {
	if p := os.Getenv(EnvPath); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvPath, p, errAbsent)
		}
		return p, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for root := dir; ; root = filepath.Dir(root) {
		if _, err := os.Stat(filepath.Join(root, "go.mod")); err == nil {
			dir = root
			break
		}
		if filepath.Dir(root) == root {
			break
		}
	}
	for d := dir; ; d = filepath.Dir(d) {
		p := filepath.Join(filepath.Dir(d), "shared", "openapi", "openapi.yaml")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		if filepath.Dir(d) == d {
			return "", fmt.Errorf("no shared/openapi/openapi.yaml beside %s or above it: %w", dir, errAbsent)
		}
	}
}

func compile(path string) (*Validator, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	discriminatedAnyOf(doc)
	if comps, ok := doc.(map[string]any)["components"].(map[string]any); ok {
		if schemas, ok := comps["schemas"].(map[string]any); ok {
			for name, sch := range schemas {
				if m, ok := sch.(map[string]any); ok && m["$recursiveAnchor"] == true {
					delete(m, "$recursiveAnchor")
					replaceRecursiveRef(m, "#/components/schemas/"+name)
				}
			}
		}
	}
	// Through JSON, so numbers and maps take the types the validator reads.
	js, err := json.Marshal(doc)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft2020)
	c.AssertFormat() // 2020-12 only annotates formats unless asked

	const url = "https://parley.invalid/openapi.json"
	if err := c.AddResource(url, inst); err != nil {
		return nil, err
	}
	var v Validator
	if v.responses, err = c.Compile(url + "#/components/schemas/CreateResponse"); err != nil {
		return nil, fmt.Errorf("%s: CreateResponse: %w", path, err)
	}
	if v.chat, err = c.Compile(url + "#/components/schemas/CreateChatCompletionRequest"); err != nil {
		return nil, fmt.Errorf("%s: CreateChatCompletionRequest: %w", path, err)
	}
	return &v, nil
}

// discriminatedAnyOf turns every oneOf that has a discriminator beside it
// into an anyOf.
func discriminatedAnyOf(v any) {
	switch v := v.(type) {
	case map[string]any:
		if _, ok := v["discriminator"]; ok {
			if one, ok := v["oneOf"]; ok {
				delete(v, "oneOf")
				v["anyOf"] = one
			}
		}
		for _, c := range v {
			discriminatedAnyOf(c)
		}
	case []any:
		for _, c := range v {
			discriminatedAnyOf(c)
		}
	}
}

// replaceRecursiveRef turns every {"$recursiveRef": "#"} under v into
// {"$ref": ref}.
func replaceRecursiveRef(v any, ref string) {
	switch v := v.(type) {
	case map[string]any:
		if v["$recursiveRef"] == "#" {
			delete(v, "$recursiveRef")
			v["$ref"] = ref
		}
		for _, c := range v {
			replaceRecursiveRef(c, ref)
		}
	case []any:
		for _, c := range v {
			replaceRecursiveRef(c, ref)
		}
	}
}

// Responses fails t unless body is a valid POST /responses body.
func (v *Validator) Responses(t testing.TB, name string, body []byte) {
	t.Helper()
	if err := v.CheckResponses(body); err != nil {
		t.Errorf("%s: the body is not a valid CreateResponse: %v\nbody: %s", name, err, clip(body))
	}
}

// Chat fails t unless body is a valid POST /chat/completions body.
func (v *Validator) Chat(t testing.TB, name string, body []byte) {
	t.Helper()
	if err := v.CheckChat(body); err != nil {
		t.Errorf("%s: the body is not a valid CreateChatCompletionRequest: %v\nbody: %s", name, err, clip(body))
	}
}

// clip shortens a body for a failure message.
func clip(body []byte) string {
	if len(body) > 4000 {
		return string(body[:4000]) + "…"
	}
	return string(body)
}

// CheckResponses validates a POST /responses body.
func (v *Validator) CheckResponses(body []byte) error { return check(v.responses, body) }

// CheckChat validates a POST /chat/completions body.
func (v *Validator) CheckChat(body []byte) error { return check(v.chat, body) }

func check(s *jsonschema.Schema, body []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return err
	}
	return s.Validate(inst)
}
