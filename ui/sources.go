package ui

import (
	"bytes"
	"encoding/json"

	"github.com/parley-tui/parley/ui/sanitize"
)

// searchSource is a source a hosted web search consulted, as its output
// item's action lists it: a page, or a service such as OpenAI's weather.
type searchSource struct {
	Type string `json:"type"` // "url" or "api"
	URL  string `json:"url"`
	Name string `json:"name"`
}

// line is how the sources list shows it.
func (s searchSource) line() string {
	if s.URL != "" {
		return sanitize.Text(s.URL)
	}
	return sanitize.Text(s.Name) + " (" + sanitize.Text(s.Type) + ")"
}

// searchSources reads the sources of a reply's web searches from its raw
// output items (web_search_call, action.sources), in order.
func searchSources(items []json.RawMessage) []searchSource {
	var out []searchSource
	for _, raw := range items {
		if !bytes.Contains(raw, []byte(`"web_search_call"`)) {
			continue
		}
		var it struct {
			Type   string `json:"type"`
			Action struct {
				Sources []searchSource `json:"sources"`
			} `json:"action"`
		}
		if json.Unmarshal(raw, &it) != nil || it.Type != "web_search_call" {
			continue
		}
		for _, s := range it.Action.Sources {
			if s.URL != "" || s.Name != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
