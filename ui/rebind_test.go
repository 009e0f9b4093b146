package ui

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	tea "charm.land/bubbletea/v2"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/model/tools"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/uitest"
)

// rebindAll gives every binding a key of its own that no default uses.
func rebindAll(t *testing.T) (keymap.KeyMap, map[string]string) {
	t.Helper()
	k := keymap.DefaultKeyMap()
	got := uitest.Rebound(t, k.Names())
	over := map[string][]string{}
	for n, key := range got {
		over[n] = []string{key}
	}
	if err := k.Apply(over); err != nil {
		t.Fatal(err)
	}
	if c := k.Conflicts(); len(c) > 0 {
		t.Fatalf("conflicts: %q", c)
	}
	return k, got
}

// pressKey builds the press of a key as keymap strings name it.
func pressKey(s string) tea.KeyPressMsg {
	var k tea.KeyPressMsg
	parts := strings.Split(s, "+")
	for _, p := range parts[:len(parts)-1] {
		switch p {
		case "ctrl":
			k.Mod |= tea.ModCtrl
		case "alt":
			k.Mod |= tea.ModAlt
		}
	}
	k.Code = []rune(parts[len(parts)-1])[0]
	return k
}

// stale finds default key names on a screen where every binding has
// another key: modifier keys no rebound key uses, named keys, and the
// single letters as hints write them ("y allow once").
func stale(t *testing.T, s string) {
	t.Helper()
	def := keymap.DefaultKeyMap()
	bad := regexp.MustCompile(`(^|[^a-z+])(shift\+|ctrl\+[a-z]|esc|enter|tab|pgup|pgdown|space|home|end/|f1)\b`)
	for _, line := range strings.Split(s, "\n") {
		if m := bad.FindString(strings.ReplaceAll(line, "ctrl+alt+", "")); m != "" {
			t.Errorf("stale key name %q in %q", strings.TrimSpace(m), line)
		}
	}
	for _, g := range def.Groups() {
		for _, b := range g.Bindings {
			h := b.Help()
			if len([]rune(h.Key)) != 1 {
				continue
			}
			if re := regexp.MustCompile(`(^|\s)` + regexp.QuoteMeta(h.Key) + `\s+` + regexp.QuoteMeta(h.Desc)); re.MatchString(s) {
				t.Errorf("stale hint %q %q on screen:\n%s", h.Key, h.Desc, s)
			}
		}
	}
	for _, phrase := range []string{"y allow once", "a allow", "n deny", "↑ brings it back", "y deletes"} {
		if strings.Contains(s, phrase) {
			t.Errorf("stale hint %q on screen:\n%s", phrase, s)
		}
	}
}

// Every action rebound: no screen shows a default key name, and the keys
// the hints name do what the hints say.
func TestRebindEveryAction(t *testing.T) {
	keys, bound := rebindAll(t)
	key := func(name string) tea.KeyPressMsg { return pressKey(bound[name]) }
	name := func(n string) string { return keymap.Display(bound[n]) }
	st := tempStore(t)
	seedSession(t, st, "an older session", "q", "a")
	reg := tools.NewRegistry(tools.Tool{Spec: stream.ToolSpec{Name: "calculator"},
		Run: func(context.Context, string) tools.Result { return tools.Result{Output: "80"} }})
	m, c := newTestModel(t, 120, 40, Deps{Keys: &keys, Store: st, Tools: reg})
	look := func(wants ...string) string {
		t.Helper()
		s := screen(m)
		mustContain(t, s, wants...)
		stale(t, s)
		return s
	}

	look("Ask anything…  ("+name("input.send")+" to send)", name("global.help")+" shows every key",
		"input: "+name("input.send")+" send")
	rebindInput(t, m, key)

	// Help: opened, scrolled and closed with the new keys, listing them.
	press(m, key("global.help"))
	look(name("global.retry")+"  ", "retry failed prompt", "help: "+name("overlay.up"))
	press(m, key("overlay.down"))
	press(m, key("overlay.close"))
	if m.overlays.top() != nil {
		t.Fatal("the new close key did not close the help")
	}

	// A failed request: the retry hint names the new key, which retries.
	typeText(m, "explain monads")
	press(m, key("input.send"))
	m.Update(chatFailed(m, "Rate limit reached"))
	look("Rate limit reached · " + name("global.retry") + " retries")
	press(m, key("global.retry"))
	if m.chat.Turn() == 0 {
		t.Fatal("the new retry key did not retry")
	}
	// Cancel: pressed twice.
	feed(m, c.t, text("Once upon a time"))
	press(m, key("global.cancel"))
	look("Press " + name("global.cancel") + " again to cancel")
	press(m, key("global.cancel"))
	if m.chat.Busy() {
		t.Fatal("the new cancel key did not cancel")
	}

	// The transcript: its footer lists the new letters, which act.
	press(m, key("global.focus_next"))
	look("transcript: " + name("transcript.copy_message") + " copy")
	press(m, key("transcript.copy_message"))
	look("Copied the reply")
	press(m, key("global.cancel"))

	// A draft: the quit key clears it, and says how to get it back.
	typeText(m, "draft")
	press(m, key("global.quit"))
	look("Draft cleared (" + name("input.history_prev") + " brings it back) · " + name("global.quit") + " again quits")

	// Tool approval: the indicator names the focus key, the prompt its
	// choices; the new allow key runs the call.
	typeText(m, "use the calculator")
	press(m, key("input.send"))
	typeText(m, "x") // a draft: the prompt waits
	feed(m, c.t, stream.Choice{Kind: stream.KindToolStart, Tool: &stream.ToolRef{ItemID: "fc", CallID: "c1", Name: "calculator", Kind: stream.ToolFunction}},
		stream.Choice{Kind: stream.KindToolDone, Tool: &stream.ToolRef{ItemID: "fc", CallID: "c1", Name: "calculator", Kind: stream.ToolFunction, Arguments: `{"expression":"1+1"}`}},
		done(stream.StatusCompleted))
	look("calculator waits for your approval · " + name("global.focus_next") + " reviews")
	press(m, key("global.focus_next"))
	look(name("approval.allow")+" allow once", name("approval.allow_session")+" allow calculator for this session",
		name("approval.deny")+" deny", name("approval.back")+" back to the")
	c.advance(approvalGuard)
	for _, msg := range runBatch(press(m, key("approval.allow"))) {
		if fmt.Sprintf("%T", msg) == "chat.toolResultMsg" {
			m.Update(msg)
		}
	}
	if _, n := m.chat.Pending(); n != 0 || m.chat.Calls()[0].Output != "80" {
		t.Fatalf("the new allow key did not run the call: %d pending", n)
	}
	m.chat.Shutdown()
	m.chat.Cancel()
	m.Update(nil)
	press(m, key("global.quit")) // the draft
	c.advance(2 * time.Second)

	// The model picker and the session picker.
	press(m, key("global.model_picker"))
	look("model picker: " + name("picker.choose") + " choose")
	press(m, key("picker.close"))
	cmd := press(m, key("global.sessions"))
	for _, msg := range runBatch(cmd) {
		m.Update(msg)
	}
	look("sessions: "+name("picker.choose")+" choose • "+name("sessions.search"), "an older session")
	press(m, key("picker.down"))
	press(m, key("sessions.delete"))
	look("and its messages? " + name("sessions.confirm") + " deletes, any other key keeps it")
	press(m, key("picker.close"))
	press(m, key("sessions.search"))
	look("message search: " + name("picker.choose") + " choose")
	press(m, key("picker.close"))
	if m.overlays.top() != nil {
		t.Fatal("the new close key did not close the session picker")
	}
}

