package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// movePrompt lets -p stand anywhere among the flags, its prompt after
// them, as in
//
//	parley -p -f notes.txt -f pic.png "what are these"
//
// where pflag alone would take "-f" for the prompt. When a bare -p (or
// --prompt) is followed by another flag, the first word that is no flag's
// value is moved to just after it; with no such word, -p gets an empty
// prompt (runOneShot refuses it unless words follow "--"). Moved there, the word is -p's value,
// so a one-word prompt that names a subcommand ("parley -p -m gpt-5 help")
// is asked, never run. Words left after the prompt join it (promptText).
func movePrompt(fs *pflag.FlagSet, args []string) []string {
	at := -1 // the bare -p waiting for its prompt
	for i := 0; i < len(args); i++ {
		s := args[i]
		switch {
		case s == "--":
			return emptyPrompt(args, at) // the words after "--" are the prompt
		case at < 0 && (s == "-p" || s == "--prompt"):
			if i+1 < len(args) && !isFlag(args[i+1]) {
				return args // -p PROMPT, as pflag reads it
			}
			at = i
		case !isFlag(s):
			if at < 0 {
				return args // a subcommand or a stray word, before any -p
			}
			out := append([]string{}, args[:at+1]...)
			out = append(out, s)
			out = append(out, args[at+1:i]...)
			return append(out, args[i+1:]...)
		case takesValue(fs, s):
			i++ // its value is not the prompt
		}
	}
	return emptyPrompt(args, at)
}

// emptyPrompt gives the bare -p at args[at], if any, an empty value, so
// pflag does not take the next argument for it.
func emptyPrompt(args []string, at int) []string {
	if at < 0 {
		return args
	}
	out := append([]string{}, args...)
	out[at] = "--prompt="
	return out
}

// isFlag says s is a flag, not a word: "-" alone is a word (standard
// input, for -f), and so is a prompt that starts with a dash but has a
// space in it ("-v is verbose?"), which no flag has.
func isFlag(s string) bool {
	return len(s) > 1 && s[0] == '-' && !strings.ContainsAny(s, " \t\n")
}

// takesValue says flag s ("--model", "-m") is one whose value is the next
// argument, as cobra judges it when it looks for a subcommand.
func takesValue(fs *pflag.FlagSet, s string) bool {
	if strings.Contains(s, "=") {
		return false
	}
	var f *pflag.Flag
	switch {
	case strings.HasPrefix(s, "--"):
		f = fs.Lookup(s[2:])
	case len(s) == 2:
		f = fs.ShorthandLookup(s[1:])
	}
	return f != nil && f.NoOptDefVal == ""
}

// rootFlags are every flag the root command reads, persistent ones too.
func rootFlags(root *cobra.Command) *pflag.FlagSet {
	fs := pflag.NewFlagSet("parley", pflag.ContinueOnError)
	fs.AddFlagSet(root.Flags())
	fs.AddFlagSet(root.PersistentFlags())
	return fs
}

// promptText is the one-shot prompt: -p's value, and the words after the
// flags joined to it as a shell would have had them.
func promptText(prompt string, args []string) string {
	if prompt != "" {
		args = append([]string{prompt}, args...)
	}
	return strings.Join(args, " ")
}

// rootArgs lets the root command take words only as the rest of -p's
// prompt (parley -p what is this).
func rootArgs(cmd *cobra.Command, args []string) error {
	if len(args) > 0 && !cmd.Flags().Changed("prompt") {
		return usageError{fmt.Errorf("unexpected argument %q: the chat takes none; for one answer, put the prompt after -p (parley -p \"…\")", args[0])}
	}
	return nil
}
