package main

// End-to-end tests of attachments: the real binary's -f and @path against
// `parley mock-server`, whose request log says what it received.

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/parley-tui/parley/model/attach/attachtest"
)

const e2eNotes = "first line\nsecond line\n"

// attachFixtures writes a folder of files to attach, good and bad.
func attachFixtures(t *testing.T) (dir string, pic []byte) {
	t.Helper()
	dir = t.TempDir()
	pic = attachtest.PNG(3, 2)
	attachtest.Write(t, dir, "notes.txt", []byte(e2eNotes))
	attachtest.Write(t, dir, "pic.png", pic)
	attachtest.Write(t, dir, "report.pdf", attachtest.PDF(2))
	attachtest.Write(t, dir, "app.bin", append([]byte{0x7f, 'E', 'L', 'F', 2, 1, 1, 0}, make([]byte, 64)...))
	attachtest.Write(t, dir, "big.png", append(attachtest.PNG(1, 1), make([]byte, 20<<20)...))
	attachtest.Write(t, dir, "latin1.txt", []byte("caf\xe9 au lait\n"))
	os.Mkdir(filepath.Join(dir, "folder"), 0o755)
	os.Symlink("loop-b", filepath.Join(dir, "loop-a"))
	os.Symlink("loop-a", filepath.Join(dir, "loop-b"))
	return dir, pic
}

// loggedRequests reads the JSON lines `mock-server --request-log` wrote.
func loggedRequests(t *testing.T, path string) []map[string]any {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var out []map[string]any
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var l map[string]any
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("a request log line is not JSON: %v", err)
		}
		out = append(out, l)
	}
	return out
}

// lastUserContent is the content of the last message of a logged body.
func lastUserContent(t *testing.T, req map[string]any) any {
	t.Helper()
	body, _ := req["body"].(map[string]any)
	msgs, _ := body["input"].([]any)
	if m, ok := body["messages"].([]any); ok {
		msgs = m
	}
	if len(msgs) == 0 {
		t.Fatalf("no messages in %.300v", body)
	}
	return msgs[len(msgs)-1].(map[string]any)["content"]
}

// TestE2EAttachWithFileFlags: parley -p -f notes.txt -f pic.png "what
// are these", on each API: the mock receives the prompt with the file
// fenced under its path, the image named and as a PNG data URL of its
// bytes, and the answer about them is printed.
func TestE2EAttachWithFileFlags(t *testing.T) {
	bin := parleyBinary(t)
	dir, pic := attachFixtures(t)
	wantText := "what are these\n\nFile: notes.txt\n```\n" + e2eNotes + "```\n"
	wantURL := "data:image/png;base64," + base64.StdEncoding.EncodeToString(pic)
	for _, api := range []string{"responses", "chat"} {
		log := filepath.Join(t.TempDir(), "requests.jsonl")
		url := startMockServer(t, bin, "--instant", "--request-log", log)
		code, stdout, stderr, _ := runParley(t, bin, run{dir: dir, env: []string{"OPENAI_BASE_URL=" + url, "OPENAI_API_KEY=mock"}},
			"-p", "-f", "notes.txt", "-f", "pic.png", "what are these", "--api", api, "--no-save")
		if code != 0 {
			t.Fatalf("%s: exit %d, stderr %q", api, code, stderr)
		}
		for _, want := range []string{"I received 2 attachments", "**notes.txt**: a text file, 2 lines, 23 bytes", "**pic.png**: a PNG image, 3×2 pixels"} {
			if !strings.Contains(stdout, want) {
				t.Errorf("%s: the answer lacks %q:\n%s", api, want, stdout)
			}
		}
		reqs := loggedRequests(t, log)
		if len(reqs) != 1 {
			t.Fatalf("%s: the mock logged %d requests", api, len(reqs))
		}
		parts, _ := lastUserContent(t, reqs[0]).([]any)
		if len(parts) != 3 {
			t.Fatalf("%s: content = %.400v, want the prompt, the image's name and the image", api, lastUserContent(t, reqs[0]))
		}
		text, name, img := parts[0].(map[string]any), parts[1].(map[string]any), parts[2].(map[string]any)
		if text["text"] != wantText {
			t.Errorf("%s: the prompt sent was %q, want %q", api, text["text"], wantText)
		}
		if name["text"] != "Image: pic.png" {
			t.Errorf("%s: the image is not named: %v", api, name)
		}
		gotURL := img["image_url"]
		if api == "chat" {
			gotURL = img["image_url"].(map[string]any)["url"]
		}
		if wantType := map[string]string{"responses": "input_image", "chat": "image_url"}[api]; img["type"] != wantType || gotURL != wantURL {
			t.Errorf("%s: the image part is %.200v, want a %s with the PNG's data URL", api, img, wantType)
		}
	}
}

