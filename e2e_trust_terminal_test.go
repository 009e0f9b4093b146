package main

// End-to-end: nothing a server sends reaches the terminal or the
// clipboard raw. The raw bytes Parley writes to its pseudo-terminal are
// read sequence by sequence and every control sequence is judged: only
// what Parley itself draws with may be there.

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"

	"github.com/parley-tui/parley/themes"
)

// serverMarks are strings only fault:escapes's sequences hold (its title,
// its link's host, its clipboard payload): no sequence of Parley's has them.
var serverMarks = []string{"pwned", "evil.example", "cm0gLXJmIH4"}

// foreignSequences lists what in raw (a program's terminal output) Parley
// would never write itself: OSC sequences other than its window title,
// hyperlinks to http, https or mailto, the colour queries and, when copied
// is set, a clipboard write of copyable text (copied receives each one's
// text); the end or start of bracketed paste; C1 controls; a BEL of its
// own; any sequence holding a server's mark; and fault:escapes's screen
// clear and cursor moves, byte for byte.
func foreignSequences(raw []byte, copied func(string)) []string {
	var bad []string
	flag := func(why string, seq []byte) { bad = append(bad, fmt.Sprintf("%s %q", why, seq)) }
	if i := bytes.Index(raw, []byte("\x1b[2J\x1b[H\x1b[5A")); i >= 0 {
		flag("the server's clear and cursor moves", raw[i:i+12])
	}
	var state byte
	p := ansi.NewParser()
	for in := raw; len(in) > 0; {
		seq, width, n, next := ansi.DecodeSequence(in, state, p)
		state, in = next, in[n:]
		if n == 0 {
			break
		}
		for _, mark := range serverMarks {
			if width == 0 && bytes.Contains(seq, []byte(mark)) {
				flag("a server's sequence", seq)
			}
		}
		r, _ := utf8.DecodeRune(seq)
		switch {
		case r >= 0x80 && r <= 0x9f:
			flag("a C1 control", seq)
		case width > 0:
		case ansi.HasOscPrefix(seq):
			if why := judgeOSC(seq, copied); why != "" {
				flag(why, seq)
			}
		case ansi.HasCsiPrefix(seq):
			if n, _ := p.Param(0, 0); ansi.Cmd(p.Command()).Final() == '~' && (n == 200 || n == 201) {
				flag("a bracketed-paste marker", seq)
			}
		case len(seq) == 1 && seq[0] == '\a':
			flag("a bell", seq)
		}
	}
	return bad
}

// themeCursorColour says whether an OSC 12 colour is a built-in theme's
// cursor colour, the one Parley sets for its input.
func themeCursorColour(hex string) bool {
	for _, p := range themes.Builtin() {
		r, g, b, _ := p.Primary.RGBA()
		if strings.EqualFold(hex, fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)) {
			return true
		}
	}
	return false
}

// judgeOSC says what is wrong with an OSC sequence, or "".
func judgeOSC(seq []byte, copied func(string)) string {
	body := strings.TrimPrefix(string(seq), "\x1b]")
	body = strings.TrimSuffix(strings.TrimSuffix(body, "\a"), "\x1b\\")
	num, rest, _ := strings.Cut(body, ";")
	switch num {
	case "0", "2":
		if rest != "Parley" {
			return "a window title"
		}
	case "8":
		_, uri, _ := strings.Cut(rest, ";")
		if uri != "" && !strings.HasPrefix(uri, "http://") && !strings.HasPrefix(uri, "https://") && !strings.HasPrefix(uri, "mailto:") {
			return "a hyperlink to " + uri
		}
	case "12":
		// Parley's own input cursor takes the theme's primary colour
		// (Bubble Tea resets it with OSC 112 on exit); any other cursor
		// colour came from somewhere else.
		if !strings.HasSuffix(rest, "?") && !themeCursorColour(rest) {
			return "a colour change"
		}
	case "10", "11":
		if !strings.HasSuffix(rest, "?") {
			return "a colour change"
		}
	case "112":
	case "52":
		_, data, _ := strings.Cut(rest, ";")
		text, err := base64.StdEncoding.DecodeString(data)
		switch {
		case copied == nil:
			return "a clipboard write"
		case err != nil:
			return "a clipboard write that is not base64"
		}
		for _, r := range string(text) {
			if r != '\n' && r != '\t' && (r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f || r == utf8.RuneError) {
				return fmt.Sprintf("a clipboard write holding %U", r)
			}
		}
		copied(string(text))
	default:
		return "an OSC " + num
	}
	return ""
}

