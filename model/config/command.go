package config

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// DefaultKeyTimeout bounds an api_key_cmd run: long enough to type a
// passphrase into a pinentry, short enough not to hang for ever.
const DefaultKeyTimeout = 30 * time.Second

// runKeyCommand runs command, without a shell, and returns the first line
// it prints, trimmed (`pass show` prints the password first, then other
// fields). Errors say what went wrong and quote the command's stderr, with
// anything it also printed on stdout blanked, but never the output itself.
func runKeyCommand(ctx context.Context, command string, timeout time.Duration) (string, error) {
	argv, err := splitCommand(command)
	if err != nil {
		return "", err
	}
	if len(argv) == 0 {
		return "", errors.New("is empty")
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	// A child that outlives the command (sh -c 'sleep 99 &') keeps the
	// pipes open; do not wait for it past the kill.
	cmd.WaitDelay = time.Second
	err = cmd.Run()
	out := stdout.String()
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return "", fmt.Errorf("did not finish within %v", timeout)
	case err != nil:
		msg := "failed: " + describeExit(err)
		if detail := lastLine(redact(stderr.String(), out)); detail != "" {
			msg += ": " + detail
		}
		return "", errors.New(msg)
	}
	key, _, _ := strings.Cut(strings.TrimLeft(out, " \t\r\n"), "\n")
	key = strings.TrimSpace(key)
	if key == "" {
		return "", errors.New("printed nothing")
	}
	return key, nil
}

func describeExit(err error) string {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ProcessState.String() // "exit status 1"
	}
	return err.Error() // not found, not executable
}

// redact blanks from text every line of secret long enough to be a key.
func redact(text, secret string) string {
	for _, line := range strings.Split(secret, "\n") {
		if line = strings.TrimSpace(line); len(line) >= 4 {
			text = strings.ReplaceAll(text, line, "[redacted]")
		}
	}
	return text
}

// lastLine is the last non-empty line of text, cut to 200 bytes.
func lastLine(text string) string {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	l := strings.TrimSpace(lines[len(lines)-1])
	if len(l) > 200 {
		l = l[:200] + "…"
	}
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, l)
}

// splitCommand splits a command line into words as a shell would, without
// running one: words are separated by blanks; 'single quotes' keep
// everything, "double quotes" allow \" and \\, a backslash outside quotes
// keeps the next character. Nothing is expanded.
func splitCommand(s string) ([]string, error) {
	var words []string
	var w strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			if inWord {
				words = append(words, w.String())
				w.Reset()
				inWord = false
			}
		case c == '\'':
			j := strings.IndexByte(s[i+1:], '\'')
			if j < 0 {
				return nil, errors.New("has an unclosed ' quote")
			}
			w.WriteString(s[i+1 : i+1+j])
			i += j + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && (s[i+1] == '"' || s[i+1] == '\\') {
					i++
				}
				w.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New(`has an unclosed " quote`)
			}
			inWord = true
		case c == '\\' && i+1 < len(s):
			i++
			w.WriteByte(s[i])
			inWord = true
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		words = append(words, w.String())
	}
	return words, nil
}
