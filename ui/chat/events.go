package chat

import (
	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/attach"
)

// EventKind says what an Event tells the user, and so which key hint, if
// any, goes with it on screen.
type EventKind uint8

const (
	// Notice is a sentence for the status line.
	Notice EventKind = iota
	// Failed is a request that failed: Text is the server's message, and
	// the retry key applies.
	Failed
	// Busy is an action refused while a reply or tool calls are in
	// flight: Text says which; the cancel key applies.
	Busy
	// Queued says a prompt waits for the reply to end; N is how many wait.
	Queued
	// RestorePrompt gives a prompt whose request did not go through back
	// to the input, when the input is empty.
	RestorePrompt
	// RestoreQueued gives queued prompts back to the input, before what it
	// holds, after a reply failed or was cancelled.
	RestoreQueued
	// SessionChanged says another session (or a new one) is on screen;
	// Focus is a message to show, such as a search hit, and Highlight the
	// words to mark in it; Text, if any, says which session opened.
	SessionChanged
	// Approval says calls wait for the user's decision.
	Approval
)

// Event is something the user should be told. Text comes from the model,
// the server or the store as much as from Parley: sanitise it to show it.
type Event struct {
	Kind EventKind
	Text string
	// Attachments go back to the input with a prompt given back
	// (RestorePrompt, RestoreQueued).
	Attachments []attach.Attachment
	N           int
	Focus       *model.Message
	Highlight   string
}

func (c *Controller) emit(e Event) { c.events = append(c.events, e) }

func (c *Controller) notice(s string) { c.emit(Event{Kind: Notice, Text: s}) }

func (c *Controller) busy(s string) { c.emit(Event{Kind: Busy, Text: s}) }
