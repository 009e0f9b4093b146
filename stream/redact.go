package stream

import (
	"net/http"
	"slices"
	"strings"
)

// Mask replaces a secret in text that came from a server. It is the mask
// Parley's log uses, so a secret reads the same wherever it was caught.
const Mask = "[REDACTED]"

// minSecretLen keeps short header values ("1", "true", "Parley") from
// being masked wherever they appear in a message: a secret is longer.
const minSecretLen = 8

// redactor scrubs every message that came from a server (HTTP error
// bodies, stream error events, response.failed, /models answers) before it
// is kept in an Error or returned: first the caller's hook, then, by value
// and whatever the hook does, the credentials this client sends (the key
// and every configured header value), so a server that echoes the request
// never gets them shown.
type redactor struct {
	hook    func(string) string
	secrets []string // longest first, so a key inside a longer value is not half-masked
}

func newRedactor(hook func(string) string, key string, header http.Header) redactor {
	r := redactor{hook: hook}
	add := func(s string) {
		if s = strings.TrimSpace(s); len(s) >= minSecretLen && !slices.Contains(r.secrets, s) {
			r.secrets = append(r.secrets, s)
		}
	}
	add(key)
	for _, vs := range header {
		for _, v := range vs {
			add(v)
			// "Bearer sk-..." configured as a header: mask the token too.
			if _, tok, ok := strings.Cut(v, " "); ok {
				add(tok)
			}
		}
	}
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
	return r
}

// text scrubs one string.
func (r redactor) text(s string) string {
	if s == "" {
		return s
	}
	if r.hook != nil {
		s = r.hook(s)
	}
	for _, sec := range r.secrets {
		if strings.Contains(s, sec) {
			s = strings.ReplaceAll(s, sec, Mask)
		}
	}
	return s
}

// error scrubs every text field of e in place, cuts those too long to
// show (after scrubbing, so no secret is cut in two), and returns it.
func (r redactor) error(e *Error) *Error {
	if e == nil {
		return nil
	}
	e.Message = cut(r.text(e.Message), maxMessage)
	e.Code = cut(r.text(e.Code), maxMessage)
	e.Type = cut(r.text(e.Type), maxMessage)
	e.Param = cut(r.text(e.Param), maxMessage)
	return e
}
