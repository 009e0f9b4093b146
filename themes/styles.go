package themes

import (
	"image/color"

	"charm.land/bubbles/v2/help"
	"charm.land/bubbles/v2/textarea"
	"charm.land/glamour/v2/ansi"
	"charm.land/lipgloss/v2"
)

// Styles is every style Parley draws with, derived from one Palette by
// NewStyles. It is a plain value: build one per theme and pass it down.
//
// Two kinds of style live here. Frames (Tools.Sidebar, Tools.Card and
// CardFocused, Input.Box and BoxFocused, Status.Bar, Overlay) carry borders
// or padding, so size their content with GetHorizontalFrameSize; a focused
// variant has the same frame as its unfocused one, so focus never reflows. Everything else is a text style (colour
// and attributes, no frame) meant to be applied to one segment or line, or
// to a glyph such as the focus bar. Only selection styles and Markdown's
// inline code set a background: on a composed line, an inner style's reset
// would end an outer background midway.
type Styles struct {
	Palette    Palette
	Transcript TranscriptStyles
	Reasoning  ReasoningStyles
	Tools      ToolStyles
	Status     StatusStyles
	Input      InputStyles

	Help         help.Styles    // assign to help.Model.Styles
	Overlay      lipgloss.Style // frame: bordered box for overlays such as the help screen
	OverlayTitle lipgloss.Style

	// Markdown is the glamour style for message bodies: pass it to
	// glamour.WithStyles. It shares no pointers with glamour's own styles,
	// and its document has no margin and no leading or trailing blank line.
	Markdown ansi.StyleConfig
}

// TranscriptStyles style the conversation.
type TranscriptStyles struct {
	UserLabel      lipgloss.Style
	UserText       lipgloss.Style
	AssistantLabel lipgloss.Style
	MessageMeta    lipgloss.Style // timestamps, model, "cancelled" and "error" tags
	// FocusedMessage colours the bar beside the focused message: render a
	// glyph such as "▌" with it (its foreground also suits a border).
	FocusedMessage     lipgloss.Style
	ErrorBlock         lipgloss.Style // the lines of a server error shown in the transcript
	Notice             lipgloss.Style // muted system notes
	SelectionHighlight lipgloss.Style // foreground and background of selected text or rows
}

// ReasoningStyles style a message's reasoning ("thinking") section.
type ReasoningStyles struct {
	Header lipgloss.Style // "Thought for 12 s · 1,408 reasoning tokens"
	Text   lipgloss.Style
	Border lipgloss.Style // colour of the left rule: render "│" with it
}

// ToolStyles style the tools sidebar and its tool-call cards.
type ToolStyles struct {
	Sidebar     lipgloss.Style
	Card        lipgloss.Style
	CardFocused lipgloss.Style
	Name        lipgloss.Style
	Kind        lipgloss.Style

	StatusStreaming lipgloss.Style // arguments arriving
	StatusComplete  lipgloss.Style // arguments complete
	StatusRunning   lipgloss.Style
	StatusDone      lipgloss.Style
	StatusFailed    lipgloss.Style
	Meta            lipgloss.Style // bytes, elapsed time

	JSONKey       lipgloss.Style
	JSONString    lipgloss.Style
	JSONNumber    lipgloss.Style
	JSONBool      lipgloss.Style // true, false and null
	JSONPunct     lipgloss.Style
	JSONActiveKey lipgloss.Style // the key whose value is being streamed
}

// StatusStyles style the status bar: Bar is its frame (one column of
// padding each side), the rest are segment styles.
type StatusStyles struct {
	Bar            lipgloss.Style
	Model          lipgloss.Style
	StateWaiting   lipgloss.Style
	StateStreaming lipgloss.Style
	StateDone      lipgloss.Style
	StateError     lipgloss.Style
	Key            lipgloss.Style // labels such as "in"
	Value          lipgloss.Style
	Dim            lipgloss.Style
	Demo           lipgloss.Style // the "demo backend" notice
	Cost           lipgloss.Style
}

// InputStyles style the prompt editor.
type InputStyles struct {
	Box         lipgloss.Style
	BoxFocused  lipgloss.Style
	Placeholder lipgloss.Style
	Prompt      lipgloss.Style
	// Chip is a file attached to the prompt, above the input and in the
	// transcript.
	Chip     lipgloss.Style
	Textarea textarea.Styles // pass to textarea.Model.SetStyles
}

// NewStyles derives all styles from p.
func NewStyles(p Palette) *Styles {
	return &Styles{
		Palette:    p,
		Transcript: transcriptStyles(p),
		Reasoning:  reasoningStyles(p),
		Tools:      toolStyles(p),
		Status:     statusStyles(p),
		Input:      inputStyles(p),
		Help:       helpStyles(p),
		Overlay: lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).
			BorderForeground(p.Primary).Padding(1, 2),
		OverlayTitle: text(p.Primary).Bold(true),
		Markdown:     markdownConfig(p),
	}
}

