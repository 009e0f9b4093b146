package proc

import (
	"runtime"
	"slices"
	"strings"
)

// Inherited are the variables every child gets from Parley's environment,
// as the reference MCP SDKs pass to the servers they start: what a shell,
// a locale, a temporary file and, on Windows, the system itself need.
// Nothing else passes unless the tool's config names it, so a provider key
// in Parley's environment never reaches a tool that did not ask for it.
var Inherited = []string{
	"HOME", "LOGNAME", "PATH", "SHELL", "TERM", "USER",
	"LANG", "LANGUAGE", "TMPDIR", "TZ",
	// Windows.
	"APPDATA", "COMSPEC", "HOMEDRIVE", "HOMEPATH", "LOCALAPPDATA", "NUMBER_OF_PROCESSORS", "OS",
	"PATHEXT", "PROCESSOR_ARCHITECTURE", "PROGRAMDATA", "PROGRAMFILES", "PROGRAMFILES(X86)",
	"SYSTEMDRIVE", "SYSTEMROOT", "TEMP", "TMP", "USERNAME", "USERPROFILE", "WINDIR",
}

// inheritedPrefix are families of variables inherited whole: the locale's.
var inheritedPrefix = []string{"LC_"}

// Environ is the environment of a child process: the Inherited variables
// of parent (a list of KEY=value, as os.Environ gives), those named in pass,
// then set (KEY=value entries, fixed values from the config), which win.
// Names match case-insensitively on Windows, as its environment does.
// A value that is a shell function definition ("() {...}") is not passed:
// bash would run it.
func Environ(parent, pass, set []string) []string {
	same := func(a, b string) bool { return a == b }
	key := func(k string) string { return k }
	if runtime.GOOS == "windows" {
		same, key = strings.EqualFold, strings.ToUpper
	}
	wanted := func(name string) bool {
		for _, n := range Inherited {
			if same(n, name) {
				return true
			}
		}
		for _, p := range inheritedPrefix {
			if len(name) > len(p) && same(name[:len(p)], p) {
				return true
			}
		}
		return slices.ContainsFunc(pass, func(n string) bool { return same(n, name) })
	}
	var out []string
	index := map[string]int{}
	put := func(name, entry string) {
		if i, ok := index[key(name)]; ok {
			out[i] = entry
			return
		}
		index[key(name)] = len(out)
		out = append(out, entry)
	}
	for _, kv := range parent {
		name, value, ok := strings.Cut(kv, "=")
		if !ok || name == "" || strings.HasPrefix(value, "()") || !wanted(name) {
			continue
		}
		put(name, kv)
	}
	for _, kv := range set {
		if name, _, ok := strings.Cut(kv, "="); ok && name != "" {
			put(name, kv)
		}
	}
	return out
}
