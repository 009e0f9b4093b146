//go:build unix

package attach

// Named pipes are a Unix thing (syscall.Mkfifo does not exist on Windows).

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestLoadNamedPipe(t *testing.T) {
	p := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(p, 0o600); err != nil {
		t.Skip("no named pipes here:", err)
	}
	go func() {
		w, err := os.OpenFile(p, os.O_WRONLY, 0)
		if err == nil {
			w.WriteString("diff --git a b\n")
			w.Close()
		}
	}()
	a, err := Load(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != Text || string(a.Data) != "diff --git a b\n" {
		t.Errorf("got %+v", a)
	}
}
