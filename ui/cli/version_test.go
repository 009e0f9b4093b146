package cli

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
)

func TestFormatVersion(t *testing.T) {
	info := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "69b1ab913d19052377f09d13af830e4e4eb5880c"},
		{Key: "vcs.time", Value: "2026-11-26T01:51:50Z"},
		{Key: "vcs.modified", Value: "true"},
		{Key: "GOOS", Value: "linux"}, {Key: "GOARCH", Value: "arm64"},
	}}
	want := "parley v1.2.3\n" +
		"revision 69b1ab913d19052377f09d13af830e4e4eb5880c (modified: uncommitted changes)\n" +
		"committed 2026-11-26T01:51:50Z\n" +
		"built 2026-12-01\n" +
		"go1.26.8 linux/arm64\n"
	if got := formatVersion(info, "2026-12-01"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// go build in a worktree, or with -buildvcs=false: no revision.
	info = &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}}
	want = "parley (devel)\nrevision unknown (built without VCS information)\ngo1.26.8 " + runtime.GOOS + "/" + runtime.GOARCH + "\n"
	if got := formatVersion(info, ""); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// parley --version prints this binary's build info and exits 0.
func TestVersionFlag(t *testing.T) {
	var out, errb bytes.Buffer
	if code := Execute([]string{"--version"}, strings.NewReader(""), &out, &errb); code != exitOK {
		t.Fatalf("exit %d, stderr %q", code, errb.String())
	}
	info, _ := debug.ReadBuildInfo()
	if out.String() != formatVersion(info, buildDate) || !strings.HasPrefix(out.String(), "parley ") {
		t.Fatalf("stdout %q", out.String())
	}
}
