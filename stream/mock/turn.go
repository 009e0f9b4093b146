package mock

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strings"
)

// turn is one streamed reply: the request it answers, what to say, and the
// state shared by the Responses and Chat builders.
type turn struct {
	n       int // response number on this server, for ids
	req     request
	reply   reply
	created int64 // unix seconds
	rng     *rand.Rand
}

func newTurn(n int, req request, r reply, created int64) turn {
	// Seeding from n keeps a server's replies reproducible run to run.
	return turn{n: n, req: req, reply: r, created: created, rng: rand.New(rand.NewPCG(uint64(n), 0x7061726c6579))}
}

func (t turn) id(prefix string, index int) string {
	if t.reply.fixedIDs {
		return prefix + "_mock_reused"
	}
	return fmt.Sprintf("%s_mock_%d_%d", prefix, t.n, index)
}

// encryptedContent imitates the opaque blob OpenAI returns for
// include:["reasoning.encrypted_content"]; phase varies it between the
// added and done events, as the real one does.
func (t turn) encryptedContent(phase string) string {
	var b strings.Builder
	b.WriteString("gAAAAB")
	sum := sha256.Sum256(fmt.Appendf(nil, "parley-mock:%d:%s", t.n, phase))
	for range 4 {
		b.WriteString(base64.RawURLEncoding.EncodeToString(sum[:]))
		sum = sha256.Sum256(sum[:])
	}
	return b.String()
}

// obfuscation imitates the random padding OpenAI adds to every delta event
// since mid-2025; decoders must ignore it.
func (t turn) obfuscation() string {
	const letters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
	b := make([]byte, 1+t.rng.IntN(15))
	for i := range b {
		b[i] = letters[t.rng.IntN(len(letters))]
	}
	return string(b)
}

// tokenCounts estimates usage for what this turn streams: reasoning models
// think several times longer than their summary shows.
func (t turn) tokenCounts(text string) (output, reasoning int) {
	if len(t.reply.summary) > 0 {
		reasoning = 3 * estimateTokens(strings.Join(t.reply.summary, "\n\n"))
	}
	output = estimateTokens(text) + reasoning
	for _, c := range t.reply.calls {
		output += estimateTokens(c.arguments) + 5
	}
	return output, reasoning
}

// textPieces splits the reply text; an incomplete turn keeps only the first
// half, as if max_output_tokens had been reached.
func (t turn) textPieces(incomplete bool) ([]piece, string) {
	pieces := splitText(t.reply.text, t.rng)
	if incomplete {
		pieces = pieces[:len(pieces)/2]
	}
	var b strings.Builder
	for _, p := range pieces {
		b.WriteString(p.text)
	}
	return pieces, b.String()
}
