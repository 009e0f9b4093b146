package chat

import (
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/model/store"
)

// clientReadyMsg brings a client for another provider, made off Update
// (its key may come from a command that takes a while).
type clientReadyMsg struct {
	provider, model string
	client          Streamer
	err             error
}

// SetModel makes model the one asked from the next request on, and keeps
// it with the session. A model of another provider needs a client for it,
// made on a command goroutine.
func (c *Controller) SetModel(provider, model string) tea.Cmd {
	if provider == "" || provider == c.provider {
		c.useModel(model)
		return nil
	}
	if c.cfg.ClientFor == nil {
		c.notice("Switching provider needs the configuration file (parley config init)")
		return nil
	}
	clientFor := c.cfg.ClientFor
	c.notice("Connecting to " + provider + "…")
	return func() tea.Msg {
		cl, err := clientFor(provider)
		return clientReadyMsg{provider: provider, model: model, client: cl, err: err}
	}
}

func (c *Controller) onClientReady(msg clientReadyMsg) {
	if msg.err != nil {
		c.notice(msg.err.Error())
		return
	}
	if c.Busy() {
		c.busy("Finish or cancel the reply before switching provider")
		return
	}
	c.client, c.provider = msg.client, msg.provider
	c.useModel(msg.model)
}

func (c *Controller) useModel(model string) {
	c.conv.Model = model
	c.choicesChanged()
	c.notice("Model: " + model + " (from the next message)")
}

// SetRole makes a role's prompt the system prompt from the next request.
func (c *Controller) SetRole(name, prompt string) {
	c.role = name
	c.conv.Instructions = prompt
	c.choicesChanged()
	c.notice("Role: " + name + " (from the next message)")
}

// choicesChanged records the session's choices with it, so that opening
// it again goes on with them.
func (c *Controller) choicesChanged() {
	c.saver.setChoices(store.Choices{Provider: c.provider, Model: c.conv.Model, Effort: c.conv.Effort,
		Role: c.role, Instructions: c.conv.Instructions})
}

// SetEffort sets the reasoning effort from the next request; "" lets the
// server decide.
func (c *Controller) SetEffort(effort string) {
	c.conv.Effort = effort
	c.choicesChanged()
	if effort == "" {
		c.notice("Reasoning effort: the server's default")
		return
	}
	c.notice("Reasoning effort: " + effort + " (from the next message)")
}
