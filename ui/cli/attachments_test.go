package cli

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/attach/attachtest"
	"github.com/parley-tui/parley/stream/mock"
)

// attachDir makes a folder of files to attach and works in it.
func attachDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	attachtest.Write(t, dir, "notes.txt", []byte("first line\nsecond line\n"))
	attachtest.Write(t, dir, "pic.png", attachtest.PNG(3, 2))
	attachtest.Write(t, dir, "report.pdf", attachtest.PDF(2))
	t.Chdir(dir)
	return dir
}

// lastAttachments are the names the mock read in the last request.
func lastAttachments(t *testing.T, srv *mock.Server) []string {
	t.Helper()
	reqs := srv.Requests()
	if len(reqs) == 0 {
		t.Fatal("the mock received no request")
	}
	var names []string
	for _, a := range reqs[len(reqs)-1].Attachments {
		names = append(names, a.Kind+":"+a.Name)
	}
	return names
}

func TestOneShotAttachesFilesAndReferences(t *testing.T) {
	srv := oneShotMock(t)
	attachDir(t)
	for _, tc := range []struct {
		args  []string
		stdin string
		want  []string
	}{
		{[]string{"-p", "-f", "notes.txt", "-f", "pic.png", "what are these"}, "", []string{"text:notes.txt", "image:pic.png"}},
		{[]string{"-p", "summarise @notes.txt and @report.pdf", "-f", "./notes.txt"}, "", []string{"text:notes.txt", "pdf:report.pdf"}},
		{[]string{"-f", "-", "-p", "what is this"}, string(attachtest.PNG(4, 4)), []string{"image:stdin"}},
	} {
		var out, errb bytes.Buffer
		code := Execute(append(tc.args, "--no-save"), strings.NewReader(tc.stdin), &out, &errb)
		if code != 0 {
			t.Fatalf("%q: exit %d, stderr %q", tc.args, code, errb.String())
		}
		if got := lastAttachments(t, srv); !slices.Equal(got, tc.want) {
			t.Errorf("%q: the mock received %v, want %v", tc.args, got, tc.want)
		}
		if !strings.Contains(out.String(), "I received") {
			t.Errorf("%q: the answer is not about the files: %q", tc.args, out.String())
		}
	}
	// -f - is the attachment, not also context for the prompt.
	body := string(srv.Requests()[len(srv.Requests())-1].Body)
	if !strings.Contains(body, `"what is this"`) {
		t.Errorf("stdin was added to the prompt as well: %.300s", body)
	}
}

// TestBadFilesExit2AndSendNothing: every file that cannot be sent is one
// sentence on stderr, exit 2, and no request.
func TestBadFilesExit2AndSendNothing(t *testing.T) {
	srv := oneShotMock(t)
	dir := attachDir(t)
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	attachtest.Write(t, dir, "app.bin", append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, make([]byte, 64)...))
	attachtest.Write(t, dir, "big.txt", bytes.Repeat([]byte("a"), attach.DefaultTextLimit+1))
	attachtest.Write(t, dir, "latin1.txt", []byte("caf\xe9\n"))
	os.Symlink("loop-b", filepath.Join(dir, "loop-a"))
	os.Symlink("loop-a", filepath.Join(dir, "loop-b"))
	unreadable := attachtest.Write(t, dir, "secret.txt", []byte("x"))
	os.Chmod(unreadable, 0)
	if os.Geteuid() == 0 && runtime.GOOS == "linux" {
		// Root reads any file; reading this one the kernel refuses.
		unreadable = "/proc/self/mem"
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-f", "missing.txt"}, "cannot attach missing.txt: there is no such file"},
		{[]string{"-f", "folder"}, "cannot attach folder: it is a directory"},
		{[]string{"-f", "app.bin"}, "cannot attach app.bin: it is a binary file"},
		{[]string{"-f", "big.txt"}, "cannot attach big.txt: it is 1 MB, over the 1 MB limit for text files"},
		{[]string{"-f", "loop-a"}, "cannot attach loop-a: it is a symbolic link that loops back on itself"},
		{[]string{"-f", "latin1.txt"}, "cannot attach latin1.txt: it looks like Latin-1 (ISO 8859-1) text, not UTF-8"},
		{[]string{"-f", unreadable}, "cannot attach " + unreadable + ": "},
		{[]string{"-f", ""}, "-f needs a file name"},
		{[]string{"--file=notes.txt", "-f", "missing.txt"}, "cannot attach missing.txt"},
		{[]string{"-p", "read @loop-a"}, "cannot attach loop-a: it is a symbolic link that loops back on itself"},
		{[]string{"-f", "pic.png", "-m", "o3-mini"}, "cannot send pic.png: the model o3-mini cannot see images"},
		{[]string{"-f", "report.pdf", "--api", "chat"}, "cannot send report.pdf: this Chat Completions server (openai at 127.0.0.1:"},
	} {
		var out, errb bytes.Buffer
		args := tc.args
		if !slices.Contains(args, "-p") {
			args = append([]string{"-p", "hi"}, args...)
		}
		code := Execute(append(args, "--no-save"), strings.NewReader(""), &out, &errb)
		if code != exitUsage || !strings.Contains(errb.String(), "parley: "+tc.want) || strings.Count(errb.String(), "\n") != 1 {
			t.Errorf("%q: exit %d, stderr %q; want 2 and %q", tc.args, code, errb.String(), tc.want)
		}
		if n := len(srv.Requests()); n != 0 {
			t.Fatalf("%q: the mock received %d requests", tc.args, n)
		}
	}
}

