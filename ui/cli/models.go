package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/logging"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/stream/mock"
)

// listTimeout bounds each server's GET /models.
const listTimeout = 10 * time.Second

// demoProvider names the demo backend in the model list.
const demoProvider = "demo"

func newModelsCmd(f *chatFlags) *cobra.Command {
	var all, asJSON bool
	cmd := &cobra.Command{
		Use:   "models",
		Short: "List the models of a provider: configured, and served",
		Long: `Models lists the provider's models: those the configuration names (with
their context window and price, when known) merged with those its server
lists at GET /models. The provider is the one the chat would use (see
--provider); --all lists every provider the config file defines too. With
no key and no base URL set, it lists the built-in demo backend's models.

A server that cannot be reached has its error printed on stderr, and its
configured models are still listed; the exit code is 1 when nothing at
all could be listed.`,
		Example: `  parley models
  parley models --provider ollama
  parley models --all --json`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			logger, closeLog, err := setupLogging(cmd, os.Getenv)
			if err != nil {
				return err
			}
			defer closeLog()
			ctx := commandContext(cmd)
			rows, err := listModels(ctx, *f, all, os.Getenv, logger, cmd.ErrOrStderr())
			if err != nil {
				return err
			}
			if asJSON {
				return writeModelsJSON(cmd.OutOrStdout(), rows)
			}
			return writeModelsTable(cmd.OutOrStdout(), rows)
		},
	}
	cmd.Flags().BoolVar(&all, "all", false, "list every provider the config file defines too")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

// modelRow is one model of one provider.
type modelRow struct {
	Provider   string `json:"provider"`
	Model      string `json:"model"`
	Default    bool   `json:"default,omitempty"` // the chat's model
	Configured bool   `json:"configured"`
	// Served is whether the server lists it; null when it could not be asked.
	Served        *bool    `json:"served"`
	ContextWindow int      `json:"context_window,omitempty"`
	InputPrice    *float64 `json:"input_price,omitempty"`  // US dollars per million tokens
	OutputPrice   *float64 `json:"output_price,omitempty"` // US dollars per million tokens
}

// providerModels is what one provider's listing needs.
type providerModels struct {
	name       string
	configured []string
	dflt       string
	client     *stream.Client
	err        error // the client could not be built (a key that cannot be read)
}

// listModels lists the models of the provider in use, or with all of
// every provider the file defines too. A server that cannot be asked is
// reported on stderr; an error means nothing could be listed.
func listModels(ctx context.Context, f chatFlags, all bool, getenv func(string) string, logger *slog.Logger, stderr io.Writer) ([]modelRow, error) {
	st, noModel, err := loadSetupAnyModel(f, getenv)
	if err != nil {
		return nil, err
	}
	s := st.settings
	dflt := s.Model
	if noModel != nil {
		dflt = ""
	}
	var provs []providerModels
	if s.Demo {
		srv, err := mock.New(mock.Options{Instant: true})
		if err != nil {
			return nil, err
		}
		url, err := srv.Start("127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		defer srv.Close()
		provs = append(provs, providerModels{name: demoProvider, configured: []string{demoModel}, dflt: cmp.Or(s.Model, demoModel),
			client: stream.NewClient(withLogging(stream.Config{BaseURL: url, API: s.API}, logger))})
	} else {
		provs = append(provs, providerModels{name: s.Provider, dflt: dflt})
	}
	if all {
		for _, name := range s.FileProviders() {
			if s.Demo || name != s.Provider {
				provs = append(provs, providerModels{name: name})
			}
		}
	}
	for _, c := range s.Models() {
		for i := range provs {
			if provs[i].name == c.Provider && !slices.Contains(provs[i].configured, c.Model) {
				provs[i].configured = append(provs[i].configured, c.Model)
			}
		}
	}
	for i := range provs {
		if provs[i].client == nil {
			cfg, err := s.ProviderConfig(ctx, provs[i].name)
			provs[i].client, provs[i].err = stream.NewClient(withLogging(cfg, logger)), err
		}
	}

	served := make([][]string, len(provs))
	errs := make([]error, len(provs))
	var wg sync.WaitGroup
	for i, p := range provs {
		if p.err != nil {
			errs[i] = p.err
			continue
		}
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(ctx, listTimeout)
			defer cancel()
			served[i], errs[i] = p.client.ListModels(ctx)
			for j, id := range served[i] { // a server's words: no key shown, in JSON either
				served[i][j] = logging.Redact(id)
			}
		})
	}
	wg.Wait()

	var rows []modelRow
	for i, p := range provs {
		if errs[i] != nil {
			fmt.Fprintf(stderr, "parley: %s: %s\n", p.name, serverText(errs[i].Error()))
		}
		rows = append(rows, mergeModels(p, served[i], errs[i] == nil, st.catalog)...)
	}
	if len(rows) == 0 {
		return nil, errors.New("no models to list: none configured, and no server listed any")
	}
	return rows, nil
}

