package ui

import (
	"strings"
	"time"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/ui/chat"
	"github.com/parley-tui/parley/ui/jsonfmt"
	"github.com/parley-tui/parley/ui/sanitize"
)

// approvalGuard is how long after the approval prompt becomes visible (or
// shows another call) its choice keys are taken as typing, not choices: a
// key pressed just as it appeared was meant for what was there before.
const approvalGuard = 500 * time.Millisecond

// approvalPrompt is the tool approval overlay: the call that waits, its
// final arguments in full (pretty JSON, scrolled with the arrow and page
// keys) and the choices, with their keys, at the bottom of the body with
// the transcript above it. It is on the stack only while it has the focus; a pending call never takes the focus from a draft (see
// Model.approvalWaits). A printable key that is not a choice, or a choice
// pressed within approvalGuard, goes to the input with the focus.
type approvalPrompt struct {
	call   *chat.Call
	armed  time.Time // when it last became visible with this call
	args   *jsonfmt.Formatter
	offset int
	page   int
	// covered: another overlay is on top of it; when it is uncovered, the
	// guard is armed again.
	covered bool
}

// show points the prompt at call, arming the guard when the call changed
// or the prompt became visible again.
func (p *approvalPrompt) show(call *chat.Call, now time.Time) {
	if call == p.call {
		return
	}
	p.call, p.armed, p.offset = call, now, 0
	p.args = jsonfmt.New(2)
	if args, ok := call.Final(); ok {
		p.args.Write(sanitize.Text(args))
	}
}

func (p *approvalPrompt) title() string { return "approval" }

func (p *approvalPrompt) shortHelp(k *keymap.KeyMap) []key.Binding {
	return []key.Binding{k.Approval.Allow, k.Approval.AllowSession, k.Approval.Deny, k.Approval.Down, k.Approval.Back}
}

func (p *approvalPrompt) key(k tea.KeyPressMsg, env *overlayEnv) (action, tea.Cmd) {
	ak, g := env.keys.Approval, env.keys.Global
	choice, isChoice := chat.Decision(0), true
	switch {
	case key.Matches(k, ak.Allow):
		choice = chat.AllowOnce
	case key.Matches(k, ak.AllowSession):
		choice = chat.AllowSession
	case key.Matches(k, ak.Deny):
		choice = chat.Deny
	default:
		isChoice = false
	}
	switch {
	case isChoice && env.now.Before(p.armed.Add(approvalGuard)):
		return toInput{k}, nil
	case isChoice:
		return decide{p.call, choice}, nil
	case key.Matches(k, ak.Back):
		return closeOverlay{}, nil
	case key.Matches(k, ak.Up):
		p.offset--
	case key.Matches(k, ak.Down):
		p.offset++
	case key.Matches(k, g.PageUp):
		p.offset -= p.page
	case key.Matches(k, g.PageDown):
		p.offset += p.page
	case printable(k):
		return toInput{k}, nil
	default:
		return passOn{}, nil
	}
	return consumed{}, nil
}

// printable says a key types text: it has text and no ctrl or alt.
func printable(k tea.KeyPressMsg) bool {
	return k.Text != "" && k.Mod&(tea.ModCtrl|tea.ModAlt|tea.ModMeta|tea.ModSuper|tea.ModHyper) == 0
}

func (p *approvalPrompt) render(width, height int, env *overlayEnv) []string {
	st, keys, call := env.st, env.keys, p.call
	frame := st.Overlay.GetHorizontalFrameSize()
	inner := width - frame
	if inner < 8 || call == nil || height < 1 {
		return nil
	}
	_, waiting := env.ctl.Pending()
	name := sanitize.Text(call.Name())
	meta := " " + kindText(call) + " · " + formatBytes(argBytes(call))
	if waiting > 1 {
		meta += " · " + itoa(waiting) + " calls wait"
	}
	head := []string{fit(st.OverlayTitle.Render("Run "+name+"?")+st.Tools.Meta.Render(meta), inner)}
	if call.Changed() {
		for _, l := range wrapText("⚠ The final arguments differ from what streamed. These are the ones that run:", inner) {
			head = append(head, st.Tools.StatusFailed.Render(l))
		}
	}
	choices := strings.Join(nonEmpty(
		hint(keys.Approval.Allow, "allow once"),
		hint(keys.Approval.AllowSession, "allow "+name+" for this session"),
		hint(keys.Approval.Deny, "deny"),
		hint(keys.Approval.Back, "back to the input"),
	), " · ")
	var foot []string
	for _, l := range wrapText(choices, inner) {
		foot = append(foot, st.Status.Key.Render(l))
	}
	args := argLines(p.args, call, inner, st)
	if len(args) == 0 {
		args = []string{st.Tools.Meta.Render("(no arguments)")}
	}
	// The box's frame and the scroll line around the arguments; what is
	// left of the body shows them.
	view := max(1, height-overlayFrame(st, height).GetVerticalFrameSize()-len(head)-len(foot)-1)
	p.page = max(1, view-1)
	p.offset = min(max(p.offset, 0), max(len(args)-view, 0))
	shown := args[p.offset:min(len(args), p.offset+view)]
	scroll := ""
	if len(args) > view {
		scroll = fit(st.Status.Dim.Render("arguments: lines "+itoa(p.offset+1)+"–"+itoa(p.offset+len(shown))+" of "+itoa(len(args))+
			" · "+keyName(keys.Approval.Down)+"/"+keyName(keys.Approval.Up)+" "+keyName(keys.Global.PageDown)+" scroll"), inner)
		if p.offset+view < len(args) {
			scroll = st.Status.Key.Render("↓ ") + scroll
		}
	}
	lines := append(head, shown...)
	if scroll != "" {
		lines = append(lines, scroll)
	}
	lines = append(lines, foot...)
	// Only as tall as it needs: the transcript shows above it.
	box := strings.Split(overlayFrame(st, height).Width(width).Render(strings.Join(lines, "\n")), "\n")
	return box[:min(len(box), height)]
}
