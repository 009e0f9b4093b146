package cli

import (
	"github.com/parley-tui/parley/model/logging"
	"github.com/parley-tui/parley/ui/sanitize"
)

// serverText makes text that may hold a server's words fit for the
// terminal: secrets are scrubbed by the log's own redactor (every key and
// configured header value registered with logging.AddSecret, bearer
// tokens, key-shaped strings), then escape sequences and other controls
// are neutralised as on the chat screen. Every command prints server
// text through it: errors, model ids, doctor's findings. (JSON output
// goes through writeJSON, which escapes controls instead.)
func serverText(s string) string { return sanitize.Text(logging.Redact(s)) }