func transcriptStyles(p Palette) TranscriptStyles {
	return TranscriptStyles{
		UserLabel:      text(p.Primary).Bold(true),
		UserText:       text(p.Foreground),
		AssistantLabel: text(p.Secondary).Bold(true),
		MessageMeta:    text(p.Muted),
		FocusedMessage: text(p.Accent),
		ErrorBlock:     text(p.Error),
		Notice:         text(p.Muted).Italic(true),
		SelectionHighlight: lipgloss.NewStyle().
			Foreground(p.Foreground).Background(p.Selection),
	}
}

func reasoningStyles(p Palette) ReasoningStyles {
	return ReasoningStyles{
		Header: text(p.Muted),
		Text:   text(p.Muted).Italic(true),
		Border: text(p.Subtle),
	}
}

func toolStyles(p Palette) ToolStyles {
	card := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	return ToolStyles{
		Sidebar: lipgloss.NewStyle().Border(lipgloss.NormalBorder(), false, false, false, true).
			BorderForeground(p.Subtle).Padding(0, 1), // the sidebar sits right of the transcript
		Card:        card.BorderForeground(p.Subtle),
		CardFocused: card.BorderForeground(p.Accent),
		Name:        text(p.Foreground).Bold(true),
		Kind:        text(p.Muted),

		StatusStreaming: text(p.Info),
		StatusComplete:  text(p.Primary),
		StatusRunning:   text(p.Warning),
		StatusDone:      text(p.Success),
		StatusFailed:    text(p.Error).Bold(true),
		Meta:            text(p.Muted),

		JSONKey:       text(p.Secondary),
		JSONString:    text(p.Success),
		JSONNumber:    text(p.Warning),
		JSONBool:      text(p.Primary),
		JSONPunct:     text(p.Muted),
		JSONActiveKey: text(p.Accent).Bold(true).Underline(true),
	}
}

func statusStyles(p Palette) StatusStyles {
	return StatusStyles{
		Bar:            text(p.Muted).Padding(0, 1),
		Model:          text(p.Secondary).Bold(true),
		StateWaiting:   text(p.Warning),
		StateStreaming: text(p.Info),
		StateDone:      text(p.Success),
		StateError:     text(p.Error).Bold(true),
		Key:            text(p.Muted),
		Value:          text(p.Foreground),
		Dim:            text(p.Subtle),
		Demo:           text(p.Warning).Italic(true),
		Cost:           text(p.Success),
	}
}

func inputStyles(p Palette) InputStyles {
	box := lipgloss.NewStyle().Border(lipgloss.RoundedBorder()).Padding(0, 1)
	return InputStyles{
		Box:         box.BorderForeground(p.Subtle),
		BoxFocused:  box.BorderForeground(p.Primary),
		Placeholder: text(p.Subtle),
		Prompt:      text(p.Primary),
		Chip:        text(p.Accent),
		Textarea:    textareaStyles(p),
	}
}

// textareaStyles starts from bubbles' defaults, which keep the cursor shape
// and blink, and recolours every state from the palette.
func textareaStyles(p Palette) textarea.Styles {
	s := textarea.DefaultStyles(p.Dark)
	s.Focused = textarea.StyleState{
		Base:             lipgloss.NewStyle(),
		Text:             text(p.Foreground),
		LineNumber:       text(p.Subtle),
		CursorLineNumber: text(p.Muted),
		CursorLine:       text(p.Foreground),
		EndOfBuffer:      text(p.Subtle),
		Placeholder:      text(p.Subtle),
		Prompt:           text(p.Primary),
		Selection:        lipgloss.NewStyle().Background(p.Selection),
	}
	s.Blurred = s.Focused
	s.Blurred.Text = text(p.Muted)
	s.Blurred.CursorLine = text(p.Muted)
	s.Blurred.CursorLineNumber = text(p.Subtle)
	s.Blurred.Prompt = text(p.Subtle)
	s.Cursor.Color = p.Primary
	return s
}

// helpStyles starts from bubbles' defaults so that any field added to
// help.Styles later still has a value.
func helpStyles(p Palette) help.Styles {
	s := help.DefaultStyles(p.Dark)
	s.ShortKey = text(p.Muted)
	s.ShortDesc = text(p.Subtle)
	s.ShortSeparator = text(p.Subtle)
	s.Ellipsis = text(p.Subtle)
	s.FullKey = text(p.Primary)
	s.FullDesc = text(p.Muted)
	s.FullSeparator = text(p.Subtle)
	return s
}

func text(c color.Color) lipgloss.Style { return lipgloss.NewStyle().Foreground(c) }
