package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"github.com/parley-tui/parley/model/config"
	"github.com/parley-tui/parley/model/proc"
)

func newConfigCmd(f *chatFlags) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Find, create and edit the configuration file",
		Long: `Parley reads a TOML file: --config PATH, else $PARLEY_CONFIG, else
$XDG_CONFIG_HOME/parley/config.toml (~/.config/parley/config.toml). It names
providers, roles, key bindings and a theme; flags and environment variables
win over it. ` + "`parley config init`" + ` writes a commented starting file.`,
		Args: usageArgs(cobra.NoArgs),
	}
	path := func() (string, bool, error) {
		p, explicit, err := config.Path(f.config, os.Getenv)
		if err != nil {
			return "", false, usageError{err}
		}
		return p, explicit, nil
	}

	pathCmd := &cobra.Command{
		Use:   "path",
		Short: "Print where the configuration file is (or would be)",
		Args:  usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, _, err := path()
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), p)
			return nil
		},
	}

	var force bool
	initCmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented starting configuration file",
		Long: `Init writes a starting configuration file, every setting in it commented out,
readable by you alone (mode 0600). It never replaces an existing file unless
--force is given.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, _, err := path()
			if err != nil {
				return err
			}
			if err := config.InitFile(p, force); errors.Is(err, fs.ErrExist) {
				return fmt.Errorf("%s already exists; pass --force to replace it", p)
			} else if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), "wrote", p)
			return nil
		},
	}
	initCmd.Flags().BoolVar(&force, "force", false, "replace an existing file")

	editCmd := &cobra.Command{
		Use:   "edit",
		Short: "Open the configuration file in $VISUAL or $EDITOR, then check it",
		Long: `Edit opens the configuration file in $VISUAL, else $EDITOR, else vi, writing
the starting file first if there is none. When the editor exits, the file is
checked and any problem reported, with its line.`,
		Args: usageArgs(cobra.NoArgs),
		RunE: func(cmd *cobra.Command, args []string) error {
			p, _, err := path()
			if err != nil {
				return err
			}
			if err := config.InitFile(p, false); err == nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "parley: wrote a starting file at", p)
			} else if !errors.Is(err, fs.ErrExist) {
				return err
			}
			c, err := proc.Editor(os.Getenv, p)
			if err != nil {
				return err
			}
			c.Stdin, c.Stdout, c.Stderr = cmd.InOrStdin(), cmd.OutOrStdout(), cmd.ErrOrStderr()
			if err := c.Run(); err != nil {
				return fmt.Errorf("the editor (%s) failed: %w", strings.Join(c.Args, " "), err)
			}
			_, warnings, err := config.Load(p)
			for _, w := range warnings {
				fmt.Fprintln(cmd.ErrOrStderr(), "parley: warning:", w)
			}
			if err != nil {
				return usageError{err}
			}
			return nil
		},
	}

	cmd.AddCommand(pathCmd, initCmd, editCmd)
	return cmd
}
