package config

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
)

// What a tool or an MCP server gets from the config besides its command:
// the environment variables (env) and, for a server, its roots.

// checkEnvShape checks an env value: a list of names (and NAME=value
// entries), or a table of values.
func checkEnvShape(md *toml.MetaData, p toml.Primitive, table, name string) error {
	key := []string{table, name, "env"}
	const want = `expected a list of variables to pass, such as ["GITHUB_TOKEN", "PAGER=cat"], or a table of values`
	switch v := probeKey(md, p, key...).(type) {
	case nil:
	case []any:
		for _, item := range v {
			if _, ok := item.(string); !ok {
				return shapeError{key, want + ", got " + goTypeName(fmt.Sprintf("%T", item)) + " in the list"}
			}
		}
	case map[string]any:
		for _, k := range sortedKeys(v) {
			if _, ok := v[k].(string); !ok {
				return shapeError{append(key, k), "expected a string, got " + goTypeName(fmt.Sprintf("%T", v[k]))}
			}
		}
	default:
		return shapeError{key, want + ", got " + goTypeName(fmt.Sprintf("%T", v))}
	}
	return nil
}

// envSpec reads an env value: a list of names to pass from Parley's
// environment and NAME=value entries, or a table of values.
func envSpec(md *toml.MetaData, p toml.Primitive, key []string, bad func([]string, string, ...any)) (pass []string, set map[string]string) {
	checkValue := func(key []string, v string) {
		if strings.ContainsRune(v, 0) {
			bad(key, "expected a value without NUL characters")
		}
	}
	switch probeKey(md, p, key...).(type) {
	case []any:
		var items []string
		_ = md.PrimitiveDecode(p, &items) // marks it decoded
		for _, item := range items {
			name, value, fixed := strings.Cut(item, "=")
			switch {
			case !envName.MatchString(name):
				bad(key, "expected names of environment variables, such as GITHUB_TOKEN, or NAME=value, got %q", item)
			case fixed:
				if set == nil {
					set = map[string]string{}
				}
				set[name] = value
				checkValue(key, value)
			default:
				pass = append(pass, name)
			}
		}
	case map[string]any:
		_ = md.PrimitiveDecode(p, &set)
		for _, k := range sortedKeys(set) {
			if !envName.MatchString(k) {
				bad(append(slices.Clip(key), k), "expected the name of an environment variable, such as MY_TOKEN")
			} else {
				checkValue(append(slices.Clip(key), k), set[k])
			}
		}
	}
	return pass, set
}

// checkRoots checks an MCP server's roots: directories, absolute or under
// the home directory (~/).
func checkRoots(key []string, roots []string, bad func([]string, string, ...any)) {
	for _, r := range roots {
		if r != "~" && !strings.HasPrefix(r, "~/") && !filepath.IsAbs(r) {
			bad(key, `expected absolute directories or ones under ~/, such as "~/src/project", got %q`, r)
		}
	}
}
