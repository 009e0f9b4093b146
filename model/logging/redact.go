package logging

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
)

// Mask replaces a secret.
const Mask = "[REDACTED]"

// minSecretLen is the shortest string AddSecret accepts: shorter ones are
// too common in ordinary text to scrub, and no provider issues keys that
// short.
const minSecretLen = 8

// secrets are the exact strings registered with AddSecret, longest first
// so that a key containing another is scrubbed whole. Package state on
// purpose: a key is a fact about the process, and every logger and every
// Redact call must know it.
var secrets struct {
	sync.RWMutex
	list []string
}

// AddSecret registers s so that Redact, and so every log line, scrubs it
// wherever it appears, whatever it looks like. Strings shorter than 8
// bytes are ignored.
func AddSecret(s string) {
	if len(s) < minSecretLen {
		return
	}
	secrets.Lock()
	defer secrets.Unlock()
	if slices.Contains(secrets.list, s) {
		return
	}
	secrets.list = append(secrets.list, s)
	sort.SliceStable(secrets.list, func(i, j int) bool { return len(secrets.list[i]) > len(secrets.list[j]) })
}

var (
	// bearerToken is a credential after the Bearer scheme.
	bearerToken = regexp.MustCompile(`(?i)\b(bearer)\s+[A-Za-z0-9\-._~+/]+=*`)
	// apiKeyLike is a key in the formats providers issue: OpenAI's sk-...
	// and sk-proj-... (and Anthropic's sk-ant-, OpenRouter's sk-or-,
	// DeepSeek's sk-), Groq's gsk_..., xAI's xai-....
	apiKeyLike = regexp.MustCompile(`\b(?:sk|gsk|xai)[-_][A-Za-z0-9_\-]{8,}`)
	// assignment is name=value with a sensitive name, as in a query
	// string or a message quoting one.
	assignment = regexp.MustCompile(`(?i)\b((?:[a-z]+[-_])?(?:api[-_]?key|apikey|key|token|password|passwd|secret|sig|signature))=([^&\s"',;]+)`)
)

// Redact scrubs secrets from s: registered ones, bearer tokens, strings
// shaped like API keys, and sensitive name=value pairs.
func Redact(s string) string {
	secrets.RLock()
	for _, secret := range secrets.list {
		s = strings.ReplaceAll(s, secret, Mask)
	}
	secrets.RUnlock()
	s = bearerToken.ReplaceAllString(s, "$1 "+Mask)
	s = apiKeyLike.ReplaceAllString(s, Mask)
	return assignment.ReplaceAllString(s, "$1="+Mask)
}

var sensitiveNames = map[string]bool{
	"authorization": true, "proxy-authorization": true, "cookie": true, "set-cookie": true,
	"key": true, "api-key": true, "apikey": true, "token": true, "password": true, "passwd": true,
	"secret": true, "sig": true, "signature": true,
}

var sensitiveSuffixes = []string{"-api-key", "-apikey", "-key", "-token", "-secret", "-password"}

// SensitiveName says an attribute, header or query parameter of this name
// holds a credential: authorization, api-key, api_key, x-api-key, token,
// password, secret, key, and names ending in one of those.
func SensitiveName(name string) bool {
	n := strings.ToLower(strings.ReplaceAll(name, "_", "-"))
	if sensitiveNames[n] {
		return true
	}
	for _, suf := range sensitiveSuffixes {
		if strings.HasSuffix(n, suf) {
			return true
		}
	}
	return false
}

// RedactURL is u as a string with its password and sensitive query
// values masked.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.RawQuery != "" {
		q := c.Query()
		for name := range q {
			if SensitiveName(name) {
				q[name] = []string{Mask}
			}
		}
		c.RawQuery = q.Encode()
	}
	return Redact(c.Redacted())
}

// redactor is a slog.Handler that scrubs every record before the next
// handler sees it: the message, and every attribute, in groups too.
type redactor struct{ next slog.Handler }

// NewRedactor wraps h so that no secret reaches it: values of attributes
// with sensitive names (SensitiveName) are masked whole, and every string
// (the message included) goes through Redact.
func NewRedactor(h slog.Handler) slog.Handler { return redactor{h} }

func (r redactor) Enabled(ctx context.Context, l slog.Level) bool { return r.next.Enabled(ctx, l) }

func (r redactor) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, Redact(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(redactAttr(a))
		return true
	})
	return r.next.Handle(ctx, out)
}

func (r redactor) WithAttrs(attrs []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(attrs))
	for i, a := range attrs {
		red[i] = redactAttr(a)
	}
	return redactor{r.next.WithAttrs(red)}
}

func (r redactor) WithGroup(name string) slog.Handler { return redactor{r.next.WithGroup(name)} }

func redactAttr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve() // a LogValuer must not smuggle a secret past
	if SensitiveName(a.Key) && !(v.Kind() == slog.KindString && v.String() == "") {
		return slog.String(a.Key, Mask)
	}
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, Redact(v.String()))
	case slog.KindGroup:
		return slog.Attr{Key: a.Key, Value: slog.GroupValue(redactAttrs(v.Group())...)}
	case slog.KindAny:
		return slog.Attr{Key: a.Key, Value: redactAny(v.Any())}
	}
	return slog.Attr{Key: a.Key, Value: v}
}

func redactAttrs(as []slog.Attr) []slog.Attr {
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = redactAttr(a)
	}
	return out
}

// redactAny scrubs a value of any type: headers and string maps become
// groups of scrubbed attributes; errors, URLs, byte slices and Stringers
// become scrubbed strings; anything else is kept as it is unless its
// printed form holds a secret, and then that form, scrubbed, replaces it.
func redactAny(v any) slog.Value {
	switch x := v.(type) {
	case nil:
		return slog.AnyValue(nil)
	case http.Header:
		return slog.GroupValue(HeaderAttrs(x)...)
	case map[string][]string:
		return slog.GroupValue(HeaderAttrs(x)...)
	case map[string]string:
		h := make(http.Header, len(x))
		for k, s := range x {
			h[k] = []string{s}
		}
		return slog.GroupValue(HeaderAttrs(h)...)
	case []string:
		out := make([]string, len(x))
		for i, s := range x {
			out[i] = Redact(s)
		}
		return slog.AnyValue(out)
	case *url.URL:
		return slog.StringValue(RedactURL(x))
	case url.URL:
		return slog.StringValue(RedactURL(&x))
	case []byte:
		return slog.StringValue(Redact(string(x)))
	case error:
		return slog.StringValue(Redact(x.Error()))
	case fmt.Stringer:
		return slog.StringValue(Redact(x.String()))
	}
	s := fmt.Sprintf("%+v", v)
	if r := Redact(s); r != s {
		return slog.StringValue(r)
	}
	return slog.AnyValue(v)
}

// HeaderAttrs are h's fields as string attributes in name order, values
// joined by ", ", with sensitive ones masked and the rest scrubbed.
func HeaderAttrs(h map[string][]string) []slog.Attr {
	names := make([]string, 0, len(h))
	for k := range h {
		names = append(names, k)
	}
	sort.Strings(names)
	out := make([]slog.Attr, 0, len(names))
	for _, k := range names {
		v := Mask
		if !SensitiveName(k) {
			v = Redact(strings.Join(h[k], ", "))
		}
		out = append(out, slog.String(k, v))
	}
	return out
}
