package ui

import (
	"context"
	"slices"
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

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
	known     bool // from the config, so Reasoning is known
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

// picker is the model-choosing overlay. Typing filters; up and down move;
// enter chooses; esc closes.
type picker struct {
	options  []ModelOption
	roles    []RoleOption
	filter   string
	cursor   int
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

// openPicker shows the configured models at once and asks the server for
// its list in the background.
func (m *Model) openPicker() tea.Cmd {
	p := &picker{}
	for _, o := range m.deps.Models {
		o.known = true
		p.options = append(p.options, o)
	}
	p.addOption(ModelOption{Provider: m.deps.Provider, Model: m.model})
	p.roles = m.deps.Roles
	m.picker = p
	lister, ok := m.deps.Client.(modelLister)
	if !ok {
		return nil
	}
	p.loading = true
	provider := m.deps.Provider
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ids, err := lister.ListModels(ctx)
		return modelsListedMsg{provider: provider, ids: ids, err: err}
	}
}

func (p *picker) addOption(o ModelOption) {
	if o.Model == "" {
		return
	}
	for _, x := range p.options {
		if x.Provider == o.Provider && x.Model == o.Model {
			return
		}
	}
	p.options = append(p.options, o)
}

func (m *Model) onModelsListed(msg modelsListedMsg) {
	p := m.picker
	if p == nil {
		return
	}
	p.loading = false
	if msg.err != nil {
		p.fetchErr = sanitize.Text(msg.err.Error())
		return
	}
	for _, id := range msg.ids {
		p.addOption(ModelOption{Provider: msg.provider, Model: sanitize.Text(id)})
	}
}

// visible is the filtered list, models then roles: every filter rune in
// order, case folded.
func (p *picker) visible() []pickItem {
	var out []pickItem
	f := strings.ToLower(p.filter)
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

// pickerKey handles a key while the picker is open.
func (m *Model) pickerKey(k tea.KeyPressMsg) tea.Cmd {
	p := m.picker
	vis := p.visible()
	switch {
	case key.Matches(k, m.keys.Overlay.Close) && k.Text != "q", key.Matches(k, m.keys.Global.ModelPicker):
		m.picker = nil
	case k.Code == tea.KeyUp:
		p.cursor = max(p.cursor-1, 0)
	case k.Code == tea.KeyDown:
		p.cursor = min(p.cursor+1, max(len(vis)-1, 0))
	case k.Code == tea.KeyEnter:
		m.picker = nil
		if p.cursor < len(vis) {
			if it := vis[p.cursor]; it.role != nil {
				m.chooseRole(*it.role)
			} else {
				return m.chooseModel(*it.model)
			}
		}
	case k.Code == tea.KeyBackspace:
		if p.filter != "" {
			_, size := lastRune(p.filter)
			p.filter = p.filter[:len(p.filter)-size]
			p.cursor = 0
		}
	case k.Text != "":
		p.filter += k.Text
		p.cursor = 0
	}
	return nil
}

func lastRune(s string) (rune, int) {
	r := []rune(s)
	last := r[len(r)-1]
	return last, len(string(last))
}

// clientReadyMsg brings a client for another provider, made off Update
// (its key may come from a command that takes a while).
type clientReadyMsg struct {
	option ModelOption
	client Streamer
	err    error
}

// chooseModel applies from the next turn and is kept with the conversation.
func (m *Model) chooseModel(o ModelOption) tea.Cmd {
	if o.Provider != m.deps.Provider && o.Provider != "" {
		if m.deps.ClientFor == nil {
			m.flash("Switching provider needs the configuration file (parley config init)")
			return nil
		}
		clientFor := m.deps.ClientFor
		m.flash("Connecting to " + o.Provider + "…")
		return func() tea.Msg {
			c, err := clientFor(o.Provider)
			return clientReadyMsg{option: o, client: c, err: err}
		}
	}
	m.useModel(o)
	return nil
}

func (m *Model) onClientReady(msg clientReadyMsg) {
	if msg.err != nil {
		m.flash(sanitize.Text(msg.err.Error()))
		return
	}
	if m.busy() {
		m.flash("Finish or cancel the reply before switching provider")
		return
	}
	m.deps.Client, m.deps.Provider = msg.client, msg.option.Provider
	m.useModel(msg.option)
}

func (m *Model) useModel(o ModelOption) {
	m.model = o.Model
	m.conv.Model = o.Model
	m.flash("Model: " + o.Model + " (from the next message)")
}

// chooseRole makes a role's prompt the conversation's system prompt.
func (m *Model) chooseRole(r RoleOption) {
	m.role = r.Name
	m.conv.Instructions = r.Prompt
	m.flash("Role: " + r.Name + " (from the next message)")
}

// effortLevels is the cycle of the effort key; "" lets the server decide.
var effortLevels = []string{"", "minimal", "low", "medium", "high"}

// cycleEffort steps the reasoning effort for models that take one.
func (m *Model) cycleEffort() {
	for _, o := range m.deps.Models {
		if o.Model == m.model && !o.Reasoning {
			m.flash(m.model + " does not take a reasoning effort")
			return
		}
	}
	i := slices.Index(effortLevels, m.effort)
	m.effort = effortLevels[(i+1)%len(effortLevels)]
	m.conv.Effort = m.effort
	if m.effort == "" {
		m.flash("Reasoning effort: the server's default")
		return
	}
	m.flash("Reasoning effort: " + m.effort + " (from the next message)")
}

// pickerOverlay draws the picker.
func (m *Model) pickerOverlay(width, height int) []string {
	st := m.styles
	p := m.picker
	var b strings.Builder
	title := "Choose a model"
	if len(p.roles) > 0 {
		title = "Choose a model or a role"
	}
	b.WriteString(st.OverlayTitle.Render(title) + "\n")
	b.WriteString(st.Status.Key.Render("filter: ") + st.Status.Value.Render(p.filter) + "▏\n\n")
	vis := p.visible()
	rows := max(1, height-9)
	start := max(0, min(p.cursor-rows/2, len(vis)-rows))
	for i := start; i < len(vis) && i < start+rows; i++ {
		mark := "  "
		if i == p.cursor {
			mark = "▸ "
		}
		var line string
		if r := vis[i].role; r != nil {
			line = mark + "role " + sanitize.Text(r.Name)
			if r.Description != "" {
				line += st.Status.Dim.Render(" · " + sanitize.Text(r.Description))
			}
			if r.Name == m.role {
				line += st.Status.StateDone.Render(" ✓")
			}
		} else {
			o := vis[i].model
			line = mark + o.Model
			if o.Provider != "" {
				line += st.Status.Dim.Render(" · " + o.Provider)
			}
			if o.Model == m.model && o.Provider == m.deps.Provider {
				line += st.Status.StateDone.Render(" ✓")
			}
		}
		if i == p.cursor {
			line = st.Transcript.FocusedMessage.Render(line)
		}
		b.WriteString(line + "\n")
	}
	switch {
	case len(vis) == 0:
		b.WriteString(st.Status.Dim.Render("  no model matches") + "\n")
	}
	if p.loading {
		b.WriteString("\n" + st.Status.Dim.Render("asking the server for its models…"))
	} else if p.fetchErr != "" {
		b.WriteString("\n" + st.Status.Dim.Render("server list unavailable: "+p.fetchErr))
	}
	b.WriteString("\n" + st.Status.Dim.Render("enter chooses · esc closes · applies from the next message"))
	return overlayRows(st.Overlay.Width(min(width, 70)).Render(b.String()), height)
}