// TestTheChatChecksItsFilesBeforeStarting: a bad -f stops the chat with
// exit 2 before the screen is taken.
func TestTheChatChecksItsFilesBeforeStarting(t *testing.T) {
	oneShotMock(t)
	dir := attachDir(t)
	for args, want := range map[string]string{
		"-f missing.txt":                  "cannot attach missing.txt: there is no such file",
		"-f pic.png -m gpt-3.5-turbo":     "cannot send pic.png: the model gpt-3.5-turbo cannot see images",
		"-f report.pdf --api chat":        "cannot send report.pdf: this Chat Completions server",
		"-f " + dir + "/folder/../nodir/": "cannot attach " + dir + "/folder/../nodir/: there is no such file",
	} {
		var out, errb bytes.Buffer
		if code := Execute(strings.Fields(args), strings.NewReader(""), &out, &errb); code != exitUsage || !strings.Contains(errb.String(), want) {
			t.Errorf("%s: exit %d, stderr %q", args, code, errb.String())
		}
		if out.Len() != 0 {
			t.Errorf("%s: the chat drew on stdout: %q", args, out.String())
		}
	}
}

func TestLoadAttachments(t *testing.T) {
	attachDir(t)
	os.Mkdir("src", 0o755)
	l, err := loadAttachments([]string{"notes.txt", "-"}, "compare @pic.png with @./notes.txt, @src, @notes.tx and mail bob@example.com @everyone.",
		strings.NewReader("piped\n"), attach.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, a := range l.atts {
		names = append(names, a.Label())
	}
	if !slices.Equal(names, []string{"notes.txt", "stdin", "pic.png"}) || !l.stdin {
		t.Errorf("attached %v (stdin read %v), want notes.txt once, stdin and pic.png", names, l.stdin)
	}
	want := []string{"@src is a directory (attach the files in it instead), so it is sent as text", "@notes.tx names no file, so it is sent as text"}
	if !slices.Equal(l.warnings, want) {
		t.Errorf("warnings %q, want %q", l.warnings, want)
	}
	// The limits are the caller's.
	if _, err := loadAttachments([]string{"notes.txt"}, "", nil, attach.Limits{Text: 4}); attach.ProblemOf(err) != attach.TooLarge {
		t.Errorf("a 4-byte text limit: %v", err)
	}
}

func TestMovePrompt(t *testing.T) {
	fs := rootFlags(NewRoot(nil, nil, nil))
	for _, tc := range []struct{ in, want string }{
		{"-p hi", "-p hi"},
		{"-p -f a.txt -f b.png what are these", "-p what -f a.txt -f b.png are these"},
		{"-p -m gpt-5 help", "-p help -m gpt-5"},
		{"--prompt --yolo -f - summarise", "--prompt summarise --yolo -f -"},
		{"-p -c -s abc go on", "-p go -c -s abc on"},
		{"-f x -p", "-f x --prompt="},
		{"-p=hi -f x", "-p=hi -f x"},
		{"sessions -p", "sessions -p"},
		{"-p -- -dash", "--prompt= -- -dash"},
		{"-p -f x -- -dash", "--prompt= -f x -- -dash"},
		{"-m -p", "-m -p"}, // -p is -m's value
	} {
		if got := strings.Join(movePrompt(fs, strings.Fields(tc.in)), " "); got != tc.want {
			t.Errorf("movePrompt(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
	// A prompt may start with a dash when it is more than one word.
	for _, tc := range []struct{ in, want []string }{
		{[]string{"-p", "-v is verbose?"}, []string{"-p", "-v is verbose?"}},
		{[]string{"-p", "-f", "a.txt", "-x marks the spot"}, []string{"-p", "-x marks the spot", "-f", "a.txt"}},
	} {
		if got := movePrompt(fs, tc.in); !slices.Equal(got, tc.want) {
			t.Errorf("movePrompt(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPromptWordsAfterTheFlags: the prompt may follow the flags, a word
// that names a subcommand included; a stray word without -p is refused.
func TestPromptWordsAfterTheFlags(t *testing.T) {
	srv := oneShotMock(t)
	for _, args := range [][]string{
		{"-p", "--no-save", "-m", "parley-mock-markdown", "help"},
		{"-p", "what", "is", "2+2", "--no-save"},
	} {
		var out, errb bytes.Buffer
		if code := Execute(args, strings.NewReader(""), &out, &errb); code != 0 {
			t.Fatalf("%q: exit %d, stderr %q", args, code, errb.String())
		}
	}
	reqs := srv.Requests()
	if len(reqs) != 2 || !bytes.Contains(reqs[0].Body, []byte(`"content":"help"`)) || !bytes.Contains(reqs[1].Body, []byte(`"content":"what is 2+2"`)) {
		t.Errorf("prompts sent: %d requests", len(reqs))
	}
	var out, errb bytes.Buffer
	if code := Execute([]string{"hello"}, strings.NewReader(""), &out, &errb); code != exitUsage ||
		!strings.Contains(errb.String(), `unexpected argument "hello": the chat takes none; for one answer, put the prompt after -p`) {
		t.Errorf("a stray word: exit %d, stderr %q", code, errb.String())
	}
}

// TestAttachTargetFollowsTheProvider: a switch to another provider checks
// files against that provider's server.
func TestAttachTargetFollowsTheProvider(t *testing.T) {
	b, err := resolveBackend(context.Background(), chatFlags{provider: "openai"}, env(map[string]string{"OPENAI_API_KEY": "sk-x"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer b.close()
	pdf, _ := attach.FromBytes("r.pdf", "r.pdf", attachtest.PDF(1), attach.Limits{})
	img, _ := attach.FromBytes("p.png", "p.png", attachtest.PNG(1, 1), attach.Limits{})
	if err := b.attachTarget("", "gpt-5").CheckRequest([]attach.Attachment{pdf, img}); err != nil {
		t.Errorf("OpenAI's gpt-5: %v", err)
	}
	if err := b.attachTarget("ollama", "llama3.2").Check(pdf); err == nil || !strings.Contains(err.Error(), "(ollama at localhost:11434)") {
		t.Errorf("Ollama: %v", err)
	}
	if err := b.attachTarget("openai", "o3-mini").Check(img); err == nil {
		t.Error("o3-mini took an image")
	}
	demo, err := resolveBackend(context.Background(), chatFlags{api: "chat"}, env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer demo.close()
	if err := demo.attachTarget("", demo.model).Check(pdf); err != nil {
		t.Errorf("the demo backend on Chat: %v", err)
	}
}
