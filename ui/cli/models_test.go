package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model"
)

func runModels(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = Execute(append([]string{"models"}, args...), strings.NewReader(""), &out, &errb)
	return code, out.String(), errb.String()
}

func TestModelsOfTheDemo(t *testing.T) {
	code, out, errOut := runModels(t)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !strings.HasPrefix(lines[0], "PROVIDER") || len(lines) != 5 {
		t.Fatalf("output:\n%s", out)
	}
	if f := strings.Fields(lines[1]); strings.Join(f, " ") != "demo parley-mock-1 (default) yes yes - -" {
		t.Errorf("first row %q", lines[1])
	}
	if !strings.Contains(out, "parley-mock-tools") {
		t.Errorf("output:\n%s", out)
	}
}

func TestModelsMergesConfiguredAndServed(t *testing.T) {
	url := startMock(t)
	cfg := writeConfig(t, fmt.Sprintf(`provider = "mocked"
model = "parley-mock-1"

[providers.mocked]
api = "chat"
base_url = %q

[providers.mocked.models."parley-mock-1"]
context_window = 131072
input_price = 0.5
output_price = 1.5

[providers.mocked.models."retired-model"]

[providers.gone]
api = "chat"
base_url = %q

[providers.gone.models."far-away"]
`, url, refusedURL(t)))

	code, out, errOut := runModels(t, "--config", cfg, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []modelRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("%v:\n%s", err, out)
	}
	type brief struct {
		model            string
		dflt, configured bool
		served           string
		context          int
		hasPrice         bool
	}
	got := make([]brief, len(rows))
	for i, r := range rows {
		served := "null"
		if r.Served != nil {
			served = fmt.Sprint(*r.Served)
		}
		got[i] = brief{r.Model, r.Default, r.Configured, served, r.ContextWindow, r.InputPrice != nil}
		if r.Provider != "mocked" {
			t.Errorf("without --all, provider %s is listed", r.Provider)
		}
	}
	want := []brief{
		{"parley-mock-1", true, true, "true", 131072, true},
		{"retired-model", false, true, "false", 0, false},
		{"parley-mock-markdown", false, false, "true", 0, false},
		{"parley-mock-reasoning", false, false, "true", 0, false},
		{"parley-mock-tools", false, false, "true", 0, false},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("rows:\n got %v\nwant %v", got, want)
	}
	if rows[0].InputPrice == nil || *rows[0].InputPrice != 0.5 || *rows[0].OutputPrice != 1.5 {
		t.Errorf("price %v/%v", rows[0].InputPrice, rows[0].OutputPrice)
	}

	// --all: the unreachable provider's error goes to stderr, and its
	// configured model is still listed, served unknown.
	code, out, errOut = runModels(t, "--config", cfg, "--all")
	if code != 0 {
		t.Fatalf("--all: exit %d: %s", code, errOut)
	}
	if !strings.Contains(errOut, "parley: gone: Could not reach") {
		t.Errorf("stderr %q", errOut)
	}
	for _, want := range []string{
		"mocked    parley-mock-1 (default)  yes         yes     131,072  0.50/1.50",
		"gone      far-away                 yes         ?       -        -",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in:\n%s", want, out)
		}
	}
}

func TestModelsExitsOneWhenNothingCanBeListed(t *testing.T) {
	cfg := writeConfig(t, fmt.Sprintf("[providers.gone]\napi = \"chat\"\nbase_url = %q\n", refusedURL(t)))
	code, out, errOut := runModels(t, "--config", cfg, "--provider", "gone", "--json")
	if code != 1 || out != "" {
		t.Errorf("exit %d, stdout %q", code, out)
	}
	if !strings.Contains(errOut, "connection refused") || !strings.Contains(errOut, "no models to list") {
		t.Errorf("stderr %q", errOut)
	}
}

// A server's list is merged by set: every id once (a repeated one too),
// configured models first and marked served when listed, at any length.
func TestMergeModelsManyServed(t *testing.T) {
	served := make([]string, 0, 100_001)
	for i := range 100_000 {
		served = append(served, fmt.Sprintf("model-%06d", i))
	}
	served = append(served, "model-000007") // listed twice
	p := providerModels{name: "liar", configured: []string{"mine", "model-000042"}, dflt: "mine"}
	rows := mergeModels(p, served, true, model.NewCatalog(nil))
	if len(rows) != 100_001 {
		t.Fatalf("%d rows, want the 2 configured and the 99,999 others", len(rows))
	}
	if r := rows[0]; r.Model != "mine" || !r.Default || !r.Configured || *r.Served {
		t.Errorf("first row %+v", r)
	}
	if r := rows[1]; r.Model != "model-000042" || !r.Configured || !*r.Served {
		t.Errorf("second row %+v", r)
	}
	if r := rows[len(rows)-1]; r.Model != "model-099999" || r.Configured || !*r.Served {
		t.Errorf("last row %+v", r)
	}
}