// TestE2EAttachWithAtReference: parley -p "summarise @notes.txt" sends the
// file fenced after the prompt, as plain text (no parts needed).
func TestE2EAttachWithAtReference(t *testing.T) {
	bin := parleyBinary(t)
	dir, _ := attachFixtures(t)
	log := filepath.Join(t.TempDir(), "requests.jsonl")
	url := startMockServer(t, bin, "--instant", "--request-log", log)
	code, stdout, stderr, _ := runParley(t, bin, run{dir: dir, env: []string{"OPENAI_BASE_URL=" + url, "OPENAI_API_KEY=mock"}},
		"-p", "summarise @notes.txt", "--no-save")
	if code != 0 || !strings.Contains(stdout, "**notes.txt**: a text file, 2 lines") || !strings.Contains(stdout, "starting “first line”") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}
	reqs := loggedRequests(t, log)
	if len(reqs) != 1 {
		t.Fatalf("the mock logged %d requests", len(reqs))
	}
	if got, want := lastUserContent(t, reqs[0]), "summarise @notes.txt\n\nFile: notes.txt\n```\n"+e2eNotes+"```\n"; got != want {
		t.Errorf("sent %q, want %q", got, want)
	}
}

// TestE2EBadAttachmentsSendNothing: through the real binary every file
// that cannot be sent is one line on stderr and exit 2, and the mock
// receives no request at all.
func TestE2EBadAttachmentsSendNothing(t *testing.T) {
	bin := parleyBinary(t)
	dir, _ := attachFixtures(t)
	unreadable := attachtest.Write(t, dir, "secret.txt", []byte("x"))
	os.Chmod(unreadable, 0)
	if os.Geteuid() == 0 && runtime.GOOS == "linux" {
		unreadable = "/proc/self/mem" // root reads any file; this one the kernel refuses
	}
	log := filepath.Join(t.TempDir(), "requests.jsonl")
	url := startMockServer(t, bin, "--instant", "--request-log", log)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-f", "missing.txt"}, "cannot attach missing.txt: there is no such file"},
		{[]string{"-f", "folder"}, "cannot attach folder: it is a directory; attach the files in it instead"},
		{[]string{"-f", "app.bin"}, "cannot attach app.bin: it is a binary file, not text, an image (PNG, JPEG, WebP, GIF) or a PDF"},
		{[]string{"-f", "big.png"}, "cannot attach big.png: it is 20 MB, over the 20 MB limit for images"},
		{[]string{"-f", unreadable}, "cannot attach " + unreadable + ": "},
		{[]string{"-f", "loop-a"}, "cannot attach loop-a: it is a symbolic link that loops back on itself"},
		{[]string{"-f", "latin1.txt"}, "cannot attach latin1.txt: it looks like Latin-1 (ISO 8859-1) text, not UTF-8"},
		{[]string{"-p", "look at @loop-b"}, "cannot attach loop-b: it is a symbolic link that loops back on itself"},
		{[]string{"-f", "report.pdf", "--api", "chat"}, "cannot send report.pdf: this Chat Completions server (openai at 127.0.0.1:"},
		{[]string{"-f", "pic.png", "-m", "gpt-3.5-turbo"}, "cannot send pic.png: the model gpt-3.5-turbo cannot see images"},
	} {
		args := tc.args
		if args[0] != "-p" {
			args = append([]string{"-p", "what is this"}, args...)
		}
		code, stdout, stderr, _ := runParley(t, bin, run{dir: dir, env: []string{"OPENAI_BASE_URL=" + url, "OPENAI_API_KEY=mock"}},
			append(args, "--no-save")...)
		if code != 2 || !strings.HasPrefix(stderr, "parley: "+tc.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
			t.Errorf("%q: exit %d\nstderr %q\nstdout %q\nwant exit 2 and %q", tc.args, code, stderr, stdout, tc.want)
		}
		if n := len(loggedRequests(t, log)); n != 0 {
			t.Fatalf("%q: the mock received %d requests", tc.args, n)
		}
	}
}

// TestE2EAttachStdin: -f - reads a pipe; from a terminal it is refused,
// since there is no file to read.
func TestE2EAttachStdin(t *testing.T) {
	bin := parleyBinary(t)
	log := filepath.Join(t.TempDir(), "requests.jsonl")
	url := startMockServer(t, bin, "--instant", "--request-log", log)
	env := []string{"OPENAI_BASE_URL=" + url, "OPENAI_API_KEY=mock"}
	code, stdout, stderr, _ := runParley(t, bin, run{stdin: bytes.NewReader(attachtest.GIF(5, 4)), env: env},
		"-p", "-f", "-", "describe it", "--no-save")
	if code != 0 || !strings.Contains(stdout, "**stdin**: a GIF image, 5×4 pixels") {
		t.Fatalf("exit %d\nstdout %s\nstderr %s", code, stdout, stderr)
	}

	tm := startParley(t, bin, env, "-p", "describe it", "-f", "-", "--no-save")
	if code := tm.exit(); code != 2 {
		t.Errorf("-f - from a terminal exited %d", code)
	}
	tm.waitFor("-f -: standard input is a terminal, not a file; pipe one in")
	if n := len(loggedRequests(t, log)); n != 1 {
		t.Errorf("the mock received %d requests, want only the piped one", n)
	}
}