// rebindInput: the input's keys, every one rebound, edit the draft.
func rebindInput(t *testing.T, m *Model, key func(string) tea.KeyPressMsg) {
	t.Helper()
	step := func(start string, keys []string, typed, want string) {
		t.Helper()
		m.input.Reset()
		typeText(m, start)
		for _, k := range keys {
			press(m, key("input."+k))
		}
		typeText(m, typed)
		if got := m.input.Value(); got != want {
			t.Errorf("%q, %v, then %q: draft %q, want %q", start, keys, typed, got, want)
		}
	}
	step("one two", []string{"word_left"}, "X", "one Xtwo")
	step("one two", []string{"word_left", "word_right"}, "X", "one twoX")
	step("ab", []string{"left"}, "X", "aXb")
	step("ab", []string{"left", "right"}, "X", "abX")
	step("ab", []string{"line_start"}, "X", "Xab")
	step("ab", []string{"line_start", "line_end"}, "X", "abX")
	step("a", []string{"newline"}, "b", "a\nb")
	step("a\nb", []string{"up"}, "X", "aX\nb")
	step("a\nb", []string{"up", "down"}, "X", "a\nbX")
	step("a\nb", []string{"input_begin"}, "X", "Xa\nb")
	step("a\nb", []string{"input_begin", "input_end"}, "X", "a\nbX")
	step("abc", []string{"left", "delete_back"}, "", "ac")
	step("abc", []string{"left", "delete_forward"}, "", "ab")
	step("one two", []string{"delete_word_back"}, "", "one ")
	step("one two", []string{"line_start", "delete_word_forward"}, "", " two")
	step("one two", []string{"word_left", "delete_to_line_end"}, "", "one ")
	step("one two", []string{"word_left", "delete_to_line_start"}, "", "two")
	step("hello", []string{"word_left", "uppercase_word"}, "", "HELLO")
	step("HELLO", []string{"word_left", "lowercase_word"}, "", "hello")
	step("hello", []string{"word_left", "capitalize_word"}, "", "Hello")

	// History: the rebound keys recall, whatever up and down do.
	m.input.Reset()
	typeText(m, "remember me")
	m.input.Take()
	press(m, key("input.history_prev"))
	if m.input.Value() != "remember me" {
		t.Errorf("history_prev: %q", m.input.Value())
	}
	press(m, key("input.history_next"))
	if !m.input.Empty() {
		t.Errorf("history_next: %q", m.input.Value())
	}

	// A paste chip: the footer names the rebound keys, which expand it.
	m.Update(tea.PasteMsg{Content: strings.Repeat("line\n", 20)})
	mustContain(t, screen(m), "input: "+keymap.Display(key("input.expand_chip").String())+" edit as text • "+
		keymap.Display(key("input.delete_back").String())+" remove chip")
	press(m, key("input.expand_chip"))
	if len(m.input.Chips()) != 0 || m.input.Value() != strings.Repeat("line\n", 20) {
		t.Errorf("expand_chip: %q, %d chips", m.input.Value(), len(m.input.Chips()))
	}
	m.input.Reset()

	// The editor and the finder.
	if msgs := runBatch(press(m, key("input.editor"))); len(msgs) != 1 {
		t.Errorf("editor: %v", msgs)
	} else if df, ok := msgs[0].(draftFileMsg); !ok || df.err != nil {
		t.Errorf("editor: %#v", msgs[0])
	} else {
		os.Remove(df.path)
	}
	press(m, key("input.attach"))
	if _, ok := m.overlays.top().(*finderOverlay); !ok {
		t.Fatalf("attach opened %T", m.overlays.top())
	}
	press(m, key("picker.close"))
	if m.overlays.top() != nil || !m.input.Empty() {
		t.Fatalf("closing the finder: %T, draft %q", m.overlays.top(), m.input.Value())
	}
}
