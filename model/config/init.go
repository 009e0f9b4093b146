package config

import (
	_ "embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Starter is the commented starting file `parley config init` writes:
// every section, commented out, with examples for Ollama and Azure.
//
//go:embed starter.toml
var Starter string

// InitFile writes Starter to path, creating its directory (mode 0700)
// if needed; the file is readable by the user alone (0600), as it may come
// to hold keys. An existing file is kept unless force is set: then the
// error wraps fs.ErrExist.
func InitFile(path string, force bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	if !force {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s already exists; pass --force to replace it: %w", path, fs.ErrExist)
		}
		if err != nil {
			return err
		}
		if _, err := f.WriteString(Starter); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	}
	// Replace through a temporary file, so a failed write leaves the old
	// file whole; CreateTemp makes it 0600.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".config-*.toml")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(Starter); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
