package stream

import (
	"runtime/debug"
	"strings"
	"sync"
)

// DefaultUserAgent is "parley/VERSION": the module version of a released
// build, else "devel" with the VCS revision when the build recorded one
// ("parley/devel+1a2b3c4d5e6f").
func DefaultUserAgent() string { return userAgent() }

var userAgent = sync.OnceValue(func() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "parley/devel"
	}
	return "parley/" + buildVersion(info)
})

func buildVersion(info *debug.BuildInfo) string {
	v := info.Main.Version
	if v != "" && v != "(devel)" {
		return v
	}
	v = "devel"
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && s.Value != "" {
			v += "+" + s.Value[:min(12, len(s.Value))]
		}
	}
	return strings.TrimSpace(v)
}
