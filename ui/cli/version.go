package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"strings"
)

// buildDate is when the binary was built, for release builds that stamp
// it (go build -ldflags "-X github.com/parley-tui/parley/ui/cli.buildDate=2026-01-02"):
// Go's build info records the commit's time, not the build's.
var buildDate string

// versionText is what parley --version prints: the module version, the
// VCS revision with its time and whether the tree had changes, and the
// toolchain.
func versionText() string {
	info, _ := debug.ReadBuildInfo() // nil when the binary has none
	return formatVersion(info, buildDate)
}

// formatVersion writes the version from info (nil when the binary has
// none). Go stamps the revision when it builds in a git checkout with
// -buildvcs on (the default in a checkout; off in a git worktree).
func formatVersion(info *debug.BuildInfo, built string) string {
	var b strings.Builder
	version, goVersion := "(unknown)", runtime.Version()
	settings := map[string]string{}
	if info != nil {
		version = info.Main.Version
		if version == "" {
			version = "(devel)"
		}
		if info.GoVersion != "" {
			goVersion = info.GoVersion
		}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
	}
	fmt.Fprintf(&b, "parley %s\n", version)
	if rev := settings["vcs.revision"]; rev != "" {
		state := ""
		if settings["vcs.modified"] == "true" {
			state = " (modified: uncommitted changes)"
		}
		fmt.Fprintf(&b, "revision %s%s\n", rev, state)
		if t := settings["vcs.time"]; t != "" {
			fmt.Fprintf(&b, "committed %s\n", t)
		}
	} else {
		b.WriteString("revision unknown (built without VCS information)\n")
	}
	if built != "" {
		fmt.Fprintf(&b, "built %s\n", built)
	}
	goos, goarch := runtime.GOOS, runtime.GOARCH
	if v := settings["GOOS"]; v != "" {
		goos = v
	}
	if v := settings["GOARCH"]; v != "" {
		goarch = v
	}
	fmt.Fprintf(&b, "%s %s/%s\n", goVersion, goos, goarch)
	return b.String()
}