// The scanner itself: it finds every kind of sequence fault:escapes sends,
// and none of those Parley draws with.
func TestE2ETrustScannerFindsServerSequences(t *testing.T) {
	own := "\x1b[?1049h\x1b[2J\x1b[1;1H\x1b[38;2;1;2;3mhi\x1b[m\x1b]0;Parley\a\x1b]8;;https://go.dev\x1b\\go\x1b]8;;\x1b\\" +
		"\x1b]11;?\a\x1b[?2004h\x1b[3A\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("a\tb\n")) + "\a"
	var got []string
	if bad := foreignSequences([]byte(own), func(s string) { got = append(got, s) }); len(bad) > 0 || len(got) != 1 || got[0] != "a\tb\n" {
		t.Errorf("Parley's own sequences flagged: %q (copied %q)", bad, got)
	}
	for _, hostile := range []string{
		"\x1b]0;pwned-title\a", "\x1b]2;other\x1b\\", "\x1b]52;c;cm0gLXJmIH4=\a",
		"\x1b]8;;https://evil.example/\x1b\\click", "\x1b]8;;javascript:alert(1)\x1b\\x", "\x1b]8;;file:///etc/passwd\a",
		"\x1b[2J\x1b[H\x1b[5A", "\x1b[201~", "\x1b[200~", "\u009b31m", "\u009d0;t\u009c", "ding\a",
		"\x1b]52;c;" + base64.StdEncoding.EncodeToString([]byte("x\x1b[201~y")) + "\a",
	} {
		if bad := foreignSequences([]byte("ok "+hostile+" ok"), func(string) {}); len(bad) == 0 {
			t.Errorf("%q not flagged", hostile)
		}
	}
}

// assertOwnSequences fails for each foreign sequence in what wrote.
func assertOwnSequences(t *testing.T, what string, raw []byte, copied func(string)) {
	t.Helper()
	if len(raw) == 0 {
		t.Errorf("%s wrote nothing", what)
	}
	seen := map[string]int{}
	bad := foreignSequences(raw, copied)
	for _, b := range bad {
		seen[b]++
	}
	for _, b := range bad {
		if n := seen[b]; n > 0 {
			t.Errorf("%s wrote %s (%d times)", what, b, n)
			seen[b] = 0
		}
	}
}

// fault:escapes puts terminal escapes in every field a server fills (text,
// reasoning, a citation, a tool call's name and arguments, the model's
// name, the error). The chat shows them as visible symbols and writes none
// of them to the terminal; copying the reply puts only printable text,
// newlines and tabs on the clipboard. -p (on a terminal and piped),
// `parley models` and `parley doctor` write none of them either.
func TestE2ETrustEscapesNeverReachTheTerminal(t *testing.T) {
	bin := parleyBinary(t)
	url := startMockServer(t, bin, "--instant", "--fault", "escapes")
	env := []string{mockKeyEnv, mockBaseEnv + url}

	tm := startParley(t, bin, env, "--no-save")
	tm.waitFor("Ask anything")
	tm.send("show me everything" + keyEnter)
	s := tm.waitFor("(mock fault:escapes)", "● error")
	for _, want := range []string{"Text ␛]0;pwned-title", "Sources", "Tool calls · 1"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen does not show %q:\n%s", want, s)
		}
	}
	tm.send("\x19") // ctrl+y
	tm.waitFor("Copied the last reply")
	var clips []string
	assertOwnSequences(t, "the chat", []byte(tm.output()), func(c string) { clips = append(clips, c) })
	if len(clips) != 1 || !strings.HasPrefix(clips[0], "Text ]0;pwned-title") || !strings.HasSuffix(clips[0], " end.") {
		t.Errorf("the clipboard got %q, want the reply's text without its escapes", clips)
	}

	for _, args := range [][]string{{"-p", "go", "--no-save"}, {"models"}, {"doctor"}} {
		tm := startParley(t, bin, env, args...)
		tm.exit()
		assertOwnSequences(t, fmt.Sprint(args, " on a terminal"), []byte(tm.output()), nil)
	}
	for _, args := range [][]string{{"-p", "go", "--no-save"}, {"models"}, {"models", "--json"}, {"doctor"}} {
		_, stdout, stderr, _ := runParley(t, bin, run{env: env}, args...)
		assertOwnSequences(t, fmt.Sprint(args, " piped"), []byte(stdout+stderr), nil)
		if strings.ContainsAny(stdout+stderr, "\x1b\a") {
			t.Errorf("%v piped wrote an ESC or a BEL:\n%q", args, stdout+stderr)
		}
	}
}

// Markdown links in a reply become hyperlinks only to http, https and
// mailto addresses; the others show their target as text, unlinked.
func TestE2ETrustOnlyWebLinksAreLinked(t *testing.T) {
	bin := parleyBinary(t)
	text := "See [run](javascript:alert(1)), [passwd](file:///etc/passwd), [docs](https://go.dev/doc/) and [mail](mailto:a@example.com)."
	url, _ := responsesServer(t, sse(fmt.Sprintf(`{"type":"response.output_text.delta","item_id":"msg_1","output_index":0,"content_index":0,"delta":%q}`, text)))
	tm := startParley(t, bin, []string{mockKeyEnv, mockBaseEnv + url}, "-m", "m", "--no-save")
	tm.waitFor("Ask anything")
	tm.send("links please" + keyEnter)
	tm.waitFor("● done", "javascript:alert(1)", "file:///etc/passwd")
	raw := []byte(tm.output())
	assertOwnSequences(t, "the chat", raw, nil)
	for _, target := range []string{"https://go.dev/doc/", "mailto:a@example.com"} {
		if !regexp.MustCompile("\x1b]8;[^;\x07\x1b]*;" + regexp.QuoteMeta(target)).Match(raw) {
			t.Errorf("no hyperlink to %s", target)
		}
	}
}
