package model

import (
	"sort"
	"strings"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/stream"
)

// Price is what a model costs, in US dollars per million tokens.
type Price struct {
	Input, CachedInput, Output float64
}

// ModelInfo is what Parley knows about a model family.
type ModelInfo struct {
	// Price is nil when unknown: then no cost is shown, never a guess.
	Price *Price
	// ContextWindow in tokens; 0 when unknown.
	ContextWindow int
	// Reasoning says whether the model takes a reasoning effort; nil when
	// unknown, and then an effort the user chose is sent.
	Reasoning *bool
	// Vision says whether the model can look at images; nil when unknown,
	// and then an image is sent and the server decides.
	Vision *bool
}

// builtinModels are published list prices (standard tier), context
// windows and what the models take (a reasoning effort, images), as of
// 2026. Keys are prefixes of the model names servers report
// ("gpt-4o-mini-2024-07-18" matches "gpt-4o-mini"); the longest prefix
// wins. The config file can add or override entries.
var builtinModels = func() map[string]ModelInfo {
	yes, no := true, false
	// thinks takes a reasoning effort; plain does not. Both see images,
	// as OpenAI's current models do; blind marks those that do not.
	thinks := func(p *Price, window int) ModelInfo { return ModelInfo{p, window, &yes, &yes} }
	plain := func(p *Price, window int) ModelInfo { return ModelInfo{p, window, &no, &yes} }
	blind := func(m ModelInfo) ModelInfo { m.Vision = &no; return m }
	return map[string]ModelInfo{
		"gpt-3.5-turbo":     blind(plain(&Price{0.50, 0.50, 1.50}, 16_385)),
		"gpt-4":             blind(plain(&Price{30.00, 30.00, 60.00}, 8_192)),
		"gpt-4-turbo":       plain(&Price{10.00, 10.00, 30.00}, 128_000),
		"gpt-4o":            plain(&Price{2.50, 1.25, 10.00}, 128_000),
		"gpt-4o-mini":       plain(&Price{0.15, 0.075, 0.60}, 128_000),
		"gpt-4.1":           plain(&Price{2.00, 0.50, 8.00}, 1_047_576),
		"gpt-4.1-mini":      plain(&Price{0.40, 0.10, 1.60}, 1_047_576),
		"gpt-4.1-nano":      plain(&Price{0.10, 0.025, 0.40}, 1_047_576),
		"gpt-5":             thinks(&Price{1.25, 0.125, 10.00}, 400_000),
		"gpt-5-chat":        plain(&Price{1.25, 0.125, 10.00}, 128_000),
		"gpt-5-mini":        thinks(&Price{0.25, 0.025, 2.00}, 400_000),
		"gpt-5-nano":        thinks(&Price{0.05, 0.005, 0.40}, 400_000),
		"o3":                thinks(&Price{2.00, 0.50, 8.00}, 200_000),
		"o3-mini":           blind(thinks(&Price{1.10, 0.55, 4.40}, 200_000)),
		"o4-mini":           thinks(&Price{1.10, 0.275, 4.40}, 200_000),
		"o1":                thinks(&Price{15.00, 7.50, 60.00}, 200_000),
		"o1-mini":           blind(plain(&Price{1.10, 0.55, 4.40}, 128_000)), // it thinks, but takes no effort setting
		"deepseek-chat":     blind(plain(nil, 128_000)),
		"deepseek-reasoner": blind(plain(nil, 128_000)), // it thinks, but takes no effort setting
	}
}()

// Catalog answers what a model costs and how much context it has.
type Catalog struct {
	models map[string]ModelInfo
	keys   []string // longest first
}

// NewCatalog returns the built-in table plus extra entries (which win).
func NewCatalog(extra map[string]ModelInfo) *Catalog {
	c := &Catalog{models: map[string]ModelInfo{}}
	for k, v := range builtinModels {
		c.models[k] = v
	}
	for k, v := range extra {
		c.models[k] = v
	}
	for k := range c.models {
		c.keys = append(c.keys, k)
	}
	sort.Slice(c.keys, func(i, j int) bool {
		if len(c.keys[i]) != len(c.keys[j]) {
			return len(c.keys[i]) > len(c.keys[j])
		}
		return c.keys[i] < c.keys[j]
	})
	return c
}

// Lookup finds the entry for a model name, matching the longest known
// prefix that ends at a name boundary ("gpt-5" must not match "gpt-50").
func (c *Catalog) Lookup(model string) (ModelInfo, bool) {
	model = strings.ToLower(model)
	if i := strings.LastIndexByte(model, '/'); i >= 0 { // "openai/gpt-4o" on OpenRouter
		model = model[i+1:]
	}
	for _, k := range c.keys {
		if model == k || (strings.HasPrefix(model, k) && model[len(k)] == '-') {
			return c.models[k], true
		}
	}
	return ModelInfo{}, false
}

// Effort is the reasoning effort to send to model: effort itself, unless
// the model is known to take none (gpt-4.1, gpt-4o, deepseek-chat...),
// which reject the field.
func (c *Catalog) Effort(model, effort string) string {
	if c.plain(model) {
		return ""
	}
	return effort
}

// plain says the catalog knows model does not reason.
func (c *Catalog) plain(model string) bool {
	info, ok := c.Lookup(model)
	return ok && info.Reasoning != nil && !*info.Reasoning
}

// Fit makes a request fit its model: a model known not to reason is sent
// no reasoning effort and asked for no encrypted reasoning (it rejects
// both). A model the catalog does not know is left as asked: encrypted
// reasoning stays requested, since a reasoning model without it cannot
// carry its reasoning into a stateless next turn, and a non-reasoning one
// is named with reasoning = false in the config.
func (c *Catalog) Fit(req stream.Request) stream.Request {
	if c.plain(req.Model) {
		req.ReasoningEffort, req.NoReasoning = "", true
	}
	return req
}

// Vision is what the catalog knows of model's sight, for
// attach.Target: unknown models are left to the server.
func (c *Catalog) Vision(model string) attach.Vision {
	info, _ := c.Lookup(model)
	return attach.VisionOf(info.Vision)
}

// Cost is the price of one usage, and whether it is known.
func (c *Catalog) Cost(model string, u Usage) (float64, bool) {
	info, ok := c.Lookup(model)
	if !ok || info.Price == nil {
		return 0, false
	}
	p := info.Price
	fresh := u.Input - u.Cached
	if fresh < 0 {
		fresh = 0
	}
	return (float64(fresh)*p.Input + float64(u.Cached)*p.CachedInput + float64(u.Output)*p.Output) / 1e6, true
}