// placeholderModel stands in for the model when none is chosen, to
// resolve the rest of the settings: listing the models is how one is
// chosen.
const placeholderModel = "parley-no-model"

// loadSetupAnyModel is loadSetup for commands that need no model. When
// loadSetup fails and a model would have made it succeed, the settings
// are resolved with a placeholder model and noModel is loadSetup's error,
// saying what the chat would need.
func loadSetupAnyModel(f chatFlags, getenv func(string) string) (st *setup, noModel, err error) {
	st, err = loadSetup(f, getenv)
	if err == nil || f.model != "" {
		return st, nil, err
	}
	f.model = placeholderModel
	if retry, rerr := loadSetup(f, getenv); rerr == nil {
		return retry, err, nil
	}
	return nil, nil, err
}

// mergeModels lists the configured models in the config's order, then
// the ones only the server lists, sorted. asked says the server answered.
// A server may list any number of models, so membership is looked up in
// sets: a linear search per row made 100,000 ids cost 17 s.
func mergeModels(p providerModels, served []string, asked bool, catalog *model.Catalog) []modelRow {
	isServed := make(map[string]bool, len(served))
	for _, m := range served {
		isServed[m] = true
	}
	isConfigured := make(map[string]bool, len(p.configured))
	for _, m := range p.configured {
		isConfigured[m] = true
	}
	rows := make([]modelRow, 0, len(p.configured)+len(served))
	add := func(name string, configured bool) {
		r := modelRow{Provider: p.name, Model: name, Default: name == p.dflt, Configured: configured}
		if asked {
			s := isServed[name]
			r.Served = &s
		}
		if info, ok := catalog.Lookup(name); ok {
			r.ContextWindow = info.ContextWindow
			if info.Price != nil {
				in, out := info.Price.Input, info.Price.Output
				r.InputPrice, r.OutputPrice = &in, &out
			}
		}
		rows = append(rows, r)
	}
	for _, m := range p.configured {
		add(m, true)
	}
	for _, m := range served { // sorted by ListModels
		if !isConfigured[m] {
			add(m, false)
			isConfigured[m] = true // a server that lists an id twice gets one row
		}
	}
	return rows
}

// writeModelsJSON prints the rows; writeJSON escapes any control
// characters a served model id holds.
func writeModelsJSON(w io.Writer, rows []modelRow) error { return writeJSON(w, rows) }

func writeModelsTable(w io.Writer, rows []modelRow) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "PROVIDER\tMODEL\tCONFIGURED\tSERVED\tCONTEXT\tPRICE IN/OUT ($/1M)")
	for _, r := range rows {
		name := r.Model
		if r.Default {
			name += " (default)"
		}
		served := "?"
		if r.Served != nil {
			served = yesNo(*r.Served)
		}
		ctx, price := "-", "-"
		if r.ContextWindow > 0 {
			ctx = groupThousands(r.ContextWindow)
		}
		if r.InputPrice != nil {
			price = fmt.Sprintf("%.2f/%.2f", *r.InputPrice, *r.OutputPrice)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", tableCell(r.Provider), tableCell(name), yesNo(r.Configured), served, ctx, price)
	}
	return tw.Flush()
}

// tableCell is a value as the table prints it: ids come from the server,
// so escapes are neutralised, and tabs and newlines that would break the
// columns are folded.
func tableCell(s string) string { return strings.Join(strings.Fields(serverText(s)), " ") }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// groupThousands writes n as 131,072.
func groupThousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
