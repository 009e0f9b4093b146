package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/ui/sanitize"
)

// ModelOption is a model the picker offers: from the config's providers,
// or from what the current server lists at GET /models.
type ModelOption struct {
	Provider string
	Model    string
	// Reasoning says the model takes a reasoning effort; unknown models
	// are given the benefit of the doubt.
	Reasoning bool
}

// RoleOption is a named system prompt from the config.
type RoleOption struct {
	Name, Description, Prompt string
}

// pickItem is one row of the picker: a model or a role.
type pickItem struct {
	model *ModelOption
	role  *RoleOption
}

func (it pickItem) text() string {
	if it.role != nil {
		return "role " + it.role.Name + " " + it.role.Description
	}
	return it.model.Model + " " + it.model.Provider
}

// modelPicker is the overlay that chooses a model or a role. Typing
// filters (every typed rune in order, case folded).
type modelPicker struct {
	filterList
	options  []ModelOption
	roles    []RoleOption
	loading  bool
	fetchErr string
}

// modelsListedMsg carries what the server says it serves.
type modelsListedMsg struct {
	provider string
	ids      []string
	err      error
}

// modelLister is the part of a client that lists models.
type modelLister interface {
	ListModels(ctx context.Context) ([]string, error)
}

// openModelPicker shows the configured models at once and asks the server
// for its list in the background.
func (m *Model) openModelPicker() tea.Cmd {
	p := &modelPicker{roles: m.deps.Roles}
	p.options = append(p.options, m.deps.Models...)
	p.add(ModelOption{Provider: m.chat.Provider(), Model: m.chat.Model()})
	m.overlays.push(p)
	lister, ok := m.chat.Client().(modelLister)
	if !ok {
		return nil
	}
	p.loading = true
	provider := m.chat.Provider()
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ids, err := lister.ListModels(ctx)
		return modelsListedMsg{provider: provider, ids: ids, err: err}
	}
}

func (p *modelPicker) add(o ModelOption) {
	if o.Model == "" || slices.ContainsFunc(p.options, func(x ModelOption) bool { return x.Provider == o.Provider && x.Model == o.Model }) {
		return
	}
	p.options = append(p.options, o)
}

func (p *modelPicker) listed(msg modelsListedMsg) {
	p.loading = false
	if msg.err != nil {
		p.fetchErr = sanitize.Text(msg.err.Error())
		return
	}
	for _, id := range msg.ids {
		p.add(ModelOption{Provider: msg.provider, Model: sanitize.Text(id)})
	}
}

// visible is the filtered list, models then roles.
func (p *modelPicker) visible() []pickItem {
	var out []pickItem
	f := strings.ToLower(p.query)
	for i := range p.options {
		if it := (pickItem{model: &p.options[i]}); fuzzy(strings.ToLower(it.text()), f) {
			out = append(out, it)
		}
	}
	for i := range p.roles {
		if it := (pickItem{role: &p.roles[i]}); fuzzy(strings.ToLower(it.text()), f) {
			out = append(out, it)
		}
	}
	return out
}

func fuzzy(s, pattern string) bool {
	for _, r := range pattern {
		i := strings.IndexRune(s, r)
		if i < 0 {
			return false
		}
		s = s[i+len(string(r)):]
	}
	return true
}

func (p *modelPicker) title() string { return "model picker" }

func (p *modelPicker) shortHelp(k *keymap.KeyMap) []key.Binding {
	return []key.Binding{k.Picker.Choose, k.Picker.Up, k.Picker.Down, k.Picker.Clear, k.Picker.Close}
}

func (p *modelPicker) key(k tea.KeyPressMsg, env *overlayEnv) (action, tea.Cmd) {
	pk := env.keys.Picker
	vis := p.visible()
	switch {
	case key.Matches(k, pk.Close, env.keys.Global.ModelPicker):
		return closeOverlay{}, nil
	case key.Matches(k, pk.Choose):
		if p.cursor >= len(vis) {
			return consumed{}, nil
		}
		if it := vis[p.cursor]; it.role != nil {
			return chooseRole{*it.role}, nil
		} else {
			return chooseModel{*it.model}, nil
		}
	}
	p.filterList.key(k, pk, len(vis))
	return consumed{}, nil
}

func (p *modelPicker) render(width, height int, env *overlayEnv) []string {
	st := env.st
	var b strings.Builder
	title := "Choose a model"
	if len(p.roles) > 0 {
		title = "Choose a model or a role"
	}
	b.WriteString(st.OverlayTitle.Render(title) + "\n")
	b.WriteString(p.line("filter", st) + "\n\n")
	vis := p.visible()
	inner := min(width, 70) - st.Overlay.GetHorizontalFrameSize()
	rows := max(1, height-9)
	start := p.window(len(vis), rows)
	for i := start; i < len(vis) && i < start+rows; i++ {
		mark := cursorMark(i == p.cursor)
		var line string
		if r := vis[i].role; r != nil {
			line = mark + "role " + sanitize.Text(r.Name)
			if r.Description != "" {
				line += st.Status.Dim.Render(" · " + sanitize.Text(r.Description))
			}
			if r.Name == env.ctl.Role() {
				line += st.Status.StateDone.Render(" ✓")
			}
		} else {
			o := vis[i].model
			line = mark + sanitize.Text(o.Model)
			if o.Provider != "" {
				line += st.Status.Dim.Render(" · " + sanitize.Text(o.Provider))
			}
			if o.Model == env.ctl.Model() && o.Provider == env.ctl.Provider() {
				line += st.Status.StateDone.Render(" ✓")
			}
		}
		if i == p.cursor {
			line = st.Transcript.FocusedMessage.Render(line)
		}
		b.WriteString(fit(line, inner) + "\n")
	}
	if len(vis) == 0 {
		b.WriteString(st.Status.Dim.Render("  no model matches") + "\n")
	}
	if p.loading {
		b.WriteString("\n" + st.Status.Dim.Render("asking the server for its models…"))
	} else if p.fetchErr != "" {
		b.WriteString("\n" + st.Status.Dim.Render(fit("server list unavailable: "+p.fetchErr, inner)))
	}
	b.WriteString("\n" + st.Status.Dim.Render("applies from the next message"))
	return overlayBox(st, b.String(), width, 70, height)
}

// effortLevels is the cycle of the effort key; "" lets the server decide.
var effortLevels = []string{"", "minimal", "low", "medium", "high"}

// cycleEffort steps the reasoning effort for models that take one.
func (m *Model) cycleEffort() {
	model := m.chat.Model()
	for _, o := range m.deps.Models {
		if o.Model == model && !o.Reasoning {
			m.flash(sanitize.Text(model) + " does not take a reasoning effort")
			return
		}
	}
	i := slices.Index(effortLevels, m.chat.Effort())
	m.chat.SetEffort(effortLevels[(i+1)%len(effortLevels)])
}
