package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/parley-tui/parley/model/store"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/ui/cli"
)

// sessionsDB makes a database with three sessions: two share a title,
// one holds a hostile reply with terminal escapes, reasoning and a tool
// call.
func sessionsDB(t *testing.T) (path string, ids map[string]string) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "parley.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	ids = map[string]string{}
	for _, c := range []struct{ id, title string }{
		{"aaaa11110000", "Go channels"}, {"aaaa22220000", "Duplicate"}, {"bbbb33330000", "Duplicate"},
	} {
		if _, err := st.CreateSession(ctx, store.Session{ID: c.id, Title: c.title, Model: "gpt-5", Dir: "/src"}); err != nil {
			t.Fatal(err)
		}
		ids[c.title] = c.id
	}
	s := "aaaa11110000"
	st.AppendUserMessage(ctx, s, store.StoredMessage{Text: "How do channels work?", Sent: time.Now()})
	a, _ := st.BeginAssistantMessage(ctx, s, store.StoredMessage{Model: "gpt-5"})
	err = st.FinishAssistantMessage(ctx, a, store.StoredMessage{
		Status: store.StatusCompleted, Text: "Channels pass values.\x1b]0;pwned\x07 Done.",
		Reasoning: []string{"think about \x1b[31mred\x1b[0m channels"},
		ToolCalls: []store.ToolCall{{Type: "function_call", CallID: "call_1", Name: "run", Arguments: `{"cmd":"ls"}`}},
		Model:     "gpt-5", ResponseModel: "gpt-5-2025", TurnStatus: stream.StatusCompleted,
		Usage: &stream.Usage{Input: 3, Output: 4, Total: 7},
	})
	if err != nil {
		t.Fatal(err)
	}
	st.PinSession(ctx, "bbbb33330000", true)
	return path, ids
}

func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = cli.Execute(args, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), code
}

func TestSessionsList(t *testing.T) {
	db, ids := sessionsDB(t)
	out, errOut, code := runCLI(t, "sessions", "list", "--db", db)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "ID") {
		t.Fatalf("list:\n%s", out)
	}
	// Pinned first, then the session with the newest message.
	if !strings.HasPrefix(lines[1], "bbbb33330000") || !strings.Contains(lines[1], "* Duplicate") ||
		!strings.HasPrefix(lines[2], ids["Go channels"]) || !strings.Contains(lines[2], " 2 ") {
		t.Errorf("list order or columns:\n%s", out)
	}

	out, _, code = runCLI(t, "sessions", "list", "--db", db, "--json", "-n", "2")
	var list []struct {
		ID       string    `json:"id"`
		Title    string    `json:"title"`
		Pinned   bool      `json:"pinned"`
		Messages int       `json:"messages"`
		Preview  string    `json:"preview"`
		Updated  time.Time `json:"updated"`
		Model    string    `json:"model"`
		Dir      string    `json:"dir"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil || code != 0 {
		t.Fatalf("list --json: %v\n%s", err, out)
	}
	if len(list) != 2 || !list[0].Pinned || list[1].Messages != 2 || list[1].Model != "gpt-5" || list[1].Dir != "/src" ||
		!strings.HasPrefix(list[1].Preview, "Channels pass values.") || list[1].Updated.IsZero() {
		t.Errorf("list --json: %+v", list)
	}
}

func TestSessionsListEmptyAndDefaultPath(t *testing.T) {
	data := t.TempDir()
	t.Setenv("PARLEY_DB", "")
	t.Setenv("XDG_DATA_HOME", data)
	out, errOut, code := runCLI(t, "sessions", "list", "--json")
	if code != 0 || strings.TrimSpace(out) != "[]" {
		t.Fatalf("empty list: exit %d, %q %s", code, out, errOut)
	}
	fi, err := os.Stat(filepath.Join(data, "parley"))
	if err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("data directory: %v %v", fi, err)
	}
	if fi, err := os.Stat(filepath.Join(data, "parley", "parley.db")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("database file: %v %v", fi, err)
	}
	db, _ := sessionsDB(t)
	t.Setenv("PARLEY_DB", db)
	if out, _, _ := runCLI(t, "sessions", "list"); !strings.Contains(out, "Go channels") {
		t.Errorf("PARLEY_DB not used:\n%s", out)
	}
}

func TestSessionsShowMarkdown(t *testing.T) {
	db, _ := sessionsDB(t)
	out, errOut, code := runCLI(t, "sessions", "show", "--db", db, "aaaa1")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"# Go channels", "Session `aaaa11110000`", "## You", "How do channels work?",
		"## Assistant · gpt-5-2025", "Channels pass values.␛]0;pwned"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("control characters reached the output: %q", out)
	}
	if strings.Contains(out, "Reasoning") || strings.Contains(out, "Tool call") {
		t.Errorf("reasoning or tools without asking:\n%s", out)
	}
	out, _, _ = runCLI(t, "sessions", "show", "--db", db, "go channels", "--reasoning", "--tools")
	for _, want := range []string{"> **Reasoning**", "> think about ␛[31mred", "**Tool call** `run` · call_1",
		"```json\n{\n  \"cmd\": \"ls\"\n}\n```"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown --reasoning --tools lacks %q:\n%s", want, out)
		}
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("control characters reached the output: %q", out)
	}
}

