package themes

import "charm.land/lipgloss/v2"

// Builtin returns the built-in themes in a stable order. Each call returns
// fresh values, so callers may modify them.
func Builtin() []Palette {
	return []Palette{dark(), light(), dracula(), tokyoNight()}
}

// The "dark" and "light" themes use only colours of the xterm 256-colour
// cube and grey ramp, so they look the same after Bubble Tea downsamples
// them on a 256-colour terminal.

func dark() Palette {
	c := lipgloss.Color
	return Palette{
		Name:           "dark",
		Dark:           true,
		Background:     c("#1c1c1c"), // 234
		Surface:        c("#262626"), // 235
		Foreground:     c("#d0d0d0"), // 252
		Muted:          c("#8a8a8a"), // 245
		Subtle:         c("#585858"), // 240
		Primary:        c("#af87ff"), // 141
		Secondary:      c("#5fd7ff"), // 81
		Accent:         c("#ff87d7"), // 212
		Success:        c("#87d787"), // 114
		Warning:        c("#ffd75f"), // 221
		Error:          c("#ff5f5f"), // 203
		Info:           c("#5fafff"), // 75
		Selection:      c("#3a3a3a"), // 237
		CodeBackground: c("#303030"), // 236
		GlamourBase:    "dark",
		CodeTheme:      "github-dark",
	}
}

func light() Palette {
	c := lipgloss.Color
	return Palette{
		Name:           "light",
		Dark:           false,
		Background:     c("#ffffff"), // 231
		Surface:        c("#eeeeee"), // 255
		Foreground:     c("#262626"), // 235
		Muted:          c("#6c6c6c"), // 242
		Subtle:         c("#a8a8a8"), // 248
		Primary:        c("#5f00d7"), // 56
		Secondary:      c("#005faf"), // 25
		Accent:         c("#d7008f"), // 162
		Success:        c("#008700"), // 28
		Warning:        c("#af5f00"), // 130
		Error:          c("#d70000"), // 160
		Info:           c("#0087af"), // 31
		Selection:      c("#dadada"), // 253
		CodeBackground: c("#eeeeee"), // 255
		GlamourBase:    "light",
		CodeTheme:      "github",
	}
}

// dracula follows the Dracula specification (draculatheme.com/contribute).
func dracula() Palette {
	c := lipgloss.Color
	return Palette{
		Name:           "dracula",
		Dark:           true,
		Background:     c("#282a36"),
		Surface:        c("#343746"), // "background light"
		Foreground:     c("#f8f8f2"),
		Muted:          c("#6272a4"), // comment
		Subtle:         c("#525a7c"), // between current line and comment: readable borders
		Primary:        c("#bd93f9"), // purple
		Secondary:      c("#8be9fd"), // cyan
		Accent:         c("#ff79c6"), // pink
		Success:        c("#50fa7b"), // green
		Warning:        c("#ffb86c"), // orange
		Error:          c("#ff5555"), // red
		Info:           c("#8be9fd"), // cyan, as Secondary: Dracula has no other blue
		Selection:      c("#44475a"), // current line / selection
		CodeBackground: c("#21222c"), // "background dark"
		GlamourBase:    "dracula",
		CodeTheme:      "dracula",
	}
}

// tokyoNight follows the "night" variant of folke/tokyonight.nvim.
func tokyoNight() Palette {
	c := lipgloss.Color
	return Palette{
		Name:           "tokyo-night",
		Dark:           true,
		Background:     c("#1a1b26"), // bg
		Surface:        c("#16161e"), // bg_dark: statusline and sidebars
		Foreground:     c("#c0caf5"), // fg
		Muted:          c("#737aa2"), // dark5
		Subtle:         c("#565f89"), // comment
		Primary:        c("#7aa2f7"), // blue
		Secondary:      c("#bb9af7"), // magenta
		Accent:         c("#7dcfff"), // cyan
		Success:        c("#9ece6a"), // green
		Warning:        c("#e0af68"), // yellow
		Error:          c("#f7768e"), // red
		Info:           c("#2ac3de"), // blue1
		Selection:      c("#33467c"), // a visual-selection blue that stays blue at 256 colours
		CodeBackground: c("#343a55"), // near bg_highlight; #292e42 itself turns navy at 256 colours
		GlamourBase:    "tokyo-night",
		CodeTheme:      "tokyonight-night",
	}
}
