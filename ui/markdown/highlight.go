package markdown

import (
	"strconv"
	"strings"

	"charm.land/glamour/v2/ansi"
	"charm.land/lipgloss/v2"
	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
	"github.com/alecthomas/chroma/v2/styles"
	xansi "github.com/charmbracelet/x/ansi"
)

// A highlighter colours code with chroma, the way glamour's terminal16m
// path does (24-bit colours, no backgrounds), but run by us:
//   - a fence without a language, or with one chroma does not know, is not
//     highlighted: glamour asks chroma to guess (lexers.Analyse runs every
//     lexer's heuristics, ~5 ms a block) and the guess is usually plain text;
//   - lexers and the SGR of each token type are looked up once, not per
//     block (glamour's formatter rebuilds the style on every call);
//   - a growing block is lexed incrementally (lexCode), so a streaming
//     listing costs what its new lines cost.
type highlighter struct {
	style  *chroma.Style // nil: code is drawn in plain
	plain  string        // SGR for code without a colour of its own
	sgr    map[chroma.TokenType]string
	lexers map[string]chroma.Lexer // by fence language; nil for none
	cache  []*codeState            // recently highlighted blocks, newest last
	// inexact is set when a provisional render reused or restarted lexing
	// (codelex.go): its rows are then not taken as a final render.
	inexact bool
	docFg   string // the document's colour, for code drawn without one
}

func newHighlighter(st ansi.StyleConfig) *highlighter {
	h := &highlighter{sgr: map[chroma.TokenType]string{}, lexers: map[string]chroma.Lexer{}}
	var plain xansi.Style
	if c := st.CodeBlock.Color; c != nil {
		plain = plain.ForegroundColor(lipgloss.Color(*c))
	}
	h.plain = plain.String()
	switch {
	case st.CodeBlock.Chroma != nil:
		// A style of our own, not registered in chroma's global registry
		// (glamour registers one "charm" style per process, whichever
		// config comes first).
		if s, err := chroma.NewStyle("parley", chromaEntries(st.CodeBlock.Chroma)); err == nil {
			h.style = s
		}
	case st.CodeBlock.Theme != "":
		h.style = styles.Get(st.CodeBlock.Theme)
	}
	return h
}

// lexer returns the lexer for a fence's language, or nil for plain code.
func (h *highlighter) lexer(lang string) chroma.Lexer {
	if h.style == nil || lang == "" {
		return nil
	}
	l, ok := h.lexers[lang]
	if !ok {
		// lexers.Get tries names and aliases first, then file patterns;
		// it never guesses from the content.
		l = lexers.Get(lang)
		if l != nil && l.Config().Name == "plaintext" {
			l = nil
		}
		h.lexers[lang] = l
	}
	return l
}

// sgrOf returns the SGR sequence that starts a token of type tt, as
// chroma's terminal16m formatter writes it (backgrounds dropped).
func (h *highlighter) sgrOf(tt chroma.TokenType) string {
	if s, ok := h.sgr[tt]; ok {
		return s
	}
	e := h.style.Get(tt)
	var params []string
	if e.Bold == chroma.Yes {
		params = append(params, "1")
	}
	if e.Underline == chroma.Yes {
		params = append(params, "4")
	}
	if e.Italic == chroma.Yes {
		params = append(params, "3")
	}
	if e.Colour.IsSet() {
		params = append(params, "38;2;"+strconv.Itoa(int(e.Colour.Red()))+";"+
			strconv.Itoa(int(e.Colour.Green()))+";"+strconv.Itoa(int(e.Colour.Blue())))
	}
	s := h.plain
	if len(params) > 0 {
		s = "\x1b[" + strings.Join(params, ";") + "m"
	}
	h.sgr[tt] = s
	return s
}

// chromaEntries turns a glamour Chroma section into chroma style entries,
// as glamour does when it registers its "charm" style.
func chromaEntries(c *ansi.Chroma) chroma.StyleEntries {
	return chroma.StyleEntries{
		chroma.Text:                chromaStyle(c.Text),
		chroma.Error:               chromaStyle(c.Error),
		chroma.Comment:             chromaStyle(c.Comment),
		chroma.CommentPreproc:      chromaStyle(c.CommentPreproc),
		chroma.Keyword:             chromaStyle(c.Keyword),
		chroma.KeywordReserved:     chromaStyle(c.KeywordReserved),
		chroma.KeywordNamespace:    chromaStyle(c.KeywordNamespace),
		chroma.KeywordType:         chromaStyle(c.KeywordType),
		chroma.Operator:            chromaStyle(c.Operator),
		chroma.Punctuation:         chromaStyle(c.Punctuation),
		chroma.Name:                chromaStyle(c.Name),
		chroma.NameBuiltin:         chromaStyle(c.NameBuiltin),
		chroma.NameTag:             chromaStyle(c.NameTag),
		chroma.NameAttribute:       chromaStyle(c.NameAttribute),
		chroma.NameClass:           chromaStyle(c.NameClass),
		chroma.NameConstant:        chromaStyle(c.NameConstant),
		chroma.NameDecorator:       chromaStyle(c.NameDecorator),
		chroma.NameException:       chromaStyle(c.NameException),
		chroma.NameFunction:        chromaStyle(c.NameFunction),
		chroma.NameOther:           chromaStyle(c.NameOther),
		chroma.Literal:             chromaStyle(c.Literal),
		chroma.LiteralNumber:       chromaStyle(c.LiteralNumber),
		chroma.LiteralDate:         chromaStyle(c.LiteralDate),
		chroma.LiteralString:       chromaStyle(c.LiteralString),
		chroma.LiteralStringEscape: chromaStyle(c.LiteralStringEscape),
		chroma.GenericDeleted:      chromaStyle(c.GenericDeleted),
		chroma.GenericEmph:         chromaStyle(c.GenericEmph),
		chroma.GenericInserted:     chromaStyle(c.GenericInserted),
		chroma.GenericStrong:       chromaStyle(c.GenericStrong),
		chroma.GenericSubheading:   chromaStyle(c.GenericSubheading),
		chroma.Background:          chromaStyle(c.Background),
	}
}

func chromaStyle(p ansi.StylePrimitive) string {
	var s []string
	if p.Color != nil {
		s = append(s, *p.Color)
	}
	if p.BackgroundColor != nil {
		s = append(s, "bg:"+*p.BackgroundColor)
	}
	if p.Italic != nil && *p.Italic {
		s = append(s, "italic")
	}
	if p.Bold != nil && *p.Bold {
		s = append(s, "bold")
	}
	if p.Underline != nil && *p.Underline {
		s = append(s, "underline")
	}
	return strings.Join(s, " ")
}
