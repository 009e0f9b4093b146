package cli

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/parley-tui/parley/keymap"
	"github.com/parley-tui/parley/model"
	"github.com/parley-tui/parley/model/attach"
	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/stream"
	"github.com/parley-tui/parley/themes"
)

// setup is everything a chat starts with, from flags, the environment and
// the config file, checked through: a broken config never reaches the TUI.
type setup struct {
	settings *config.Settings
	warnings []string // for the user: a key in a file others can read
	keys     keymap.KeyMap
	palette  *themes.Palette // a custom palette from the file, or nil
	catalog  *model.Catalog
}

// loadSetup reads the config file, resolves the settings and checks what
// model/config keeps as strings: key bindings (names, keys, conflicts) and
// the theme. Every error is a usage error (exit 2) placed at the file's
// line, or naming the flag or variable at fault.
func loadSetup(f chatFlags, getenv func(string) string) (*setup, error) {
	file, warnings, err := config.Open(f.config, getenv)
	if err != nil {
		return nil, usageError{err}
	}
	s, err := config.Resolve(file, config.Flags{
		Provider: f.provider, Model: f.model, BaseURL: f.baseURL, API: f.api,
		Effort: f.effort, Role: f.role, Theme: f.theme, Replay: f.replay,
		MaxReplySize: f.maxReplySize, MaxAttachmentSize: f.maxAttachmentSize, StallTimeout: f.stallTimeout, NoMouse: f.noMouse,
	}, getenv)
	if err != nil {
		return nil, usageError{err}
	}
	registerConfigSecrets(s)
	st := &setup{settings: s, warnings: warnings, keys: keymap.DefaultKeyMap(),
		catalog: model.NewCatalog(s.CatalogExtras())}

	if err := st.keys.Apply(s.Keys); err != nil {
		var be *keymap.BindingError
		if errors.As(err, &be) {
			err = file.Errorf(file.BindingKey(be.Name), "%s", be.Msg)
		}
		return nil, usageError{err}
	}
	if c := st.keys.Conflicts(); len(c) > 0 {
		lines := make([]string, len(c))
		for i, line := range c { // Conflicts names bindings as the file does
			lines[i] = fmt.Sprintf("%s: [keys]: %s", file.Path, line)
		}
		return nil, usageError{errors.New(strings.Join(lines, "\n"))}
	}

	if s.Palette != nil {
		base := s.Palette.Base
		if base == "" && slices.Contains(themes.Names(), s.Theme) {
			base = s.Theme
		}
		p, err := themes.FromConfig(s.Theme, base, s.Palette.Colours)
		if err != nil {
			var ce *themes.ColourError
			if errors.As(err, &ce) {
				err = file.Errorf([]string{"theme", "palette", ce.Name}, "%s", ce.Msg)
			}
			return nil, usageError{err}
		}
		st.palette = &p
	} else if s.Theme != "" {
		if _, err := themes.ByName(s.Theme); err != nil {
			src := s.Sources["theme"]
			if src.Kind == config.FromFlag || src.Kind == config.FromEnv {
				return nil, usageError{fmt.Errorf("%s: %w", src.Name, err)}
			}
			return nil, usageError{fmt.Errorf("%s: theme: %w", src, err)}
		}
	}
	return st, nil
}

// withLimits gives a client the settings' limits on a stream: how long it
// may stay silent and how large a reply may grow. The chat, its provider
// switches and -p all build their clients through it.
func (st *setup) withLimits(cfg stream.Config) stream.Config {
	cfg.StallTimeout = st.settings.StallTimeout // negative: never, as both take it
	if n := st.settings.MaxReplySize; n > 0 {
		cfg.MaxReplyBytes = int(min(n, math.MaxInt))
	}
	return cfg
}

// attachLimits is how large a file -f (or the chat) may attach: each
// kind's own limit, unless the settings name one size for every file.
func (st *setup) attachLimits() attach.Limits {
	s := st.settings
	if s.Sources["max_attachment_size"].Kind == config.FromDefault || s.MaxAttachmentSize <= 0 {
		return attach.Limits{}
	}
	n := s.MaxAttachmentSize
	return attach.Limits{Text: n, Image: n, PDF: n}
}
