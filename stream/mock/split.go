package mock

import (
	"math/rand/v2"
	"unicode"
	"unicode/utf8"
)

// piece is one delta of generated text and the tokens it stands for, which
// the pacer uses to time it.
type piece struct {
	text   string
	tokens int
}

// splitText cuts text into deltas of 1 to 6 token-ish units. A unit is a word
// or a single punctuation mark, with the whitespace before it, the way BPE
// tokens usually carry a leading space. The pieces concatenate to text.
func splitText(text string, rng *rand.Rand) []piece {
	units := textUnits(text)
	var out []piece
	for len(units) > 0 {
		n := min(len(units), 1+rng.IntN(6))
		end := units[n-1].end
		start := units[0].start
		out = append(out, piece{text: text[start:end], tokens: n})
		units = units[n:]
	}
	return out
}

type span struct{ start, end int }

func textUnits(text string) []span {
	var out []span
	i := 0
	for i < len(text) {
		start := i
		for i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			if !unicode.IsSpace(r) {
				break
			}
			i += size
		}
		if i < len(text) {
			r, size := utf8.DecodeRuneInString(text[i:])
			i += size
			if isWordRune(r) {
				for i < len(text) {
					r, size := utf8.DecodeRuneInString(text[i:])
					if !isWordRune(r) {
						break
					}
					i += size
				}
			}
		}
		out = append(out, span{start, i})
	}
	return out
}

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '\''
}

// splitArguments cuts tool-call arguments into fragments of 3 to 8 bytes,
// ignoring JSON structure (as real models do: "{\"ci", "ty\": "), but never
// inside a UTF-8 sequence, which a JSON string could not carry.
func splitArguments(args string, rng *rand.Rand) []piece {
	var out []piece
	for len(args) > 0 {
		n := min(len(args), 3+rng.IntN(6))
		for n < len(args) && !utf8.RuneStart(args[n]) {
			n++
		}
		out = append(out, piece{text: args[:n], tokens: 1})
		args = args[n:]
	}
	return out
}

// estimateTokens is the usual rough rule of four bytes per token.
func estimateTokens(s string) int {
	if s == "" {
		return 0
	}
	return max(1, (len(s)+3)/4)
}