func TestSessionsShowJSON(t *testing.T) {
	db, ids := sessionsDB(t)
	var doc struct {
		Session struct {
			ID, Title string
		} `json:"session"`
		Messages []struct {
			Role      string            `json:"role"`
			Status    string            `json:"status"`
			Text      string            `json:"text"`
			Reasoning []string          `json:"reasoning"`
			ToolCalls []json.RawMessage `json:"tool_calls"`
			Usage     *struct {
				Total int `json:"total_tokens"`
			} `json:"usage"`
		} `json:"messages"`
	}
	out, errOut, code := runCLI(t, "sessions", "show", "--db", db, ids["Go channels"], "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Session.Title != "Go channels" || len(doc.Messages) != 2 || doc.Messages[1].Status != "completed" ||
		doc.Messages[1].Usage.Total != 7 || doc.Messages[1].Text != "Channels pass values.\x1b]0;pwned\x07 Done." {
		t.Errorf("json: %+v", doc)
	}
	if doc.Messages[1].Reasoning != nil || doc.Messages[1].ToolCalls != nil {
		t.Errorf("reasoning or tools without asking: %+v", doc.Messages[1])
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("raw control characters in JSON output")
	}
	out, _, _ = runCLI(t, "sessions", "show", "--db", db, ids["Go channels"], "--format", "json", "--reasoning", "--tools")
	doc.Messages = nil
	json.Unmarshal([]byte(out), &doc)
	if len(doc.Messages[1].Reasoning) != 1 || len(doc.Messages[1].ToolCalls) != 1 {
		t.Errorf("json --reasoning --tools: %+v", doc.Messages[1])
	}
}

func TestSessionsShowErrors(t *testing.T) {
	db, _ := sessionsDB(t)
	_, errOut, code := runCLI(t, "sessions", "show", "--db", db, "Duplicate")
	if code != 1 || !strings.Contains(errOut, "aaaa22220000") || !strings.Contains(errOut, "bbbb33330000") {
		t.Errorf("ambiguous title: exit %d\n%s", code, errOut)
	}
	_, errOut, code = runCLI(t, "sessions", "show", "--db", db, "aaaa")
	if code != 1 || !strings.Contains(errOut, "matches 2 sessions") {
		t.Errorf("ambiguous prefix: exit %d\n%s", code, errOut)
	}
	_, errOut, code = runCLI(t, "sessions", "show", "--db", db, "nothing-like-it")
	if code != 1 || !strings.Contains(errOut, "nothing-like-it") {
		t.Errorf("unknown: exit %d\n%s", code, errOut)
	}
	st, _ := store.Open(db)
	st.CreateSession(context.Background(), store.Session{ID: "cccc00000000", Title: "Duplicate\x1b]2;owned\x07"})
	st.CreateSession(context.Background(), store.Session{ID: "cccc11110000", Title: "x"})
	st.Close()
	_, errOut, code = runCLI(t, "sessions", "show", "--db", db, "ccc")
	if code != 1 || !strings.Contains(errOut, "cccc00000000") || strings.ContainsAny(errOut, "\x1b\x07") {
		t.Errorf("ambiguity listing a hostile title: exit %d %q", code, errOut)
	}
	if _, _, code = runCLI(t, "sessions", "show", "--db", db, "aaaa1", "--format", "xml"); code != 2 {
		t.Errorf("bad format: exit %d", code)
	}
	if _, _, code = runCLI(t, "sessions", "show", "--db", db); code != 2 {
		t.Errorf("no argument: exit %d", code)
	}
}

func TestSessionsRm(t *testing.T) {
	db, ids := sessionsDB(t)
	_, errOut, code := runCLI(t, "sessions", "rm", "--db", db, ids["Go channels"], "ffff")
	if code != 1 || errOut != "parley: no session has id \"ffff\"; nothing was deleted\n" {
		t.Errorf("rm with an unknown id: exit %d\n%s", code, errOut)
	}
	_, errOut, code = runCLI(t, "sessions", "rm", "--db", db, "aaaa")
	if code != 1 || !strings.Contains(errOut, "aaaa11110000") || !strings.Contains(errOut, "aaaa22220000") {
		t.Errorf("rm with an ambiguous prefix: exit %d\n%s", code, errOut)
	}
	// Titles are not accepted: too easy to delete the wrong one.
	if _, _, code = runCLI(t, "sessions", "rm", "--db", db, "Go channels"); code != 1 {
		t.Errorf("rm by title: exit %d", code)
	}
	out, _, _ := runCLI(t, "sessions", "list", "--db", db, "--json")
	if strings.Count(out, `"id"`) != 3 {
		t.Fatalf("a failed rm deleted something:\n%s", out)
	}
	out, errOut, code = runCLI(t, "sessions", "rm", "--db", db, "aaaa1", "bbbb33330000", "aaaa11110000")
	if code != 0 || strings.Count(out, "deleted") != 2 {
		t.Fatalf("rm: exit %d\n%s%s", code, out, errOut)
	}
	out, _, _ = runCLI(t, "sessions", "list", "--db", db, "--json")
	if strings.Count(out, `"id"`) != 1 || !strings.Contains(out, "aaaa22220000") {
		t.Errorf("after rm:\n%s", out)
	}
	if _, _, code = runCLI(t, "sessions", "rm", "--db", db); code != 2 {
		t.Errorf("rm without arguments: exit %d", code)
	}
}

func TestSessionsSearch(t *testing.T) {
	db, ids := sessionsDB(t)
	out, errOut, code := runCLI(t, "sessions", "search", "--db", db, "channels")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if strings.Count(out, ids["Go channels"]) != 2 || !strings.Contains(out, "[channels]") ||
		!strings.Contains(out, "[Channels]") || strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("search:\n%q", out)
	}
	out, _, code = runCLI(t, "sessions", "search", "--db", db, "pass", "values", "--json")
	var hits []struct {
		SessionID    string `json:"session_id"`
		SessionTitle string `json:"session_title"`
		MessageID    int64  `json:"message_id"`
		Position     int    `json:"position"`
		Role         string `json:"role"`
		Snippet      string `json:"snippet"`
	}
	if err := json.Unmarshal([]byte(out), &hits); err != nil || code != 0 {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	if len(hits) != 1 || hits[0].Position != 1 || hits[0].Role != "assistant" || hits[0].SessionTitle != "Go channels" ||
		!strings.Contains(hits[0].Snippet, "[pass] [values]") || strings.Contains(hits[0].Snippet, "\x1b") {
		t.Errorf("search --json: %+v", hits)
	}
	if out, errOut, code := runCLI(t, "sessions", "search", "--db", db, "nowhere", "--json"); code != 1 || strings.TrimSpace(out) != "[]" ||
		errOut != "parley: no saved message matches \"nowhere\"\n" {
		t.Errorf("no hits: exit %d %q %q", code, out, errOut)
	}
	if _, _, code := runCLI(t, "sessions", "search", "--db", db); code != 2 {
		t.Errorf("search without a query: exit %d", code)
	}
}

func TestSessionsChurnIsHidden(t *testing.T) {
	out, _, code := runCLI(t, "sessions", "--help")
	if code != 0 || strings.Contains(out, "churn") || !strings.Contains(out, "search") {
		t.Errorf("sessions --help:\n%s", out)
	}
	if _, errOut, code := runCLI(t, "sessions", "bogus"); code != 2 || !strings.Contains(errOut, "bogus") {
		t.Errorf("unknown subcommand: exit %d %s", code, errOut)
	}
}

// attachmentsDB adds a session whose prompt attaches a text file and an
// image, the text file holding a terminal escape.
func attachmentsDB(t *testing.T) (db, id string) {
	t.Helper()
	db, _ = sessionsDB(t)
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	s, _ := st.CreateSession(ctx, store.Session{ID: "dddd00000000", Title: "Attached", Role: "reviewer"})
	_, err = st.AppendUserMessage(ctx, s.ID, store.StoredMessage{Text: "review these", Attachments: []store.Attachment{
		{Name: "main.go", Path: "./cmd/main.go", Kind: "text", MIME: "text/x-go", Data: []byte("package main\n// \x1b]0;x\x07\n")},
		{Name: "shot.png", Kind: "image", MIME: "image/png", Data: []byte("\x89PNG\r\n\x1a\n\x00\x01")},
	}})
	if err != nil {
		t.Fatal(err)
	}
	return db, s.ID
}

// TestSessionsShowAttachments: show lists every attached file (name, type,
// size, path) and, with --attachments, includes the content: text fenced
// and sanitised in markdown, every file base64 in JSON.
func TestSessionsShowAttachments(t *testing.T) {
	db, id := attachmentsDB(t)
	out, errOut, code := runCLI(t, "sessions", "show", "--db", db, id)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"role reviewer", "**Attached** `main.go` · text/x-go · 23 B · from ./cmd/main.go",
		"**Attached** `shot.png` · image/png · 10 B"} {
		if !strings.Contains(out, want) {
			t.Errorf("markdown lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "package main") {
		t.Errorf("content without --attachments:\n%s", out)
	}
	out, _, _ = runCLI(t, "sessions", "show", "--db", db, id, "--attachments")
	if !strings.Contains(out, "```\npackage main\n// ␛]0;x") || !strings.Contains(out, "_(binary content") ||
		strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("markdown --attachments:\n%q", out)
	}

	var doc struct {
		Session struct {
			Role string `json:"role"`
		} `json:"session"`
		Messages []struct {
			Attachments []store.Attachment `json:"attachments"`
		} `json:"messages"`
	}
	out, _, _ = runCLI(t, "sessions", "show", "--db", db, id, "--format", "json")
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	a := doc.Messages[0].Attachments
	if doc.Session.Role != "reviewer" || len(a) != 2 || a[0].Name != "main.go" || a[0].Path != "./cmd/main.go" ||
		a[0].Size != 23 || len(a[0].SHA256) != 64 || a[0].Data != nil || a[1].MIME != "image/png" {
		t.Errorf("json: %+v", doc)
	}
	out, _, _ = runCLI(t, "sessions", "show", "--db", db, id, "--format", "json", "--attachments")
	doc.Messages = nil
	json.Unmarshal([]byte(out), &doc)
	if a := doc.Messages[0].Attachments; string(a[1].Data) != "\x89PNG\r\n\x1a\n\x00\x01" {
		t.Errorf("json --attachments: %+v", a)
	}
}

// TestSessionsSearchFindsToolsAttachmentsAndPrefixes: search finds a reply
// by its tool call's arguments, a prompt by its attachment's name, and
// words by their beginning.
func TestSessionsSearchFindsToolsAttachmentsAndPrefixes(t *testing.T) {
	db, id := attachmentsDB(t)
	for q, want := range map[string]string{
		`"cmd"`:   "aaaa11110000", // the tool call's arguments: {"cmd":"ls"}
		"shot":    id,             // shot.png
		"main.go": id,
		"chann":   "aaaa11110000", // a prefix of channels
	} {
		out, errOut, code := runCLI(t, "sessions", "search", "--db", db, q)
		if code != 0 || !strings.HasPrefix(out, want) {
			t.Errorf("search %s: exit %d\n%s%s", q, code, out, errOut)
		}
	}
}
