package suggest

import (
	"slices"
	"testing"
)

func TestClosest(t *testing.T) {
	names := []string{"base_url", "api", "api_key_env", "api_key_cmd", "auth_header", "headers", "query", "models"}
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"base_ulr", []string{"base_url"}},
		{"BASE_URL", []string{"base_url"}},
		{"header", []string{"headers", "auth_header"}},
		{"api_key_en", []string{"api_key_env", "api_key_cmd"}},
		{"zzzzzz", nil},
		{"", nil},
	} {
		if got := Closest(c.in, names); !slices.Equal(got, c.want) {
			t.Errorf("Closest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if got := Closest("sidebar", []string{"global.toggle_sidebar", "global.quit"}); !slices.Equal(got, []string{"global.toggle_sidebar"}) {
		t.Errorf("a name contained in a candidate is not suggested: %q", got)
	}
	if h := Hint("base_ulr", names); h != " (did you mean base_url?)" {
		t.Errorf("Hint = %q", h)
	}
	if h := Hint("zzzzzz", names); h != "" {
		t.Errorf("Hint with no match = %q", h)
	}
}
